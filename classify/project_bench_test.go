//go:build unix

package classify

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/nmirf/nmirf/data"
)

// BenchmarkProjectionOverhead times the three default models over the
// 30,261 English UPR Info texts with and without the French and Spanish
// projection: without the languages given (each text's language detected,
// as in standalone classification) and with them given (as the warehouse
// knows them). overhead is the CPU time with the projection over the time
// without.
func BenchmarkProjectionOverhead(b *testing.B) {
	texts := uprRecommendations(b)
	mods := multiLabels(loadDefaultModels(b))
	var rs [3][]byte
	for i, name := range []string{"glossary.tsv", "sdg-fr.tsv", "sdg-es.tsv"} {
		var err error
		if rs[i], err = data.Lexicon(name); err != nil {
			b.Fatal(err)
		}
	}
	proj, err := ReadProjection(NewTokenizer(TokenizerOptions{NGram: 1}), bytes.NewReader(rs[0]), bytes.NewReader(rs[1]), bytes.NewReader(rs[2]))
	if err != nil {
		b.Fatal(err)
	}
	en := make([]string, len(texts))
	for i := range en {
		en[i] = "en"
	}
	ctx := context.Background()
	plain, projected := NewBatch(mods...), NewBatch(mods...).WithProjection(proj)
	for _, c := range []struct {
		name  string
		langs []string
	}{{"detected", nil}, {"given", en}} {
		b.Run(c.name, func(b *testing.B) {
			var base, with float64
			for b.Loop() {
				runtime.GC()
				cpu := cpuSeconds(b)
				if _, err := plain.Classify(ctx, texts, benchOpts); err != nil {
					b.Fatal(err)
				}
				base += cpuSeconds(b) - cpu
				runtime.GC()
				cpu = cpuSeconds(b)
				if _, err := projected.ClassifyLangs(ctx, texts, c.langs, benchOpts); err != nil {
					b.Fatal(err)
				}
				with += cpuSeconds(b) - cpu
			}
			b.ReportMetric(with/base, "overhead")
		})
	}
}
