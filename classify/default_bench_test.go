package classify

import (
	"cmp"
	"context"
	"slices"
	"testing"
)

// perModelClassify is how texts were classified before Batch: each model
// tokenises and vectorises every text itself (Transform), then predicts
// (PredictMatrix), and the evidence is turned into its readable form by a
// vocabulary lookup per term. Kept as the baseline of the benchmarks and as
// the reference the faster paths are compared with. The result is indexed
// [text][model].
func perModelClassify(ctx context.Context, mods []*MultiLabel, texts []string, opt PredictOptions) ([][]Prediction, error) {
	out := make([][]Prediction, len(texts))
	for i := range out {
		out[i] = make([]Prediction, len(mods))
	}
	for k, m := range mods {
		X, err := m.Vectorizer().Transform(ctx, texts)
		if err != nil {
			return nil, err
		}
		preds := make([]Prediction, X.Rows())
		err = parallel(ctx, len(preds), workers(len(preds)), func(_, lo, hi int) error {
			for i := lo; i < hi; i++ {
				preds[i] = legacyPredict(m, X.Row(i), opt)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for i, p := range preds {
			for j := range p.Labels {
				p.Labels[j].Evidence = m.Vectorizer().Readable(p.Labels[j].Evidence)
			}
			out[i][k] = p
		}
	}
	return out, nil
}

func multiLabels(mods []*Model) []*MultiLabel {
	out := make([]*MultiLabel, len(mods))
	for i, m := range mods {
		out[i] = m.MultiLabel
	}
	return out
}

// benchOpts are those of `nmirf classify`: five evidence terms per label.
var benchOpts = PredictOptions{Evidence: 5}

// BenchmarkDefaultModelsPerModel is the baseline path over the 30,261 UPR
// Info texts with the three embedded default models.
func BenchmarkDefaultModelsPerModel(b *testing.B) {
	texts := uprRecommendations(b)
	mods := multiLabels(loadDefaultModels(b))
	ctx := context.Background()
	for b.Loop() {
		if _, err := perModelClassify(ctx, mods, texts, benchOpts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkDefaultModelsBatch is the same work through Batch.Classify, with
// the evidence in readable form as the baseline makes it.
func BenchmarkDefaultModelsBatch(b *testing.B) {
	texts := uprRecommendations(b)
	batch := NewBatch(multiLabels(loadDefaultModels(b))...)
	opt := benchOpts
	opt.ReadableEvidence = true
	ctx := context.Background()
	for b.Loop() {
		if _, err := batch.Classify(ctx, texts, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// legacyScores and legacyPredict are MultiLabel.Scores and Predict as they
// were before the description cosines were computed for all labels at once
// and the buffers reused: the baseline's scoring.
func legacyScores(m *MultiLabel, x Vector) []float64 {
	L := len(m.Labels)
	dec := make([]float64, L)
	copy(dec, m.Bias)
	for k, c := range x.Idx {
		if int(c) >= m.cols {
			continue
		}
		v := float64(x.Val[k])
		row := m.w[int(c)*L : int(c)*L+L]
		for l, w := range row {
			dec[l] += v * float64(w)
		}
	}
	for l := range dec {
		dec[l] = m.blend(l, dec[l], x)
	}
	return dec
}

func legacyPredict(m *MultiLabel, x Vector, opt PredictOptions) Prediction {
	if x.Len() == 0 {
		return Prediction{Unclassified: true}
	}
	s := legacyScores(m, x)
	byScore := func(a, b int) int { return cmp.Compare(s[b], s[a]) }
	assigned := func(l int) Assigned {
		return Assigned{Label: m.Labels[l], Score: s[l], Evidence: m.Evidence(l, x, opt.Evidence)}
	}
	var p Prediction
	var over []int
	for l := range s {
		if s[l] >= m.Threshold[l] {
			over = append(over, l)
		}
	}
	slices.SortStableFunc(over, byScore)
	for _, l := range over {
		p.Labels = append(p.Labels, assigned(l))
	}
	best := -1
	if len(p.Labels) == 0 {
		for l := range s {
			if s[l] < m.Threshold[l] && (best < 0 || cmp.Compare(s[l], s[best]) > 0) {
				best = l
			}
		}
		if best >= 0 && m.Floor >= 0 && s[best] >= m.Floor {
			p.Labels = append(p.Labels, assigned(best))
		} else {
			p.Unclassified = true
			best = -1
		}
	}
	if opt.TopK > 0 {
		var rest []int
		for l := range s {
			if s[l] < m.Threshold[l] && l != best {
				rest = append(rest, l)
			}
		}
		slices.SortStableFunc(rest, byScore)
		for _, l := range rest[:min(opt.TopK, len(rest))] {
			p.Next = append(p.Next, Assigned{Label: m.Labels[l], Score: s[l]})
		}
	}
	return p
}
