//go:build !purego

package classify

import "golang.org/x/sys/cpu"

// addRows4 adds v0·w0[l] + v1·w1[l] + v2·w2[l] + v3·w3[l] to dec[l], term
// by term in that order, for every l < len(dec), exactly as addRows4Go
// does; each w must hold at least len(dec) weights. In assembly: four
// labels per instruction with AVX, else two (SSE2, which every amd64 has).
// Each label gets the same products and sums, rounded the same way, as
// one label at a time.
func addRows4(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64) {
	if hasAVX {
		addRows4AVX(dec, w0, w1, w2, w3, v0, v1, v2, v3)
	} else {
		addRows4SSE2(dec, w0, w1, w2, w3, v0, v1, v2, v3)
	}
}

var hasAVX = cpu.X86.HasAVX

//go:noescape
func addRows4SSE2(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64)

//go:noescape
func addRows4AVX(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64)

// prefetchRows4 asks the processor to bring the n weights from each of
// w0…w3 into its caches, without waiting for them: scoring then adds one
// group of four terms' rows while the next group's arrive from memory.
//
//go:noescape
func prefetchRows4(w0, w1, w2, w3 *float32, n int)
