package load

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/models"
)

// Texts, states and labels below are real rows of the UPR Info export
// (upr-info/1-5.csv, United Kingdom, session 1) and the matching paragraph of
// the Working Group report A/HRC/8/25.
func ukRecs(file, format string) []models.Recommendation {
	mk := func(text, from, issue, loc string) models.Recommendation {
		r := models.Recommendation{
			Kind: models.KindRecommendation, Text: text, CountryISO3: "GBR", CountryName: "United Kingdom",
			Mechanism: models.MechanismUPR, Body: "UPR", Session: 1, Cycle: 1, Response: models.ResponseSupported,
			ResponseRaw: "Accepted", RecommendingStates: []string{from}, Date: "2008-05-23",
			Sources: []models.Source{{Format: format, File: file, FileSHA256: "sha-" + file, Locator: loc, RawText: text}},
			Labels:  []models.Label{{Scheme: models.SchemeUPRInfoIssue, Value: issue, Source: format}},
		}
		r.RecID = models.RecID(&r)
		return r
	}
	return []models.Recommendation{
		mk("Consider ratifying the Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families.", "EGY", "Migrants", "row 2"),
		mk("Consider the establishment of a national human rights institution in England.", "JPN", "National Human Rights Institution", "row 3"),
		mk("Withdraw its reservations to the Convention on the Rights of the Child.", "MEX", "Rights of the Child", "row 4"),
	}
}

func count(t *testing.T, w *Warehouse, q string) int {
	t.Helper()
	var n int
	if err := w.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func newRun(id string) *models.Run {
	return &models.Run{RunID: id, Command: "ingest", Version: "test", StartedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func TestIngestIsIdempotentAndMergesSources(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	run1 := newRun("r1")
	if err := w.Ingest(ctx, Batch{Run: run1, Records: ukRecs("1-5.csv", "upr-info-csv")}); err != nil {
		t.Fatal(err)
	}
	if run1.Counts.New != 3 || run1.Counts.Total != 3 {
		t.Fatalf("first ingest counts = %+v, want 3 new, 3 total", run1.Counts)
	}
	run2 := newRun("r2")
	if err := w.Ingest(ctx, Batch{Run: run2, Records: ukRecs("1-5.csv", "upr-info-csv")}); err != nil {
		t.Fatal(err)
	}
	if run2.Counts.New != 0 || run2.Counts.Unchanged != 3 || run2.Counts.Total != 3 {
		t.Fatalf("reimport counts = %+v, want 0 new, 3 unchanged", run2.Counts)
	}
	// The same recommendations from another source: one row each, two sources.
	other := ukRecs("unitedkingdom2008.txt", "upr-wg-report")
	other[0].Paragraph = "56.1"
	run3 := newRun("r3")
	if err := w.Ingest(ctx, Batch{Run: run3, Records: other}); err != nil {
		t.Fatal(err)
	}
	if run3.Counts.New != 0 || run3.Counts.Merged != 3 {
		t.Fatalf("second source counts = %+v, want 3 merged", run3.Counts)
	}
	if n := count(t, w, `SELECT count(*) FROM recommendations`); n != 3 {
		t.Errorf("recommendations = %d, want 3", n)
	}
	if n := count(t, w, `SELECT count(*) FROM recommendation_sources`); n != 6 {
		t.Errorf("sources = %d, want 6", n)
	}
	if n := count(t, w, `SELECT count(*) FROM source_labels`); n != 6 {
		t.Errorf("labels = %d, want 6 (same label from two sources kept by source)", n)
	}
	if n := count(t, w, `SELECT count(*) FROM recommendations WHERE paragraph = '56.1' AND n_sources = 2 AND first_run_id = 'r1' AND last_run_id = 'r3'`); n != 1 {
		t.Errorf("merged row did not gain the paragraph and keep its first run")
	}
	if n := count(t, w, `SELECT count(*) FROM runs`); n != 3 {
		t.Errorf("runs = %d, want 3", n)
	}
	if n := count(t, w, `SELECT count(*) FROM recommendations WHERE recommending_states = ['EGY'] AND date = DATE '2008-05-23'`); n != 1 {
		t.Errorf("list and date columns not stored as typed values")
	}
}

// cancelAfter is a context that reports cancellation after n calls to Err,
// to interrupt an ingest part-way through its transaction.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	c.n--
	if c.n < 0 {
		return context.Canceled
	}
	return nil
}

func TestInterruptedIngestChangesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Ingest(ctx, Batch{Run: newRun("r1"), Records: ukRecs("1-5.csv", "upr-info-csv")[:1]}); err != nil {
		t.Fatal(err)
	}
	failures := 0
	for n := 0; n < 400; n++ {
		err := w.Ingest(&cancelAfter{Context: ctx, n: n}, Batch{Run: newRun("r2"), Records: ukRecs("x.txt", "upr-wg-report")})
		if err == nil {
			break
		}
		failures++
		if got := count(t, w, `SELECT count(*) FROM recommendations`); got != 1 {
			t.Fatalf("after interruption %d: %d recommendations, want 1", n, got)
		}
		if got := count(t, w, `SELECT count(*) FROM recommendation_sources`); got != 1 {
			t.Fatalf("after interruption %d: %d sources, want 1", n, got)
		}
		if got := count(t, w, `SELECT count(*) FROM runs`); got != 1 {
			t.Fatalf("after interruption %d: %d runs, want 1", n, got)
		}
	}
	if failures < 3 {
		t.Fatalf("only %d interruption points exercised", failures)
	}
	w.Close()
	// The file reopens cleanly.
	w, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if got := count(t, w, `SELECT count(*) FROM recommendations`); got != 3 {
		t.Fatalf("after the final uninterrupted ingest: %d recommendations, want 3", got)
	}
}

func TestParquetSnapshotReadsBackInDuckDB(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Ingest(ctx, Batch{Run: newRun("20260101T000000Z-aaaaaa"), Records: ukRecs("1-5.csv", "upr-info-csv")}); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"20260101T000000Z-aaaaaa", "20260102T000000Z-bbbbbb", "20260103T000000Z-cccccc"} {
		if err := w.ExportParquet(ctx, id); err != nil {
			t.Fatalf("export %d: %v", i, err)
		}
	}
	glob := filepath.Join(dir, ParquetLink, "recommendations", "*", "*.parquet")
	var n int
	var states string
	if err := w.DB().QueryRow(`SELECT count(*), max(array_to_string(recommending_states, ',')) FROM read_parquet(?) WHERE upr_session = 1 AND date = DATE '2008-05-23'`, glob).Scan(&n, &states); err != nil {
		t.Fatal(err)
	}
	if n != 3 || states != "MEX" {
		t.Fatalf("parquet read back: %d rows, states %q; want 3, MEX", n, states)
	}
	for _, tbl := range exportTables {
		var pq, db int
		w.DB().QueryRow(`SELECT count(*) FROM read_parquet(?)`, filepath.Join(dir, ParquetLink, tbl.name, "**", "*.parquet")).Scan(&pq)
		w.DB().QueryRow(`SELECT count(*) FROM ` + tbl.name).Scan(&db)
		if pq != db {
			t.Errorf("%s: %d rows in Parquet, %d in DuckDB", tbl.name, pq, db)
		}
	}
	entries, _ := filepath.Glob(filepath.Join(dir, snapshotsDir, "*"))
	if len(entries) != keepSnapshots {
		t.Errorf("snapshots kept = %v, want %d", entries, keepSnapshots)
	}
}

// TestDatabaseHeldByAnotherProcessIsLocked: a second process writing the
// warehouse is refused with a "locked" error, while readers, who open the
// published copy, are not.
func TestDatabaseHeldByAnotherProcessIsLocked(t *testing.T) {
	if os.Getenv("NMIRF_HOLD_DB") != "" {
		// The child: hold the working database open until killed.
		w, err := Open(context.Background(), os.Getenv("NMIRF_HOLD_DB"))
		if err != nil {
			os.Exit(3)
		}
		defer w.Close()
		os.Stdout.WriteString("held\n")
		time.Sleep(time.Minute)
		return
	}
	dir := t.TempDir()
	w, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.PublishDB(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	child := exec.Command(os.Args[0], "-test.run", "^TestDatabaseHeldByAnotherProcessIsLocked$")
	child.Env = append(os.Environ(), "NMIRF_HOLD_DB="+dir)
	out, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { child.Process.Kill(); child.Wait() }()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(out, buf); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), dir)
	if models.CodeOf(err) != models.ExitLocked || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("second writer: err = %v, want a locked error", err)
	}
	r, err := OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatalf("a reader is refused while a process writes: %v", err)
	}
	defer r.Close()
	var n int
	if err := r.DB().QueryRow(`SELECT count(*) FROM recommendations`).Scan(&n); err != nil || n != 0 {
		t.Errorf("reader: %d recommendations, %v", n, err)
	}
}
