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
	"sync/atomic"
)

// MultiLabelOptions configures TrainMultiLabel. Zero fields take the
// defaults named.
type MultiLabelOptions struct {
	Linear LinearOptions // the per-label binary classifiers; Seed is mixed with the label index

	// Folds is the number of cross-validation folds whose out-of-fold
	// decision values fit the Platt scaling and tune the thresholds; 0 means
	// 3 (on the UPR Info issues 5 folds gained under 0.004 micro- and
	// macro-F1, for about twice the training time).
	Folds int
	// MinPositives: a label with fewer training positives gets the global
	// threshold instead of its own, which would be tuned on too few cases; 0 means 20.
	MinPositives int
	// Floor: when no label reaches its threshold the best label is assigned
	// anyway, unless its score is below Floor (the text is then unclassified);
	// 0 means 0.1, negative means never fall back.
	Floor float64

	// Descriptions holds a text per label (label name → description). A
	// label named here is part of the model even when no training text has
	// it. See MultiLabel for how description similarity is blended in.
	Descriptions map[string]string
	// DescPrior is the number of training positives at which the linear
	// score and the description similarity weigh the same; 0 means 10.
	DescPrior float64
	// DescThreshold is the threshold of a label with no training positive,
	// compared with the cosine of text and description; 0 means 0.5.
	DescThreshold float64

	// OutOfFold, when set, is called once with the out-of-fold score of
	// every label (Labels order) on every training row, the scores the
	// thresholds are tuned on: a caller tunes thresholds per kind of text
	// on them (MultiLabel.KindThreshold). Not saved.
	OutOfFold func(scores [][]float64) `json:"-"`
}

func (o MultiLabelOptions) withDefaults() MultiLabelOptions {
	if o.Folds == 0 {
		o.Folds = 3
	}
	if o.MinPositives == 0 {
		o.MinPositives = 20
	}
	if o.Floor == 0 {
		o.Floor = 0.1
	}
	if o.DescPrior == 0 {
		o.DescPrior = 10
	}
	if o.DescThreshold == 0 {
		o.DescThreshold = 0.5
	}
	return o
}

// MultiLabel is a one-vs-rest multi-label classifier over TF-IDF vectors.
//
// A label's score is in [0, 1]. For a label with n training positives,
// linear decision d, Platt parameters (A, B) and, when it has a
// description, cosine c between the text and the description:
//
//	p = 1 / (1 + exp(A·d + B))
//	score = λ·p + (1 − λ)·c,  λ = n / (n + DescPrior)  (λ = 1 without a description)
//
// so a well-trained label is scored by its classifier, and a label never
// seen in training (λ = 0) by the description alone. Thresholds are tuned
// on the out-of-fold scores of this same formula. A label is assigned when
// its score reaches its threshold; see Predict for the fallback.
type MultiLabel struct {
	Labels    []string
	Positives []int // training positives per label
	Threshold []float64
	// KindThreshold holds, per kind of text (KindRecommendation, …), a
	// threshold per label tuned on texts of that kind; Predict uses them
	// for a text of that kind (PredictOptions.Kind), Threshold otherwise.
	// nil in a model not calibrated by kind.
	KindThreshold map[string][]float64
	// KindMaxGroups holds, per kind, the most label groups a text of that
	// kind gets: a group is the labels named alike up to the first "." (an
	// SDG goal "5" and its targets "5.2"), ranked by their best score.
	// OHCHR gives a recommendation of its thematic lists one goal, seldom
	// two. A kind not named here has no limit.
	KindMaxGroups map[string]int
	// KindGroupMargin holds, per kind with KindMaxGroups, how far over its
	// threshold the best label of a text's second or later group must be
	// for the group to be kept: a second SDG goal only when the model is
	// clearly sure of it. A kind not named here needs no margin.
	KindGroupMargin map[string]float64
	// KindFloor holds, per kind, the floor that replaces Floor for a text
	// of that kind (an SDG model gives general text its best goal even when
	// weak: expert sets label nearly every snippet with a goal).
	KindFloor map[string]float64
	// Global is the threshold maximising micro-F1 over all labels'
	// out-of-fold scores, used for labels with few positives.
	Global float64
	Floor  float64
	Platt  [][2]float64 // A, B per label
	Bias   []float64
	Lambda []float64 // weight of the linear score, see above
	// Descriptions are the label descriptions used, by label name.
	Descriptions map[string]string

	vz   *Vectorizer
	cols int
	// w holds the weights term-major, w[c·L + l] for column c and label l:
	// scoring a sparse text then reads one contiguous run of L weights per
	// term (see BenchmarkScoreLayouts for the measured alternatives).
	w    []float32
	desc []Vector // normalised description vector per label; zero when none

	descOnce sync.Once
	descIx   *descIndex // see descriptions
	cutOnce  sync.Once
	cuts     map[string]*marginCuts // by kind, "" for Threshold; see marginCuts
}

// Vectorizer returns the vectoriser the model's columns come from.
func (m *MultiLabel) Vectorizer() *Vectorizer { return m.vz }

// TrainMultiLabel trains one binary classifier per label on the rows of X
// (TF-IDF vectors made by vz), y[i] being the labels of row i, spreading the
// (fold, label) fits over GOMAXPROCS goroutines.
func TrainMultiLabel(ctx context.Context, vz *Vectorizer, X *Matrix, y [][]string, opt MultiLabelOptions) (*MultiLabel, error) {
	opt = opt.withDefaults()
	n := X.Rows()
	switch {
	case n != len(y):
		return nil, fmt.Errorf("train multi-label model: %d rows but %d label lists", n, len(y))
	case X.Cols != vz.Len():
		return nil, fmt.Errorf("train multi-label model: matrix has %d columns, vocabulary %d terms", X.Cols, vz.Len())
	case opt.Folds < 2 || opt.Folds > n:
		return nil, fmt.Errorf("train multi-label model: %d folds for %d rows", opt.Folds, n)
	}
	lin := opt.Linear.withDefaults()
	if err := lin.check(); err != nil {
		return nil, fmt.Errorf("train multi-label model: %w", err)
	}
	labels, Y := labelSet(y, opt.Descriptions)
	if len(labels) == 0 {
		return nil, errors.New("train multi-label model: no labels in the training data or descriptions")
	}
	L := len(labels)
	m := &MultiLabel{Labels: labels, Positives: make([]int, L), Threshold: make([]float64, L),
		Floor: opt.Floor, Platt: make([][2]float64, L), Bias: make([]float64, L), Lambda: make([]float64, L),
		vz: vz, cols: X.Cols, w: make([]float32, X.Cols*L), desc: make([]Vector, L)}
	for l := range L {
		for _, pos := range Y[l] {
			if pos {
				m.Positives[l]++
			}
		}
		m.Lambda[l] = 1
		if d, ok := opt.Descriptions[labels[l]]; ok {
			if m.Descriptions == nil {
				m.Descriptions = map[string]string{}
			}
			m.Descriptions[labels[l]] = d
			m.desc[l] = vz.Vector(d)
			m.Lambda[l] = float64(m.Positives[l]) / (float64(m.Positives[l]) + opt.DescPrior)
		}
	}

	folds, err := KFold(n, opt.Folds, lin.Seed)
	if err != nil {
		return nil, fmt.Errorf("train multi-label model: %w", err)
	}
	trainRows := make([][]int, len(folds))
	for f, fold := range folds {
		trainRows[f] = Complement(n, fold)
	}
	// Subset matrices are shared by all labels of a fold, made once.
	sub := make([]*Matrix, len(folds))
	for f := range folds {
		sub[f] = selectRows(X, trainRows[f])
	}
	oof := make([][]float64, L)
	for l := range oof {
		oof[l] = make([]float64, n)
	}
	// The final fit of each label comes first, from zero; each fold's fit
	// then starts from its dual solution less the held-out rows, which is
	// close to the fold's own optimum, so the folds cost a few epochs each
	// instead of a full fit. Both phases spread over GOMAXPROCS goroutines.
	final := len(folds)
	alpha := make([][]float64, L)
	var fits []fit
	for l := range L {
		if m.Positives[l] > 0 { // else nothing to learn; scored by its description only
			fits = append(fits, fit{final, l})
		}
	}
	err = runEach(ctx, len(fits), func(k int) error {
		t := fits[k]
		b, a, err := trainBinary(ctx, X, Y[t.label], lin.forFit(t), nil)
		if err != nil {
			return fmt.Errorf("label %q: %w", labels[t.label], err)
		}
		for c, v := range b.W {
			m.w[c*L+t.label] = float32(v)
		}
		m.Bias[t.label] = b.B
		alpha[t.label] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("train multi-label model: %w", err)
	}
	// Fold-major, so that the goroutines share one fold's rows in cache.
	var foldFits []fit
	for f := range folds {
		for _, t := range fits {
			foldFits = append(foldFits, fit{f, t.label})
		}
	}
	err = runEach(ctx, len(foldFits), func(k int) error {
		t := foldFits[k]
		rows := trainRows[t.fold]
		yy := make([]bool, len(rows))
		for j, i := range rows {
			yy[j] = Y[t.label][i]
		}
		var a0 []float64
		if full := alpha[t.label]; full != nil {
			a0 = make([]float64, len(rows))
			for j, i := range rows {
				a0[j] = full[i]
			}
		}
		o := lin.forFit(t)
		o.Tol = max(o.Tol, foldTol)
		b, _, err := trainBinary(ctx, sub[t.fold], yy, o, a0)
		if err != nil {
			return fmt.Errorf("label %q fold %d: %w", labels[t.label], t.fold, err)
		}
		for _, i := range folds[t.fold] {
			oof[t.label][i] = b.Decision(X.Row(i))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("train multi-label model: %w", err)
	}

	// Out-of-fold scores, by the same formula as Scores.
	err = runEach(ctx, L, func(l int) error {
		if m.Positives[l] > 0 {
			m.Platt[l] = fitPlatt(oof[l], Y[l])
		}
		for i := range n {
			if err := ctxEvery(ctx, i); err != nil {
				return err
			}
			oof[l][i] = m.blend(l, oof[l][i], X.Row(i))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("train multi-label model: %w", err)
	}
	// Task 0 is the global threshold, first as the longest.
	err = runEach(ctx, L+1, func(k int) error {
		l := k - 1
		switch {
		case k == 0:
			m.Global = bestThreshold(oof, Y)
		case m.Positives[l] == 0:
			m.Threshold[l] = opt.DescThreshold
		case m.Positives[l] >= opt.MinPositives:
			m.Threshold[l] = bestThreshold(oof[l:l+1], Y[l:l+1])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("train multi-label model: %w", err)
	}
	for l := range L {
		if m.Positives[l] > 0 && m.Positives[l] < opt.MinPositives {
			m.Threshold[l] = m.Global
		}
	}
	if opt.OutOfFold != nil {
		opt.OutOfFold(oof)
	}
	return m, nil
}

// foldTol is the loosest stopping tolerance of the cross-validation fits
// (LIBLINEAR's own default for its dual SVM solvers). Their decisions only
// feed the Platt scaling and the thresholds: on the UPR Info issues, held-out
// decisions at 0.1 differ from those at 1e-4 by under 0.012 (root mean
// square under 0.007), for about a fifth of the work when warm-started.
const foldTol = 0.1

// fit is one binary fit of TrainMultiLabel: a label on the training rows of
// a fold, or on all rows when fold is the number of folds.
type fit struct{ fold, label int }

// forFit returns the options of one fit, its seed mixed with the label and fold.
func (o LinearOptions) forFit(t fit) LinearOptions {
	o.Seed ^= uint64(t.label+1)*0x9e3779b97f4a7c15 ^ uint64(t.fold)
	return o
}

// runEach calls do(k) for k in [0, n) on GOMAXPROCS goroutines, each
// taking the next k when done with its last, and stops at the first error or
// when ctx is done.
func runEach(ctx context.Context, n int, do func(k int) error) error {
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for wk := range errs {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= n || ctx.Err() != nil || failed.Load() {
					return
				}
				if err := do(k); err != nil {
					errs[wk] = err
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

func ctxEvery(ctx context.Context, i int) error {
	if i%1024 == 0 {
		return ctx.Err()
	}
	return nil
}

// labelSet returns the sorted labels of y and descs and, per label, which
// rows have it.
func labelSet(y [][]string, descs map[string]string) ([]string, [][]bool) {
	set := map[string]bool{}
	for _, ls := range y {
		for _, l := range ls {
			set[l] = true
		}
	}
	for l := range descs {
		set[l] = true
	}
	labels := make([]string, 0, len(set))
	for l := range set {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	idx := make(map[string]int, len(labels))
	for i, l := range labels {
		idx[l] = i
	}
	Y := make([][]bool, len(labels))
	for l := range Y {
		Y[l] = make([]bool, len(y))
	}
	for i, ls := range y {
		for _, l := range ls {
			Y[idx[l]][i] = true
		}
	}
	return labels, Y
}

// selectRows returns a new matrix of X's rows at idx, in that order.
func selectRows(X *Matrix, idx []int) *Matrix {
	out := NewMatrix(X.Cols)
	for _, i := range idx {
		out.Append(X.Row(i))
	}
	return out
}

// blend turns label l's decision value on x into its score (see MultiLabel).
func (m *MultiLabel) blend(l int, dec float64, x Vector) float64 {
	s := 0.0
	if m.Positives[l] > 0 {
		s = m.Lambda[l] * sigmoid(-(m.Platt[l][0]*dec + m.Platt[l][1]))
	}
	if m.Lambda[l] < 1 {
		s += (1 - m.Lambda[l]) * max(0, x.Cosine(m.desc[l]))
	}
	return s
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// fitPlatt fits P(y=1|d) = 1/(1+exp(A·d+B)) by maximum likelihood with
// Platt's smoothed targets, by the Newton method with backtracking of Lin,
// Lin and Weng (2007), "A note on Platt's probabilistic outputs".
func fitPlatt(dec []float64, y []bool) [2]float64 {
	var prior1, prior0 float64
	for _, p := range y {
		if p {
			prior1++
		} else {
			prior0++
		}
	}
	hi, lo := (prior1+1)/(prior1+2), 1/(prior0+2)
	t := func(i int) float64 {
		if y[i] {
			return hi
		}
		return lo
	}
	objective := func(A, B float64) float64 {
		var f float64
		for i, d := range dec {
			z := d*A + B
			if z >= 0 {
				f += t(i)*z + math.Log1p(math.Exp(-z))
			} else {
				f += (t(i)-1)*z + math.Log1p(math.Exp(z))
			}
		}
		return f
	}
	A, B := 0.0, math.Log((prior0+1)/(prior1+1))
	fval := objective(A, B)
	const sigma, minStep = 1e-12, 1e-10
	for range 100 {
		h11, h22, h21, g1, g2 := sigma, sigma, 0.0, 0.0, 0.0
		for i, d := range dec {
			z := d*A + B
			var p, q float64
			if z >= 0 {
				e := math.Exp(-z)
				p, q = e/(1+e), 1/(1+e)
			} else {
				e := math.Exp(z)
				p, q = 1/(1+e), e/(1+e)
			}
			d2 := p * q
			h11 += d * d * d2
			h22 += d2
			h21 += d * d2
			d1 := t(i) - p
			g1 += d * d1
			g2 += d1
		}
		if math.Abs(g1) < 1e-5 && math.Abs(g2) < 1e-5 {
			break
		}
		det := h11*h22 - h21*h21
		dA, dB := -(h22*g1-h21*g2)/det, -(-h21*g1+h11*g2)/det
		gd := g1*dA + g2*dB
		step := 1.0
		for step >= minStep {
			nA, nB := A+step*dA, B+step*dB
			if nf := objective(nA, nB); nf < fval+1e-4*step*gd {
				A, B, fval = nA, nB, nf
				break
			}
			step /= 2
		}
		if step < minStep {
			break
		}
	}
	return [2]float64{A, B}
}

// bestThreshold returns the threshold maximising F1 pooled over the given
// labels' scores (micro-F1 when several): halfway between the lowest score
// kept and the next lower one, so that it does not sit on a training score.
func bestThreshold(scores [][]float64, Y [][]bool) float64 {
	type pt struct {
		s   float64
		pos bool
	}
	var pts []pt
	support := 0
	for l := range scores {
		for i, s := range scores[l] {
			pts = append(pts, pt{s, Y[l][i]})
			if Y[l][i] {
				support++
			}
		}
	}
	if support == 0 || len(pts) == 0 {
		return 0.5
	}
	slices.SortFunc(pts, func(a, b pt) int { return cmp.Compare(b.s, a.s) })
	best, bestF, tp := 0.5, -1.0, 0
	for k := 0; k < len(pts); k++ {
		if pts[k].pos {
			tp++
		}
		if k+1 < len(pts) && pts[k+1].s == pts[k].s {
			continue // a threshold cannot split tied scores
		}
		f := 2 * float64(tp) / float64(k+1+support)
		if f > bestF {
			bestF = f
			next := 0.0
			if k+1 < len(pts) {
				next = pts[k+1].s
			}
			best = (pts[k].s + next) / 2
		}
	}
	return best
}

// Scores returns the score in [0, 1] of each label for x (in Labels order).
func (m *MultiLabel) Scores(x Vector) []float64 {
	var b scoreBuf
	return m.scores(x, &b)
}

// scoreBuf holds the buffers scoring one text reuses for the next: the
// scores, the dot products with the descriptions and the label orders.
type scoreBuf struct {
	rows       []int     // offsets in w of the text's terms
	vals       []float64 // their weights in the text
	dec, dot   []float64
	over, rest []int
	top        []contrib
	tops       []contrib // the evidence of several labels, see evidenceOf
	ntop       []int32
	z, part    []float64 // the margins and description parts of the labels in lazy
	lazy       []int     // the labels whose score scoresLazy left out
	ev         []string  // storage of the evidence handed out (see assigned)
	zero       []float32 // weights of no term, for scoresCut
}

// contrib is one term's contribution to a label's decision (see Evidence).
type contrib struct {
	col int32
	v   float32
}

// descIndex holds the label descriptions column-major: the entries of column
// c are lab/val[ptr[c]:ptr[c+1]], in label order. Scoring a text then finds
// its dot products with every description in one pass over the text's
// terms, instead of one merge of the text with each description; each dot
// product still adds the same products in the same (column) order as
// Vector.Dot, so the scores are the same to the last bit.
type descIndex struct {
	any  bool      // some label is scored partly by its description
	norm []float64 // per label, of its description; 0 when none
	ptr  []int32
	lab  []int32
	val  []float32
}

// descriptions returns the model's descIndex, built on first use: the
// descriptions do not change after training or reading.
func (m *MultiLabel) descriptions() *descIndex {
	m.descOnce.Do(func() {
		L := len(m.Labels)
		ix := &descIndex{norm: make([]float64, L), ptr: make([]int32, m.cols+1)}
		used := func(l int) bool { return m.Lambda[l] < 1 && l < len(m.desc) }
		for l := range L {
			if !used(l) {
				continue
			}
			ix.any = true
			ix.norm[l] = m.desc[l].Norm()
			for _, c := range m.desc[l].Idx {
				if int(c) < m.cols {
					ix.ptr[c+1]++
				}
			}
		}
		for c := range m.cols {
			ix.ptr[c+1] += ix.ptr[c]
		}
		ix.lab = make([]int32, ix.ptr[m.cols])
		ix.val = make([]float32, ix.ptr[m.cols])
		next := slices.Clone(ix.ptr[:m.cols])
		for l := range L { // in label order, so each column's entries are too
			if !used(l) {
				continue
			}
			d := m.desc[l]
			for k, c := range d.Idx {
				if int(c) < m.cols {
					ix.lab[next[c]], ix.val[next[c]] = int32(l), d.Val[k]
					next[c]++
				}
			}
		}
		m.descIx = ix
	})
	return m.descIx
}

// scores computes Scores into b.dec and returns it. Each label's score is
// computed as blend computes it; see descIndex for the description cosines.
func (m *MultiLabel) scores(x Vector, b *scoreBuf) []float64 {
	return m.scoresLazy(x, b, false, "")
}

// scoresLazy is scores, but when lazy it leaves out the sigmoid of the
// labels whose score is surely below their threshold (see marginCuts):
// their score is -Inf until resolveScores computes it.
func (m *MultiLabel) scoresLazy(x Vector, b *scoreBuf, lazy bool, kind string) []float64 {
	if !lazy {
		return m.scoresCut(x, b, nil, nil)
	}
	return m.scoresCut(x, b, m.marginCuts(kind), m.Thresholds(kind))
}

// scoresCut is scoresLazy with the cuts given (nil: none left out), made
// for the thresholds th.
func (m *MultiLabel) scoresCut(x Vector, b *scoreBuf, cut *marginCuts, th []float64) []float64 {
	L := len(m.Labels)
	b.dec = append(b.dec[:0], m.Bias...)
	dec := b.dec
	// The weights of four terms are added per pass over the labels (see
	// addRows4Go).
	b.rows, b.vals = b.rows[:0], b.vals[:0]
	for k, c := range x.Idx {
		if int(c) < m.cols {
			b.rows = append(b.rows, int(c)*L)
			b.vals = append(b.vals, float64(x.Val[k]))
		}
	}
	rows, vals := b.rows, b.vals
	// Each run of weights is cut to len(dec), which lets the compiler drop
	// the bounds checks of the inner loops.
	n := len(dec)
	k := 0
	for ; k+4 <= len(rows) && k+4 <= len(vals); k += 4 {
		if next := rows[k+4:]; len(next) > 0 {
			// The next group's rows, a row repeated when fewer than four
			// are left.
			last := len(next) - 1
			prefetchRows4(&m.w[next[0]], &m.w[next[min(1, last)]], &m.w[next[min(2, last)]], &m.w[next[min(3, last)]], n)
		}
		addRows4(dec, m.w[rows[k]:][:n], m.w[rows[k+1]:][:n], m.w[rows[k+2]:][:n], m.w[rows[k+3]:][:n],
			vals[k], vals[k+1], vals[k+2], vals[k+3])
	}
	if k < len(rows) && len(rows) == len(vals) {
		// The last one to three terms, with a row of zeros times −0 for
		// each missing one: −0·0 = −0, and d + (−0) = d for every d, so
		// each label gets the sums of the terms alone, bit for bit.
		if len(b.zero) < n {
			b.zero = make([]float32, n)
		}
		var w [4][]float32
		var v [4]float64
		for i := range w {
			w[i], v[i] = b.zero[:n], math.Copysign(0, -1)
			if k+i < len(rows) {
				w[i], v[i] = m.w[rows[k+i]:][:n], vals[k+i]
			}
		}
		addRows4(dec, w[0], w[1], w[2], w[3], v[0], v[1], v[2], v[3])
	}
	ix := m.descriptions()
	var nx float64
	if ix.any {
		b.dot = append(b.dot[:0], make([]float64, L)...)
		for k, c := range x.Idx {
			if int(c) >= m.cols {
				continue
			}
			v := float64(x.Val[k])
			for j := ix.ptr[c]; j < ix.ptr[c+1]; j++ {
				b.dot[ix.lab[j]] += v * float64(ix.val[j])
			}
		}
		nx = x.Norm()
	}
	lazy := cut != nil
	b.lazy = b.lazy[:0]
	if lazy {
		b.z = slices.Grow(b.z[:0], L)[:L]
		b.part = slices.Grow(b.part[:0], L)[:L]
	}
	for l := range dec {
		lambda := m.Lambda[l]
		part := 0.0 // the description's part of the score
		if lambda < 1 {
			cos := 0.0
			if nx != 0 && ix.norm[l] != 0 {
				cos = b.dot[l] / (nx * ix.norm[l])
			}
			part = (1 - lambda) * max(0, cos)
		}
		s := 0.0
		if m.Positives[l] > 0 {
			z := -(m.Platt[l][0]*dec[l] + m.Platt[l][1])
			if lazy && z < cut.z[l] && part <= cut.part[l] && th[l] == cut.t[l] && lambda == cut.lambda[l] {
				b.z[l], b.part[l] = z, part
				b.lazy = append(b.lazy, l)
				dec[l] = math.Inf(-1)
				continue
			}
			s = lambda * sigmoid(z)
		}
		if lambda < 1 {
			s += part
		}
		dec[l] = s
	}
	return dec
}

// resolveScores computes the scores scoresLazy left out, as it computes
// the others.
func (m *MultiLabel) resolveScores(s []float64, b *scoreBuf) {
	for _, l := range b.lazy {
		s[l] = m.Lambda[l] * sigmoid(b.z[l])
		if m.Lambda[l] < 1 {
			s[l] += b.part[l]
		}
	}
	b.lazy = b.lazy[:0]
}

// marginCuts lets scoring leave out the exponential of most labels, which
// costs more than the rest of their score. A label with training positives
// scores λ·sigmoid(z) + p, z = −(A·d + B) being its margin and p its
// description's part (none when λ = 1). The sigmoid is monotonic, so when
// z is below z[l] and p at most part[l], the score is below the threshold
// for certain: z[l] is the logit of the share of the threshold left to the
// sigmoid (all of it when λ = 1, half otherwise, the other half being
// part[l]), lowered by far more than the rounding errors of computing
// either side (10⁻³ against 10⁻¹⁵). Every other label is scored, and
// compared with its threshold, exactly as before. t and lambda are the
// threshold and λ the cuts were computed for: a label whose threshold or λ
// has changed since is always scored.
type marginCuts struct {
	z, part, t, lambda []float64
}

func (m *MultiLabel) marginCuts(kind string) *marginCuts {
	m.cutOnce.Do(func() {
		m.cuts = map[string]*marginCuts{"": m.newMarginCuts(m.Threshold)}
		for k, th := range m.KindThreshold {
			if k != "" {
				m.cuts[k] = m.newMarginCuts(th)
			}
		}
	})
	if c, ok := m.cuts[kind]; ok {
		return c
	}
	return m.cuts[""]
}

// newMarginCuts makes the cuts of one set of thresholds.
func (m *MultiLabel) newMarginCuts(threshold []float64) *marginCuts {
	L := len(threshold)
	c := &marginCuts{z: make([]float64, L), part: make([]float64, L),
		t: slices.Clone(threshold), lambda: slices.Clone(m.Lambda)}
	for l, t := range c.t {
		c.z[l], c.part[l] = math.Inf(-1), math.Inf(-1) // never left out
		lambda := math.NaN()
		if l < len(c.lambda) {
			lambda = c.lambda[l]
		}
		if !(t > 0) || !(lambda > 0 && lambda <= 1) {
			continue
		}
		share := t
		if lambda < 1 {
			share = t / 2
		}
		switch q := share / lambda; {
		case q >= 1.01: // λ·sigmoid(z) ≤ λ < share
			c.z[l] = math.Inf(1)
		case q <= 0.9: // not so close to 1 that the margin vanishes
			lg := math.Log(q / (1 - q))
			c.z[l] = lg - 1e-3*(1+math.Abs(lg))
		default:
			continue
		}
		c.part[l] = share * (1 - 1e-9)
	}
	return c
}

// PredictOptions configures Predict.
type PredictOptions struct {
	TopK     int // also return up to TopK best labels not assigned, as Next
	Evidence int // terms of evidence per assigned label; 0 means none
	// ReadableEvidence gives the evidence in its readable form, as
	// Vectorizer.Readable would ("death penalty" for "death penalti"): what
	// people are shown.
	ReadableEvidence bool
	// Kind is the kind of text (KindRecommendation, …): a model calibrated
	// by kind applies that kind's thresholds. "" leaves it to the text:
	// Batch.Classify and PredictText then use DetectKind, while Predict
	// and PredictMatrix, which see no text, use the model's own thresholds.
	Kind string
	// Kinds gives the kind of each text of one Batch.Classify call (or row
	// of PredictMatrix), in order; an empty entry (or a short list) falls
	// back to Kind.
	Kinds []string
}

// Thresholds returns the thresholds Predict applies to a text of kind:
// the kind's own when the model was calibrated for it, else Threshold.
func (m *MultiLabel) Thresholds(kind string) []float64 {
	if t, ok := m.KindThreshold[kind]; ok && kind != "" {
		return t
	}
	return m.Threshold
}

// kindOf is the kind whose thresholds apply to text under opt.
func (m *MultiLabel) kindOf(text string, opt PredictOptions) string {
	if opt.Kind != "" || m.KindThreshold == nil {
		return opt.Kind
	}
	return DetectKind(text)
}

// Assigned is one label with its score and, when asked, the evidence: the
// terms of the text contributing most to the label's linear decision.
type Assigned struct {
	Label    string   `json:"label"`
	Score    float64  `json:"score"`
	Evidence []string `json:"evidence,omitempty"`
}

// Prediction is what Predict made of one text.
type Prediction struct {
	Labels []Assigned `json:"labels"` // highest score first
	// Unclassified is set when no label reached its threshold and the best
	// one scored below the floor: Labels is then empty.
	Unclassified bool       `json:"unclassified,omitempty"`
	Next         []Assigned `json:"next,omitempty"` // the TopK next best labels
}

// Predict assigns the labels whose score reaches their threshold. When none
// does, the best label is assigned if its score reaches Floor; otherwise the
// text is unclassified. A text with no term of the vocabulary is always
// unclassified: the biases alone say nothing about it.
func (m *MultiLabel) Predict(x Vector, opt PredictOptions) Prediction {
	var b scoreBuf
	return m.predict(x, opt, &b)
}

// predict is Predict with the buffers of b.
func (m *MultiLabel) predict(x Vector, opt PredictOptions, b *scoreBuf) Prediction {
	if x.Len() == 0 {
		return Prediction{Unclassified: true}
	}
	// Without TopK, only the labels that may reach their threshold need
	// their score, unless none does (see resolveScores in decide).
	return m.decide(m.scoresLazy(x, b, opt.TopK <= 0, opt.Kind), x, opt, b)
}

// decide is predict once the scores s of x are known (some perhaps left
// out by scoresLazy, computed here when they are needed).
func (m *MultiLabel) decide(s []float64, x Vector, opt PredictOptions, b *scoreBuf) Prediction {
	th := m.Thresholds(opt.Kind)
	// Only the assigned labels need ordering, and the rest only for the
	// fallback (their best) and TopK; nearly all texts need neither sort
	// of all labels. Ties keep label order throughout.
	byScore := func(a, b int) int { return cmp.Compare(s[b], s[a]) }
	var p Prediction
	over := b.over[:0]
	for l := range s {
		if s[l] >= th[l] {
			over = append(over, l)
		}
	}
	slices.SortStableFunc(over, byScore)
	if n := m.KindMaxGroups[opt.Kind]; n > 0 && opt.Kind != "" {
		over = m.limitGroups(over, n, m.KindGroupMargin[opt.Kind], s, th)
	}
	b.over = over
	if len(over) > 0 {
		p.Labels = make([]Assigned, 0, len(over))
	}
	if opt.Evidence > 0 && len(over) > 1 {
		m.evidenceOf(over, x, opt.Evidence, b)
		for i, l := range over {
			k := opt.Evidence
			p.Labels = append(p.Labels, m.assignedWith(l, s[l], b.tops[i*k:i*k+int(b.ntop[i])], opt, b))
		}
	} else {
		for _, l := range over {
			p.Labels = append(p.Labels, m.assigned(l, s[l], x, opt, b))
		}
	}
	best := -1 // the best label under its threshold
	if len(p.Labels) == 0 {
		m.resolveScores(s, b)
		for l := range s {
			if s[l] < th[l] && (best < 0 || cmp.Compare(s[l], s[best]) > 0) {
				best = l
			}
		}
		floor := m.floorOf(opt.Kind)
		if best >= 0 && floor >= 0 && s[best] >= floor {
			p.Labels = append(p.Labels, m.assigned(best, s[best], x, opt, b))
		} else {
			p.Unclassified = true
			best = -1
		}
	}
	if opt.TopK > 0 {
		rest := b.rest[:0]
		for l := range s {
			if s[l] < th[l] && l != best {
				rest = append(rest, l)
			}
		}
		b.rest = rest
		slices.SortStableFunc(rest, byScore)
		for _, l := range rest[:min(opt.TopK, len(rest))] {
			p.Next = append(p.Next, Assigned{Label: m.Labels[l], Score: s[l]})
		}
	}
	return p
}

// floorOf is the floor of a text of the kind: KindFloor's, else Floor.
func (m *MultiLabel) floorOf(kind string) float64 {
	if f, ok := m.KindFloor[kind]; ok && kind != "" {
		return f
	}
	return m.Floor
}

// limitGroups keeps, of the labels over (best first), those of the first n
// groups (see KindMaxGroups), in place; a group after the first only when
// one of its labels is at least margin over its threshold (scores s,
// thresholds th; see KindGroupMargin).
func (m *MultiLabel) limitGroups(over []int, n int, margin float64, s, th []float64) []int {
	var groups [8]string
	seen := groups[:0]
	kept := over[:0]
	for i, l := range over {
		g := groupOf(m.Labels[l])
		if !slices.Contains(seen, g) {
			if len(seen) == n || len(seen) > 0 && margin > 0 && !m.groupOver(over[i:], g, margin, s, th) {
				continue
			}
			seen = append(seen, g)
		}
		kept = append(kept, l)
	}
	return kept
}

// groupOf is the group of a label: its name up to the first ".".
func groupOf(label string) string {
	g, _, _ := strings.Cut(label, ".")
	return g
}

// groupOver tells whether a label of group g among over is at least margin
// over its threshold.
func (m *MultiLabel) groupOver(over []int, g string, margin float64, s, th []float64) bool {
	for _, l := range over {
		if s[l]-th[l] >= margin && groupOf(m.Labels[l]) == g {
			return true
		}
	}
	return false
}

func (m *MultiLabel) assigned(l int, score float64, x Vector, opt PredictOptions, b *scoreBuf) Assigned {
	if opt.Evidence <= 0 {
		return Assigned{Label: m.Labels[l], Score: score}
	}
	b.top = m.evidence(l, x, opt.Evidence, b.top)
	return m.assignedWith(l, score, b.top, opt, b)
}

// assignedWith is assigned with the label's evidence found: top.
func (m *MultiLabel) assignedWith(l int, score float64, top []contrib, opt PredictOptions, b *scoreBuf) Assigned {
	a := Assigned{Label: m.Labels[l], Score: score}
	if opt.Evidence <= 0 {
		return a
	}
	// The evidence of many labels shares one allocation: each label's is
	// a full slice of it, so that appending to one cannot touch another,
	// and the storage is never written again once handed out.
	if cap(b.ev)-len(b.ev) < len(top) || b.ev == nil {
		b.ev = make([]string, 0, max(64, len(top)))
	}
	start := len(b.ev)
	for _, t := range top {
		if opt.ReadableEvidence {
			b.ev = append(b.ev, m.vz.Display(int(t.col)))
		} else {
			b.ev = append(b.ev, m.vz.Term(int(t.col)))
		}
	}
	a.Evidence = b.ev[start:len(b.ev):len(b.ev)]
	return a
}

// Evidence returns the k terms of x with the largest positive contribution
// (weight × tf-idf) to label l's linear decision, largest first.
func (m *MultiLabel) Evidence(l int, x Vector, k int) []string {
	if k <= 0 || l < 0 || l >= len(m.Labels) {
		return nil
	}
	top := m.evidence(l, x, k, nil)
	out := make([]string, len(top))
	for i, t := range top {
		out[i] = m.vz.Term(int(t.col))
	}
	return out
}

// evidence returns, in top[:0], the k largest contributions to label l,
// largest first (ties in column order), kept in order while reading x: k is
// small, so insertion beats collecting and sorting them all.
func (m *MultiLabel) evidence(l int, x Vector, k int, top []contrib) []contrib {
	L := len(m.Labels)
	top = slices.Grow(top[:0], k+1)
	cols := min(m.cols, m.vz.Len())
	for j, col := range x.Idx {
		if int(col) >= cols {
			continue
		}
		v := x.Val[j] * m.w[int(col)*L+l]
		if !(v > 0) || len(top) == k && v <= top[k-1].v {
			continue
		}
		at := len(top)
		for at > 0 && top[at-1].v < v {
			at--
		}
		top = slices.Insert(top, at, contrib{col, v})
		top = top[:min(len(top), k)]
	}
	return top
}

// evidenceOf is evidence for each label of ls at once, in one pass over
// x reading each term's weights for all of them: label ls[i]'s
// contributions, largest first, are b.tops[i·k:][:b.ntop[i]].
func (m *MultiLabel) evidenceOf(ls []int, x Vector, k int, b *scoreBuf) {
	L := len(m.Labels)
	b.tops = slices.Grow(b.tops[:0], len(ls)*k)[:len(ls)*k]
	b.ntop = slices.Grow(b.ntop[:0], len(ls))[:len(ls)]
	clear(b.ntop)
	cols := min(m.cols, m.vz.Len())
	for j, col := range x.Idx {
		if int(col) >= cols {
			continue
		}
		row, xv := m.w[int(col)*L:][:L], x.Val[j]
		for i, l := range ls {
			v := xv * row[l]
			top, n := b.tops[i*k:][:k], int(b.ntop[i])
			if !(v > 0) || n == k && v <= top[k-1].v {
				continue
			}
			// Inserted after the contributions at least as large (ties
			// in column order), the smallest dropped when k are kept.
			at := n
			if n == k {
				at = k - 1
			} else {
				b.ntop[i]++
			}
			for at > 0 && top[at-1].v < v {
				top[at] = top[at-1]
				at--
			}
			top[at] = contrib{col, v}
		}
	}
}

// PredictScores assigns labels to a text whose label scores (Scores) are
// s, as Predict does, without evidence: for tuning thresholds on scores
// kept from an earlier run.
func (m *MultiLabel) PredictScores(s []float64, opt PredictOptions) Prediction {
	b := scoreBuf{dec: s}
	opt.Evidence = 0
	return m.decide(s, Vector{}, opt, &b)
}

// PredictText vectorises text and predicts its labels.
func (m *MultiLabel) PredictText(text string, opt PredictOptions) Prediction {
	opt.Kind = m.kindOf(text, opt)
	return m.Predict(m.vz.Vector(text), opt)
}

// PredictMatrix predicts every row of X, using all GOMAXPROCS cores.
func (m *MultiLabel) PredictMatrix(ctx context.Context, X *Matrix, opt PredictOptions) ([]Prediction, error) {
	out := make([]Prediction, X.Rows())
	err := parallel(ctx, len(out), workers(len(out)), func(_, lo, hi int) error {
		var b scoreBuf
		for i := lo; i < hi; i++ {
			if err := ctxEvery(ctx, i-lo); err != nil {
				return err
			}
			o := opt
			if i < len(opt.Kinds) && opt.Kinds[i] != "" {
				o.Kind = opt.Kinds[i]
			}
			out[i] = m.predict(X.Row(i), o, &b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("predict %d texts: %w", len(out), err)
	}
	return out, nil
}

// LabelIndex returns the index of label in Labels, or -1.
func (m *MultiLabel) LabelIndex(label string) int {
	i, ok := slices.BinarySearch(m.Labels, label)
	if !ok {
		return -1
	}
	return i
}
