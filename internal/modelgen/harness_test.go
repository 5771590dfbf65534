package modelgen

import (
	"context"
	"encoding/gob"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/internal/modelgen/corpus"
	"github.com/nmirf/nmirf/internal/shared"
)

// scoreSet is what calibrating and scoring one held-out split needs, kept
// so that calibration choices can be compared without training again:
// the out-of-fold scores of the calibration rows of the training set, and
// the scores of the held-out texts.
type scoreSet struct {
	Labels   []string
	Base     []float64
	Floor    float64
	Cal      [][]float64 // [label][calibration row]
	CalGold  [][]string
	CalKinds []KindCalibration // Rows index Cal's rows
	Test     [][]float64       // [text][label]
	TestGold [][]string
	TestText []string
}

func makeScoreSet(ctx context.Context, train, test []corpus.Example, cals []KindCalibration) (*scoreSet, error) {
	var oof [][]float64
	p := sdgSetting
	p.MultiLabel.OutOfFold = func(s [][]float64) { oof = s }
	m, err := fit(ctx, "sdg", train, p, nil)
	if err != nil {
		return nil, err
	}
	ss := &scoreSet{Labels: m.Labels, Base: m.Threshold, Floor: m.Floor, Cal: make([][]float64, len(m.Labels))}
	var rows []int
	for k, kc := range cals {
		c := kc
		c.Rows = nil
		for _, i := range kc.Rows {
			c.Rows = append(c.Rows, len(rows))
			rows = append(rows, i)
		}
		cals[k] = c
	}
	ss.CalKinds = cals
	for l := range m.Labels {
		for _, i := range rows {
			ss.Cal[l] = append(ss.Cal[l], oof[l][i])
		}
	}
	for _, i := range rows {
		ss.CalGold = append(ss.CalGold, train[i].Labels)
	}
	for _, e := range test {
		ss.Test = append(ss.Test, m.Scores(m.Vectorizer().Vector(e.Text)))
		ss.TestGold = append(ss.TestGold, e.Labels)
		ss.TestText = append(ss.TestText, e.Text)
	}
	return ss, nil
}

// decide is MultiLabel.Predict on scores s with thresholds th and at most
// limit goals (0: any number).
func decide(labels []string, s, th []float64, floor float64, limit int) []string {
	m := &classify.MultiLabel{Labels: labels, Threshold: th, Floor: floor}
	if limit > 0 {
		m.KindMaxGroups = map[string]int{"k": limit}
	}
	var out []string
	for _, a := range m.PredictScores(s, classify.PredictOptions{Kind: "k"}).Labels {
		out = append(out, a.Label)
	}
	return out
}

func (ss *scoreSet) score(th []float64, limit int) (SDGScores, error) {
	pred := make([][]string, len(ss.Test))
	for i := range ss.Test {
		pred[i] = decide(ss.Labels, ss.Test[i], th, ss.Floor, limit)
	}
	return scoreSDG(ss.TestGold, pred)
}

// TestSDGCalibrationHarness compares ways of calibrating the SDG model by
// kind on held-out data: SwissText abstracts (general text) and OHCHR's
// China 2018 list (recommendations, 3-fold). Set NMIRF_SDG_HARNESS to a
// cache file; the first run trains (four models) and fills it.
func TestSDGCalibrationHarness(t *testing.T) {
	cache := os.Getenv("NMIRF_SDG_HARNESS")
	if cache == "" {
		t.Skip("set NMIRF_SDG_HARNESS to a cache file to compare calibrations")
	}
	ctx := context.Background()
	var sets []*scoreSet
	if f, err := os.Open(cache); err == nil {
		if err := gob.NewDecoder(f).Decode(&sets); err != nil {
			t.Fatal(err)
		}
		f.Close()
	} else {
		in := Inputs{Shared: shared.Path(t, "."), SDGFramework: filepath.Join(shared.Root(), "data", "sdg", "global-indicator-framework-2025.csv"), Taxonomy: testTaxonomy(t)}
		s, err := ReadSDGSets(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		train := without(s.Shippable, s.SwissText)
		ss, err := makeScoreSet(ctx, train, s.SwissText, calibrations(train, nil))
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, ss)
		folds, err := classify.KFold(len(s.OHCHR), SDGFolds, 2018)
		if err != nil {
			t.Fatal(err)
		}
		for f := range folds {
			var test, rest []corpus.Example
			for _, i := range folds[f] {
				test = append(test, s.OHCHR[i])
			}
			for _, i := range classify.Complement(len(s.OHCHR), folds[f]) {
				rest = append(rest, s.OHCHR[i])
			}
			train := append(slices.Clone(s.Shippable), rest...)
			ss, err := makeScoreSet(ctx, train, test, calibrations(train, rest))
			if err != nil {
				t.Fatal(err)
			}
			sets = append(sets, ss)
		}
		f, err := os.Create(cache)
		if err != nil {
			t.Fatal(err)
		}
		if err := gob.NewEncoder(f).Encode(sets); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	kindTh := func(ss *scoreSet, kind string, tweak func(*KindCalibration)) ([]float64, int) {
		for _, kc := range ss.CalKinds {
			if kc.Kind == kind {
				if tweak != nil {
					tweak(&kc)
				}
				return calibrate(ss.Labels, ss.Cal, ss.Base, ss.Floor, ss.CalGold, kc)
			}
		}
		return ss.Base, 0
	}
	variants := []struct {
		name  string
		tweak func(*KindCalibration)
	}{
		{"base thresholds", nil},
		{"shift only", func(kc *KindCalibration) { kc.PerGoal, kc.MaxGoals = false, 0 }},
		{"per goal", func(kc *KindCalibration) { kc.PerGoal, kc.MaxGoals = true, 0 }},
		{"as shipped (calibrations)", func(kc *KindCalibration) {}},
	}
	for _, v := range variants {
		sw := sets[0]
		th, limit := sw.Base, 0
		if v.tweak != nil {
			th, limit = kindTh(sw, classify.KindGeneral, v.tweak)
		}
		sc, err := sw.score(th, limit)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("general, %s: SwissText %s", v.name, sc)
		var gold, pred [][]string
		lastLimit := 0
		for _, ss := range sets[1:] {
			th, limit := ss.Base, 0
			if v.tweak != nil {
				th, limit = kindTh(ss, classify.KindRecommendation, v.tweak)
			}
			lastLimit = limit
			for i := range ss.Test {
				gold = append(gold, ss.TestGold[i])
				pred = append(pred, decide(ss.Labels, ss.Test[i], th, ss.Floor, limit))
			}
		}
		ch, err := scoreSDG(gold, pred)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("recommendation, %s (limit %d in the last fold): China 2018 %s", v.name, lastLimit, ch)
	}
}
