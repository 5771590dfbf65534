package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/classify"
	defaultmodels "github.com/nmirf/nmirf/data/models"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// embeddedModel reads the default model of task embedded in the binary.
func embeddedModel(t testing.TB, task string) *classify.Model {
	t.Helper()
	r, err := defaultmodels.Open(task)
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.ReadModel(r, task)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// defaultModels reads the three embedded default models.
func defaultModels(t testing.TB) []*classify.Model {
	t.Helper()
	var out []*classify.Model
	for _, task := range []string{models.TaskUPRInfoIssues, models.TaskUHRIThemes, models.TaskSDG} {
		out = append(out, embeddedModel(t, task))
	}
	return out
}

// storedRows returns a model's assignment rows in the warehouse, one string
// each: rec_id, scheme or goal/target, label, score, rank, fallback,
// evidence.
func storedRows(t *testing.T, dir string, m *classify.Model) []string {
	t.Helper()
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// Evidence NULL reads "NULL": a label without evidence has an empty
	// list, not none.
	q := `SELECT rec_id, scheme, label, score, rank, fallback, coalesce(array_to_string(evidence, ';'), 'NULL') FROM theme_assignments WHERE model_id = ?`
	if m.Task == models.TaskSDG {
		q = `SELECT rec_id, goal, coalesce(target, ''), score, rank, fallback, coalesce(array_to_string(evidence, ';'), 'NULL') FROM sdg_assignments WHERE model_id = ?`
	}
	rows, err := w.DB().Query(q, m.ModelID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, a, b, ev string
		var score float64
		var rank int
		var fallback bool
		if err := rows.Scan(&id, &a, &b, &score, &rank, &fallback, &ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, row(id, a, b, score, rank, fallback, ev))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func row(id, a, b string, score float64, rank int, fallback bool, ev string) string {
	return fmt.Sprintf("%s|%s|%s|%s|%d|%t|%s", id, a, b, strconv.FormatFloat(score, 'g', -1, 64), rank, fallback, ev)
}

// expectedRows are the rows classify.Assign, the per-model path, gives for
// the warehouse's recommendations.
func expectedRows(t *testing.T, dir string, m *classify.Model) []string {
	t.Helper()
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	recs, err := w.DB().Query(`SELECT rec_id, text, kind FROM recommendations ORDER BY rec_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer recs.Close()
	var ids, texts, kinds []string
	for recs.Next() {
		var id, text, kind string
		if err := recs.Scan(&id, &text, &kind); err != nil {
			t.Fatal(err)
		}
		ids, texts, kinds = append(ids, id), append(texts, text), append(kinds, kind)
	}
	per, err := classify.AssignKinds(context.Background(), m, texts, kinds, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, as := range per {
		for _, a := range as {
			ev := strings.Join(a.Evidence, ";")
			switch {
			case m.Task != models.TaskSDG:
				out = append(out, row(ids[i], a.Scheme, a.Label, a.Score, a.Rank, a.Fallback, ev))
			case a.Scheme == models.SchemeSDGTarget:
				out = append(out, row(ids[i], models.SDGGoalOf(a.Label), a.Label, a.Score, a.Rank, a.Fallback, ev))
			default:
				out = append(out, row(ids[i], a.Label, "", a.Score, a.Rank, a.Fallback, ev))
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestClassifyIntoMatchesAssign classifies the sample warehouse first with
// the issues model, then with the three default models (so that the issues
// model has nothing pending and the other two share their texts), and
// checks that every model's stored rows are exactly those of classify.Assign.
// Batches are small, so that several are classified and written at once.
// A third of the recommendations have a twin with the same text addressed to
// another State, as in a UHRI export, so that texts are classified once and
// their labels shared.
func TestClassifyIntoMatchesAssign(t *testing.T) {
	defer func(n int) { classifyBatch = n }(classifyBatch)
	classifyBatch = 37
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := Ingest(ctx, IngestOptions{Inputs: sampleInputs(t), Importers: formats.All(), Warehouse: dir, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	addTwins(t, dir)
	mods := defaultModels(t)
	first, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: mods[:1], Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	n := first.Inputs[0].Records
	if n == 0 || first.Counts.Read != n {
		t.Fatalf("first run classified %d, read %d", n, first.Counts.Read)
	}
	second, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: mods, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, in := range second.Inputs {
		got = append(got, in.Records)
	}
	if !slices.Equal(got, []int{0, n, n}) || second.Counts.Read != 2*n {
		t.Errorf("second run: pending %v, read %d; want [0 %d %d], %d", got, second.Counts.Read, n, n, 2*n)
	}
	checkTextHashes(t, dir)
	for _, m := range mods {
		stored, want := storedRows(t, dir, m), expectedRows(t, dir, m)
		if len(stored) < n {
			t.Errorf("%s: %d rows for %d recommendations", m.Task, len(stored), n)
		}
		if !slices.Equal(stored, want) {
			for i := range min(len(stored), len(want)) {
				if stored[i] != want[i] {
					t.Errorf("%s: %d rows stored, %d expected; first difference:\n stored %s\n    want %s", m.Task, len(stored), len(want), stored[i], want[i])
					break
				}
			}
			if len(stored) != len(want) {
				t.Errorf("%s: %d rows stored, %d expected", m.Task, len(stored), len(want))
			}
		}
	}
}

// addTwins gives every third recommendation of the warehouse a twin: the
// same text addressed to another State (rec_id suffixed "-twin"), as a
// UHRI export repeats a recommendation for each State it is addressed to.
func addTwins(t *testing.T, dir string) {
	t.Helper()
	w, err := load.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.DB().Exec(`INSERT INTO recommendations SELECT * REPLACE (rec_id || '-twin' AS rec_id, 'ZZZ' AS country_iso3)
		FROM recommendations WHERE hash(rec_id) % 3 = 0`); err != nil {
		t.Fatal(err)
	}
	var recs, texts int
	if err := w.DB().QueryRow(`SELECT count(*), count(DISTINCT text) FROM recommendations`).Scan(&recs, &texts); err != nil {
		t.Fatal(err)
	}
	if texts*5 > recs*4 {
		t.Fatalf("%d recommendations with %d distinct texts: too few share a text", recs, texts)
	}
}

// checkTextHashes checks that every assignment row names the hash of its
// recommendation's text.
func checkTextHashes(t *testing.T, dir string) {
	t.Helper()
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, table := range []string{"theme_assignments", "sdg_assignments"} {
		var n, wrong int
		if err := w.DB().QueryRow(`SELECT count(*), count(*) FILTER (WHERE a.text_sha256 IS DISTINCT FROM r.text_sha256)
			FROM `+table+` a LEFT JOIN recommendations r USING (rec_id)`).Scan(&n, &wrong); err != nil {
			t.Fatal(err)
		}
		if n == 0 || wrong > 0 {
			t.Errorf("%s: %d of %d rows without their recommendation's text hash", table, wrong, n)
		}
	}
}
