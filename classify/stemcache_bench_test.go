package classify

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// stemWords returns the first n lower-cased words of the UPR Info texts as
// the tokeniser looks them up in its stem cache.
func stemWords(b *testing.B, n int) [][]byte {
	tok := NewTokenizer(TokenizerOptions{NGram: 1, StopWords: []string{}})
	var words [][]byte
	for _, d := range uprRecommendations(b) {
		for _, w := range tok.Tokens(d) {
			words = append(words, []byte(w))
		}
		if len(words) >= n {
			break
		}
	}
	return words[:min(n, len(words))]
}

// BenchmarkStemCache measures a stem-cache hit on every core at once, as
// the workers of Batch.Classify look words up, for four designs: a map
// behind a sync.RWMutex (one shared counter written by every reader), a
// sync.Map, a plain map private to each worker (no sharing, one copy
// per worker), and the tokeniser's lexicon (a snapshot read without a lock).
func BenchmarkStemCache(b *testing.B) {
	words := stemWords(b, 200_000)
	stems := map[string]string{}
	for _, w := range words {
		stems[string(w)] = string(w)
	}
	var mu sync.RWMutex
	var sm sync.Map
	for k, v := range stems {
		sm.Store(k, v)
	}
	// The private copies are made before timing.
	var privs []map[string]string
	for range 2 * runtime.GOMAXPROCS(0) {
		priv := make(map[string]string, len(stems))
		for k, v := range stems {
			priv[k] = v
		}
		privs = append(privs, priv)
	}
	run := func(b *testing.B, look func(priv map[string]string, w []byte) bool) {
		var next atomic.Int32
		b.RunParallel(func(pb *testing.PB) {
			priv := privs[int(next.Add(1)-1)%len(privs)]
			i := 0
			for pb.Next() {
				if !look(priv, words[i%len(words)]) {
					panic("missed")
				}
				i++
			}
		})
	}
	b.Run("rwmutex", func(b *testing.B) {
		run(b, func(_ map[string]string, w []byte) bool {
			mu.RLock()
			_, ok := stems[string(w)]
			mu.RUnlock()
			return ok
		})
	})
	b.Run("sync.Map", func(b *testing.B) {
		run(b, func(_ map[string]string, w []byte) bool {
			_, ok := sm.Load(string(w))
			return ok
		})
	})
	var lex lexicon
	lex.init(nil, true)
	for _, w := range words {
		lex.stem(w)
	}
	lex.publish()
	b.Run("lexicon", func(b *testing.B) {
		run(b, func(_ map[string]string, w []byte) bool { return lex.stem(w) != "" })
	})
	b.Run("per-worker", func(b *testing.B) {
		run(b, func(priv map[string]string, w []byte) bool {
			_, ok := priv[string(w)]
			return ok
		})
	})
}

// BenchmarkTokenizeParallel tokenises the UPR Info texts on every core at
// once, as Batch.Classify does: the case the stem cache must not serialise.
func BenchmarkTokenizeParallel(b *testing.B) {
	docs := uprRecommendations(b)
	tok := NewTokenizer(TokenizerOptions{})
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		n := 0
		for pb.Next() {
			tok.each(docs[int(next.Add(1))%len(docs)], func([]byte) { n++ })
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
