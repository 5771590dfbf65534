package classify

import (
	"context"
	"math"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/kljensen/snowball/english"
)

// resample draws n documents from docs with replacement, reproducibly, to
// measure how fitting and transforming scale past the real corpus.
func resample(docs []string, n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]string, n)
	for i := range out {
		out[i] = docs[r.IntN(len(docs))]
	}
	return out
}

func benchFit(b *testing.B, docs []string) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Fit(context.Background(), docs, Options{Pruning: Pruning{MinDF: 2}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func benchTransform(b *testing.B, docs []string) {
	vz, err := Fit(context.Background(), docs, Options{Pruning: Pruning{MinDF: 2}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := vz.Transform(context.Background(), docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkFit(b *testing.B)       { benchFit(b, uprRecommendations(b)) }
func BenchmarkTransform(b *testing.B) { benchTransform(b, uprRecommendations(b)) }

func BenchmarkFit200k(b *testing.B) { benchFit(b, resample(uprRecommendations(b), 200_000)) }
func BenchmarkTransform200k(b *testing.B) {
	benchTransform(b, resample(uprRecommendations(b), 200_000))
}

// BenchmarkFitTransform and BenchmarkNaiveFitTransform do the same job, the
// second the obvious way (regexp tokens, a Snowball call per word, string
// n-grams, map-based vectors, one core), as the baseline for the first.
func BenchmarkFitTransform(b *testing.B) {
	docs := uprRecommendations(b)
	b.ReportAllocs()
	for b.Loop() {
		vz, err := Fit(context.Background(), docs, Options{Pruning: Pruning{MinDF: 2}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := vz.Transform(context.Background(), docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkNaiveFitTransform(b *testing.B) {
	docs := uprRecommendations(b)
	b.ReportAllocs()
	for b.Loop() {
		naiveTFIDF(docs, 2)
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

var naiveWord = regexp.MustCompile(`[\p{L}\p{N}]+(?:[-/.'’][\p{L}\p{N}]+)*`)

func naiveTokens(text string, stop map[string]bool) []string {
	var words []string
	for _, w := range naiveWord.FindAllString(strings.ToLower(text), -1) {
		if stop[w] || len(w) < 2 {
			continue
		}
		words = append(words, english.Stem(w, true))
	}
	out := append([]string(nil), words...)
	for i := 1; i < len(words); i++ {
		out = append(out, words[i-1]+" "+words[i])
	}
	return out
}

func naiveTFIDF(docs []string, minDF int) []map[string]float64 {
	stop := map[string]bool{}
	for _, w := range DefaultStopWords {
		stop[w] = true
	}
	tokens := make([][]string, len(docs))
	df := map[string]int{}
	for i, d := range docs {
		tokens[i] = naiveTokens(d, stop)
		seen := map[string]bool{}
		for _, t := range tokens[i] {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	out := make([]map[string]float64, len(docs))
	for i, toks := range tokens {
		tf := map[string]float64{}
		for _, t := range toks {
			if df[t] >= minDF {
				tf[t]++
			}
		}
		var sum float64
		for t, c := range tf {
			w := (1 + math.Log(c)) * (math.Log(float64(1+len(docs))/float64(1+df[t])) + 1)
			tf[t] = w
			sum += w * w
		}
		for t := range tf {
			tf[t] /= math.Sqrt(sum)
		}
		out[i] = tf
	}
	return out
}

// BenchmarkTokenize measures the tokeniser alone, on one core.
func BenchmarkTokenize(b *testing.B) {
	docs := uprRecommendations(b)
	tok := NewTokenizer(TokenizerOptions{})
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			tok.each(d, func([]byte) { n++ })
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
