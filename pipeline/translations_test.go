package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// wgInputs reads Working Group reports from the wgreport fixtures.
func wgInputs(t testing.TB, names ...string) []*extract.Input {
	t.Helper()
	var ins []*extract.Input
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("..", "extract", "wgreport", "testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		in, err := extract.NewInput(n, b)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	return ins
}

func queryInt(t testing.TB, w *load.Warehouse, q string) int {
	t.Helper()
	var n int
	if err := w.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// Andorra's report imported in English, French and Spanish: each French and
// Spanish paragraph is linked to its English one, carries its language, and
// after classification has the English paragraph's SDG targets, marked as
// inherited.
func TestTranslatedReportInheritsLabels(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := ingest(t, dir, IngestOptions{Inputs: wgInputs(t, "andorra2011.txt", "andorra2011.fr.txt", "andorra2011.es.txt")}); err != nil {
		t.Fatal(err)
	}
	if _, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: []*classify.Model{embeddedModel(t, models.TaskSDG)}, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	w, err := load.OpenReadOnly(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, c := range []struct {
		what, q string
		want    int
	}{
		{"English paragraphs", `SELECT count(*) FROM recommendations WHERE language = 'en'`, 56},
		{"French paragraphs", `SELECT count(*) FROM recommendations WHERE language = 'fr'`, 13},
		{"Spanish paragraphs", `SELECT count(*) FROM recommendations WHERE language = 'es'`, 9},
		{"paragraphs without a language", `SELECT count(*) FROM recommendations WHERE language IS NULL`, 0},
		{"French paragraphs linked", `SELECT count(*) FROM recommendation_translations WHERE language = 'fr'`, 13},
		{"Spanish paragraphs linked", `SELECT count(*) FROM recommendation_translations WHERE language = 'es'`, 9},
		// A link joins the same paragraph of the same review, never two.
		{"links to another paragraph", `SELECT count(*) FROM recommendation_translations l
			JOIN recommendations e ON e.rec_id = l.rec_id JOIN recommendations t ON t.rec_id = l.translation_rec_id
			WHERE e.paragraph <> t.paragraph OR e.upr_session <> t.upr_session OR e.response <> t.response OR e.language <> 'en'`, 0},
		{"paragraphs linked twice", `SELECT count(*) FROM (SELECT translation_rec_id FROM recommendation_translations GROUP BY ALL HAVING count(*) > 1)`, 0},
		// The English paragraphs have SDG targets to pass on.
		{"English paragraphs with a target", `SELECT count(DISTINCT a.rec_id) FROM sdg_assignments a JOIN recommendations r USING (rec_id)
			WHERE r.language = 'en' AND a.target IS NOT NULL AND r.paragraph IN ('83.1','83.2','83.3','83.4','84.1','84.2','84.3','85.1','85.2')`, 9},
		// Each translation has exactly its twin's goals and targets, with
		// the same scores and ranks.
		{"translations whose labels differ from the English", `SELECT count(*) FROM recommendation_translations l
			WHERE (SELECT coalesce(string_agg(goal || '/' || coalesce(target, '') || '/' || score || '/' || rank, ',' ORDER BY goal, target), '') FROM sdg_assignments WHERE rec_id = l.rec_id)
			   <> (SELECT coalesce(string_agg(goal || '/' || coalesce(target, '') || '/' || score || '/' || rank, ',' ORDER BY goal, target), '') FROM sdg_assignments WHERE rec_id = l.translation_rec_id)`, 0},
		{"translations with a target", `SELECT count(DISTINCT a.rec_id) FROM sdg_assignments a JOIN recommendation_translations l ON a.rec_id = l.translation_rec_id WHERE a.target IS NOT NULL`, 22},
		{"translations marked inherited from their twin", `SELECT count(*) FROM assignment_notes n JOIN recommendation_translations l
			ON n.rec_id = l.translation_rec_id AND n.inherited_from = l.rec_id WHERE n.task = 'sdg' AND n.reason IS NULL`, 22},
		{"English paragraphs marked", `SELECT count(*) FROM assignment_notes n JOIN recommendations r USING (rec_id) WHERE r.language = 'en'`, 0},
	} {
		if got := queryInt(t, w, c.q); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
}

// A French report without its English version gets no labels from the
// English model: each paragraph is unclassified, with the reason.
func TestTextWithoutEnglishTwinIsFlagged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := ingest(t, dir, IngestOptions{Inputs: wgInputs(t, "andorra2011.fr.txt")}); err != nil {
		t.Fatal(err)
	}
	if _, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: []*classify.Model{embeddedModel(t, models.TaskSDG)}, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	w, err := load.OpenReadOnly(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, c := range []struct {
		what, q string
		want    int
	}{
		{"unclassified French paragraphs", `SELECT count(*) FROM sdg_assignments a JOIN recommendations r USING (rec_id)
			WHERE r.language = 'fr' AND a.goal = 'unclassified' AND a.target IS NULL`, 13},
		{"French paragraphs with a goal", `SELECT count(*) FROM sdg_assignments WHERE goal <> 'unclassified'`, 0},
		{"notes saying why", `SELECT count(*) FROM assignment_notes WHERE reason = 'language fr: no model' AND inherited_from IS NULL AND task = 'sdg'`, 13},
	} {
		if got := queryInt(t, w, c.q); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
}
