//go:build unix

package classify

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
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
	proj := benchProjection(b)
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

// BenchmarkProjectionForeign times the three default models over French and
// Spanish recommendations read through the shipped lexicons, the languages
// given: the Andorra 2011 recommendations in French and Spanish and Spain's
// 2025 recommendations in the UN's Spanish (testdata). ns/text is the time
// of one text, the projection and the models read once.
func BenchmarkProjectionForeign(b *testing.B) {
	texts, langs := foreignBenchTexts(b)
	mods := multiLabels(loadDefaultModels(b))
	proj := benchProjection(b)
	batch := NewBatch(mods...).WithProjection(proj)
	ctx := context.Background()
	for b.Loop() {
		out, err := batch.ClassifyLangs(ctx, texts, langs, benchOpts)
		if err != nil || !out[0].Translated {
			b.Fatalf("%v: first text not translated", err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/text")
}

// foreignBenchTexts is the French and Spanish recommendations of the
// projection benchmarks with their languages: the Andorra 2011 versions and
// Spain's 2025 recommendations in the UN's Spanish.
func foreignBenchTexts(b *testing.B) (texts, langs []string) {
	read := func(path string) [][]string {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		r := csv.NewReader(f)
		r.Comma, r.LazyQuotes = '\t', true
		rows, err := r.ReadAll()
		if err != nil || len(rows) < 2 {
			b.Fatalf("%s: %v", path, err)
		}
		return rows[1:]
	}
	for _, row := range read("testdata/andorra2011-en-fr-es.tsv") {
		for k, lang := range []string{"fr", "es"} {
			if row[2+k] != "" {
				texts, langs = append(texts, row[2+k]), append(langs, lang)
			}
		}
	}
	for _, row := range read("testdata/spain2025-es-uhri.tsv") {
		texts, langs = append(texts, row[1]), append(langs, "es")
	}
	return texts, langs
}

// benchProjection is the shipped projection: glossary and both lexicons.
func benchProjection(b *testing.B) *Projection {
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
	return proj
}

// BenchmarkProjectionTranslate times the projection alone: the English
// terms of the French and Spanish recommendations of
// BenchmarkProjectionForeign for the default models' vocabulary, near
// spellings memoised from earlier texts (warm, as in a long run) or not
// (cold, each text's stems met for the first time).
func BenchmarkProjectionTranslate(b *testing.B) {
	texts, langs := foreignBenchTexts(b)
	proj := benchProjection(b)
	g := NewBatch(multiLabels(loadDefaultModels(b))...).groups[0]
	known := func(t string) bool { _, ok := g.index[t]; return ok }
	warm := proj.nearIn(g)
	terms := 0
	emit := func([]byte) { terms++ }
	for _, c := range []struct {
		name string
		ix   func() *nearIndex
	}{
		{"warm", func() *nearIndex { return warm }},
		{"cold", func() *nearIndex { return &nearIndex{byPrefix: warm.byPrefix} }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				ix := c.ix()
				for i, text := range texts {
					proj.each(langs[i], text, 2, known, ix.find, emit)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/text")
		})
	}
	if terms == 0 {
		b.Fatal("no English terms")
	}
}
