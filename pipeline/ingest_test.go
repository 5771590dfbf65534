package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

func sampleInputs(t testing.TB) []*extract.Input {
	t.Helper()
	files, err := data.Sample()
	if err != nil {
		t.Fatal(err)
	}
	return inputsOf(t, files)
}

func inputsOf(t testing.TB, files []data.SampleFile) []*extract.Input {
	t.Helper()
	var ins []*extract.Input
	for _, f := range files {
		in, err := extract.NewInput(f.Name, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	return ins
}

func ingest(t testing.TB, dir string, o IngestOptions) (*models.Run, error) {
	t.Helper()
	o.Warehouse = dir
	o.Importers = formats.All()
	o.Version = "test"
	return Ingest(context.Background(), o)
}

// state summarises everything a warehouse holds, to compare before and after.
func state(t testing.TB, dir string) string {
	t.Helper()
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var parts []string
	for _, q := range []string{
		`SELECT count(*) || ':' || coalesce(string_agg(rec_id || text_sha256 || n_sources || last_run_id, ',' ORDER BY rec_id), '') FROM recommendations`,
		`SELECT count(*) || ':' || coalesce(string_agg(rec_id || locator || file_sha256, ',' ORDER BY rec_id, locator, file_sha256), '') FROM recommendation_sources`,
		`SELECT count(*) || ':' || coalesce(string_agg(rec_id || scheme || label, ',' ORDER BY rec_id, scheme, label, source), '') FROM source_labels`,
		`SELECT count(*) FROM runs`, `SELECT count(*) FROM input_files`, `SELECT count(*) FROM ingest_errors`,
	} {
		var s string
		if err := w.DB().QueryRow(q).Scan(&s); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, s)
	}
	link, _ := os.Readlink(filepath.Join(dir, load.ParquetLink))
	return strings.Join(append(parts, link), "|")
}

func TestIngestSampleTwiceAddsNothing(t *testing.T) {
	dir := t.TempDir()
	run, err := ingest(t, dir, IngestOptions{Inputs: sampleInputs(t)})
	if err != nil {
		t.Fatal(err)
	}
	if run.Counts.New == 0 || run.Counts.Total != run.Counts.New {
		t.Fatalf("first ingest counts %+v", run.Counts)
	}
	// Sources overlap: the Working Group reports repeat UPR Info rows.
	if run.Counts.Distinct >= run.Counts.Read {
		t.Errorf("no record merged across sources: read %d, distinct %d", run.Counts.Read, run.Counts.Distinct)
	}
	before := state(t, dir)

	again, err := ingest(t, dir, IngestOptions{Inputs: sampleInputs(t)})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range again.Inputs {
		if !in.Skipped {
			t.Errorf("%s re-read although unchanged", in.Name)
		}
	}
	if again.Counts.New != 0 {
		t.Errorf("reimport added %d", again.Counts.New)
	}
	forced, err := ingest(t, dir, IngestOptions{Inputs: sampleInputs(t), Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if forced.Counts.New != 0 || forced.Counts.Merged != 0 || forced.Counts.Unchanged != run.Counts.Distinct {
		t.Errorf("forced reimport counts %+v, want all %d unchanged", forced.Counts, run.Counts.Distinct)
	}
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var files, firstKept, lastMoved int
	w.DB().QueryRow(`SELECT count(*), count(*) FILTER (first_run_id = ?), count(*) FILTER (last_run_id = ?) FROM input_files`,
		run.RunID, forced.RunID).Scan(&files, &firstKept, &lastMoved)
	w.Close()
	if files != 3 || firstKept != 3 || lastMoved != 3 {
		t.Errorf("input_files: %d rows, %d first imported by the first run, %d last seen by the forced run; want 3, 3, 3", files, firstKept, lastMoved)
	}
	after := state(t, dir)
	// Only the runs and input bookkeeping may differ.
	if strings.Split(before, "|")[0] != strings.Split(after, "|")[0] {
		t.Errorf("recommendations changed on reimport")
	}
}

func TestBadInputLeavesWarehouseUnchanged(t *testing.T) {
	dir := t.TempDir()
	if _, err := ingest(t, dir, IngestOptions{Inputs: sampleInputs(t)}); err != nil {
		t.Fatal(err)
	}
	good := sampleInputs(t)
	goodCSV := ""
	for _, in := range good {
		if strings.HasSuffix(in.Name, ".csv") {
			p := filepath.Join(t.TempDir(), "good.csv")
			os.WriteFile(p, in.Data, 0o644)
			goodCSV = p
		}
	}
	csv, _ := os.ReadFile(goodCSV)
	bad := map[string][]byte{
		"empty.csv":        {},
		"page.csv":         []byte("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n"),
		"random.bin":       []byte("\x00\x01\x02\xff\xfe\x00garbage\x00\x00\x13\x37" + strings.Repeat("\x00\x9c", 200)),
		"truncated.xlsx":   []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"),
		"truncated.csv":    csv[:len(csv)/2],
		"nocolumns.csv":    []byte("Country,Recommendation\rSpain,Ratify OP-CAT\r"),
		"notes.txt":        []byte("Meeting notes: nothing to import here.\n"),
		"unreadable.docx":  append([]byte("PK\x03\x04"), make([]byte, 300)...),
		"fake-report.html": []byte("<html><body><p>104.1 Ratify OP-CAT (Spain);</p></body></html>"),
	}
	for name, b := range bad {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			before := state(t, dir)
			// A bad file fails the whole batch, the good file beside it included.
			_, err := ingest(t, dir, IngestOptions{Paths: []string{goodCSV, p}, Force: true})
			if err == nil {
				if name == "truncated.csv" {
					return // cut at a row boundary: a valid shorter export
				}
				t.Fatalf("%s: no error", name)
			}
			code := models.CodeOf(err)
			if code != models.ExitBadInput && code != models.ExitIncomplete {
				t.Fatalf("%s: exit code %d (%v), want %d", name, code, err, models.ExitBadInput)
			}
			if !strings.Contains(err.Error(), name) && code == models.ExitBadInput {
				t.Errorf("error does not name the file: %v", err)
			}
			if code == models.ExitBadInput && state(t, dir) != before {
				t.Errorf("%s changed the warehouse", name)
			}
		})
	}
}

func TestLockedWarehouseExitsAtOnce(t *testing.T) {
	dir := t.TempDir()
	l, err := AcquireLock(dir, false, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = ingest(t, dir, IngestOptions{Inputs: sampleInputs(t)})
	if models.CodeOf(err) != models.ExitLocked {
		t.Fatalf("err = %v, want exit code %d", err, models.ExitLocked)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("locked ingest waited %v", time.Since(start))
	}
	done := make(chan error, 1)
	go func() {
		_, err := ingest(t, dir, IngestOptions{Inputs: sampleInputs(t), Wait: true})
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	l.Release()
	if err := <-done; err != nil {
		t.Fatalf("waiting ingest: %v", err)
	}
}

func TestRejectedRowsMakeTheBatchIncomplete(t *testing.T) {
	dir := t.TempDir()
	var csv []byte
	for _, in := range sampleInputs(t) {
		if strings.HasSuffix(in.Name, ".csv") {
			csv = in.Data
		}
	}
	// Replace the State under review of one real row by a name that is no country.
	lines := strings.Split(string(csv), "\r")
	lines[5] = strings.Replace(lines[5], "United Kingdom", "Atlantis", 1)
	p := filepath.Join(t.TempDir(), "upr-info-gbr.csv")
	os.WriteFile(p, []byte(strings.Join(lines, "\r")), 0o644)
	run, err := ingest(t, dir, IngestOptions{Paths: []string{p}})
	var inc *models.IncompleteError
	if !errors.As(err, &inc) || models.CodeOf(err) != models.ExitIncomplete {
		t.Fatalf("err = %v, want incomplete", err)
	}
	if len(inc.Rejected) != 1 || !strings.Contains(inc.Rejected[0].Error(), "Atlantis") || inc.Rejected[0].Row == 0 {
		t.Fatalf("rejected = %v, want one row naming Atlantis", inc.Rejected)
	}
	if run.Counts.Read != len(lines)-3 { // header, the bad row, the empty piece after the last CR
		t.Errorf("imported %d rows, want %d", run.Counts.Read, len(lines)-3)
	}
	w, _ := load.OpenReadOnly(context.Background(), dir)
	defer w.Close()
	var n int
	w.DB().QueryRow(`SELECT count(*) FROM ingest_errors WHERE message LIKE '%Atlantis%'`).Scan(&n)
	if n != 1 {
		t.Errorf("ingest_errors rows naming the bad row: %d", n)
	}
}

// sniffCounter is a real importer that counts how often its format is
// guessed.
type sniffCounter struct {
	extract.Importer
	n *atomic.Int64
}

func (s sniffCounter) Sniff(in *extract.Input) int {
	s.n.Add(1)
	return s.Importer.Sniff(in)
}

// A file imported before, unchanged, is recognised by its hash without its
// format being guessed again (guessing decodes the whole text), and is
// recorded under the format it was imported with; a changed file is
// guessed as before.
func TestUnchangedFileIsNotSniffedAgain(t *testing.T) {
	dir := t.TempDir()
	var sniffs atomic.Int64
	var imps []extract.Importer
	for _, imp := range formats.All() {
		imps = append(imps, sniffCounter{imp, &sniffs})
	}
	run := func(ins []*extract.Input) *models.Run {
		t.Helper()
		r, err := Ingest(context.Background(), IngestOptions{Warehouse: dir, Inputs: ins, Importers: imps, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := run(sampleInputs(t))
	if sniffs.Load() == 0 {
		t.Fatal("the first import guessed no format")
	}
	formatOf := map[string]string{}
	for _, in := range first.Inputs {
		formatOf[in.Name] = in.Format
	}
	sniffs.Store(0)
	again := run(sampleInputs(t))
	if n := sniffs.Load(); n != 0 {
		t.Errorf("unchanged files: %d format guesses, want none", n)
	}
	for _, in := range again.Inputs {
		if !in.Skipped || in.Format != formatOf[in.Name] || in.Format == "" {
			t.Errorf("%s: skipped %v, format %q; first imported as %q", in.Name, in.Skipped, in.Format, formatOf[in.Name])
		}
	}
	// One file changed by a line: it alone is guessed, and read again.
	ins := sampleInputs(t)
	var changed *extract.Input
	for i, in := range ins {
		if strings.HasSuffix(in.Name, ".csv") {
			data := append(append([]byte{}, in.Data...), '\n')
			c, err := extract.NewInput(in.Name, data)
			if err != nil {
				t.Fatal(err)
			}
			ins[i], changed = c, c
			break
		}
	}
	if changed == nil {
		t.Fatal("the sample has no CSV file to change")
	}
	sniffs.Store(0)
	third := run(ins)
	if n := sniffs.Load(); n != int64(len(imps)) {
		t.Errorf("one changed file: %d format guesses, want one per importer (%d)", n, len(imps))
	}
	for _, in := range third.Inputs {
		if in.Skipped == (in.Name == changed.Name) || in.Format != formatOf[in.Name] {
			t.Errorf("%s: skipped %v, format %q; first imported as %q", in.Name, in.Skipped, in.Format, formatOf[in.Name])
		}
	}
}
