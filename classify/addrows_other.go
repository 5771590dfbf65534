//go:build !amd64 || purego

package classify

func addRows4(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64) {
	addRows4Go(dec, w0, w1, w2, w3, v0, v1, v2, v3)
}

// prefetchRows4 does nothing where there is no assembly.
func prefetchRows4(w0, w1, w2, w3 *float32, n int) {}
