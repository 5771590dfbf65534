package classify

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	defaultmodels "github.com/nmirf/nmirf/data/models"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// defaultTasks are the embedded default models, in the order nmirf runs them.
var defaultTasks = []string{"upr-info-issues", "uhri-themes", "sdg"}

var (
	defaultOnce   sync.Once
	defaultModels []*Model
	defaultErr    error
)

// loadDefaultModels reads the three models shipped in the binary, once.
func loadDefaultModels(t testing.TB) []*Model {
	t.Helper()
	defaultOnce.Do(func() {
		for _, task := range defaultTasks {
			r, err := defaultmodels.Open(task)
			if err != nil {
				defaultErr = err
				return
			}
			m, err := ReadModel(r, task)
			if err != nil {
				defaultErr = fmt.Errorf("default model %s: %w", task, err)
				return
			}
			defaultModels = append(defaultModels, m)
		}
	})
	if defaultErr != nil {
		t.Fatal(defaultErr)
	}
	return defaultModels
}

// goldenSample is the fixed sample the golden predictions are made on:
// every fourth UPR Info row of testdata/upr-issues.tsv (302 texts over all
// sixteen sessions), the tokeniser cases of testdata/texts.tsv, and an
// empty text, each with an id.
func goldenSample(t testing.TB) (ids, texts []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "upr-issues.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	row := -1 // the header is row -1
	for sc.Scan() {
		if row >= 0 && row%4 == 0 {
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) != 4 {
				t.Fatalf("upr-issues.tsv data row %d: %d columns, expected 4", row+1, len(cols))
			}
			ids = append(ids, fmt.Sprintf("upr-issues-%04d", row+1))
			texts = append(texts, cols[3])
		}
		row++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range readCases(t) {
		ids = append(ids, c.id)
		texts = append(texts, c.text)
	}
	ids = append(ids, "empty")
	texts = append(texts, "")
	return ids, texts
}

type textCase struct{ id, text string }

func readCases(t testing.TB) []textCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "texts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []textCase
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("texts.tsv line %d: %d columns, expected 3", i+1, len(cols))
		}
		out = append(out, textCase{cols[0], cols[2]})
	}
	return out
}

// goldenOpts are the prediction options of the golden file: evidence as
// `nmirf classify` writes it by default, and the two next-best labels as
// --top 2 adds them.
var goldenOpts = PredictOptions{TopK: 2, Evidence: 5}

// formatPrediction writes what a reader of `nmirf classify` sees of one
// text and model: each label with its score to the printed precision (four
// decimals) and its evidence in readable form, then the next best ones.
func formatPrediction(sb *strings.Builder, id string, m *Model, p Prediction) {
	fmt.Fprintf(sb, "%s\t%s", id, m.Task)
	if p.Unclassified {
		sb.WriteString("\tunclassified")
	}
	for _, a := range p.Labels {
		fmt.Fprintf(sb, "\t%s=%.4f [%s]", a.Label, a.Score, strings.Join(m.Vectorizer().Readable(a.Evidence), "|"))
	}
	if len(p.Next) > 0 {
		sb.WriteString("\tnext:")
		for _, a := range p.Next {
			fmt.Fprintf(sb, " %s=%.4f", a.Label, a.Score)
		}
	}
	sb.WriteByte('\n')
}

// checkGolden compares got with testdata/name, or rewrites it with -update,
// and reports the first differing lines.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got == string(want) {
		return
	}
	g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	bad := 0
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("%s line %d:\n got  %s\n want %s", name, i+1, gl, wl)
			if bad++; bad == 10 {
				break
			}
		}
	}
	t.Errorf("%d lines, %s has %d; run go test -run %s -update after checking the change", len(g), name, len(w), t.Name())
}

// TestDefaultModelsGolden scores the fixed sample with the three embedded
// default models one text at a time, each model tokenising for itself (the
// plainest path), and compares every label, score and evidence term with
// testdata/default-models.golden. Any change to tokenising, vectorising or
// scoring that moves an output shows here.
func TestDefaultModelsGolden(t *testing.T) {
	got := perModelGolden(t)
	// The sample must exercise what the file is meant to guard.
	for _, want := range []string{"\tunclassified", "\tnext:", "|"} {
		if !strings.Contains(got, want) {
			t.Errorf("golden output has no %q: the sample no longer covers it", want)
		}
	}
	checkGolden(t, "default-models.golden", got)
}

// perModelGolden is the golden output made one text and one model at a time.
func perModelGolden(t *testing.T) string {
	mods := loadDefaultModels(t)
	ids, texts := goldenSample(t)
	var sb strings.Builder
	for i, text := range texts {
		for _, m := range mods {
			formatPrediction(&sb, ids[i], m, m.PredictText(text, goldenOpts))
		}
	}
	return sb.String()
}
