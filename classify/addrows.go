package classify

// addRows4Go adds the weights of four terms to the decision values of every
// label: dec[l] += v0·w0[l], then v1·w1[l], v2·w2[l] and v3·w3[l], each
// product and sum rounded as it is made. Each label's sum takes the same
// terms in the same order as one term per pass would, but dec is loaded
// and stored a quarter as often. Each w must hold at least len(dec) weights.
func addRows4Go(dec []float64, w0, w1, w2, w3 []float32, v0, v1, v2, v3 float64) {
	n := len(dec)
	w0, w1, w2, w3 = w0[:n], w1[:n], w2[:n], w3[:n] // no bounds checks below
	for l, d := range dec {
		d += v0 * float64(w0[l])
		d += v1 * float64(w1[l])
		d += v2 * float64(w2[l])
		d += v3 * float64(w3[l])
		dec[l] = d
	}
}
