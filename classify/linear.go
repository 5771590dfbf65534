package classify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Loss selects the loss a binary linear classifier minimises.
type Loss int

const (
	// SquaredHinge is the L2-regularised L2-loss linear SVM, solved in the
	// dual by coordinate descent with shrinking (Hsieh et al. 2008; LIBLINEAR
	// solver 1, scikit-learn's LinearSVC default).
	SquaredHinge Loss = iota
	// Logistic is L2-regularised logistic regression, solved in the dual by
	// coordinate descent with an inner Newton step (Yu, Huang and Lin 2011;
	// LIBLINEAR solver 7).
	Logistic
)

func (l Loss) String() string {
	switch l {
	case SquaredHinge:
		return "squared-hinge"
	case Logistic:
		return "logistic"
	}
	return fmt.Sprintf("loss(%d)", int(l))
}

// LinearOptions configures TrainBinary. The zero value is LinearSVC's
// defaults: squared hinge, C = 1, bias 1, tolerance 1e-4, 1000 epochs.
type LinearOptions struct {
	Loss     Loss
	C        float64 // inverse regularisation strength; 0 means 1
	Bias     float64 // value of the constant feature (regularised like the others); 0 means 1, < 0 means no bias
	Balanced bool    // weight classes by n/(2·count), scikit-learn's class_weight="balanced"
	Tol      float64 // stopping tolerance on the projected gradient; 0 means 1e-4 (SVM) or 0.1 (logistic)
	MaxIter  int     // epochs over the data; 0 means 1000
	Seed     uint64  // seeds the order coordinates are visited in
}

func (o LinearOptions) withDefaults() LinearOptions {
	if o.C == 0 {
		o.C = 1
	}
	if o.Bias == 0 {
		o.Bias = 1
	}
	if o.Tol == 0 {
		o.Tol = 1e-4
		if o.Loss == Logistic {
			o.Tol = 0.1
		}
	}
	if o.MaxIter == 0 {
		o.MaxIter = 1000
	}
	return o
}

func (o LinearOptions) check() error {
	if o.Loss != SquaredHinge && o.Loss != Logistic {
		return fmt.Errorf("unknown loss %d", int(o.Loss))
	}
	if !(o.C > 0) || math.IsInf(o.C, 0) || !(o.Tol > 0) || o.MaxIter < 0 || math.IsNaN(o.Bias) {
		return fmt.Errorf("invalid linear options %+v: C and Tol must be positive and finite", o)
	}
	return nil
}

// Binary is a trained linear classifier: decision(x) = W·x + B, positive
// for the positive class.
type Binary struct {
	W []float64 // one weight per column
	B float64   // bias: the bias feature's weight times its value
	// Iter is the number of epochs the solver ran; Iter == MaxIter means it
	// stopped before reaching the tolerance.
	Iter int
}

// Decision returns W·x + B.
func (b *Binary) Decision(x Vector) float64 { return x.DotDense(b.W) + b.B }

// TrainBinary fits a linear classifier to the rows of X with labels y
// (true = positive class). Training is deterministic for a given Seed.
func TrainBinary(ctx context.Context, X *Matrix, y []bool, opt LinearOptions) (*Binary, error) {
	b, _, err := trainBinary(ctx, X, y, opt, nil)
	return b, err
}

// trainBinary is TrainBinary that also returns the dual solution and, for
// the squared hinge, starts from alpha0 when it is not nil (one value per
// row, ≥ 0): a solution of a problem sharing most rows with this one, such
// as the same labels with a fold held out, is nearer the optimum than zero
// and saves most epochs.
func trainBinary(ctx context.Context, X *Matrix, y []bool, opt LinearOptions, alpha0 []float64) (*Binary, []float64, error) {
	opt = opt.withDefaults()
	if err := opt.check(); err != nil {
		return nil, nil, fmt.Errorf("train linear classifier: %w", err)
	}
	if X.Rows() != len(y) {
		return nil, nil, fmt.Errorf("train linear classifier: %d rows but %d labels", X.Rows(), len(y))
	}
	if X.Rows() == 0 {
		return nil, nil, errors.New("train linear classifier: no rows")
	}
	if uint64(len(X.Idx)) > math.MaxUint32 || uint64(X.Rows()) > math.MaxInt32 {
		return nil, nil, fmt.Errorf("train linear classifier: %d rows and %d entries, over the %d the solver indexes", X.Rows(), len(X.Idx), uint64(math.MaxUint32))
	}
	if alpha0 != nil && len(alpha0) != len(y) {
		return nil, nil, fmt.Errorf("train linear classifier: %d rows but %d initial dual values", X.Rows(), len(alpha0))
	}
	p := newProblem(X, y, opt)
	var err error
	switch opt.Loss {
	case SquaredHinge:
		err = p.svm(ctx, alpha0)
	case Logistic:
		err = p.logistic(ctx)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("train %s classifier on %d rows: %w", opt.Loss, X.Rows(), err)
	}
	b := &Binary{W: p.w[:X.Cols], Iter: p.iter}
	if opt.Bias > 0 {
		b.B = p.w[X.Cols] * opt.Bias
	}
	return b, p.alpha, nil
}

// problem is one binary training run: w has one extra slot for the bias
// feature when there is one.
type problem struct {
	X      *Matrix
	y      []int8 // ±1
	cost   [2]float64
	bias   float64
	opt    LinearOptions
	w      []float64
	xx     []float64 // squared norm of each row, bias included
	iter   int
	rng    *rand.Rand
	bindex int       // column of the bias feature, -1 when none
	alpha  []float64 // the dual solution (squared hinge only)
}

func newProblem(X *Matrix, y []bool, opt LinearOptions) *problem {
	p := &problem{X: X, y: make([]int8, len(y)), opt: opt, bindex: -1,
		rng: rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))}
	npos := 0
	for i, pos := range y {
		p.y[i] = -1
		if pos {
			p.y[i] = 1
			npos++
		}
	}
	// cost[0] is for negatives, cost[1] for positives.
	p.cost = [2]float64{opt.C, opt.C}
	if opt.Balanced && npos > 0 && npos < len(y) {
		n := float64(len(y))
		p.cost[0] = opt.C * n / (2 * float64(len(y)-npos))
		p.cost[1] = opt.C * n / (2 * float64(npos))
	}
	n := X.Cols
	if opt.Bias > 0 {
		p.bias, p.bindex = opt.Bias, X.Cols
		n++
	}
	p.w = make([]float64, n)
	p.xx = make([]float64, X.Rows())
	for i := range p.xx {
		r := X.Row(i)
		var s float64
		for _, v := range r.Val {
			s += float64(v) * float64(v)
		}
		p.xx[i] = s + p.bias*p.bias
	}
	return p
}

// dot returns row i · w, the bias included.
func (p *problem) dot(i int) float64 { return p.dotRange(p.X.Ptr[i], p.X.Ptr[i+1]) }

// axpy adds d times row i to w.
func (p *problem) axpy(d float64, i int) { p.axpyRange(d, p.X.Ptr[i], p.X.Ptr[i+1]) }

// dotRange and axpyRange are the inner loops of training, on the row whose
// entries are X.Idx[a:b]; the row is resliced so that the compiler checks
// bounds once per row rather than per entry.
func (p *problem) dotRange(a, b int) float64 {
	idx := p.X.Idx[a:b]
	val := p.X.Val[a:b]
	val = val[:len(idx)]
	w := p.w
	var s float64
	for k, c := range idx {
		s += float64(val[k]) * w[c]
	}
	if p.bindex >= 0 {
		s += p.bias * w[p.bindex]
	}
	return s
}

func (p *problem) axpyRange(d float64, a, b int) {
	idx := p.X.Idx[a:b]
	val := p.X.Val[a:b]
	val = val[:len(idx)]
	w := p.w
	for k, c := range idx {
		w[c] += d * float64(val[k])
	}
	if p.bindex >= 0 {
		w[p.bindex] += d * p.bias
	}
}

func (p *problem) costOf(i int) float64 {
	if p.y[i] > 0 {
		return p.cost[1]
	}
	return p.cost[0]
}

// svm is LIBLINEAR's solve_l2r_l1l2_svc for the L2 loss: the dual box is
// [0, ∞) and the diagonal gains 1/(2C). Shrinking drops coordinates stuck
// at the bound whose gradient says they will stay there. alpha0, when not
// nil, is the starting point (w is made to match it).
func (p *problem) svm(ctx context.Context, alpha0 []float64) error {
	l := len(p.y)
	// Rows are visited in random order, so each visit's state is kept in one
	// small record: one cache miss per row rather than one per array. The
	// labels (one byte a row) and the two diagonals stay in cache as they are.
	type row struct {
		alpha, qd float64
		lo, hi    uint32 // the row's entries in X
	}
	var diag [2]float64 // by class: 0 negative, 1 positive
	for k := range diag {
		diag[k] = 0.5 / p.cost[k]
	}
	class := func(i int) int { return int(p.y[i]+1) / 2 }
	rows := make([]row, l)
	index := make([]int32, l)
	for i := range l {
		rows[i] = row{qd: p.xx[i] + diag[class(i)], lo: uint32(p.X.Ptr[i]), hi: uint32(p.X.Ptr[i+1])}
		index[i] = int32(i)
	}
	for i, a := range alpha0 {
		if a > 0 {
			rows[i].alpha = a
			p.axpy(a*float64(p.y[i]), i)
		}
	}
	pgMaxOld, pgMinOld := math.Inf(1), math.Inf(-1)
	if alpha0 != nil {
		// From a warm start, a row at zero whose gradient already exceeds
		// the tolerance will most likely stay there: shrink it from the
		// first epoch rather than after a full one. The final check over
		// all rows still decides convergence. Half the passes of a fold fit
		// started from the final fit's solution, on the UPR Info issues.
		pgMaxOld = p.opt.Tol
	}
	active := l
	for p.iter < p.opt.MaxIter {
		if err := ctx.Err(); err != nil {
			return err
		}
		pgMaxNew, pgMinNew := math.Inf(-1), math.Inf(1)
		p.rng.Shuffle(active, func(a, b int) { index[a], index[b] = index[b], index[a] })
		for s := 0; s < active; s++ {
			i := index[s]
			r := &rows[i]
			yi := float64(p.y[i])
			g := yi*p.dotRange(int(r.lo), int(r.hi)) - 1 + r.alpha*diag[class(int(i))]
			pg := g
			if r.alpha == 0 {
				if g > pgMaxOld {
					active--
					index[s], index[active] = index[active], index[s]
					s--
					continue
				}
				pg = min(g, 0)
			}
			pgMaxNew, pgMinNew = max(pgMaxNew, pg), min(pgMinNew, pg)
			if math.Abs(pg) > 1e-12 {
				old := r.alpha
				r.alpha = max(old-g/r.qd, 0)
				p.axpyRange((r.alpha-old)*yi, int(r.lo), int(r.hi))
			}
		}
		p.iter++
		if pgMaxNew-pgMinNew <= p.opt.Tol {
			if active == l {
				break
			}
			active = l
			pgMaxOld, pgMinOld = math.Inf(1), math.Inf(-1)
			continue
		}
		pgMaxOld, pgMinOld = pgMaxNew, pgMinNew
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
		if pgMinOld >= 0 {
			pgMinOld = math.Inf(-1)
		}
	}
	p.alpha = make([]float64, l)
	for i := range rows {
		p.alpha[i] = rows[i].alpha
	}
	return nil
}

// logistic is LIBLINEAR's solve_l2r_lr_dual: each dual pair (α, C−α) is
// updated by a few Newton steps on a one-variable problem whose log-barrier
// keeps it strictly inside (0, C).
func (p *problem) logistic(ctx context.Context) error {
	const maxInner = 100
	l := len(p.y)
	alpha := make([]float64, 2*l)
	index := make([]int, l)
	innerEps := 1e-2
	innerEpsMin := min(1e-8, p.opt.Tol)
	for i := range l {
		c := p.costOf(i)
		alpha[2*i] = min(0.001*c, 1e-8)
		alpha[2*i+1] = c - alpha[2*i]
		p.axpy(float64(p.y[i])*alpha[2*i], i)
		index[i] = i
	}
	for p.iter < p.opt.MaxIter {
		if err := ctx.Err(); err != nil {
			return err
		}
		p.rng.Shuffle(l, func(a, b int) { index[a], index[b] = index[b], index[a] })
		newtonIter := 0
		gMax := 0.0
		for _, i := range index {
			yi := float64(p.y[i])
			c := p.costOf(i)
			a, b := p.xx[i], yi*p.dot(i)
			i1, i2, sign := 2*i, 2*i+1, 1.0
			if 0.5*a*(alpha[i2]-alpha[i1])+b < 0 {
				i1, i2, sign = 2*i+1, 2*i, -1
			}
			old := alpha[i1]
			z := old
			if c-z < 0.5*c {
				z *= 0.1
			}
			gp := a*(z-old) + sign*b + math.Log(z/(c-z))
			gMax = max(gMax, math.Abs(gp))
			inner := 0
			for inner <= maxInner && math.Abs(gp) >= innerEps {
				gpp := a + c/(c-z)/z
				if tz := z - gp/gpp; tz <= 0 {
					z *= 0.1
				} else {
					z = tz
				}
				gp = a*(z-old) + sign*b + math.Log(z/(c-z))
				newtonIter++
				inner++
			}
			if inner > 0 {
				alpha[i1], alpha[i2] = z, c-z
				p.axpy(sign*(z-old)*yi, i)
			}
		}
		p.iter++
		if gMax < p.opt.Tol {
			break
		}
		if newtonIter <= l/10 {
			innerEps = max(innerEpsMin, 0.1*innerEps)
		}
	}
	return nil
}
