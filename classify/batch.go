package classify

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Batch classifies texts with several models at once, as `nmirf classify`
// does with the default models. Models whose tokenisers have the same
// options (the default models all do) share one tokenisation of each text
// and one vocabulary lookup per term; each model still builds its own TF-IDF
// vector from those terms, so every prediction is the one the model alone
// makes (MultiLabel.PredictText). A Batch is safe for concurrent use.
type Batch struct {
	models []*MultiLabel
	groups []*termGroup
	bands  []*kindBand // per model, nil for a model not calibrated by kind
	proj   *Projection // reads French and Spanish texts (WithProjection); nil: none
}

// termGroup is the models of a Batch whose tokenisers make the same terms.
type termGroup struct {
	tok     *Tokenizer
	members []int            // indices into Batch.models
	index   map[string]int32 // each term of any member's vocabulary → its unit u
	// cols[u·len(members) + k] is the column of unit u in member k's
	// vocabulary, or -1 when that vocabulary lacks it.
	cols []int32
	// Units are numbered in the byte order of their terms, as each
	// vocabulary numbers its columns, so a text's units sorted once give
	// every member's columns in order. ordered is false in the unlikely
	// case that some vocabulary is not in that order: its rows are then
	// sorted by column.
	ordered bool
	// For bigram tokenisers, words and pairs replace the lookup of every
	// term of an English text in index (a text read through a lexicon
	// still looks its terms up there): words holds each word that is a term or half of a
	// bigram term, and pairs each bigram term by the ids of its two words.
	// A bigram with a word not in words is no term, and needs no lookup at
	// all; the others are looked up by two integers instead of a string.
	words map[string]wordUnit
	pairs map[uint64]int32
}

// wordUnit is a word's id among the words of a termGroup, and its unit, or
// -1 when the word is not a term itself.
type wordUnit struct{ word, unit int32 }

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// indexPairs fills g.words and g.pairs from the units' terms.
func (g *termGroup) indexPairs(terms []string) {
	g.words, g.pairs = make(map[string]wordUnit), make(map[uint64]int32)
	word := func(w string) int32 {
		wu, ok := g.words[w]
		if !ok {
			wu = wordUnit{word: int32(len(g.words)), unit: -1}
			g.words[w] = wu
		}
		return wu.word
	}
	for u, t := range terms {
		a, b, bigram := strings.Cut(t, " ")
		switch {
		case !bigram:
			word(t)
			wu := g.words[t]
			wu.unit = int32(u)
			g.words[t] = wu
		case !strings.Contains(b, " "): // longer n-grams are never made
			g.pairs[pairKey(word(a), word(b))] = int32(u)
		}
	}
}

// NewBatch returns a Batch of models; results keep their order. The models
// must not change while the Batch is used.
func NewBatch(models ...*MultiLabel) *Batch {
	b := &Batch{models: slices.Clone(models), bands: make([]*kindBand, len(models))}
	for i, m := range models {
		if m.KindThreshold != nil {
			b.bands[i] = newKindBand(m)
		}
		var g *termGroup
		for _, h := range b.groups {
			if sameTokenizer(h.tok.opt, m.vz.tok.opt) {
				g = h
				break
			}
		}
		if g == nil {
			g = &termGroup{tok: m.vz.tok}
			b.groups = append(b.groups, g)
		}
		g.members = append(g.members, i)
	}
	for _, g := range b.groups {
		K := len(g.members)
		var terms []string
		for _, i := range g.members {
			terms = append(terms, models[i].vz.terms...)
		}
		slices.Sort(terms)
		terms = slices.Compact(terms)
		g.index = make(map[string]int32, len(terms))
		for u, t := range terms {
			g.index[t] = int32(u)
		}
		if g.tok.opt.NGram == 2 {
			g.indexPairs(terms)
		}
		g.cols = slices.Repeat([]int32{-1}, len(terms)*K)
		g.ordered = true
		for k, i := range g.members {
			last := int32(-1)
			for c, t := range models[i].vz.terms {
				u := g.index[t]
				g.cols[int(u)*K+k] = int32(c)
				if u <= last {
					g.ordered = false
				}
				last = u
			}
		}
	}
	return b
}

// sameTokenizer tells whether two tokenisers (options with defaults filled
// in) make the same terms of every text.
func sameTokenizer(a, b TokenizerOptions) bool {
	return a.NGram == b.NGram && a.NoStem == b.NoStem && a.MaxTokens == b.MaxTokens && slices.Equal(a.StopWords, b.StopWords)
}

// Classified is what a Batch made of one text.
type Classified struct {
	// Predictions holds one prediction per model, in the Batch's order,
	// each equal to the model's PredictText of the text.
	Predictions []Prediction
	// KnownShare is, over the models, the largest share of the text's terms
	// (Tokenizer.Tokens) that are in the model's vocabulary; 0 for a text
	// with no term. A low share means the models cannot judge the text.
	KnownShare float64
	// Language is the text's language when the Batch has a Projection
	// (given, or detected); Translated tells that the text was read through
	// the projection's lexicon, and Support is then the share of its words
	// translated (Projection.Translate).
	Language   string
	Translated bool
	Support    float64
}

// batchChunk is how many texts a worker takes at a time: enough that the
// phases of classify keep their data in cache (256 took a fifth less CPU
// time than 64 with the three default models), few enough that both cores
// finish together.
const batchChunk = 256

// Classify classifies texts with every model of the batch over GOMAXPROCS
// goroutines and returns the results in the order of texts. It returns
// ctx's error, and no results, when ctx is done first.
func (b *Batch) Classify(ctx context.Context, texts []string, opt PredictOptions) ([]Classified, error) {
	return b.ClassifyLangs(ctx, texts, nil, opt)
}

// ClassifyLangs is Classify with the language of each text known (langs[i]
// for texts[i], "" or a nil langs: detected), for a Batch with a Projection.
func (b *Batch) ClassifyLangs(ctx context.Context, texts, langs []string, opt PredictOptions) ([]Classified, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("classify %d texts: %w", len(texts), err)
	}
	out := make([]Classified, len(texts))
	preds := make([]Prediction, len(texts)*len(b.models))
	chunks := (len(texts) + batchChunk - 1) / batchChunk
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), chunks)) {
		wg.Go(func() {
			var w batchBuf
			for ctx.Err() == nil {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				lo, hi := c*batchChunk, min((c+1)*batchChunk, len(texts))
				M := len(b.models)
				for i := lo; i < hi; i++ {
					out[i].Predictions = preds[i*M : (i+1)*M : (i+1)*M]
				}
				o := opt
				o.Kinds = opt.Kinds[min(lo, len(opt.Kinds)):min(hi, len(opt.Kinds))]
				b.classify(texts[lo:hi], sub(langs, lo, hi), o, &w, out[lo:hi])
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("classify %d texts: %w", len(texts), err)
	}
	return out, nil
}

// ClassifyText classifies one text on the calling goroutine.
func (b *Batch) ClassifyText(text string, opt PredictOptions) Classified {
	var w batchBuf
	out := []Classified{{Predictions: make([]Prediction, len(b.models))}}
	b.classify([]string{text}, nil, opt, &w, out)
	return out[0]
}

// batchBuf is one worker's scratch space.
type batchBuf struct {
	units []int32 // the units of the texts' terms, one per occurrence
	ptr   []int   // text j's units are units[ptr[j]:ptr[j+1]]
	terms []int   // text j's number of terms
	// The distinct units of text j, in order, are runs[rptr[j]:rptr[j+1]].
	runs  []unitRun
	rptr  []int
	doc   docBuf
	row   Matrix
	score scoreBuf
	// kinds[j] is the kind DetectKind read in text j of the chunk, "" until
	// a model calibrated by kind first needs it: every such model applies
	// the same kind, and reading it costs more than scoring the text.
	kinds []string
}

// unitRun is one distinct unit of a text: how often it occurs, and its
// term frequency weight 1 + ln n, the same for every model.
type unitRun struct {
	u  int32
	n  int32
	tf float64
}

// classify fills out[j] for texts[j]. It works in phases, all texts of the
// chunk at a time: first tokenising them, then each model scoring them,
// so that the vocabulary and each model's weights stay in the processor's
// caches while they are used (interleaving them text by text took 15-20%
// more CPU time).
func (b *Batch) classify(texts, langs []string, opt PredictOptions, w *batchBuf, out []Classified) {
	w.kinds = slices.Grow(w.kinds[:0], len(texts))[:len(texts)]
	clear(w.kinds)
	for j := range out {
		out[j].KnownShare = 0
		b.route(texts[j], sub(langs, j, j+1), &out[j])
	}
	for _, g := range b.groups {
		K := len(g.members)
		w.units, w.ptr, w.terms = w.units[:0], append(w.ptr[:0], 0), w.terms[:0]
		for j, text := range texts {
			n := 0
			lookup := func(term []byte) {
				n++
				if u, ok := g.index[string(term)]; ok {
					w.units = append(w.units, u)
				}
			}
			switch {
			case b.project(g, text, &out[j], lookup):
				// Read through a bilingual lexicon, which emitted its
				// English terms to lookup.
			case g.pairs != nil:
				// The tokeniser emits each word, then the bigram of the word
				// before and this one (Tokens); only bigrams hold a space.
				prev, cur := int32(-1), int32(-1)
				g.tok.each(text, func(term []byte) {
					n++
					if bytes.IndexByte(term, ' ') < 0 {
						prev, cur = cur, -1
						if wu, ok := g.words[string(term)]; ok {
							cur = wu.word
							if wu.unit >= 0 {
								w.units = append(w.units, wu.unit)
							}
						}
						return
					}
					if prev >= 0 && cur >= 0 {
						if u, ok := g.pairs[pairKey(prev, cur)]; ok {
							w.units = append(w.units, u)
						}
					}
				})
			default:
				g.tok.each(text, lookup)
			}
			w.ptr = append(w.ptr, len(w.units))
			w.terms = append(w.terms, n)
		}
		if g.ordered {
			b.scoreRuns(g, texts, opt, w, out)
			continue
		}
		for k, i := range g.members {
			m := b.models[i]
			for j := range texts {
				ids := w.doc.ids[:0]
				for _, u := range w.units[w.ptr[j]:w.ptr[j+1]] {
					if c := g.cols[int(u)*K+k]; c >= 0 {
						ids = append(ids, c)
					}
				}
				w.doc.ids = ids
				if n := w.terms[j]; n > 0 {
					out[j].KnownShare = max(out[j].KnownShare, float64(len(ids))/float64(n))
				}
				w.row.Ptr = append(w.row.Ptr[:0], 0)
				w.row.Idx, w.row.Val = w.row.Idx[:0], w.row.Val[:0]
				appendIDs(&w.row, &w.doc, m.vz.idf)
				out[j].Predictions[i] = b.predict(i, w.row.Row(0), opt, j, texts[j], w)
			}
		}
	}
}

// scoreRuns scores the texts of a group whose vocabularies are in unit
// order: each text's units are sorted and counted once, then each member
// makes its row from them as appendIDs would (the same columns in the same
// order, the same weights to the last bit) without sorting again.
func (b *Batch) scoreRuns(g *termGroup, texts []string, opt PredictOptions, w *batchBuf, out []Classified) {
	K := len(g.members)
	w.runs, w.rptr = w.runs[:0], append(w.rptr[:0], 0)
	for j := range texts {
		us := w.units[w.ptr[j]:w.ptr[j+1]]
		slices.Sort(us)
		for i := 0; i < len(us); {
			n := 1
			for i+n < len(us) && us[i+n] == us[i] {
				n++
			}
			w.runs = append(w.runs, unitRun{u: us[i], n: int32(n), tf: 1 + math.Log(float64(n))})
			i += n
		}
		w.rptr = append(w.rptr, len(w.runs))
	}
	for k, i := range g.members {
		m := b.models[i]
		idf := m.vz.idf
		for j := range texts {
			row := &w.row
			row.Ptr = append(row.Ptr[:0], 0)
			row.Idx, row.Val = row.Idx[:0], row.Val[:0]
			x := w.doc.w[:0]
			known := 0
			var sum float64
			for _, r := range w.runs[w.rptr[j]:w.rptr[j+1]] {
				c := g.cols[int(r.u)*K+k]
				if c < 0 {
					continue
				}
				v := r.tf * idf[c]
				sum += v * v
				x = append(x, v)
				row.Idx = append(row.Idx, c)
				known += int(r.n)
			}
			w.doc.w = x
			if n := w.terms[j]; n > 0 {
				out[j].KnownShare = max(out[j].KnownShare, float64(known)/float64(n))
			}
			if sum > 0 {
				inv := 1 / math.Sqrt(sum)
				for _, v := range x {
					row.Val = append(row.Val, float32(v*inv))
				}
			} else {
				row.Idx = row.Idx[:0]
			}
			row.Ptr = append(row.Ptr, len(row.Idx))
			out[j].Predictions[i] = b.predict(i, row.Row(0), opt, j, texts[j], w)
		}
	}
}

// predict is model i's prediction for x, the row of the j-th text of a
// chunk, equal to its PredictText of the text. A model calibrated by kind
// applies the kind the caller gave for the text (opt.Kinds), else opt.Kind,
// else the kind DetectKind reads in the text. Reading the kind costs more
// than scoring the text, so it is read only when the scores leave the
// prediction to the kind (see kindBand), and once for all the models.
func (b *Batch) predict(i int, x Vector, opt PredictOptions, j int, text string, w *batchBuf) Prediction {
	m := b.models[i]
	if m.KindThreshold == nil {
		return m.predict(x, opt, &w.score)
	}
	if j < len(opt.Kinds) && opt.Kinds[j] != "" {
		opt.Kind = opt.Kinds[j]
	}
	if opt.Kind == "" {
		opt.Kind = w.kinds[j]
	}
	if opt.Kind != "" || x.Len() == 0 {
		return m.predict(x, opt, &w.score)
	}
	// Only the scores surely below every kind's thresholds are left out
	// (those predict would leave out for the kind with the lowest), then
	// decided as predict decides them.
	band := b.bands[i]
	var s []float64
	if opt.TopK <= 0 {
		s = m.scoresCut(x, &w.score, band.cuts, band.lo)
	} else {
		s = m.scores(x, &w.score)
	}
	if !band.decides(m, s) {
		w.kinds[j] = DetectKind(text)
	}
	opt.Kind = cmp.Or(w.kinds[j], band.any)
	return m.decide(s, x, opt, &w.score)
}

// kindBand tells, from a text's scores, whether a model calibrated by kind
// makes the same prediction of the text whatever kind DetectKind reads in
// it: when every label's score is at or above its threshold for every kind
// (hi), or below it for every kind (lo), the labels over their thresholds
// are the same for every kind, and so are the best of the rest and the next
// best; if in addition they span no more groups than any kind's limit
// (KindMaxGroups), or one group where a kind asks a later group for a
// margin (KindGroupMargin), no kind drops any of them; and when none is
// over, the fallback is the same if every kind has the same floor
// (KindFloor).
type kindBand struct {
	lo, hi    []float64
	maxGroups int    // the least KindMaxGroups of a kind, 0: none
	margin    bool   // a kind keeps a later group only a margin over its threshold
	floors    bool   // the kinds' floors differ
	any       string // a kind to decide with when all decide alike
	// cuts leave out of the scores the labels surely below lo (see
	// marginCuts), which decides then finds below every kind's threshold.
	cuts *marginCuts
}

func newKindBand(m *MultiLabel) *kindBand {
	k := &kindBand{lo: slices.Clone(m.Thresholds(TextKinds[0])), hi: slices.Clone(m.Thresholds(TextKinds[0])), any: TextKinds[0]}
	for _, kind := range TextKinds {
		for l, t := range m.Thresholds(kind) {
			// min and max keep a NaN threshold, which no score passes
			// the tests of decides.
			k.lo[l], k.hi[l] = min(k.lo[l], t), max(k.hi[l], t)
		}
		if n := m.KindMaxGroups[kind]; n > 0 && (k.maxGroups == 0 || n < k.maxGroups) {
			k.maxGroups = n
		}
		k.margin = k.margin || m.KindMaxGroups[kind] > 0 && m.KindGroupMargin[kind] > 0
		k.floors = k.floors || m.floorOf(kind) != m.floorOf(TextKinds[0])
	}
	if k.margin && k.maxGroups > 1 {
		k.maxGroups = 1
	}
	k.cuts = m.newMarginCuts(k.lo)
	return k
}

// decides tells whether the scores s of a text make the same prediction for
// every kind of text.
func (k *kindBand) decides(m *MultiLabel, s []float64) bool {
	var groups [8]string
	seen := groups[:0]
	over := false
	for l, v := range s {
		switch {
		case v < k.lo[l]:
		case v >= k.hi[l]:
			over = true
			if k.maxGroups == 0 {
				continue
			}
			g, _, _ := strings.Cut(m.Labels[l], ".")
			if !slices.Contains(seen, g) {
				if len(seen) == k.maxGroups {
					return false
				}
				seen = append(seen, g)
			}
		default:
			return false
		}
	}
	return over || !k.floors
}
