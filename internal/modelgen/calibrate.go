package modelgen

import (
	"cmp"
	"math"
	"slices"

	"github.com/nmirf/nmirf/models"
)

// KindCalibration says how the thresholds of one kind of text are tuned on
// the out-of-fold scores of training rows of that kind.
type KindCalibration struct {
	Kind string
	Rows []int // the training rows of the kind with trusted labels
	// Balanced tunes for the mean over goals of balanced per-goal accuracy
	// ((true-positive rate + true-negative rate) / 2: the per-goal yes/no
	// accuracy on a set with as many texts without the goal as with it);
	// otherwise for goal micro-F1.
	Balanced bool
	// PerGoal also tunes, for each goal with at least MinGoalPositives
	// positives among Rows, its own threshold and a shift of its targets'
	// thresholds; otherwise one shift moves every threshold.
	PerGoal bool
	// Same lists further kinds that get these thresholds (kinds without
	// labelled data of their own).
	Same []string
	// MaxGoals, when not 0, is the most goals a text of the kind gets
	// (classify.MultiLabel.KindMaxGroups); the thresholds are tuned under
	// that limit.
	MaxGoals int
	// RecallWeight, when not 0, weighs the true-positive rate against the
	// true-negative rate in the balanced objective (0.5 weighs them alike).
	RecallWeight float64
	// SecondMargin, when not 0, keeps a text's second and later goals only
	// when the best label of each is at least SecondMargin over its
	// threshold (classify.MultiLabel.KindGroupMargin).
	SecondMargin float64
	// TuneSecondMargin tunes SecondMargin (among secondMargins) with the
	// rest: the margin whose calibration scores best on the kind's rows.
	TuneSecondMargin bool
	// TuneFloor also tunes the kind's fallback floor
	// (classify.MultiLabel.KindFloor): the score the best label of a text
	// none of whose labels reaches its threshold needs to be assigned.
	TuneFloor bool
}

// minGoalPositives is the fewest positives among a kind's rows for a goal
// to get thresholds of its own in that kind.
const minGoalPositives = 15

// sdgLayout is where the goals and targets of an SDG model's labels are.
type sdgLayout struct {
	goals   []int   // label index of goal g+1, -1 when absent
	targets [][]int // label indices of goal g+1's targets
	goalOf  []int   // per label, its goal's number less one
}

func layoutOf(labels []string) sdgLayout {
	lay := sdgLayout{goals: slices.Repeat([]int{-1}, 17), targets: make([][]int, 17), goalOf: make([]int, len(labels))}
	for l, name := range labels {
		g := 0
		for _, c := range models.SDGGoalOf(name) {
			g = g*10 + int(c-'0')
		}
		g--
		lay.goalOf[l] = g
		if g < 0 || g >= 17 {
			lay.goalOf[l] = -1
			continue
		}
		if models.IsSDGTarget(name) {
			lay.targets[g] = append(lay.targets[g], l)
		} else {
			lay.goals[g] = l
		}
	}
	return lay
}

// calRows holds what deciding a row's goals needs, whatever the thresholds:
// each goal label's score, the best margin over its threshold of the
// goal's targets, and the goal of the best label (the fallback).
type calRows struct {
	head   [][17]float64 // goal label score; -1 when the model has no goal label
	margin [][17]float64 // max over the goal's targets of score − base threshold
	// targets holds, per row and goal, each target's margin over its base
	// threshold and its score, to rank goals under a limit.
	targets  [][17][][2]float64
	limit    int
	second   float64 // see KindCalibration.SecondMargin
	floor    float64
	fallback []int     // goal (0-16) of the best label, -1 when it has none
	top      []float64 // the best label's score
	gold     [][17]bool
}

func newCalRows(lay sdgLayout, oof [][]float64, base []float64, floor float64, gold [][]string, rows []int) *calRows {
	c := &calRows{head: make([][17]float64, len(rows)), margin: make([][17]float64, len(rows)),
		targets:  make([][17][][2]float64, len(rows)),
		fallback: make([]int, len(rows)), top: make([]float64, len(rows)), gold: make([][17]bool, len(rows)), floor: floor}
	for k, i := range rows {
		for g := range 17 {
			c.head[k][g] = -1
			if l := lay.goals[g]; l >= 0 {
				c.head[k][g] = oof[l][i]
			}
			c.margin[k][g] = math.Inf(-1)
			for _, l := range lay.targets[g] {
				c.margin[k][g] = max(c.margin[k][g], oof[l][i]-base[l])
				c.targets[k][g] = append(c.targets[k][g], [2]float64{oof[l][i] - base[l], oof[l][i]})
			}
		}
		best := -1
		for l := range oof {
			if best < 0 || oof[l][i] > oof[best][i] {
				best = l
			}
		}
		c.fallback[k] = -1
		if best >= 0 {
			c.fallback[k], c.top[k] = lay.goalOf[best], oof[best][i]
		}
		for _, code := range gold[i] {
			for g := range 17 {
				if code == itoa(g+1) {
					c.gold[k][g] = true
				}
			}
		}
	}
	return c
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// goalParams are the goal-level thresholds of one kind: a goal label's own
// threshold and the shift of its targets' thresholds from the base ones.
type goalParams struct {
	head  [17]float64
	shift [17]float64
}

// counts are per-goal confusion counts.
type counts [17][4]int // tp, fp, fn, tn

// add counts one text: the goals fired for it against its gold goals.
func (n *counts) add(fire, gold *[17]bool) {
	for g := range 17 {
		switch {
		case fire[g] && gold[g]:
			n[g][0]++
		case fire[g]:
			n[g][1]++
		case gold[g]:
			n[g][2]++
		default:
			n[g][3]++
		}
	}
}

func (c *calRows) count(p *goalParams) counts {
	var n counts
	for k := range c.head {
		var fire [17]bool
		any := false
		for g := range 17 {
			fire[g] = c.head[k][g] >= 0 && c.head[k][g] >= p.head[g] || c.margin[k][g] >= p.shift[g]
			any = any || fire[g]
		}
		if !any && c.fallback[k] >= 0 && c.top[k] >= c.floor {
			fire[c.fallback[k]] = true
		} else if c.limit > 0 || c.second > 0 {
			c.keepBest(k, p, &fire)
		}
		n.add(&fire, &c.gold[k])
	}
	return n
}

// keepBest leaves on, of the goals fire of row k, the c.limit goals whose
// best assigned label scores highest (ties to the lower goal).
func (c *calRows) keepBest(k int, p *goalParams, fire *[17]bool) {
	var best, over [17]float64 // best assigned score, and its best margin over its threshold
	n := 0
	for g := range 17 {
		best[g], over[g] = -1, -1
		if !fire[g] {
			continue
		}
		n++
		if h := c.head[k][g]; h >= 0 && h >= p.head[g] {
			best[g], over[g] = h, h-p.head[g]
		}
		for _, t := range c.targets[k][g] {
			if t[0] >= p.shift[g] {
				best[g] = max(best[g], t[1])
				over[g] = max(over[g], t[0]-p.shift[g])
			}
		}
	}
	for ; c.limit > 0 && n > c.limit; n-- {
		worst := -1
		for g := range 17 {
			if fire[g] && (worst < 0 || best[g] <= best[worst]) {
				worst = g
			}
		}
		fire[worst] = false
	}
	if c.second > 0 {
		first := -1
		for g := range 17 {
			if fire[g] && (first < 0 || best[g] > best[first]) {
				first = g
			}
		}
		for g := range 17 {
			if fire[g] && g != first && over[g] < c.second {
				fire[g] = false
			}
		}
	}
}

// objective is what a kind's thresholds maximise (see KindCalibration):
// goal micro-F1, or with kc.Balanced the mean over goals of the true-positive
// and true-negative rates weighed kc.RecallWeight and 1 − kc.RecallWeight
// (0.5 when not set).
func (n *counts) objective(kc *KindCalibration) float64 {
	rw := 0.5
	if kc.RecallWeight > 0 {
		rw = kc.RecallWeight
	}
	if !kc.Balanced {
		var tp, fp, fn int
		for g := range n {
			tp, fp, fn = tp+n[g][0], fp+n[g][1], fn+n[g][2]
		}
		if tp == 0 {
			return 0
		}
		return 2 * float64(tp) / float64(2*tp+fp+fn)
	}
	var sum float64
	goals := 0
	for g := range n {
		pos, neg := n[g][0]+n[g][2], n[g][1]+n[g][3]
		if pos == 0 || neg == 0 {
			continue
		}
		goals++
		sum += rw*float64(n[g][0])/float64(pos) + (1-rw)*float64(n[g][3])/float64(neg)
	}
	if goals == 0 {
		return 0
	}
	return sum / float64(goals)
}

// calibrate returns a kind's calibration (see kindCal; base is the model's
// own thresholds, floor its fallback floor): first one
// shift of every threshold, chosen on the kind's rows; then, if asked, per
// goal with enough positives, its own goal threshold and target shift, goal
// by goal, twice over; then, if asked, the floor; last the limit of goals
// per text (none, 1, 2 or 3),
// whichever scores best on the kind's rows with those thresholds.
func calibrate(labels []string, oof [][]float64, base []float64, floor float64, gold [][]string, kc KindCalibration) kindCal {
	if !kc.TuneSecondMargin {
		return calibrateWith(labels, oof, base, floor, gold, kc)
	}
	best := kindCal{score: -1}
	for _, m := range secondMargins {
		k := kc
		k.SecondMargin = m
		if r := calibrateWith(labels, oof, base, floor, gold, k); r.score > best.score+1e-9 {
			best = r
		}
	}
	return best
}

// floorGrid are the fallback floors KindCalibration.TuneFloor tries: from
// nearly always a goal (the best label of any text) to never.
var floorGrid = []float64{0.001, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.01}

// secondMargins are the margins KindCalibration.TuneSecondMargin tries.
var secondMargins = []float64{0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5}

// kindCal is what calibrate tunes for a kind: its thresholds per label, the
// most goals a text gets (0: no limit), its fallback floor, the margin a
// second goal needs, and the objective they reach on the kind's rows.
type kindCal struct {
	th            []float64
	limit         int
	floor, margin float64
	score         float64
}

// calibrateWith is calibrate with kc.SecondMargin as given.
func calibrateWith(labels []string, oof [][]float64, base []float64, floor float64, gold [][]string, kc KindCalibration) kindCal {
	lay := layoutOf(labels)
	c := newCalRows(lay, oof, base, floor, gold, kc.Rows)
	c.limit, c.second = kc.MaxGoals, kc.SecondMargin
	var p goalParams
	set := func(d float64) {
		for g := range 17 {
			p.head[g], p.shift[g] = 2, d
			if l := lay.goals[g]; l >= 0 {
				p.head[g] = base[l] + d
			}
		}
	}
	bestD, bestF := 0.0, -1.0
	for d := -0.40; d <= 0.60001; d += 0.01 {
		set(d)
		n := c.count(&p)
		if f := n.objective(&kc); f > bestF+1e-12 {
			bestD, bestF = d, f
		}
	}
	set(bestD)
	if kc.PerGoal {
		var pos [17]int
		for k := range c.gold {
			for g := range 17 {
				if c.gold[k][g] {
					pos[g]++
				}
			}
		}
		for range 2 {
			for g := range 17 {
				if pos[g] < minGoalPositives || lay.goals[g] < 0 {
					continue
				}
				h0, s0 := p.head[g], p.shift[g]
				n := c.count(&p)
				bh, bs, bf := h0, s0, n.objective(&kc)
				for h := 0.025; h <= 1.0001; h += 0.025 {
					for s := -0.3; s <= 0.60001; s += 0.05 {
						p.head[g], p.shift[g] = h, s
						n := c.count(&p)
						if f := n.objective(&kc); f > bf+1e-9 {
							bh, bs, bf = h, s, f
						}
					}
				}
				p.head[g], p.shift[g] = bh, bs
			}
		}
	}
	if kc.TuneFloor {
		n := c.count(&p)
		bestFl, bestF := c.floor, n.objective(&kc)
		for _, fl := range floorGrid {
			c.floor = fl
			n := c.count(&p)
			if f := n.objective(&kc); f > bestF+1e-9 {
				bestFl, bestF = fl, f
			}
		}
		c.floor = math.Round(bestFl*1e6) / 1e6
	}
	th := make([]float64, len(labels))
	for l := range labels {
		g := lay.goalOf[l]
		switch {
		case g < 0:
			th[l] = base[l] + bestD
		case models.IsSDGTarget(labels[l]):
			th[l] = base[l] + p.shift[g]
		default:
			th[l] = p.head[g]
		}
		th[l] = math.Round(min(max(th[l], 0.005), 1.01)*1e6) / 1e6
	}
	n := c.count(&p)
	r := kindCal{th: th, limit: kc.MaxGoals, floor: c.floor, margin: kc.SecondMargin, score: n.objective(&kc)}
	if kc.MaxGoals == 0 {
		r.limit = bestLimit(lay, labels, oof, th, c.floor, c, kc)
	}
	return r
}

// bestLimit returns the limit of goals per text (0 for none) that scores
// best on the rows of c with thresholds th, as classify.MultiLabel.Predict
// applies it: the goals ranked by their best assigned label's score.
func bestLimit(lay sdgLayout, labels []string, oof [][]float64, th []float64, floor float64, c *calRows, kc KindCalibration) int {
	best, bestF := 0, -1.0
	scores := make([]float64, len(labels))
	for _, limit := range []int{0, 1, 2, 3} {
		var n counts
		for k, i := range kc.Rows {
			for l := range labels {
				scores[l] = oof[l][i]
			}
			var fire [17]bool
			for _, g := range limitGoals(lay, scores, th, floor, limit) {
				fire[g] = true
			}
			n.add(&fire, &c.gold[k])
		}
		if f := n.objective(&kc); f > bestF+1e-9 {
			best, bestF = limit, f
		}
	}
	return best
}

// limitGoals returns the goals (0-16) assigned to a text of label scores s
// with thresholds th, the fallback and at most limit goals (0: any number),
// as classify.MultiLabel.Predict assigns them.
func limitGoals(lay sdgLayout, s, th []float64, floor float64, limit int) []int {
	var best [17]float64
	for g := range best {
		best[g] = -1
	}
	any := false
	top := -1
	for l := range s {
		if s[l] >= th[l] {
			any = true
			if g := lay.goalOf[l]; g >= 0 {
				best[g] = max(best[g], s[l])
			}
		} else if top < 0 || s[l] > s[top] {
			top = l
		}
	}
	if !any {
		if top >= 0 && s[top] >= floor && lay.goalOf[top] >= 0 {
			return []int{lay.goalOf[top]}
		}
		return nil
	}
	var goals []int
	for g := range best {
		if best[g] >= 0 {
			goals = append(goals, g)
		}
	}
	slices.SortStableFunc(goals, func(a, b int) int { return cmp.Compare(best[b], best[a]) })
	if limit > 0 && len(goals) > limit {
		goals = goals[:limit]
	}
	return goals
}
