package classify

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestBinaryHandSolved checks both solvers on two points x = +1 (positive)
// and x = −1 (negative) with a bias feature. By symmetry the bias weight is
// 0, and the primal optimum solves, for C = 1:
//
//	squared hinge: w − 4C(1 − w) = 0          → w = 4C/(1+4C) = 0.8
//	logistic:      w − 2C/(1 + exp(w)) = 0    → w ≈ 0.67483 (by bisection here)
func TestBinaryHandSolved(t *testing.T) {
	X := NewMatrix(1)
	X.Append(Vector{Idx: []int32{0}, Val: []float32{1}})
	X.Append(Vector{Idx: []int32{0}, Val: []float32{-1}})
	y := []bool{true, false}
	lo, hi := 0.0, 2.0
	for range 100 {
		mid := (lo + hi) / 2
		if mid-2/(1+math.Exp(mid)) > 0 {
			hi = mid
		} else {
			lo = mid
		}
	}
	tests := []struct {
		loss Loss
		want float64
	}{
		{SquaredHinge, 0.8},
		{Logistic, lo},
	}
	for _, tc := range tests {
		b, err := TrainBinary(context.Background(), X, y, LinearOptions{Loss: tc.loss, Tol: 1e-8})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(b.W[0]-tc.want) > 1e-5 || math.Abs(b.B) > 1e-5 {
			t.Errorf("%v: w = %v, b = %v, want w = %v, b = 0", tc.loss, b.W[0], b.B, tc.want)
		}
	}
	if math.Abs(lo-0.67483) > 1e-5 {
		t.Errorf("bisection gave %v", lo)
	}
}

// randomProblem is a reproducible sparse problem whose labels depend on a
// few columns, with noise, so that neither class is separable by luck.
func randomProblem(n, cols int, seed uint64) (*Matrix, []bool) {
	r := rand.New(rand.NewPCG(seed, 7))
	X := NewMatrix(cols)
	y := make([]bool, n)
	for i := range n {
		var v Vector
		for c := range cols {
			if r.Float64() < 0.2 {
				v.Idx = append(v.Idx, int32(c))
				v.Val = append(v.Val, float32(r.Float64()))
			}
		}
		X.Append(v)
		y[i] = v.DotDense([]float64{1, -1, 0.5, 0, 0, 0, 0, 0})+0.3*r.NormFloat64() > 0.05
	}
	return X, y
}

// TestBinaryOptimality checks the primal gradient vanishes at the solution
// the dual solvers return, with and without class weights: the solvers are
// right if and only if this holds.
func TestBinaryOptimality(t *testing.T) {
	X, y := randomProblem(300, 8, 1)
	for _, loss := range []Loss{SquaredHinge, Logistic} {
		for _, balanced := range []bool{false, true} {
			opt := LinearOptions{Loss: loss, C: 2, Balanced: balanced, Tol: 1e-6, MaxIter: 5000}
			b, err := TrainBinary(context.Background(), X, y, opt)
			if err != nil {
				t.Fatal(err)
			}
			p := newProblem(X, y, opt.withDefaults())
			w := append(append([]float64(nil), b.W...), b.B) // bias value 1
			grad := append([]float64(nil), w...)
			for i := range y {
				yi, c := float64(p.y[i]), p.costOf(i)
				x := X.Row(i)
				m := yi * (x.DotDense(w[:8]) + w[8])
				var g float64 // d loss / d margin, times C
				switch loss {
				case SquaredHinge:
					g = -2 * c * max(0, 1-m)
				case Logistic:
					g = -c / (1 + math.Exp(m))
				}
				for k, col := range x.Idx {
					grad[col] += g * yi * float64(x.Val[k])
				}
				grad[8] += g * yi
			}
			var norm float64
			for _, g := range grad {
				norm += g * g
			}
			if math.Sqrt(norm) > 1e-3 {
				t.Errorf("%v balanced=%v: primal gradient norm %g after %d epochs", loss, balanced, math.Sqrt(norm), b.Iter)
			}
		}
	}
}

func TestBinaryDeterministic(t *testing.T) {
	X, y := randomProblem(200, 8, 2)
	a, _ := TrainBinary(context.Background(), X, y, LinearOptions{Seed: 3})
	b, _ := TrainBinary(context.Background(), X, y, LinearOptions{Seed: 3})
	for i := range a.W {
		if a.W[i] != b.W[i] {
			t.Fatalf("weight %d differs between two runs with one seed: %v, %v", i, a.W[i], b.W[i])
		}
	}
}

func TestBinaryErrors(t *testing.T) {
	X, y := randomProblem(10, 8, 3)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		y    []bool
		opt  LinearOptions
	}{
		{"label count", context.Background(), y[:5], LinearOptions{}},
		{"negative C", context.Background(), y, LinearOptions{C: -1}},
		{"unknown loss", context.Background(), y, LinearOptions{Loss: 9}},
		{"cancelled", ctx, y, LinearOptions{}},
	}
	for _, tc := range tests {
		if _, err := TrainBinary(tc.ctx, X, tc.y, tc.opt); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestBinaryWarmStart checks that a fit started from another problem's dual
// solution (the full problem's, for a subset of its rows, as the
// cross-validation folds of TrainMultiLabel are) reaches the same solution
// as a fit from zero, and refuses a start of the wrong length.
func TestBinaryWarmStart(t *testing.T) {
	X, y := randomProblem(500, 8, 2)
	ctx := context.Background()
	opt := LinearOptions{C: 2, Tol: 1e-8, MaxIter: 5000}
	_, alpha, err := trainBinary(ctx, X, y, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(alpha) != len(y) {
		t.Fatalf("%d dual values for %d rows", len(alpha), len(y))
	}
	var keep []int
	for i := range y {
		if i%5 != 0 {
			keep = append(keep, i)
		}
	}
	sub := selectRows(X, keep)
	ys := make([]bool, len(keep))
	a0 := make([]float64, len(keep))
	for j, i := range keep {
		ys[j], a0[j] = y[i], alpha[i]
	}
	cold, _, err := trainBinary(ctx, sub, ys, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	warm, _, err := trainBinary(ctx, sub, ys, opt, a0)
	if err != nil {
		t.Fatal(err)
	}
	for c := range cold.W {
		if math.Abs(cold.W[c]-warm.W[c]) > 1e-5 {
			t.Errorf("weight %d: %g from zero, %g warm-started", c, cold.W[c], warm.W[c])
		}
	}
	if math.Abs(cold.B-warm.B) > 1e-5 {
		t.Errorf("bias: %g from zero, %g warm-started", cold.B, warm.B)
	}
	if warm.Iter >= cold.Iter {
		t.Errorf("warm start took %d epochs, from zero %d", warm.Iter, cold.Iter)
	}
	if _, _, err := trainBinary(ctx, sub, ys, opt, alpha); err == nil {
		t.Errorf("a start of %d values for %d rows was accepted", len(alpha), len(ys))
	}
}
