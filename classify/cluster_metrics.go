package classify

import (
	"fmt"
	"slices"
)

// Purity is the share of items whose cluster's most frequent gold class is
// their own: 1 for a perfect clustering, but also for all singletons, so it
// is read beside AdjustedRandIndex or against a baseline of the same sizes.
func Purity(gold, pred []string) (float64, error) {
	if len(gold) != len(pred) {
		return 0, fmt.Errorf("purity: %d gold classes but %d predicted clusters", len(gold), len(pred))
	}
	sets := make([][]string, len(gold))
	for i, g := range gold {
		sets[i] = []string{g}
	}
	return LabelSetPurity(sets, pred)
}

// LabelSetPurity is Purity for items with several gold labels: a cluster is
// named by the label most of its items carry, and each item carrying it
// counts as right.
func LabelSetPurity(gold [][]string, pred []string) (float64, error) {
	if len(gold) != len(pred) {
		return 0, fmt.Errorf("purity: %d gold label sets but %d predicted clusters", len(gold), len(pred))
	}
	if len(gold) == 0 {
		return 0, fmt.Errorf("purity: no items")
	}
	count := map[string]map[string]int{}
	for i, c := range pred {
		if count[c] == nil {
			count[c] = map[string]int{}
		}
		ls := slices.Clone(gold[i])
		slices.Sort(ls)
		for _, l := range slices.Compact(ls) {
			count[c][l]++
		}
	}
	right := 0
	for _, m := range count {
		best := 0
		for _, n := range m {
			best = max(best, n)
		}
		right += best
	}
	return float64(right) / float64(len(gold)), nil
}

// AdjustedRandIndex is the Rand index of two partitions corrected for
// chance (Hubert and Arabie 1985): 1 for identical partitions, about 0 for
// independent ones, negative for worse than chance. Two partitions that are
// both all singletons or both one cluster score 1, as in scikit-learn.
func AdjustedRandIndex(gold, pred []string) (float64, error) {
	if len(gold) != len(pred) {
		return 0, fmt.Errorf("adjusted rand index: %d gold classes but %d predicted clusters", len(gold), len(pred))
	}
	if len(gold) == 0 {
		return 0, fmt.Errorf("adjusted rand index: no items")
	}
	if len(gold) == 1 {
		return 1, nil
	}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	cell := map[[2]string]int{}
	rows, cols := map[string]int{}, map[string]int{}
	for i := range gold {
		cell[[2]string{gold[i], pred[i]}]++
		rows[gold[i]]++
		cols[pred[i]]++
	}
	var index, sumRows, sumCols float64
	for _, n := range cell {
		index += pairs(n)
	}
	for _, n := range rows {
		sumRows += pairs(n)
	}
	for _, n := range cols {
		sumCols += pairs(n)
	}
	expected := sumRows * sumCols / pairs(len(gold))
	maxIndex := (sumRows + sumCols) / 2
	if maxIndex == expected {
		return 1, nil
	}
	return (index - expected) / (maxIndex - expected), nil
}
