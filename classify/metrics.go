package classify

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
)

// LabelMetrics is one row of the per-label table.
type LabelMetrics struct {
	Label     string
	Support   int // gold occurrences
	Predicted int
	TP        int
	P, R, F1  float64
}

// Metrics summarises multi-label predictions against gold labels.
//
// Micro scores pool true positives, predictions and gold labels over all
// labels. Macro scores average the per-label scores over the labels that
// occur in the gold labels or the predictions (a label that occurs in
// neither cannot be scored); a label with no prediction has precision 0,
// one with no support recall 0, as scikit-learn's zero_division=0.
// SubsetAccuracy is the share of documents whose predicted set equals the
// gold set exactly.
type Metrics struct {
	Docs                   int
	MicroP, MicroR, MicroF float64
	MacroP, MacroR, MacroF float64
	SubsetAccuracy         float64
	PerLabel               []LabelMetrics
}

// Evaluate scores pred against gold, both lists of label indices per
// document into labels.
func Evaluate(labels []string, gold, pred [][]int) (Metrics, error) {
	if len(gold) != len(pred) {
		return Metrics{}, fmt.Errorf("evaluate: %d gold documents but %d predictions", len(gold), len(pred))
	}
	m := Metrics{Docs: len(gold), PerLabel: make([]LabelMetrics, len(labels))}
	for i, l := range labels {
		m.PerLabel[i].Label = l
	}
	exact := 0
	seen := make([]bool, len(labels))
	for d := range gold {
		for _, l := range gold[d] {
			if l < 0 || l >= len(labels) {
				return Metrics{}, fmt.Errorf("evaluate document %d: gold label %d outside 0..%d", d, l, len(labels)-1)
			}
			seen[l] = true
			m.PerLabel[l].Support++
		}
		same := true
		for _, l := range pred[d] {
			if l < 0 || l >= len(labels) {
				return Metrics{}, fmt.Errorf("evaluate document %d: predicted label %d outside 0..%d", d, l, len(labels)-1)
			}
			m.PerLabel[l].Predicted++
			if seen[l] {
				m.PerLabel[l].TP++
			} else {
				same = false
			}
		}
		if same && countDistinct(pred[d]) == countDistinct(gold[d]) {
			exact++
		}
		for _, l := range gold[d] {
			seen[l] = false
		}
	}
	var tp, np, ns int
	var sp, sr, sf float64
	scored := 0
	for i := range m.PerLabel {
		r := &m.PerLabel[i]
		r.P, r.R, r.F1 = prf(r.TP, r.Predicted, r.Support)
		tp, np, ns = tp+r.TP, np+r.Predicted, ns+r.Support
		if r.Support > 0 || r.Predicted > 0 {
			sp, sr, sf = sp+r.P, sr+r.R, sf+r.F1
			scored++
		}
	}
	m.MicroP, m.MicroR, m.MicroF = prf(tp, np, ns)
	if scored > 0 {
		m.MacroP, m.MacroR, m.MacroF = sp/float64(scored), sr/float64(scored), sf/float64(scored)
	}
	if len(gold) > 0 {
		m.SubsetAccuracy = float64(exact) / float64(len(gold))
	}
	return m, nil
}

func countDistinct(ls []int) int {
	if len(ls) < 2 {
		return len(ls)
	}
	s := slices.Clone(ls)
	slices.Sort(s)
	return len(slices.Compact(s))
}

// prf returns precision, recall and F1 from counts, 0 where undefined.
func prf(tp, predicted, support int) (p, r, f float64) {
	if predicted > 0 {
		p = float64(tp) / float64(predicted)
	}
	if support > 0 {
		r = float64(tp) / float64(support)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// KFold splits indices 0..n-1 into k folds of near-equal size after a
// shuffle seeded by seed, and returns each fold's (held-out) indices, sorted.
func KFold(n, k int, seed uint64) ([][]int, error) {
	if k < 2 || k > n {
		return nil, fmt.Errorf("k-fold split of %d items into %d folds: need 2 ≤ k ≤ n", n, k)
	}
	perm := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d)).Perm(n)
	folds := make([][]int, k)
	for f := range folds {
		folds[f] = perm[n*f/k : n*(f+1)/k]
		slices.Sort(folds[f])
	}
	return folds, nil
}

// GroupKFold splits items into k folds so that all items of one group (a
// session, a country) fall in the same fold, balancing fold sizes the way
// scikit-learn's GroupKFold does: groups are taken largest first (ties by
// name) and each goes to the currently smallest fold. It returns each fold's
// item indices, sorted.
func GroupKFold(groups []string, k int) ([][]int, error) {
	members := map[string][]int{}
	for i, g := range groups {
		members[g] = append(members[g], i)
	}
	if k < 2 || k > len(members) {
		return nil, fmt.Errorf("group k-fold split of %d groups into %d folds: need 2 ≤ k ≤ groups", len(members), k)
	}
	names := make([]string, 0, len(members))
	for g := range members {
		names = append(names, g)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(members[b]), len(members[a])), cmp.Compare(a, b))
	})
	folds := make([][]int, k)
	for _, g := range names {
		small := 0
		for f := range folds {
			if len(folds[f]) < len(folds[small]) {
				small = f
			}
		}
		folds[small] = append(folds[small], members[g]...)
	}
	for f := range folds {
		slices.Sort(folds[f])
	}
	return folds, nil
}

// Complement returns the indices 0..n-1 not in fold (sorted), the training
// side of a held-out fold.
func Complement(n int, fold []int) []int {
	in := make([]bool, n)
	for _, i := range fold {
		in[i] = true
	}
	out := make([]int, 0, n-len(fold))
	for i := range n {
		if !in[i] {
			out = append(out, i)
		}
	}
	return out
}
