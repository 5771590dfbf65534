//go:build !purego

package classify

type addRows4Kernel struct {
	name string
	add  func(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64)
}

// addRows4Kernels are the variants of addRows4 this processor runs.
var addRows4Kernels = func() []addRows4Kernel {
	ks := []addRows4Kernel{{"sse2", addRows4SSE2}}
	if hasAVX {
		ks = append(ks, addRows4Kernel{"avx", addRows4AVX})
	}
	return ks
}()
