package load

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/models"
)

// assignmentBatch is two recommendations sharing one text (a UHRI export
// repeats a recommendation for every State it is addressed to) and one
// with a text of its own, labelled by the SDG and the UPR Info issues
// models. The labels are those the default models give such texts.
func assignmentBatch(sdgID, issuesID string) AssignmentBatch {
	texts := []RecText{
		{RecID: "upr-a", TextSHA256: "sha-violence"},
		{RecID: "upr-b", TextSHA256: "sha-violence"},
		{RecID: "upr-c", TextSHA256: "sha-school"},
	}
	sdg := [][]models.Assignment{
		{
			{Scheme: models.SchemeSDGGoal, Label: "5", Score: 0.81, Rank: 1, ModelID: sdgID, Evidence: []string{"women", "violence against"}},
			{Scheme: models.SchemeSDGTarget, Label: "5.2", Score: 0.64, Rank: 1, ModelID: sdgID, Evidence: []string{"violence against"}},
			{Scheme: models.SchemeSDGTarget, Label: "16.1", Score: 0.12, Rank: 2, ModelID: sdgID, Fallback: true},
		},
		{
			{Scheme: models.SchemeSDGGoal, Label: "4", Score: 0.77, Rank: 1, ModelID: sdgID, Evidence: []string{""}},
		},
	}
	issues := [][]models.Assignment{
		{{Scheme: models.SchemeUPRInfoIssue, Label: "Women's rights", Score: 0.9, Rank: 1, ModelID: issuesID, Evidence: []string{"women"}}},
		{{Scheme: models.SchemeUPRInfoIssue, Label: "Right to education", Score: 0.7, Rank: 1, ModelID: issuesID, Evidence: []string{"school", "education"}}},
	}
	return AssignmentBatch{
		Texts: texts,
		Of:    []int32{0, 0, 1},
		Results: []TaskResult{
			{Model: ModelInfo{ModelID: sdgID, Task: models.TaskSDG, Labels: 186}, Labels: sdg},
			{Model: ModelInfo{ModelID: issuesID, Task: models.TaskUPRInfoIssues, Labels: 56}, Labels: issues},
		},
	}
}

// assignmentRows reads a table's assignments as one line each, in a fixed
// order: rec_id, label columns, score, rank, fallback, model, evidence
// terms (each quoted, so that an empty term shows), text hash and run.
func assignmentRows(t *testing.T, w *Warehouse, table string) []string {
	t.Helper()
	cols := `rec_id || ' ' || scheme || ' ' || label`
	if table == models.TableSDGAssignments {
		cols = `rec_id || ' ' || goal || ' ' || coalesce(target, '-')`
	}
	rows, err := w.DB().Query(`SELECT ` + cols + ` || ' ' || score || ' ' || rank || ' ' || fallback || ' ' || model_id || ' [' ||
		array_to_string(list_transform(evidence, e -> '"' || e || '"'), ',') || '] ' || text_sha256 || ' ' || run_id
		FROM ` + table + ` ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteAssignmentsRows(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	threads := func() int {
		t.Helper()
		var n int
		if err := w.DB().QueryRow(`SELECT current_setting('threads')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// The writer lowers DuckDB's threads while it writes (writerThreads);
	// more than it uses, so that the test sees the setting come back.
	if _, err := w.DB().Exec(fmt.Sprintf(`SET threads = %d`, writerThreads()+1)); err != nil {
		t.Fatal(err)
	}
	run := &models.Run{RunID: "run-1", Command: "classify"}
	if err := w.WriteAssignments(ctx, run, assignmentBatch("sdg-1", "issues-1")); err != nil {
		t.Fatal(err)
	}
	// Each recommendation of the shared text has the text's labels; a
	// target's goal is its own column; no evidence and one empty term stay
	// apart.
	wantSDG := []string{
		`upr-a 16 16.1 0.12 2 true sdg-1 [] sha-violence run-1`,
		`upr-a 5 - 0.81 1 false sdg-1 ["women","violence against"] sha-violence run-1`,
		`upr-a 5 5.2 0.64 1 false sdg-1 ["violence against"] sha-violence run-1`,
		`upr-b 16 16.1 0.12 2 true sdg-1 [] sha-violence run-1`,
		`upr-b 5 - 0.81 1 false sdg-1 ["women","violence against"] sha-violence run-1`,
		`upr-b 5 5.2 0.64 1 false sdg-1 ["violence against"] sha-violence run-1`,
		`upr-c 4 - 0.77 1 false sdg-1 [""] sha-school run-1`,
	}
	wantThemes := []string{
		`upr-a upr-info-issue Women's rights 0.9 1 false issues-1 ["women"] sha-violence run-1`,
		`upr-b upr-info-issue Women's rights 0.9 1 false issues-1 ["women"] sha-violence run-1`,
		`upr-c upr-info-issue Right to education 0.7 1 false issues-1 ["school","education"] sha-school run-1`,
	}
	check := func(when string) {
		t.Helper()
		if got := threads(); got != writerThreads()+1 {
			t.Errorf("%s: DuckDB threads %d, want %d as before the write", when, got, writerThreads()+1)
		}
		if got := assignmentRows(t, w, models.TableSDGAssignments); strings.Join(got, "\n") != strings.Join(wantSDG, "\n") {
			t.Errorf("%s: sdg_assignments:\n%s\nwant:\n%s", when, strings.Join(got, "\n"), strings.Join(wantSDG, "\n"))
		}
		if got := assignmentRows(t, w, "theme_assignments"); strings.Join(got, "\n") != strings.Join(wantThemes, "\n") {
			t.Errorf("%s: theme_assignments:\n%s\nwant:\n%s", when, strings.Join(got, "\n"), strings.Join(wantThemes, "\n"))
		}
	}
	check("first write")

	// A batch that fails part-way (its second result names no task with
	// an assignment table, after the first result was written) changes
	// nothing.
	bad := assignmentBatch("sdg-2", "issues-2")
	bad.Results[1].Model.Task = "no-such-task"
	if err := w.WriteAssignments(ctx, &models.Run{RunID: "run-2", Command: "classify"}, bad); err == nil {
		t.Fatal("a batch with an unknown task was written")
	}
	check("after a failed write")

	// A cancelled write changes nothing either.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := w.WriteAssignments(cctx, &models.Run{RunID: "run-3", Command: "classify"}, assignmentBatch("sdg-3", "issues-3")); err == nil {
		t.Fatal("a cancelled write reported no error")
	}
	check("after a cancelled write")

	// Classifying the same recommendations again replaces their rows.
	if err := w.WriteAssignments(ctx, &models.Run{RunID: "run-4", Command: "classify"}, assignmentBatch("sdg-1", "issues-1")); err != nil {
		t.Fatal(err)
	}
	for i := range wantSDG {
		wantSDG[i] = strings.Replace(wantSDG[i], "run-1", "run-4", 1)
	}
	for i := range wantThemes {
		wantThemes[i] = strings.Replace(wantThemes[i], "run-1", "run-4", 1)
	}
	check("after classifying again")

	// The last batch of a classification is written with all of DuckDB's
	// threads (Alone): the same rows, and the setting untouched.
	last := assignmentBatch("sdg-1", "issues-1")
	last.Alone = true
	if err := w.WriteAssignments(ctx, &models.Run{RunID: "run-5", Command: "classify"}, last); err != nil {
		t.Fatal(err)
	}
	for i := range wantSDG {
		wantSDG[i] = strings.Replace(wantSDG[i], "run-4", "run-5", 1)
	}
	for i := range wantThemes {
		wantThemes[i] = strings.Replace(wantThemes[i], "run-4", "run-5", 1)
	}
	check("after writing alone")
}

// TestPendingTextsOf reads the pending recommendations of three models at
// once: each model gets what PendingTexts gives it alone (new texts, texts
// changed since it classified them, all of them with all), and models with
// the same recommendations pending share one slice.
func TestPendingTextsOf(t *testing.T) {
	ctx := context.Background()
	w := ingested(t, t.TempDir())
	ms := []Pending{{models.TaskUPRInfoIssues, "issues-1"}, {models.TaskUHRIThemes, "themes-1"}, {models.TaskSDG, "sdg-1"}}
	ids := func(ts []RecText) string {
		var s []string
		for _, r := range ts {
			s = append(s, r.RecID)
		}
		return strings.Join(s, " ")
	}
	check := func(when string, all bool, want ...string) [][]RecText {
		t.Helper()
		got, err := w.PendingTextsOf(ctx, ms, all)
		if err != nil {
			t.Fatal(err)
		}
		for k, m := range ms {
			alone, err := w.PendingTexts(ctx, m.Task, m.ModelID, all)
			if err != nil {
				t.Fatal(err)
			}
			if ids(got[k]) != want[k] {
				t.Errorf("%s: %s pending %q, want %q", when, m.ModelID, ids(got[k]), want[k])
			}
			if fmt.Sprint(got[k]) != fmt.Sprint(alone) {
				t.Errorf("%s: %s pending\n %v\nread alone\n %v", when, m.ModelID, got[k], alone)
			}
		}
		return got
	}
	first, err := w.PendingTextsOf(ctx, ms, false)
	if err != nil {
		t.Fatal(err)
	}
	recs := first[0]
	if len(recs) != 3 || recs[0].Text == "" || recs[0].TextSHA256 == "" || recs[0].Kind == "" {
		t.Fatalf("new warehouse: pending %+v, want the three recommendations with their texts", recs)
	}
	every := ids(recs)
	check("new warehouse", false, every, every, every)
	if &first[1][0] != &first[0][0] || &first[2][0] != &first[0][0] {
		t.Error("new warehouse: the models' identical pending recommendations are read into separate slices")
	}
	label := func(id, scheme, label string) []models.Assignment {
		return []models.Assignment{{Scheme: scheme, Label: label, Score: 0.9, Rank: 1, ModelID: id}}
	}
	// The issues model classifies the first two, the themes model the last.
	b := AssignmentBatch{Texts: recs[:2], Of: []int32{0, 1}, Results: []TaskResult{
		{Model: ModelInfo{ModelID: "issues-1", Task: models.TaskUPRInfoIssues}, Labels: [][]models.Assignment{
			label("issues-1", models.SchemeUPRInfoIssue, "Women's rights"), label("issues-1", models.SchemeUPRInfoIssue, "Migrants")}},
	}}
	if err := w.WriteAssignments(ctx, newRun("run-issues"), b); err != nil {
		t.Fatal(err)
	}
	b = AssignmentBatch{Texts: recs[2:], Of: []int32{0}, Results: []TaskResult{
		{Model: ModelInfo{ModelID: "themes-1", Task: models.TaskUHRIThemes}, Labels: [][]models.Assignment{label("themes-1", models.SchemeUHRITheme, "Migrants")}},
	}}
	if err := w.WriteAssignments(ctx, newRun("run-themes"), b); err != nil {
		t.Fatal(err)
	}
	r0, r1, r2 := recs[0].RecID, recs[1].RecID, recs[2].RecID
	check("after classifying some", false, r2, r0+" "+r1, every)
	check("with all", true, every, every, every)
	// A changed text is pending again for the models that classified it.
	if _, err := w.DB().Exec(`UPDATE recommendations SET text_sha256 = 'changed' WHERE rec_id = ?`, r0); err != nil {
		t.Fatal(err)
	}
	check("after a text changed", false, r0+" "+r2, r0+" "+r1, every)
}

// TestShrinkCache: the table blocks DuckDB cached while reading are dropped,
// and the warehouse's memory limit is the same afterwards.
func TestShrinkCache(t *testing.T) {
	defer func(s string) { cacheFloor = s }(cacheFloor)
	cacheFloor = "1MB" // the test's cache is smaller than the real floor
	ctx := context.Background()
	w, err := Open(ctx, t.TempDir(), MemoryLimit("700MB"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cached := func() int64 {
		t.Helper()
		var n int64
		if err := w.DB().QueryRow(`SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'BASE_TABLE'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	limit := func() string {
		t.Helper()
		var s string
		if err := w.DB().QueryRow(`SELECT current_setting('memory_limit')`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	// Texts of the size of recommendations, written to the file and read
	// back, as an ingest leaves them.
	for _, q := range []string{
		`CREATE TABLE texts AS SELECT i, repeat('The State should ensure access to education ' || i, 8) AS text FROM range(200000) t(i)`,
		`CHECKPOINT`,
	} {
		if _, err := w.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var n int64
	if err := w.DB().QueryRow(`SELECT sum(length(text)) FROM texts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	before, was := cached(), limit()
	if before < 10<<20 {
		t.Fatalf("%d bytes of table blocks cached after reading %d bytes of text: the test reads too little to tell", before, n)
	}
	if err := w.ShrinkCache(ctx); err != nil {
		t.Fatal(err)
	}
	if after := cached(); after > before/10 {
		t.Errorf("after ShrinkCache %d bytes of table blocks cached, %d before", after, before)
	}
	if got := limit(); got != was {
		t.Errorf("memory limit %s after ShrinkCache, %s before", got, was)
	}
}
