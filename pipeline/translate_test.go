package pipeline

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

func shippedProjection(t testing.TB) *classify.Projection {
	t.Helper()
	var rs []io.Reader
	for _, name := range []string{"glossary.tsv", "sdg-fr.tsv", "sdg-es.tsv"} {
		b, err := data.Lexicon(name)
		if err != nil {
			t.Fatal(err)
		}
		rs = append(rs, bytes.NewReader(b))
	}
	p, err := classify.ReadProjection(classify.NewTokenizer(classify.TokenizerOptions{NGram: 1}), rs[0], rs[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A French report without its English version is read through the French
// lexicon: its paragraphs get the English model's labels, each with a note
// giving the language and how much of the text the lexicon translated; the
// "no model" notes of an earlier run without the lexicon are replaced.
func TestFrenchWithoutTwinReadThroughLexicon(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := ingest(t, dir, IngestOptions{Inputs: wgInputs(t, "andorra2011.fr.txt")}); err != nil {
		t.Fatal(err)
	}
	mods := []*classify.Model{embeddedModel(t, models.TaskSDG)}
	if _, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: mods, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: mods, Projection: shippedProjection(t), All: true, Version: "test"}); err != nil {
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
		{"French paragraphs", `SELECT count(*) FROM recommendations WHERE language = 'fr'`, 13},
		{"unclassified French paragraphs", `SELECT count(*) FROM sdg_assignments WHERE goal = 'unclassified'`, 0},
		// 84.3, the OP-CAT: goal 16, as the English text gets.
		{"84.3 with goal 16", `SELECT count(DISTINCT rec_id) FROM sdg_assignments a JOIN recommendations r USING (rec_id) WHERE r.paragraph = '84.3' AND a.goal = '16'`, 1},
		// 83.4, gender equality and gender-based violence: goal 5.
		{"83.4 with goal 5", `SELECT count(DISTINCT rec_id) FROM sdg_assignments a JOIN recommendations r USING (rec_id) WHERE r.paragraph = '83.4' AND a.goal = '5'`, 1},
		{"notes giving the language and support", `SELECT count(*) FROM assignment_notes WHERE task = 'sdg' AND language = 'fr'
			AND inherited_from IS NULL AND reason LIKE 'language fr: read through the bilingual lexicon, % of words translated'`, 13},
		{"stale no-model notes", `SELECT count(*) FROM assignment_notes WHERE reason LIKE '%no model%'`, 0},
		{"notes", `SELECT count(*) FROM assignment_notes`, 13},
	} {
		if got := queryInt(t, w, c.q); got != c.want {
			t.Errorf("%s: %d, want %d", c.what, got, c.want)
		}
	}
}
