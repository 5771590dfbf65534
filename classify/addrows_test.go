package classify

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAddRows4SameAsGo checks addRows4 (in assembly on amd64, each of its
// variants the processor runs) against the Go
// loop bit for bit, over every length from 0 to 9 labels and the lengths of
// the default models, with weights and values of every magnitude,
// subnormals, zeros of both signs, infinities and NaN among them.
func TestAddRows4SameAsGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, -1e-310, math.MaxFloat64, 1e-45, 3.4e38}
	value := func() float64 {
		if rng.IntN(10) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(13)-6))
	}
	lengths := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 54, 100, 186}
	for _, n := range lengths {
		for range 50 {
			dec := make([]float64, n)
			var w [4][]float32
			for i := range w {
				w[i] = make([]float32, n+rng.IntN(3)) // may be longer than dec
				for l := range w[i] {
					w[i][l] = float32(value())
				}
			}
			for l := range dec {
				dec[l] = value()
			}
			v0, v1, v2, v3 := value(), value(), value(), value()
			want := append([]float64(nil), dec...)
			addRows4Go(want, w[0], w[1], w[2], w[3], v0, v1, v2, v3)
			for _, k := range addRows4Kernels {
				got := append([]float64(nil), dec...)
				k.add(got, w[0], w[1], w[2], w[3], v0, v1, v2, v3)
				for l := range got {
					if math.Float64bits(got[l]) != math.Float64bits(want[l]) && !(math.IsNaN(got[l]) && math.IsNaN(want[l])) {
						t.Fatalf("%s, %d labels, label %d: %v (%x), the Go loop gives %v (%x)", k.name, n, l, got[l], math.Float64bits(got[l]), want[l], math.Float64bits(want[l]))
					}
				}
			}
		}
	}
}

func BenchmarkAddRows4(b *testing.B) {
	const n = 186
	dec := make([]float64, n)
	w := make([]float32, 4*n)
	for i := range w {
		w[i] = float32(i%7) * 0.01
	}
	for _, k := range addRows4Kernels {
		b.Run(k.name, func(b *testing.B) {
			for b.Loop() {
				k.add(dec, w[0:n], w[n:2*n], w[2*n:3*n], w[3*n:], 0.1, 0.2, 0.3, 0.4)
			}
		})
	}
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			addRows4Go(dec, w[0:n], w[n:2*n], w[2*n:3*n], w[3*n:], 0.1, 0.2, 0.3, 0.4)
		}
	})
}
