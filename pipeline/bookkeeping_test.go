package pipeline

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// indicatorTestdata is the importer's folder of real indicator files: Open
// SDG repositories and Global Database exports side by side, as a
// statistics office's download folder holds them.
func indicatorTestdata() string {
	return filepath.Join(shared.Root(), "extract", "indicators", "testdata")
}

// copyTree copies a folder of fixtures so that a test can change them.
func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// csvValue reads a CSV file by its header and returns the named column of
// data row n (1-based, after the header).
func csvValue(t testing.TB, path, column string, n int) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range rows[0] {
		if strings.EqualFold(strings.TrimSpace(h), column) {
			return rows[n][i]
		}
	}
	t.Fatalf("%s has no %s column", path, column)
	return ""
}

func TestIndicatorsFoundBelowAParentFolder(t *testing.T) {
	dir := t.TempDir()
	parent := t.TempDir()
	// Nested one level deeper than a download folder, as ../shared/data is.
	copyTree(t, indicatorTestdata(), filepath.Join(parent, "indicators"))
	run, err := ImportIndicators(context.Background(), IndicatorOptions{Paths: []string{parent}, Warehouse: dir, Version: "test"})
	if err != nil && models.CodeOf(err) != models.ExitIncomplete {
		t.Fatal(err)
	}
	if run.Counts.Read == 0 {
		t.Fatal("no observation imported from the parent folder")
	}
	byDataset := map[string]int{}
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.DB().Query(`SELECT dataset, count(*) FROM indicator_observations GROUP BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var d string
		var n int
		rows.Scan(&d, &n)
		byDataset[d] = n
	}
	rows.Close()
	for _, d := range []string{"open-sdg-uk", "open-sdg-canada", "un-sdg-global-database"} {
		if byDataset[d] == 0 {
			t.Errorf("dataset %s: no observations (found: %v)", d, byDataset)
		}
	}
	// The value a reader asks for is the file's: Afghanistan's first Goal 1
	// figure in the Global Database slice.
	gdb := filepath.Join(indicatorTestdata(), "un-sdg-global-database", "Goal1-slice.csv")
	want, _ := strconv.ParseFloat(csvValue(t, gdb, "Value", 1), 64)
	var got float64
	if err := w.DB().QueryRow(`SELECT value FROM indicator_observations WHERE file = 'Goal1-slice.csv' AND row = 2`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Goal1-slice.csv row 2: value %v, want %v", got, want)
	}
}

func TestFolderWithoutIndicatorDataIsAnError(t *testing.T) {
	dir := t.TempDir()
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "README.txt"), []byte("downloads"), 0o644)
	// A code list exported beside the data is not data.
	os.WriteFile(filepath.Join(empty, "Goal1.CodeDescriptions.csv"), []byte("Dimension,Code,Description\nSex,F,Female\n"), 0o644)
	_, err := ImportIndicators(context.Background(), IndicatorOptions{Paths: []string{empty}, Warehouse: dir, Version: "test"})
	if models.CodeOf(err) != models.ExitBadInput || !strings.Contains(err.Error(), empty) || !strings.Contains(err.Error(), "no indicator data found") {
		t.Fatalf("err = %v (exit %d), want a bad-input error naming the folder", err, models.CodeOf(err))
	}
	if !strings.Contains(err.Error(), "CodeDescriptions.csv") {
		t.Errorf("the error does not say which file was left out and why: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, load.ParquetLink)); err == nil {
		t.Error("a snapshot was published for an import of nothing")
	}
}

func TestUnchangedIndicatorFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(t.TempDir(), "open-sdg-uk")
	copyTree(t, filepath.Join(indicatorTestdata(), "open-sdg-uk"), repo)
	imp := func() *models.Run {
		t.Helper()
		run, err := ImportIndicators(context.Background(), IndicatorOptions{Paths: []string{repo}, Warehouse: dir, Version: "test"})
		if err != nil && models.CodeOf(err) != models.ExitIncomplete {
			t.Fatal(err)
		}
		return run
	}
	first := imp()
	total := counts(t, dir, `SELECT count(*) FROM indicator_observations`)[0]
	if first.Counts.Read == 0 || total != first.Counts.Read {
		t.Fatalf("first import: read %d, stored %d", first.Counts.Read, total)
	}
	second := imp()
	if second.Counts.Read != 0 {
		t.Errorf("second import of unchanged files read %d observations, want 0", second.Counts.Read)
	}
	skipped := 0
	for _, in := range second.Inputs {
		if in.Skipped {
			skipped++
		}
	}
	if skipped != len(first.Inputs) || skipped == 0 {
		t.Errorf("second import skipped %d of %d files", skipped, len(first.Inputs))
	}
	if got := counts(t, dir, `SELECT count(*) FROM indicator_observations`)[0]; got != total {
		t.Errorf("after the second import: %d observations, want %d", got, total)
	}

	// A changed file is read again and replaces what it wrote.
	p := filepath.Join(repo, "data", "indicator_16-6-2.csv")
	b, _ := os.ReadFile(p)
	old := csvValue(t, p, "Value", 1)
	changed := strings.Replace(string(b), ","+old+"\n", ",12.5\n", 1)
	changed = strings.Replace(changed, ","+old+"\r\n", ",12.5\r\n", 1)
	if changed == string(b) {
		t.Fatalf("could not change the first value (%s) of %s", old, p)
	}
	os.WriteFile(p, []byte(changed), 0o644)
	third := imp()
	read := 0
	for _, in := range third.Inputs {
		if !in.Skipped {
			read++
			if in.Name != "indicator_16-6-2.csv" {
				t.Errorf("unchanged %s read again", in.Name)
			}
		}
	}
	if read != 1 {
		t.Errorf("third import read %d files, want the one changed", read)
	}
	var v float64
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.DB().QueryRow(`SELECT value FROM indicator_observations WHERE file = 'indicator_16-6-2.csv' ORDER BY row LIMIT 1`).Scan(&v); err != nil || v != 12.5 {
		t.Errorf("changed value reads %v (%v), want 12.5", v, err)
	}
	var n int
	w.DB().QueryRow(`SELECT count(*) FROM indicator_observations`).Scan(&n)
	if n != total {
		t.Errorf("after re-importing the changed file: %d observations, want %d (replaced, not added)", n, total)
	}
}

// upriWithBadRow writes the sample's UPR Info export with one row whose
// State under review is no country.
func uprWithBadRow(t testing.TB) string {
	t.Helper()
	var csv []byte
	for _, in := range sampleInputs(t) {
		if strings.HasSuffix(in.Name, ".csv") {
			csv = in.Data
		}
	}
	lines := strings.Split(string(csv), "\r")
	lines[5] = strings.Replace(lines[5], "United Kingdom", "Atlantis", 1)
	p := filepath.Join(t.TempDir(), "upr-info-gbr.csv")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\r")), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type runRow struct {
	status   string
	finished bool
}

func runRowOf(t testing.TB, dir, id string) runRow {
	t.Helper()
	w, err := load.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var r runRow
	if err := w.DB().QueryRow(`SELECT status, finished_at IS NOT NULL FROM runs WHERE run_id = ?`, id).Scan(&r.status, &r.finished); err != nil {
		t.Fatalf("runs row of %s: %v", id, err)
	}
	return r
}

// TestFailedPublishAndTheRowsItRejected makes the publication of a batch
// run fail after its ingest committed rows and rejected one: the run's row
// and manifest must say it failed and what the database holds, and the next
// run, which skips the unchanged file, must still report the rejected row.
func TestFailedPublishAndTheRowsItRejected(t *testing.T) {
	dir := t.TempDir()
	bad := uprWithBadRow(t)
	o := BatchOptions{Warehouse: dir, Version: "test", Ingest: IngestOptions{Paths: []string{bad}, Importers: formats.All()}}
	// A file where the snapshots folder should be: the export cannot start.
	if err := os.WriteFile(filepath.Join(dir, "snapshots"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	run, err := RunBatch(context.Background(), o)
	if err == nil || run == nil {
		t.Fatalf("run with a blocked publication: err %v", err)
	}
	stored := counts(t, dir, `SELECT count(*) FROM recommendations`)[0]
	if stored == 0 {
		t.Fatal("the ingest did not commit")
	}
	if r := runRowOf(t, dir, run.RunID); r.status != "failed" {
		t.Errorf("runs row of the run whose publication failed: status %q, want failed", r.status)
	}
	var manifest struct {
		Status string `json:"status"`
		Counts struct {
			Total int `json:"recommendations_total"`
		} `json:"counts"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "runs", run.RunID+".json"))
	if err != nil || json.Unmarshal(b, &manifest) != nil {
		t.Fatalf("manifest: %v", err)
	}
	if manifest.Status != "failed" || manifest.Counts.Total != stored {
		t.Errorf("manifest says %s with %d recommendations; the database holds %d", manifest.Status, manifest.Counts.Total, stored)
	}

	// The next run: the file is unchanged and skipped, the row it rejected
	// is reported again.
	os.Remove(filepath.Join(dir, "snapshots"))
	run2, err := RunBatch(context.Background(), o)
	var inc *models.IncompleteError
	if !errors.As(err, &inc) {
		t.Fatalf("next run: err %v, want the carried rejected row", err)
	}
	if len(inc.Rejected) != 1 || !strings.Contains(inc.Rejected[0].Msg, "Atlantis") || inc.Rejected[0].File != bad {
		t.Errorf("next run reports %v, want the Atlantis row of %s", inc.Rejected, bad)
	}
	if len(run2.Inputs) != 1 || !run2.Inputs[0].Skipped {
		t.Errorf("next run inputs %+v, want the file skipped as unchanged", run2.Inputs)
	}
	if r := runRowOf(t, dir, run2.RunID); r.status != "incomplete" || !r.finished {
		t.Errorf("next run's row: %+v", r)
	}
	// Reported once by a run that finished: not again.
	if _, err := RunBatch(context.Background(), o); err != nil {
		t.Errorf("third run: %v, want ok (the row was reported by the second)", err)
	}
}

// TestRunKilledLeavesARowThatSaysSo records a batch run as a killed one
// leaves it ("running", no process behind it): the next run marks it
// interrupted and reports the rows its ingest rejected.
func TestRunKilledLeavesARowThatSaysSo(t *testing.T) {
	dir := t.TempDir()
	bad := uprWithBadRow(t)
	ctx := context.Background()
	w, err := load.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	killed := &models.Run{RunID: models.NewRunID(time.Now().Add(-time.Minute)), Command: "run", Version: "test", StartedAt: time.Now().Add(-time.Minute), Status: StatusRunning}
	if err := w.RecordRun(ctx, killed); err != nil {
		t.Fatal(err)
	}
	// Its ingest committed; then the process was killed.
	plan, err := prepareIngest(IngestOptions{Paths: []string{bad}, Importers: formats.All()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingestInto(ctx, w, plan, IngestOptions{Importers: formats.All(), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	w.Close()

	run, err := RunBatch(ctx, BatchOptions{Warehouse: dir, Version: "test", Ingest: IngestOptions{Paths: []string{bad}, Importers: formats.All()}})
	var inc *models.IncompleteError
	if !errors.As(err, &inc) || len(inc.Rejected) != 1 || !strings.Contains(inc.Rejected[0].Msg, "Atlantis") {
		t.Fatalf("next run: err %v, want the killed run's rejected row", err)
	}
	if r := runRowOf(t, dir, killed.RunID); r.status != StatusInterrupted {
		t.Errorf("killed run's row: status %q, want %s", r.status, StatusInterrupted)
	}
	if !strings.Contains(strings.Join(run.Warnings, "\n"), killed.RunID) {
		t.Errorf("warnings do not name the killed run: %v", run.Warnings)
	}
}

// cancelAt cancels the run when a stage starts.
type cancelAt struct {
	stage  string
	cancel context.CancelFunc
}

func (c cancelAt) Start(stage string, _ int) {
	if strings.HasPrefix(stage, c.stage) {
		c.cancel()
	}
}
func (cancelAt) Step(int, string) {}
func (cancelAt) Done()            {}

// TestInterruptedRunSaysWhatWasKept cancels a batch run (as SIGTERM does)
// when clustering starts, after ingest and classify committed.
func TestInterruptedRunSaysWhatWasKept(t *testing.T) {
	dir := t.TempDir()
	o := batch(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o.Progress = cancelAt{"cluster", cancel}
	run, err := RunBatch(ctx, o)
	var ie *InterruptedError
	if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want an interruption", err)
	}
	msg := err.Error()
	stored := counts(t, dir, `SELECT count(*) FROM recommendations`)[0]
	for _, want := range []string{"during cluster", "Kept in the database: ingest, classify", strconv.Itoa(stored) + " recommendations", "Not done: cluster, indicators, reports, publish"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "as it was before") {
		t.Errorf("message claims nothing was kept:\n%s", msg)
	}
	if r := runRowOf(t, dir, run.RunID); r.status != StatusInterrupted || !r.finished {
		t.Errorf("runs row: %+v, want interrupted", r)
	}
	if _, err := os.Lstat(filepath.Join(dir, load.ParquetLink)); err == nil {
		t.Error("a snapshot was published by an interrupted run")
	}
	// The next run finishes the work.
	o.Progress = nil
	if _, err := RunBatch(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if n := counts(t, dir, `SELECT count(*) FROM clusters`)[0]; n == 0 {
		t.Error("the next run did not cluster")
	}
}

func TestExcludedIndicatorFilesAreLeftOut(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(indicatorTestdata(), "open-sdg-uk")
	run, err := ImportIndicators(context.Background(), IndicatorOptions{Paths: []string{repo}, Exclude: []string{"data/indicator_5-5-*.csv"}, Warehouse: dir, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if n := counts(t, dir, `SELECT count(*) FROM indicator_observations WHERE file = 'indicator_5-5-1.csv'`)[0]; n != 0 {
		t.Errorf("excluded file imported: %d observations", n)
	}
	if n := counts(t, dir, `SELECT count(DISTINCT file) FROM indicator_observations`)[0]; n == 0 {
		t.Error("the other files were not imported")
	}
	if !strings.Contains(strings.Join(run.Warnings, "\n"), `indicator_5-5-1.csv: left out: matches exclude pattern "data/indicator_5-5-*.csv"`) {
		t.Errorf("no note of the excluded file: %v", run.Warnings)
	}
}

// TestRunKilledDuringPublishIsNotFinished leaves a run's row as a kill -9
// between its final row and the switch of the snapshot leaves it: "ok",
// but the snapshot never became its own. The next run marks it interrupted.
func TestRunKilledDuringPublishIsNotFinished(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	o := BatchOptions{Warehouse: dir, Version: "test", Ingest: IngestOptions{Inputs: sampleInputs(t), Importers: formats.All()}}
	first, err := RunBatch(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	w, err := load.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second) // run ids sort by their second
	killed := &models.Run{RunID: models.NewRunID(later), Command: "run", Version: "test", StartedAt: later, FinishedAt: later, Status: "ok"}
	if err := w.RecordRun(ctx, killed); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if r := runRowOf(t, dir, first.RunID); r.status != "ok" {
		t.Fatalf("first run: %+v", r)
	}
	if _, err := RunBatch(ctx, o); err != nil {
		t.Fatal(err)
	}
	if r := runRowOf(t, dir, killed.RunID); r.status != StatusInterrupted {
		t.Errorf("run killed during publish: status %q, want %s", r.status, StatusInterrupted)
	}
	if r := runRowOf(t, dir, first.RunID); r.status != "ok" {
		t.Errorf("the published run's row changed to %q", r.status)
	}
}
