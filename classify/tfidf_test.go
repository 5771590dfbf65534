package classify

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/shared"
)

// tiny is five real UPR Info recommendations (see testdata/PROVENANCE.md).
var tiny = []string{
	"Abolish the death penalty.",                                    // abolish death penalti
	"Ratify the OP-CAT",                                             // ratifi op-cat
	"Sign and ratify the OP-CAT",                                    // sign ratifi op-cat
	"Abolish capital punishment.",                                   // abolish capit punish
	"Review domestic legislation to criminalize domestic violence.", // review domest×2 legisl crimin violenc
}

func fitTiny(t *testing.T, p Pruning) *Vectorizer {
	t.Helper()
	v, err := Fit(context.Background(), tiny, Options{Tokenizer: TokenizerOptions{NGram: 1}, Pruning: p})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// weights returns v as term → weight.
func weights(vz *Vectorizer, v Vector) map[string]float64 {
	out := map[string]float64{}
	for k, i := range v.Idx {
		out[vz.Term(int(i))] = float64(v.Val[k])
	}
	return out
}

// Expected values worked by hand: n = 5, idf(df=1) = ln(6/2)+1 = 2.098612,
// idf(df=2) = ln(6/3)+1 = 1.693147. "Abolish the death penalty." is
// (1.693147, 2.098612, 2.098612) / 3.416887. In the last text "domestic"
// occurs twice: tf weight 1+ln 2 = 1.693147, times 2.098612 = 3.553196; the
// norm is sqrt(4·2.098612² + 3.553196²) = 5.499213.
func TestTFIDFHandComputed(t *testing.T) {
	vz := fitTiny(t, Pruning{})
	wantTerms := []string{"abolish", "capit", "crimin", "death", "domest", "legisl", "op-cat", "penalti", "punish", "ratifi", "review", "sign", "violenc"}
	var terms []string
	for i := range vz.Len() {
		terms = append(terms, vz.Term(i))
	}
	if !slices.Equal(terms, wantTerms) {
		t.Fatalf("vocabulary = %q, want %q", terms, wantTerms)
	}
	if got := vz.IDF(vz.Index("abolish")); math.Abs(got-1.6931471805599454) > 1e-12 {
		t.Errorf("idf(abolish) = %v", got)
	}
	if got := vz.DF(vz.Index("domest")); got != 1 {
		t.Errorf("df(domest) = %d, want 1", got)
	}
	tests := []struct {
		doc  int
		want map[string]float64
	}{
		{0, map[string]float64{"abolish": 0.49552379079705033, "death": 0.6141889663426562, "penalti": 0.6141889663426562}},
		{1, map[string]float64{"ratifi": 0.7071067811865476, "op-cat": 0.7071067811865476}},
		{2, map[string]float64{"sign": 0.6591180018251055, "ratifi": 0.5317722537280788, "op-cat": 0.5317722537280788}},
		{4, map[string]float64{"review": 0.381614145813827, "domest": 0.6461289150464731, "legisl": 0.381614145813827,
			"crimin": 0.381614145813827, "violenc": 0.381614145813827}},
	}
	m, err := vz.Transform(context.Background(), tiny)
	if err != nil {
		t.Fatal(err)
	}
	if m.Rows() != len(tiny) || m.Cols != len(wantTerms) {
		t.Fatalf("matrix %d×%d, want %d×%d", m.Rows(), m.Cols, len(tiny), len(wantTerms))
	}
	for _, tt := range tests {
		for name, row := range map[string]Vector{"Transform": m.Row(tt.doc), "Vector": vz.Vector(tiny[tt.doc])} {
			got := weights(vz, row)
			if len(got) != len(tt.want) {
				t.Errorf("%s doc %d: %v, want %v", name, tt.doc, got, tt.want)
			}
			for term, w := range tt.want {
				if math.Abs(got[term]-w) > 1e-6 {
					t.Errorf("%s doc %d %q = %.9f, want %.9f", name, tt.doc, term, got[term], w)
				}
			}
			if !slices.IsSorted(row.Idx) {
				t.Errorf("%s doc %d: indices not sorted: %v", name, tt.doc, row.Idx)
			}
			if n := row.Norm(); math.Abs(n-1) > 1e-6 {
				t.Errorf("%s doc %d: norm %v, want 1", name, tt.doc, n)
			}
		}
	}
	// Unknown words are ignored; a text with none known is the zero vector.
	for _, text := range []string{"", "the of and", "Guarantee free access to the media."} {
		v := vz.Vector(text)
		if v.Len() != 0 || v.Norm() != 0 || v.Cosine(m.Row(0)) != 0 {
			t.Errorf("Vector(%q) = %+v, want the zero vector", text, v)
		}
	}
}

func TestTopTerms(t *testing.T) {
	vz := fitTiny(t, Pruning{})
	v := vz.Vector(tiny[4])
	tests := []struct {
		k    int
		want []string
	}{
		{0, nil},
		{1, []string{"domest"}},
		{3, []string{"domest", "crimin", "legisl"}}, // ties in column order
		{9, []string{"domest", "crimin", "legisl", "review", "violenc"}},
	}
	for _, tt := range tests {
		if got := vz.TopTerms(v, tt.k); !slices.Equal(got, tt.want) {
			t.Errorf("TopTerms(k=%d) = %q, want %q", tt.k, got, tt.want)
		}
	}
}

func TestPruning(t *testing.T) {
	tests := []struct {
		name string
		p    Pruning
		want []string
	}{
		{"min df 2", Pruning{MinDF: 2}, []string{"abolish", "op-cat", "ratifi"}},
		{"max df ratio 0.2", Pruning{MaxDFRatio: 0.2}, []string{"capit", "crimin", "death", "domest", "legisl", "penalti", "punish", "review", "sign", "violenc"}},
		{"max features 2", Pruning{MaxFeatures: 2}, []string{"abolish", "op-cat"}},
		{"all", Pruning{MinDF: 1, MaxDFRatio: 1, MaxFeatures: 100}, []string{"abolish", "capit", "crimin", "death", "domest", "legisl", "op-cat", "penalti", "punish", "ratifi", "review", "sign", "violenc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vz := fitTiny(t, tt.p)
			var got []string
			for i := range vz.Len() {
				got = append(got, vz.Term(i))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("vocabulary %q, want %q", got, tt.want)
			}
			// idf is that of the whole corpus, whatever is pruned.
			if i := vz.Index("abolish"); i >= 0 && math.Abs(vz.IDF(i)-1.6931471805599454) > 1e-12 {
				t.Errorf("idf(abolish) = %v after pruning", vz.IDF(i))
			}
		})
	}
}

func TestFitErrors(t *testing.T) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		docs  []string
		p     Pruning
		ngram int
		want  string
	}{
		{"no documents", ctx, nil, Pruning{}, 0, "no documents"},
		{"nothing to learn", ctx, []string{"", "the and of"}, Pruning{}, 0, "no term left"},
		{"everything pruned", ctx, tiny, Pruning{MinDF: 3}, 0, "no term left"},
		{"bad ratio", ctx, tiny, Pruning{MaxDFRatio: 1.5}, 0, "invalid pruning"},
		{"negative min df", ctx, tiny, Pruning{MinDF: -1}, 0, "invalid pruning"},
		{"n-grams too long", ctx, tiny, Pruning{}, 9, "at most 8"},
		{"cancelled", cancelled, tiny, Pruning{}, 0, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fit(tt.ctx, tt.docs, Options{Tokenizer: TokenizerOptions{NGram: tt.ngram}, Pruning: tt.p})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Fit error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	vz := fitTiny(t, Pruning{})
	if _, err := vz.Transform(cancelled, tiny); !errors.Is(err, context.Canceled) {
		t.Errorf("Transform with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestVectorOps(t *testing.T) {
	a := Vector{Idx: []int32{1, 3, 7}, Val: []float32{1, 2, 3}}
	b := Vector{Idx: []int32{0, 3, 7, 9}, Val: []float32{5, 4, -1, 2}}
	if got := a.Dot(b); got != 5 { // 2·4 + 3·(-1)
		t.Errorf("Dot = %v, want 5", got)
	}
	if got := a.DotDense([]float64{0, 10, 0, 1, 0, 0, 0, 2}); got != 18 { // 1·10 + 2·1 + 3·2
		t.Errorf("DotDense = %v, want 18", got)
	}
	if got := a.DotDense([]float64{0, 10}); got != 10 {
		t.Errorf("DotDense on a short vector = %v, want 10", got)
	}
	if got := a.Norm(); math.Abs(got-math.Sqrt(14)) > 1e-12 {
		t.Errorf("Norm = %v, want √14", got)
	}
	if got := a.Cosine(b); math.Abs(got-5/(math.Sqrt(14)*math.Sqrt(46))) > 1e-12 {
		t.Errorf("Cosine = %v", got)
	}
	m := NewMatrix(10)
	m.Append(a)
	m.Append(Vector{})
	m.Append(b)
	if m.Rows() != 3 || m.Row(1).Len() != 0 || m.Row(2).Dot(b) != b.Dot(b) {
		t.Errorf("matrix rows wrong: %+v", m)
	}
}

func TestSerialisation(t *testing.T) {
	vz, err := Fit(context.Background(), tiny, Options{Tokenizer: TokenizerOptions{NGram: 2, StopWords: []string{"the", "and"}}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := vz.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Vectorizer
	if err := back.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	again, err := back.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Error("a model read back saves to different bytes")
	}
	if back.Len() != vz.Len() || back.Docs() != 5 || !slices.Equal(back.Tokenizer().Options().StopWords, []string{"and", "the"}) {
		t.Errorf("read back %d terms over %d docs, stop words %q", back.Len(), back.Docs(), back.Tokenizer().Options().StopWords)
	}
	for _, doc := range append(slices.Clone(tiny), "Ratify the death penalty") {
		a, b := vz.Vector(doc), back.Vector(doc)
		if !slices.Equal(a.Idx, b.Idx) || !slices.Equal(a.Val, b.Val) {
			t.Errorf("%q: vector %v after reload, was %v", doc, b, a)
		}
	}

	// Every truncation is refused, never a panic or a silently short model.
	for n := range len(data) {
		_, err := ReadVectorizer(bytes.NewReader(data[:n]))
		if !errors.Is(err, ErrModelFormat) {
			t.Fatalf("model cut to %d of %d bytes: error %v, want ErrModelFormat", n, len(data), err)
		}
	}
	if _, err := ReadVectorizer(bytes.NewReader(data[:len(data)/2])); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("half a model: %v, want a truncation error", err)
	}
	bad := func(mutate func([]byte)) []byte {
		b := slices.Clone(data)
		mutate(b)
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"foreign file", []byte("To,To-Rgrp,To-Org,Text,From\n"), "no \"nmirf tf-idf\" header"},
		{"other format version", bad(func(b []byte) { b[len(modelMagic)] = 9 }), "format version 9"},
		{"other tokeniser", bad(func(b []byte) { b[len(modelMagic)+1] = 9 }), "tokeniser version 9"},
		{"flipped byte", bad(func(b []byte) { b[len(b)-8] ^= 0x20 }), ""},
		{"trailing checksum wrong", bad(func(b []byte) { b[len(b)-1] ^= 1 }), "checksum"},
	}
	for _, tt := range tests {
		_, err := ReadVectorizer(bytes.NewReader(tt.data))
		if !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want ErrModelFormat containing %q", tt.name, err, tt.want)
		}
	}
}

var (
	uprOnce  sync.Once
	uprTexts []string
	uprErr   error
)

// uprRecommendations returns the Text column of the four UPR Info exports
// (sessions 1–16), in file-name order.
func uprRecommendations(t testing.TB) []string {
	t.Helper()
	dir := shared.Path(t, "upr-info")
	uprOnce.Do(func() {
		files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		slices.Sort(files)
		for _, f := range files {
			in, err := extract.ReadInput(f)
			if err != nil {
				uprErr = err
				return
			}
			tab, _, err := extract.ReadCSV(in)
			if err != nil {
				uprErr = err
				return
			}
			col := tab.Col("Text")
			for _, r := range tab.Rows {
				uprTexts = append(uprTexts, r.Get(col))
			}
		}
	})
	if uprErr != nil {
		t.Fatal(uprErr)
	}
	return uprTexts
}

func TestRealCorpus(t *testing.T) {
	docs := uprRecommendations(t)
	if len(docs) != 30261 {
		t.Fatalf("read %d UPR Info recommendations, want 30261", len(docs))
	}
	ctx := context.Background()
	opt := Options{Pruning: Pruning{MinDF: 2, MaxDFRatio: 0.5}}
	vz, err := Fit(ctx, docs, opt)
	if err != nil {
		t.Fatal(err)
	}
	// The same corpus gives byte-identical models whatever the number of workers.
	prev := runtime.GOMAXPROCS(1)
	one, err := Fit(ctx, docs, opt)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := vz.MarshalBinary()
	b, _ := one.MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Error("fitting on 1 core and on all cores gives different models")
	}
	t.Logf("vocabulary %d terms (unigrams and bigrams, df ≥ 2, ≤ 50%%), model %d bytes", vz.Len(), len(a))
	if vz.Len() != 38639 {
		t.Errorf("vocabulary of %d terms, want 38639", vz.Len())
	}
	for _, term := range []string{"op-cat", "articl 14", "1325", "women", "violenc against", "death penalti", "iccpr-op2"} {
		if vz.Index(term) < 0 {
			t.Errorf("term %q missing from the vocabulary", term)
		}
	}
	m, err := vz.Transform(ctx, docs)
	if err != nil {
		t.Fatal(err)
	}
	empty := 0
	for i := range m.Rows() {
		r := m.Row(i)
		if r.Len() == 0 {
			empty++
			continue
		}
		if n := r.Norm(); math.Abs(n-1) > 1e-5 || math.IsNaN(n) {
			t.Fatalf("row %d (%q): norm %v", i, docs[i], n)
		}
	}
	if empty != 0 {
		t.Errorf("%d recommendations gave the zero vector", empty)
	}
	// Transform and Vector agree.
	if got, want := m.Row(482), vz.Vector(docs[482]); !slices.Equal(got.Idx, want.Idx) || !slices.Equal(got.Val, want.Val) {
		t.Errorf("row 482 differs from Vector")
	}
}
