package classify

import (
	"math"
	"slices"
	"testing"

	defaultmodels "github.com/nmirf/nmirf/data/models"
)

// eagerPredict is predict with every label's score computed (TopK asks
// for the labels under threshold too), Next dropped.
func eagerPredict(m *MultiLabel, x Vector, opt PredictOptions) Prediction {
	opt.TopK = len(m.Labels)
	p := m.Predict(x, opt)
	p.Next = nil
	return p
}

func samePrediction(a, b Prediction) bool {
	return a.Unclassified == b.Unclassified && slices.EqualFunc(a.Labels, b.Labels, func(x, y Assigned) bool {
		return x.Label == y.Label && math.Float64bits(x.Score) == math.Float64bits(y.Score) && slices.Equal(x.Evidence, y.Evidence)
	})
}

// TestLazyScoresSamePredictions checks that leaving out the sigmoid of
// the labels surely under their threshold (marginCuts) changes no label,
// score (to the last bit) or evidence term of the three default models on
// the golden sample, and that it does leave most of them out.
func TestLazyScoresSamePredictions(t *testing.T) {
	mods := loadDefaultModels(t)
	_, texts := goldenSample(t)
	opt := PredictOptions{Evidence: 5}
	for _, md := range mods {
		m := md.MultiLabel
		var b scoreBuf
		left, all, unclassified := 0, 0, 0
		for _, text := range texts {
			x := m.vz.Vector(text)
			want := eagerPredict(m, x, opt)
			if got := m.Predict(x, opt); !samePrediction(got, want) {
				t.Fatalf("%s: %q: lazy %+v, eager %+v", md.Task, text, got, want)
			}
			if want.Unclassified {
				unclassified++
			}
			if x.Len() > 0 {
				m.scoresLazy(x, &b, true, "")
				left += len(b.lazy)
				all += len(m.Labels)
			}
		}
		if share := float64(left) / float64(all); share < 0.5 {
			t.Errorf("%s: %.2f of the labels' sigmoids left out, want most", md.Task, share)
		}
		t.Logf("%s: %d of %d sigmoids left out; %d texts unclassified", md.Task, left, all, unclassified)
	}
}

// TestLazyScoresAtThreshold puts a label's threshold exactly on a text's
// score (assigned: scores reaching the threshold are) and one step above
// it (not assigned), both before the first prediction (the cuts are made
// for that threshold) and after it (the cuts were made for another).
func TestLazyScoresAtThreshold(t *testing.T) {
	fresh := func(task string) *MultiLabel { // a copy of its own: thresholds change below
		r, err := defaultmodels.Open(task)
		if err != nil {
			t.Fatal(err)
		}
		md, err := ReadModel(r, task)
		if err != nil {
			t.Fatal(err)
		}
		return md.MultiLabel
	}
	const text = "Ratify the Optional Protocol to the Convention against Torture and establish a national preventive mechanism; ensure that women have access to justice."
	for _, task := range defaultTasks {
		for _, after := range []bool{false, true} {
			for _, above := range []bool{false, true} {
				m := fresh(task)
				x := m.vz.Vector(text)
				s := m.Scores(x)
				// The lowest-scoring label is one whose sigmoid is left out.
				l := 0
				for k := range s {
					if s[k] < s[l] {
						l = k
					}
				}
				has := func(p Prediction) bool {
					return slices.ContainsFunc(p.Labels, func(a Assigned) bool { return a.Label == m.Labels[l] })
				}
				if after {
					if p := m.Predict(x, PredictOptions{}); has(p) {
						t.Fatalf("%s: label %s (score %g) assigned at threshold %g", task, m.Labels[l], s[l], m.Threshold[l])
					}
				}
				m.Threshold[l] = s[l]
				if above {
					m.Threshold[l] = math.Nextafter(s[l], 1)
				}
				p := m.Predict(x, PredictOptions{})
				if has(p) == above || !samePrediction(p, eagerPredict(m, x, PredictOptions{})) {
					t.Errorf("%s: threshold of %s at %g, its score %g (set after a prediction: %v): %+v",
						task, m.Labels[l], m.Threshold[l], s[l], after, p)
				}
			}
		}
	}
}
