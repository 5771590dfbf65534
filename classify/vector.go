package classify

import "math"

// Vector is a sparse vector: Idx holds strictly increasing column indices
// and Val the matching weights. The zero Vector is the zero vector.
type Vector struct {
	Idx []int32
	Val []float32
}

// Len returns the number of stored (non-zero) entries.
func (v Vector) Len() int { return len(v.Idx) }

// Dot returns the inner product of two sparse vectors.
func (v Vector) Dot(w Vector) float64 {
	var s float64
	i, j := 0, 0
	for i < len(v.Idx) && j < len(w.Idx) {
		switch a, b := v.Idx[i], w.Idx[j]; {
		case a == b:
			s += float64(v.Val[i]) * float64(w.Val[j])
			i++
			j++
		case a < b:
			i++
		default:
			j++
		}
	}
	return s
}

// DotDense returns the inner product with a dense vector, such as a linear
// model's weights; indices beyond len(w) count as zero.
func (v Vector) DotDense(w []float64) float64 {
	var s float64
	for k, i := range v.Idx {
		if int(i) < len(w) {
			s += float64(v.Val[k]) * w[i]
		}
	}
	return s
}

// Norm returns the Euclidean (L2) norm.
func (v Vector) Norm() float64 {
	var s float64
	for _, x := range v.Val {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// Cosine returns the cosine similarity of v and w, 0 when either is zero.
func (v Vector) Cosine(w Vector) float64 {
	nv, nw := v.Norm(), w.Norm()
	if nv == 0 || nw == 0 {
		return 0
	}
	return v.Dot(w) / (nv * nw)
}

// Matrix is a sparse row matrix in compressed-sparse-row form: row i's
// entries are Idx[Ptr[i]:Ptr[i+1]] and Val[Ptr[i]:Ptr[i+1]].
type Matrix struct {
	Cols int
	Ptr  []int // len Rows()+1, Ptr[0] == 0
	Idx  []int32
	Val  []float32
}

// NewMatrix returns an empty matrix with cols columns.
func NewMatrix(cols int) *Matrix { return &Matrix{Cols: cols, Ptr: []int{0}} }

// Rows returns the number of rows.
func (m *Matrix) Rows() int { return len(m.Ptr) - 1 }

// Row returns row i as a Vector sharing the matrix's storage.
func (m *Matrix) Row(i int) Vector {
	a, b := m.Ptr[i], m.Ptr[i+1]
	return Vector{Idx: m.Idx[a:b:b], Val: m.Val[a:b:b]}
}

// Append adds v as the last row, copying it.
func (m *Matrix) Append(v Vector) {
	m.Idx = append(m.Idx, v.Idx...)
	m.Val = append(m.Val, v.Val...)
	m.Ptr = append(m.Ptr, len(m.Idx))
}

// appendMatrix adds all rows of o after m's.
func (m *Matrix) appendMatrix(o *Matrix) {
	base := len(m.Idx)
	m.Idx = append(m.Idx, o.Idx...)
	m.Val = append(m.Val, o.Val...)
	for _, p := range o.Ptr[1:] {
		m.Ptr = append(m.Ptr, base+p)
	}
}
