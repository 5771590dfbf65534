package classify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Pruning bounds the vocabulary a Vectorizer keeps.
type Pruning struct {
	MinDF       int     // keep terms in at least this many documents; 0 means 1
	MaxDFRatio  float64 // drop terms in more than this share of documents; 0 means 1 (keep all)
	MaxFeatures int     // keep at most this many terms, the highest document frequency first; 0 means no limit
}

func (p Pruning) check() error {
	if p.MinDF < 0 || p.MaxFeatures < 0 || p.MaxDFRatio < 0 || p.MaxDFRatio > 1 || math.IsNaN(p.MaxDFRatio) {
		return fmt.Errorf("invalid pruning %+v: MinDF and MaxFeatures must be ≥ 0 and MaxDFRatio in [0, 1]", p)
	}
	return nil
}

// Options configures Fit.
type Options struct {
	Tokenizer TokenizerOptions
	Pruning   Pruning
}

// Vectorizer maps texts to L2-normalised TF-IDF vectors over a fixed
// vocabulary: weight = (1 + ln tf) · idf, idf = ln((1+n)/(1+df)) + 1 (the
// smoothed idf of scikit-learn), with n the documents seen by Fit. Terms are
// numbered in byte order, so the same corpus always gives the same columns.
// A Vectorizer is immutable after Fit and safe for concurrent use.
type Vectorizer struct {
	tok   *Tokenizer
	nDocs int
	terms []string // sorted, unique
	df    []int32
	idf   []float64
	index map[string]int32
	// display holds per term the readable form shown to people (see
	// Display), or "" when it is the term itself.
	display []string
	// shown holds per term what Display returns: one look-up per term of
	// evidence instead of two, which mostly miss the processor's caches.
	shown []string
}

// Fit learns the vocabulary and document frequencies of docs.
func Fit(ctx context.Context, docs []string, opt Options) (*Vectorizer, error) {
	if err := opt.Pruning.check(); err != nil {
		return nil, fmt.Errorf("fit tf-idf: %w", err)
	}
	if len(docs) == 0 {
		return nil, errors.New("fit tf-idf: no documents")
	}
	if opt.Tokenizer.NGram > MaxNGram {
		return nil, fmt.Errorf("fit tf-idf: n-grams of %d words asked, at most %d supported", opt.Tokenizer.NGram, MaxNGram)
	}
	tok := NewTokenizer(opt.Tokenizer)
	counts := make([]*dfCounter, workers(len(docs)))
	err := parallel(ctx, len(docs), len(counts), func(w, lo, hi int) error {
		c := &dfCounter{index: make(map[string]int32)}
		counts[w] = c
		for d := lo; d < hi; d++ {
			if (d-lo)%256 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			doc := int32(d)
			tok.each(docs[d], func(term []byte) {
				id, ok := c.index[string(term)]
				if !ok {
					s := string(term)
					c.index[s] = int32(len(c.terms))
					c.terms = append(c.terms, s)
					c.df = append(c.df, 1)
					c.last = append(c.last, doc)
					return
				}
				if c.last[id] != doc {
					c.df[id]++
					c.last[id] = doc
				}
			})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fit tf-idf on %d documents: %w", len(docs), err)
	}
	total := make(map[string]int32, len(counts[0].terms))
	for _, c := range counts {
		for i, t := range c.terms {
			total[t] += c.df[i]
		}
	}
	all := &Vectorizer{tok: tok, nDocs: len(docs), terms: make([]string, 0, len(total))}
	for t := range total {
		all.terms = append(all.terms, t)
	}
	slices.Sort(all.terms)
	all.df = make([]int32, len(all.terms))
	for i, t := range all.terms {
		all.df[i] = total[t]
	}
	if all.display, err = fitDisplayForms(ctx, tok, docs, all.terms); err != nil {
		return nil, fmt.Errorf("fit tf-idf on %d documents: %w", len(docs), err)
	}
	v, err := all.Prune(opt.Pruning)
	if err != nil {
		return nil, fmt.Errorf("fit tf-idf on %d documents: %w", len(docs), err)
	}
	return v, nil
}

// dfCounter counts document frequencies over one worker's share of docs.
type dfCounter struct {
	index map[string]int32
	terms []string
	df    []int32
	last  []int32 // the last document each term was counted for
}

// Prune returns a Vectorizer keeping only the terms p allows; idf values are
// unchanged, since they depend on the documents, not on the vocabulary.
func (v *Vectorizer) Prune(p Pruning) (*Vectorizer, error) {
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("prune vocabulary: %w", err)
	}
	minDF, ratio := max(p.MinDF, 1), p.MaxDFRatio
	if ratio == 0 {
		ratio = 1
	}
	maxDF := ratio * float64(v.nDocs)
	keep := make([]int, 0, len(v.terms))
	for i, df := range v.df {
		if int(df) >= minDF && float64(df) <= maxDF {
			keep = append(keep, i)
		}
	}
	if p.MaxFeatures > 0 && len(keep) > p.MaxFeatures {
		slices.SortStableFunc(keep, func(a, b int) int { return cmp.Compare(v.df[b], v.df[a]) })
		keep = keep[:p.MaxFeatures]
		slices.Sort(keep)
	}
	if len(keep) == 0 {
		return nil, fmt.Errorf("prune vocabulary of %d terms over %d documents with %+v: no term left", len(v.terms), v.nDocs, p)
	}
	terms := make([]string, len(keep))
	df := make([]int32, len(keep))
	display := make([]string, len(keep))
	for j, i := range keep {
		terms[j], df[j] = v.terms[i], v.df[i]
		if v.display != nil {
			display[j] = v.display[i]
		}
	}
	return newVectorizer(v.tok, v.nDocs, terms, df, display), nil
}

// newVectorizer builds a Vectorizer; display may be nil (every term shown as is).
func newVectorizer(tok *Tokenizer, nDocs int, terms []string, df []int32, display []string) *Vectorizer {
	if display == nil {
		display = make([]string, len(terms))
	}
	v := &Vectorizer{tok: tok, nDocs: nDocs, terms: terms, df: df, display: display,
		idf: make([]float64, len(terms)), index: make(map[string]int32, len(terms)), shown: slices.Clone(display)}
	for i, t := range terms {
		v.index[t] = int32(i)
		v.idf[i] = math.Log(float64(1+nDocs)/float64(1+df[i])) + 1
		if v.shown[i] == "" {
			v.shown[i] = t
		}
	}
	return v
}

// Len returns the vocabulary size, the number of columns of its vectors.
func (v *Vectorizer) Len() int { return len(v.terms) }

// Docs returns the number of documents the vocabulary was learned from.
func (v *Vectorizer) Docs() int { return v.nDocs }

// Term returns the term of column i, as the tokeniser makes it (a stem
// such as "discrimin").
func (v *Vectorizer) Term(i int) string { return v.terms[i] }

// Display returns the readable form of column i's term: each stemmed word
// replaced by the (lower-cased) word form it was most often written as in
// the texts given to Fit, so "discrimin" shows as "discrimination" and
// "death penalti" as "death penalty". Codes and words never stemmed show as
// the term.
func (v *Vectorizer) Display(i int) string {
	if v.shown != nil {
		return v.shown[i]
	}
	if d := v.display[i]; d != "" {
		return d
	}
	return v.terms[i]
}

// Readable returns terms (as from TopTerms or MultiLabel.Evidence) in their
// readable form; a term not in the vocabulary is returned as it is.
func (v *Vectorizer) Readable(terms []string) []string {
	if terms == nil {
		return nil
	}
	out := make([]string, len(terms))
	for k, t := range terms {
		out[k] = t
		if i := v.Index(t); i >= 0 {
			out[k] = v.Display(i)
		}
	}
	return out
}

// Index returns the column of term, or -1 when it is not in the vocabulary.
func (v *Vectorizer) Index(term string) int {
	if i, ok := v.index[term]; ok {
		return int(i)
	}
	return -1
}

// DF returns the document frequency of column i.
func (v *Vectorizer) DF(i int) int { return int(v.df[i]) }

// IDF returns the inverse document frequency of column i.
func (v *Vectorizer) IDF(i int) float64 { return v.idf[i] }

// Tokenizer returns the tokeniser the vocabulary was built with.
func (v *Vectorizer) Tokenizer() *Tokenizer { return v.tok }

// Vector returns the TF-IDF vector of one text. A text with no known term
// gives the zero vector.
func (v *Vectorizer) Vector(text string) Vector {
	m := NewMatrix(len(v.terms))
	var b docBuf
	v.appendDoc(m, text, &b)
	return m.Row(0)
}

// Transform returns the TF-IDF vectors of docs as the rows of a matrix, in
// order, using all GOMAXPROCS cores.
func (v *Vectorizer) Transform(ctx context.Context, docs []string) (*Matrix, error) {
	parts := make([]*Matrix, workers(len(docs)))
	err := parallel(ctx, len(docs), len(parts), func(w, lo, hi int) error {
		m := NewMatrix(len(v.terms))
		m.Ptr = make([]int, 1, hi-lo+1)
		parts[w] = m
		var b docBuf
		for d := lo; d < hi; d++ {
			if (d-lo)%256 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			v.appendDoc(m, docs[d], &b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("transform %d documents: %w", len(docs), err)
	}
	out := NewMatrix(len(v.terms))
	nnz := 0
	for _, p := range parts {
		nnz += len(p.Idx)
	}
	out.Ptr = make([]int, 1, len(docs)+1)
	out.Idx = make([]int32, 0, nnz)
	out.Val = make([]float32, 0, nnz)
	for _, p := range parts {
		out.appendMatrix(p)
	}
	return out, nil
}

// docBuf is the per-worker scratch space of appendDoc.
type docBuf struct {
	ids []int32
	w   []float64
}

func (v *Vectorizer) appendDoc(m *Matrix, text string, b *docBuf) {
	b.ids = b.ids[:0]
	v.tok.each(text, func(term []byte) {
		if id, ok := v.index[string(term)]; ok {
			b.ids = append(b.ids, id)
		}
	})
	appendIDs(m, b, v.idf)
}

// appendIDs appends to m the row of the term ids in b.ids (one per
// occurrence, in any order), weighted by idf and L2-normalised.
func appendIDs(m *Matrix, b *docBuf, idf []float64) {
	slices.Sort(b.ids)
	b.w = b.w[:0]
	start := len(m.Idx)
	var sum float64
	for i := 0; i < len(b.ids); {
		j := i + 1
		for j < len(b.ids) && b.ids[j] == b.ids[i] {
			j++
		}
		x := (1 + math.Log(float64(j-i))) * idf[b.ids[i]]
		sum += x * x
		b.w = append(b.w, x)
		m.Idx = append(m.Idx, b.ids[i])
		i = j
	}
	if sum > 0 {
		inv := 1 / math.Sqrt(sum)
		for _, x := range b.w {
			m.Val = append(m.Val, float32(x*inv))
		}
	} else {
		m.Idx = m.Idx[:start]
	}
	m.Ptr = append(m.Ptr, len(m.Idx))
}

// TopTerms returns the terms of the k highest weights in x, highest first
// (ties in column order): the evidence a vector, or a model's weights
// projected onto it, rests on.
func (v *Vectorizer) TopTerms(x Vector, k int) []string {
	if k <= 0 {
		return nil
	}
	order := make([]int, len(x.Idx))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(x.Val[b], x.Val[a]) })
	out := make([]string, 0, min(k, len(order)))
	for _, i := range order {
		if len(out) == k {
			break
		}
		if c := int(x.Idx[i]); c >= 0 && c < len(v.terms) {
			out = append(out, v.terms[c])
		}
	}
	return out
}

// TopDisplay is TopTerms with each term in its readable form (see Display):
// the evidence to show to people.
func (v *Vectorizer) TopDisplay(x Vector, k int) []string {
	return v.Readable(v.TopTerms(x, k))
}

// workers returns how many goroutines to split n documents over: one per
// core, but not so many that each gets a trivial share.
func workers(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/64))
}

// parallel runs fn over nw contiguous shares of [0, n), worker w taking the
// w-th share, and returns the first error. Contiguous shares keep the output
// order of each worker equal to the input order.
func parallel(ctx context.Context, n, nw int, fn func(w, lo, hi int) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	errs := make([]error, nw)
	var wg sync.WaitGroup
	for w := range nw {
		lo, hi := n*w/nw, n*(w+1)/nw
		wg.Go(func() { errs[w] = fn(w, lo, hi) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// fitDisplayForms returns, for each term of the sorted vocabulary terms, its
// readable form, or "" when that is the term itself. A word's form is the
// lower-cased spelling most often seen for its stem in docs (ties to the
// first in byte order, so the result does not depend on the split over
// workers), kept in capitals when written so ("AIDS"); an n-gram's is its words' forms joined by spaces.
func fitDisplayForms(ctx context.Context, tok *Tokenizer, docs []string, terms []string) ([]string, error) {
	parts := make([]map[string]map[string]int32, workers(len(docs)))
	err := parallel(ctx, len(docs), len(parts), func(w, lo, hi int) error {
		seen := map[string]map[string]int32{}
		parts[w] = seen
		var key []byte
		for d := lo; d < hi; d++ {
			if (d-lo)%256 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			eachLetterRun(docs[d], func(word string) {
				key = key[:0]
				letters, upper := 0, 0
				for _, r := range word {
					if r == softHyphen || isMark(r) {
						continue
					}
					letters++
					if isUpper(r) {
						upper++
					}
					key = utf8.AppendRune(key, lower(r))
				}
				if letters < 2 {
					return
				}
				stem := tok.lex.stem(key)
				if stem == "" {
					return // a stop word
				}
				form := strings.ToLower(strings.ReplaceAll(word, string(softHyphen), ""))
				if upper == letters {
					stem, form = string(key), word // acronyms are neither stemmed nor lower-cased
				}
				forms := seen[stem]
				if forms == nil {
					forms = map[string]int32{}
					seen[stem] = forms
				}
				forms[form]++
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	total := map[string]map[string]int32{}
	for _, p := range parts {
		for stem, forms := range p {
			t := total[stem]
			if t == nil {
				total[stem] = forms
				continue
			}
			for f, n := range forms {
				t[f] += n
			}
		}
	}
	best := func(stem string) string {
		var form string
		var n int32
		for f, c := range total[stem] {
			if c > n || c == n && f < form {
				form, n = f, c
			}
		}
		if form == "" {
			return stem
		}
		return form
	}
	out := make([]string, len(terms))
	for i, t := range terms {
		if err := ctxEvery(ctx, i); err != nil {
			return nil, err
		}
		words := strings.Split(t, " ")
		for k, w := range words {
			words[k] = best(w)
		}
		if d := strings.Join(words, " "); d != t {
			out[i] = d
		}
	}
	return out, nil
}

// eachLetterRun calls fn for each run of letters (and combining marks) in text:
// the words whose stems the tokeniser's terms are made of.
func eachLetterRun(text string, fn func(word string)) {
	start := -1
	for i, r := range text {
		letter := unicode.IsLetter(r) || r == softHyphen || r >= 0x300 && isMark(r)
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			fn(text[start:i])
			start = -1
		}
	}
	if start >= 0 {
		fn(text[start:])
	}
}
