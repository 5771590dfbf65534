package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
)

// standaloneSample are the texts of cmd/nmirf's standalone fixture
// (testdata/standalone/mixed.jsonl): real recommendations, one in French,
// an empty one and noise.
var standaloneSample = []string{
	"Ratify the Optional Protocol to the Convention against Torture and establish a national preventive mechanism.",
	"Take measures to increase girls' enrolment in primary and secondary education, particularly in rural areas.",
	"",
	"Ratifier le Protocole facultatif se rapportant à la Convention contre la torture et mettre en place un mécanisme national de prévention.",
	"Abolish the death penalty and commute all death sentences to terms of imprisonment.",
	"xq zzv plorf wemba kk",
}

// jsonlInput is n rows cycling through standaloneSample, ids 1…n.
func jsonlInput(t *testing.T, n int) *extract.Input {
	t.Helper()
	var buf bytes.Buffer
	for i := range n {
		line, _ := json.Marshal(map[string]string{"id": fmt.Sprint(i + 1), "text": standaloneSample[i%len(standaloneSample)]})
		buf.Write(line)
		buf.WriteByte('\n')
	}
	in, err := extract.NewInput("texts.jsonl", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestClassifyFileKeepsOrderAcrossBatches classifies more rows than three
// batches hold (classified and written concurrently) and checks that row
// i's record is the one the same text gets alone, under id i.
func TestClassifyFileKeepsOrderAcrossBatches(t *testing.T) {
	mods := []*classify.Model{testIssuesModel(t)}
	o := StandaloneOptions{TopK: 1, Evidence: 3}
	ctx := context.Background()
	alone := make([]string, len(standaloneSample))
	for k := range standaloneSample {
		var out bytes.Buffer
		if err := ClassifyFile(ctx, jsonlInput(t, k+1), mods, o, &out); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		alone[k] = strings.TrimPrefix(lines[k], fmt.Sprintf(`{"id":"%d"`, k+1))
	}
	n := 3*batchSize + 17
	var out bytes.Buffer
	if err := ClassifyFile(ctx, jsonlInput(t, n), mods, o, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d records for %d rows", len(lines), n)
	}
	for i, l := range lines {
		if want := fmt.Sprintf(`{"id":"%d"`, i+1) + alone[i%len(alone)]; l != want {
			t.Fatalf("row %d:\n got %s\nwant %s", i+1, l, want)
		}
	}
	if !strings.Contains(out.String(), `"flags":["empty"]`) || !strings.Contains(out.String(), `"evidence":[`) {
		t.Errorf("the sample lacks empty texts or evidence:\n%s", lines[0]+"\n"+lines[2])
	}
}

// failingWriter fails once it has taken limit bytes.
type failingWriter struct {
	n, limit int
}

var errDiskFull = errors.New("no space left on device")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		return 0, errDiskFull
	}
	w.n += len(p)
	return len(p), nil
}

// TestClassifyFileStopsOnWriteError checks that a failed write ends the run
// with that error (not a hang, not a later batch's success).
func TestClassifyFileStopsOnWriteError(t *testing.T) {
	mods := []*classify.Model{testIssuesModel(t)}
	err := ClassifyFile(context.Background(), jsonlInput(t, 4*batchSize), mods, StandaloneOptions{Evidence: 5}, &failingWriter{limit: 10_000})
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("err = %v, want %v", err, errDiskFull)
	}
}

// TestClassifyFileCancelled checks that a cancelled run returns the
// context's error.
func TestClassifyFileCancelled(t *testing.T) {
	mods := []*classify.Model{testIssuesModel(t)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ClassifyFile(ctx, jsonlInput(t, 2*batchSize), mods, StandaloneOptions{}, &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
