//go:build !purego

package classify

// addRows4 adds v0·w0[l] + v1·w1[l] + v2·w2[l] + v3·w3[l] to dec[l], term
// by term in that order, for every l < len(dec), exactly as addRows4Go
// does; each w must hold at least len(dec) weights. In assembly: two
// labels per instruction.
//
//go:noescape
func addRows4(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64)
