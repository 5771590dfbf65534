package classify

import (
	"math"
	"slices"
	"testing"
)

// TestEvaluateHandComputed: labels a, b, c over four documents.
//
//	gold {a,b} {b}   {c} {a}
//	pred {a}   {b,c} {}  {a}
//
// a: support 2, predicted 2, TP 2 → P 1, R 1, F1 1
// b: support 2, predicted 1, TP 1 → P 1, R 0.5, F1 2/3
// c: support 1, predicted 1, TP 0 → 0, 0, 0
// micro: TP 3, predicted 4, support 5 → P 0.75, R 0.6, F1 2/3
// macro: P 2/3, R 0.5, F1 5/9; exact sets: only the last → 0.25.
func TestEvaluateHandComputed(t *testing.T) {
	m, err := Evaluate([]string{"a", "b", "c"},
		[][]int{{0, 1}, {1}, {2}, {0}},
		[][]int{{0}, {1, 2}, {}, {0}})
	if err != nil {
		t.Fatal(err)
	}
	got := []float64{m.MicroP, m.MicroR, m.MicroF, m.MacroP, m.MacroR, m.MacroF, m.SubsetAccuracy}
	want := []float64{0.75, 0.6, 2.0 / 3, 2.0 / 3, 0.5, 5.0 / 9, 0.25}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("summary %d = %v, want %v", i, got[i], want[i])
		}
	}
	rows := []LabelMetrics{
		{"a", 2, 2, 2, 1, 1, 1},
		{"b", 2, 1, 1, 1, 0.5, 2.0 / 3},
		{"c", 1, 1, 0, 0, 0, 0},
	}
	for i, w := range rows {
		g := m.PerLabel[i]
		if g.Label != w.Label || g.Support != w.Support || g.Predicted != w.Predicted || g.TP != w.TP ||
			math.Abs(g.P-w.P) > 1e-12 || math.Abs(g.R-w.R) > 1e-12 || math.Abs(g.F1-w.F1) > 1e-12 {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	tests := []struct {
		name       string
		gold, pred [][]int
	}{
		{"lengths", [][]int{{0}}, nil},
		{"gold range", [][]int{{3}}, [][]int{{0}}},
		{"pred range", [][]int{{0}}, [][]int{{-1}}},
	}
	for _, tc := range tests {
		if _, err := Evaluate([]string{"a", "b"}, tc.gold, tc.pred); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestKFold(t *testing.T) {
	folds, err := KFold(10, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	var all []int
	for f, fold := range folds {
		if n := len(fold); n < 3 || n > 4 {
			t.Errorf("fold %d has %d items, want 3 or 4", f, n)
		}
		all = append(all, fold...)
		if c := Complement(10, fold); len(c)+len(fold) != 10 {
			t.Errorf("fold %d complement has %d items", f, len(c))
		}
	}
	slices.Sort(all)
	if !slices.Equal(all, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("folds cover %v", all)
	}
	again, _ := KFold(10, 3, 1)
	if !slices.EqualFunc(folds, again, slices.Equal) {
		t.Error("one seed gave two splits")
	}
	for _, k := range []int{1, 11} {
		if _, err := KFold(10, k, 1); err == nil {
			t.Errorf("KFold(10, %d): no error", k)
		}
	}
}

// TestGroupKFold: groups a (5 items), b (3), c (2), d (2) into two folds,
// largest first, each to the smaller fold (the first on ties):
// a → 0 (5), b → 1 (3), c → 1 (5), d → 0 (7).
func TestGroupKFold(t *testing.T) {
	groups := []string{"a", "b", "a", "c", "d", "a", "b", "c", "a", "d", "b", "a"}
	folds, err := GroupKFold(groups, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{0, 2, 4, 5, 8, 9, 11}, {1, 3, 6, 7, 10}}
	if !slices.EqualFunc(folds, want, slices.Equal) {
		t.Errorf("folds = %v, want %v", folds, want)
	}
	if _, err := GroupKFold(groups, 5); err == nil {
		t.Error("5 folds of 4 groups: no error")
	}
}
