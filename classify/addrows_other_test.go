//go:build !amd64 || purego

package classify

type addRows4Kernel struct {
	name string
	add  func(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64)
}

var addRows4Kernels = []addRows4Kernel{{"addRows4", addRows4}}
