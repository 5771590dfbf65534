package classify

import (
	"context"
	"fmt"
	"runtime"
	"slices"
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
}

// termGroup is the models of a Batch whose tokenisers make the same terms.
type termGroup struct {
	tok     *Tokenizer
	members []int            // indices into Batch.models
	index   map[string]int32 // each term of any member's vocabulary → its unit u
	// cols[u·len(members) + k] is the column of unit u in member k's
	// vocabulary, or -1 when that vocabulary lacks it.
	cols []int32
}

// NewBatch returns a Batch of models; results keep their order.
func NewBatch(models ...*MultiLabel) *Batch {
	b := &Batch{models: slices.Clone(models)}
	for i, m := range models {
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
		g.index = make(map[string]int32)
		for k, i := range g.members {
			for c, t := range models[i].vz.terms {
				u, ok := g.index[t]
				if !ok {
					u = int32(len(g.cols) / K)
					g.index[t] = u
					for range K {
						g.cols = append(g.cols, -1)
					}
				}
				g.cols[int(u)*K+k] = int32(c)
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
				b.classify(texts[lo:hi], o, &w, out[lo:hi])
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
	b.classify([]string{text}, opt, &w, out)
	return out[0]
}

// batchBuf is one worker's scratch space.
type batchBuf struct {
	units []int32 // the units of the texts' terms, one per occurrence
	ptr   []int   // text j's units are units[ptr[j]:ptr[j+1]]
	terms []int   // text j's number of terms
	doc   docBuf
	row   Matrix
	score scoreBuf
}

// classify fills out[j] for texts[j]. It works in phases, all texts of the
// chunk at a time: first tokenising them, then each model scoring them,
// so that the vocabulary and each model's weights stay in the processor's
// caches while they are used (interleaving them text by text took 15-20%
// more CPU time).
func (b *Batch) classify(texts []string, opt PredictOptions, w *batchBuf, out []Classified) {
	for j := range out {
		out[j].KnownShare = 0
	}
	for _, g := range b.groups {
		K := len(g.members)
		w.units, w.ptr, w.terms = w.units[:0], append(w.ptr[:0], 0), w.terms[:0]
		for _, text := range texts {
			n := 0
			g.tok.each(text, func(term []byte) {
				n++
				if u, ok := g.index[string(term)]; ok {
					w.units = append(w.units, u)
				}
			})
			w.ptr = append(w.ptr, len(w.units))
			w.terms = append(w.terms, n)
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
				o := opt
				if m.KindThreshold != nil {
					if j < len(opt.Kinds) && opt.Kinds[j] != "" {
						o.Kind = opt.Kinds[j]
					}
					o.Kind = m.kindOf(texts[j], o)
				}
				out[j].Predictions[i] = m.predict(w.row.Row(0), o, &w.score)
			}
		}
	}
}
