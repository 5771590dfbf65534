//go:build unix

package classify

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// BenchmarkDefaultModelsSpeedup times, in each iteration, the baseline and
// Batch on the same 30,261 UPR Info texts with the three default models,
// one after the other, so that both see the same load on a shared machine;
// speedup is the ratio of their throughputs, and cpu-speedup that of the
// CPU time each took, which other work on a shared machine distorts less. The three models alone, and
// the issues model alone, are both reported.
func BenchmarkDefaultModelsSpeedup(b *testing.B) {
	texts := uprRecommendations(b)
	all := multiLabels(loadDefaultModels(b))
	for _, c := range []struct {
		name string
		mods []*MultiLabel
	}{{"three", all}, {"issues", all[:1]}} {
		b.Run(c.name, func(b *testing.B) {
			batch := NewBatch(c.mods...)
			opt := benchOpts
			opt.ReadableEvidence = true
			ctx := context.Background()
			var base, fast, baseCPU, fastCPU float64
			for b.Loop() {
				runtime.GC()
				start, cpu := time.Now(), cpuSeconds(b)
				if _, err := perModelClassify(ctx, c.mods, texts, benchOpts); err != nil {
					b.Fatal(err)
				}
				base += time.Since(start).Seconds()
				baseCPU += cpuSeconds(b) - cpu
				runtime.GC()
				start, cpu = time.Now(), cpuSeconds(b)
				if _, err := batch.Classify(ctx, texts, opt); err != nil {
					b.Fatal(err)
				}
				fast += time.Since(start).Seconds()
				fastCPU += cpuSeconds(b) - cpu
			}
			n := float64(len(texts)) * float64(b.N)
			b.ReportMetric(n/base, "baseline-docs/s")
			b.ReportMetric(n/fast, "batch-docs/s")
			b.ReportMetric(base/fast, "speedup")
			b.ReportMetric(baseCPU/fastCPU, "cpu-speedup")
		})
	}
}

// BenchmarkScoresDefault compares, on one core and in the same run, the
// scoring of 5,000 UPR Info texts' TF-IDF rows by each default model: the
// scoring before batching the description cosines (legacy) and MultiLabel's
// own. ratio is legacy CPU time / current CPU time.
func BenchmarkScoresDefault(b *testing.B) {
	texts := uprRecommendations(b)[:5000]
	ctx := context.Background()
	for _, md := range loadDefaultModels(b) {
		m := md.MultiLabel
		X, err := m.Vectorizer().Transform(ctx, texts)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(md.Task, func(b *testing.B) {
			var buf scoreBuf
			var legacy, current float64
			for b.Loop() {
				cpu := cpuSeconds(b)
				for i := range X.Rows() {
					legacyScores(m, X.Row(i))
				}
				legacy += cpuSeconds(b) - cpu
				cpu = cpuSeconds(b)
				for i := range X.Rows() {
					m.scores(X.Row(i), &buf)
				}
				current += cpuSeconds(b) - cpu
			}
			b.ReportMetric(legacy/current, "ratio")
			b.ReportMetric(current/float64(b.N*X.Rows())*1e9, "cpu-ns/text")
		})
	}
}
