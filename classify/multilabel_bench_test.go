package classify

import (
	"context"
	"sync"
	"testing"
)

var (
	benchOnce  sync.Once
	benchModel *MultiLabel
	benchX     *Matrix
)

// uprTrained trains the chosen setup on all 30,261 UPR Info texts once.
func uprTrained(b *testing.B) (*MultiLabel, *Matrix) {
	docs := uprLabelled(b)
	benchOnce.Do(func() {
		texts, ys := splitUPR(docs, func(uprDoc) bool { return true })
		ctx := context.Background()
		vz, err := Fit(ctx, texts, uprVectorizer)
		if err != nil {
			b.Fatal(err)
		}
		if benchX, err = vz.Transform(ctx, texts); err != nil {
			b.Fatal(err)
		}
		if benchModel, err = TrainMultiLabel(ctx, vz, benchX, ys, uprModel); err != nil {
			b.Fatal(err)
		}
	})
	return benchModel, benchX
}

// BenchmarkTrainMultiLabel is the whole training on the 30k corpus: 54
// labels × (3 cross-validation folds, warm-started from the final fit), Platt and thresholds.
func BenchmarkTrainMultiLabel(b *testing.B) {
	docs := uprLabelled(b)
	texts, ys := splitUPR(docs, func(uprDoc) bool { return true })
	ctx := context.Background()
	vz, err := Fit(ctx, texts, uprVectorizer)
	if err != nil {
		b.Fatal(err)
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := TrainMultiLabel(ctx, vz, X, ys, uprModel); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/train")
}

// BenchmarkPredict is scoring throughput from TF-IDF rows to predictions
// with evidence, on all cores.
func BenchmarkPredict(b *testing.B) {
	m, X := uprTrained(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.PredictMatrix(context.Background(), X, PredictOptions{Evidence: 3}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(X.Rows())*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkPredictText includes tokenising and vectorising, on one core.
func BenchmarkPredictText(b *testing.B) {
	m, _ := uprTrained(b)
	texts, _ := splitUPR(uprLabelled(b), func(uprDoc) bool { return true })
	b.ResetTimer()
	n := 0
	for b.Loop() {
		m.PredictText(texts[n%len(texts)], PredictOptions{Evidence: 3})
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkScoreLayouts measures the decision values of all labels for all
// rows, one core, with the weights laid out three ways: term-major dense
// (what MultiLabel stores), label-major dense, and sparse per label
// (non-zero weights only, merged with the row).
func BenchmarkScoreLayouts(b *testing.B) {
	m, X := uprTrained(b)
	L, C := len(m.Labels), m.cols
	labelMajor := make([][]float32, L)
	sparse := make([]Vector, L)
	nnz := 0
	for l := range L {
		labelMajor[l] = make([]float32, C)
		for c := range C {
			w := m.w[c*L+l]
			labelMajor[l][c] = w
			if w != 0 {
				sparse[l].Idx = append(sparse[l].Idx, int32(c))
				sparse[l].Val = append(sparse[l].Val, w)
				nnz++
			}
		}
	}
	b.Logf("%d labels × %d columns, %.1f%% of weights non-zero", L, C, 100*float64(nnz)/float64(L*C))
	dec := make([]float64, L)
	layouts := []struct {
		name  string
		score func(x Vector)
	}{
		{"term-major", func(x Vector) {
			clear(dec)
			for k, c := range x.Idx {
				v := float64(x.Val[k])
				for l, w := range m.w[int(c)*L : int(c)*L+L] {
					dec[l] += v * float64(w)
				}
			}
		}},
		{"label-major", func(x Vector) {
			for l := range L {
				var s float64
				w := labelMajor[l]
				for k, c := range x.Idx {
					s += float64(x.Val[k]) * float64(w[c])
				}
				dec[l] = s
			}
		}},
		{"sparse", func(x Vector) {
			for l := range L {
				dec[l] = x.Dot(sparse[l])
			}
		}},
	}
	for _, lay := range layouts {
		b.Run(lay.name, func(b *testing.B) {
			for b.Loop() {
				for i := range X.Rows() {
					lay.score(X.Row(i))
				}
			}
			b.ReportMetric(float64(X.Rows())*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}
