package classify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/shared"
)

// uprDoc is one labelled UPR Info recommendation.
type uprDoc struct {
	Text    string
	Issues  []string
	Session int
	Country string // the State under review (column To)
}

var (
	uprLabOnce sync.Once
	uprLab     []uprDoc
	uprLabErr  error
)

// uprLabelled reads the four UPR Info exports (sessions 1–16) with their
// issues. Issue is split at commas: none of the 54 issue names in use
// contains one (checked by TestUPRIssues).
func uprLabelled(t testing.TB) []uprDoc {
	t.Helper()
	dir := shared.Path(t, "upr-info")
	uprLabOnce.Do(func() {
		files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		slices.Sort(files)
		for _, f := range files {
			in, err := extract.ReadInput(f)
			if err != nil {
				uprLabErr = err
				return
			}
			tab, _, err := extract.ReadCSV(in)
			if err != nil {
				uprLabErr = fmt.Errorf("read %s: %w", f, err)
				return
			}
			text, issue, session, to := tab.Col("Text"), tab.Col("Issue"), tab.Col("Session"), tab.Col("To")
			for _, r := range tab.Rows {
				s, err := strconv.Atoi(strings.TrimSpace(r.Get(session)))
				if err != nil {
					uprLabErr = fmt.Errorf("read %s line %d: session %q: %w", f, r.Line, r.Get(session), err)
					return
				}
				var issues []string
				for _, is := range strings.Split(r.Get(issue), ",") {
					if is = strings.TrimSpace(is); is != "" {
						issues = append(issues, is)
					}
				}
				uprLab = append(uprLab, uprDoc{Text: r.Get(text), Issues: issues, Session: s, Country: r.Get(to)})
			}
		}
	})
	if uprLabErr != nil {
		t.Fatal(uprLabErr)
	}
	return uprLab
}

func TestUPRIssues(t *testing.T) {
	docs := uprLabelled(t)
	if len(docs) != 30261 {
		t.Fatalf("read %d recommendations, want 30261", len(docs))
	}
	count := map[string]int{}
	for _, d := range docs {
		if len(d.Issues) == 0 {
			t.Fatalf("recommendation with no issue: %q", d.Text)
		}
		for _, is := range d.Issues {
			count[is]++
		}
	}
	// 54 issues in use: the 56-entry HURIDOCS list less "Business and human
	// rights", "Privacy", "Statelessness…" and "nan", with three named
	// differently in the export (NHRI, National plan of action, Right to water).
	if len(count) != 54 {
		t.Errorf("%d distinct issues, want 54", len(count))
	}
	for is, want := range map[string]int{"International instruments": 6244, "Women's rights": 5313, "NHRI": 1066,
		"Freedom of movement": 74, "Freedom of association and peaceful assembly": 505} {
		if count[is] != want {
			t.Errorf("issue %q on %d recommendations, want %d", is, count[is], want)
		}
	}
}

// splitUPR returns the texts and issues of docs for which keep is true.
func splitUPR(docs []uprDoc, keep func(uprDoc) bool) ([]string, [][]string) {
	var texts []string
	var ys [][]string
	for _, d := range docs {
		if keep(d) {
			texts = append(texts, d.Text)
			ys = append(ys, d.Issues)
		}
	}
	return texts, ys
}

// uprVectorizer is the TF-IDF setup chosen by cross-validation on sessions
// 1–12 (see TestTuneUPR): stemmed unigrams and bigrams, min_df 2.
var uprVectorizer = Options{Pruning: Pruning{MinDF: 2}}

// uprModel is the classifier setup chosen the same way.
var uprModel = MultiLabelOptions{Linear: LinearOptions{C: 1}}

// evalSplit trains on train, predicts test, and scores the predictions.
func evalSplit(t testing.TB, trainX []string, trainY [][]string, testX []string, testY [][]string,
	vo Options, mo MultiLabelOptions) (Metrics, *MultiLabel) {
	t.Helper()
	ctx := context.Background()
	vz, err := Fit(ctx, trainX, vo)
	if err != nil {
		t.Fatal(err)
	}
	X, err := vz.Transform(ctx, trainX)
	if err != nil {
		t.Fatal(err)
	}
	m, err := TrainMultiLabel(ctx, vz, X, trainY, mo)
	if err != nil {
		t.Fatal(err)
	}
	T, err := vz.Transform(ctx, testX)
	if err != nil {
		t.Fatal(err)
	}
	preds, err := m.PredictMatrix(ctx, T, PredictOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return score(t, m, testY, preds), m
}

// score evaluates predictions against gold issue names; gold labels the
// model never saw count as misses.
func score(t testing.TB, m *MultiLabel, gold [][]string, preds []Prediction) Metrics {
	t.Helper()
	labels := slices.Clone(m.Labels)
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	var g, p [][]int
	for i := range gold {
		var gi, pi []int
		for _, l := range gold[i] {
			k, ok := index[l]
			if !ok {
				k = len(labels)
				index[l] = k
				labels = append(labels, l)
			}
			gi = append(gi, k)
		}
		for _, a := range preds[i].Labels {
			pi = append(pi, index[a.Label])
		}
		g, p = append(g, gi), append(p, pi)
	}
	met, err := Evaluate(labels, g, p)
	if err != nil {
		t.Fatal(err)
	}
	return met
}

// TestUPRQuality trains the chosen setup on sessions 1–12 and scores
// sessions 13–16, then holds out a fifth of the countries under review
// instead (all sessions). Floors are a little under what was measured:
// 0.896 / 0.843 by session and 0.894 / 0.851 by country (3 calibration folds) (scikit-learn's
// TfidfVectorizer + LinearSVC: 0.872 / 0.790 on the session split, see
// testdata/sklearn_baseline.py).
func TestUPRQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 22,000 texts")
	}
	docs := uprLabelled(t)
	countries := make([]string, len(docs))
	for i, d := range docs {
		countries[i] = d.Country
	}
	folds, err := GroupKFold(countries, 5)
	if err != nil {
		t.Fatal(err)
	}
	heldOut := map[int]bool{}
	for _, i := range folds[0] {
		heldOut[i] = true
	}
	tests := []struct {
		name           string
		test           func(i int, d uprDoc) bool
		microF, macroF float64
	}{
		{"sessions 1–12 → 13–16", func(_ int, d uprDoc) bool { return d.Session > 12 }, 0.88, 0.82},
		{"countries, fold 1 of 5 held out", func(i int, _ uprDoc) bool { return heldOut[i] }, 0.88, 0.83},
	}
	for _, tc := range tests {
		var trX, teX []string
		var trY, teY [][]string
		for i, d := range docs {
			if tc.test(i, d) {
				teX, teY = append(teX, d.Text), append(teY, d.Issues)
			} else {
				trX, trY = append(trX, d.Text), append(trY, d.Issues)
			}
		}
		start := time.Now()
		met, m := evalSplit(t, trX, trY, teX, teY, uprVectorizer, uprModel)
		t.Logf("%s: %d train, %d test, %d labels, %v: micro P %.4f R %.4f F1 %.4f, macro F1 %.4f, subset accuracy %.4f",
			tc.name, len(trX), len(teX), len(m.Labels), time.Since(start).Round(time.Second),
			met.MicroP, met.MicroR, met.MicroF, met.MacroF, met.SubsetAccuracy)
		if met.MicroF < tc.microF || met.MacroF < tc.macroF {
			t.Errorf("%s: micro F1 %.4f, macro F1 %.4f, want ≥ %.2f and ≥ %.2f", tc.name, met.MicroF, met.MacroF, tc.microF, tc.macroF)
		}
		if os.Getenv("NMIRF_VERBOSE") != "" {
			for _, r := range met.PerLabel {
				t.Logf("  %-45s %5d P %.3f R %.3f F1 %.3f", r.Label, r.Support, r.P, r.R, r.F1)
			}
		}
	}
}

// TestTuneUPR picks the setup by validation inside the training sessions
// only: fit on sessions 1–9, score on 10–12. Sessions 13–16 stay unseen.
// Run with NMIRF_TUNE='0,1,2,2,0.1;1,3,2,2,0.1' (one model per setting, see
// the spec format below).
func TestTuneUPR(t *testing.T) {
	if os.Getenv("NMIRF_TUNE") == "" {
		t.Skip("set NMIRF_TUNE=1 to run the hyper-parameter search")
	}
	docs := uprLabelled(t)
	trX, trY := splitUPR(docs, func(d uprDoc) bool { return d.Session <= 9 })
	vaX, vaY := splitUPR(docs, func(d uprDoc) bool { return d.Session >= 10 && d.Session <= 12 })
	type setting struct {
		name string
		vo   Options
		mo   MultiLabelOptions
	}
	var grid []setting
	for _, spec := range strings.Split(os.Getenv("NMIRF_TUNE"), ";") {
		// spec: loss (0 squared hinge, 1 logistic), C, n-gram, min_df, floor
		var loss, ngram, minDF int
		var c, floor float64
		if _, err := fmt.Sscanf(spec, "%d,%g,%d,%d,%g", &loss, &c, &ngram, &minDF, &floor); err != nil {
			t.Fatalf("tune spec %q: %v", spec, err)
		}
		grid = append(grid, setting{spec,
			Options{Tokenizer: TokenizerOptions{NGram: ngram}, Pruning: Pruning{MinDF: minDF}},
			MultiLabelOptions{Linear: LinearOptions{Loss: Loss(loss), C: c}, Floor: floor}})
	}
	for _, s := range grid {
		start := time.Now()
		met, _ := evalSplit(t, trX, trY, vaX, vaY, s.vo, s.mo)
		t.Logf("%-24s micro F1 %.4f (P %.4f R %.4f) macro F1 %.4f subset %.4f  %v", s.name, met.MicroF, met.MicroP, met.MicroR, met.MacroF, met.SubsetAccuracy, time.Since(start).Round(time.Second))
	}
}
