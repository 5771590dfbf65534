package classify

import (
	"context"
	"fmt"
	"slices"

	"github.com/nmirf/nmirf/models"
)

// Evaluation is a model's scores on labelled texts: over all of them and
// per kind of text and, for an SDG model, at goal and at target level.
type Evaluation struct {
	Metrics
	Kinds []KindMetrics `json:"kinds"`
	// Goals scores the SDG goals of the texts, a predicted or gold target
	// implying its goal; nil for other tasks.
	Goals *Metrics `json:"sdg_goals,omitempty"`
	// GoalAccuracy is the mean over the 17 goals of the share of texts
	// whose yes/no for the goal is right.
	GoalAccuracy float64 `json:"sdg_goal_mean_accuracy,omitempty"`
	// Targets scores the SDG targets of the texts whose gold labels name
	// targets (TargetTexts of them); nil when none does.
	Targets     *Metrics `json:"sdg_targets,omitempty"`
	TargetTexts int      `json:"sdg_target_texts,omitempty"`
	// Gold and Predicted are each text's labels; Classified how it was
	// read (its language, and for a text read through a bilingual lexicon,
	// the share of its words translated): for figures by language.
	Gold, Predicted [][]string   `json:"-"`
	Classified      []Classified `json:"-"`
}

// KindMetrics are the scores of the texts of one kind: micro precision,
// recall and F1 over the model's labels or, for an SDG model, over goals,
// with the mean per-goal yes/no accuracy.
type KindMetrics struct {
	Kind         string  `json:"kind"`
	Texts        int     `json:"texts"`
	P            float64 `json:"micro_p"`
	R            float64 `json:"micro_r"`
	F1           float64 `json:"micro_f1"`
	GoalAccuracy float64 `json:"sdg_goal_mean_accuracy,omitempty"`
}

// EvaluateKinds scores m on labelled examples, each predicted as a text of its
// kind: kind when not "", else the example's Kind, else DetectKind's guess.
// French and Spanish texts are read through proj (nil: as English), as
// nmirf classify reads them.
func EvaluateKinds(ctx context.Context, m *Model, ex []Example, kind string, proj *Projection) (Evaluation, error) {
	if kind != "" && !IsTextKind(kind) {
		return Evaluation{}, fmt.Errorf("evaluate: unknown kind of text %q", kind)
	}
	texts, gold := splitExamples(ex)
	kinds := make([]string, len(ex))
	for i, e := range ex {
		switch {
		case kind != "":
			kinds[i] = kind
		case e.Kind != "":
			kinds[i] = e.Kind
		default:
			kinds[i] = DetectKind(e.Text)
		}
	}
	res, err := NewBatch(m.MultiLabel).WithProjection(proj).Classify(ctx, texts, PredictOptions{Kinds: kinds})
	if err != nil {
		return Evaluation{}, err
	}
	pred := make([][]string, len(res))
	for i, r := range res {
		for _, a := range r.Predictions[0].Labels {
			pred[i] = append(pred[i], a.Label)
		}
	}
	ev := Evaluation{Gold: gold, Predicted: pred, Classified: res}
	if ev.Metrics, err = Score(gold, pred, m.Labels); err != nil {
		return ev, err
	}
	sdg := m.Task == models.TaskSDG
	if sdg {
		goals, acc, err := scoreGoals(gold, pred)
		if err != nil {
			return ev, err
		}
		ev.Goals, ev.GoalAccuracy = &goals, acc
		var gt, pt [][]string
		for i := range gold {
			if t := sdgTargets(gold[i]); len(t) > 0 {
				gt, pt = append(gt, t), append(pt, sdgTargets(pred[i]))
			}
		}
		if len(gt) > 0 {
			t, err := Score(gt, pt, nil)
			if err != nil {
				return ev, err
			}
			ev.Targets, ev.TargetTexts = &t, len(gt)
		}
	}
	for _, k := range append(slices.Clone(TextKinds), "") {
		var g, p [][]string
		for i := range kinds {
			if kinds[i] == k || k == "" && !IsTextKind(kinds[i]) {
				g, p = append(g, gold[i]), append(p, pred[i])
			}
		}
		if len(g) == 0 {
			continue
		}
		km := KindMetrics{Kind: k, Texts: len(g)}
		if k == "" {
			km.Kind = "other"
		}
		if sdg {
			met, acc, err := scoreGoals(g, p)
			if err != nil {
				return ev, err
			}
			km.P, km.R, km.F1, km.GoalAccuracy = met.MicroP, met.MicroR, met.MicroF, acc
		} else {
			met, err := Score(g, p, m.Labels)
			if err != nil {
				return ev, err
			}
			km.P, km.R, km.F1 = met.MicroP, met.MicroR, met.MicroF
		}
		ev.Kinds = append(ev.Kinds, km)
	}
	return ev, nil
}

// scoreGoals scores the SDG goals of gold and pred label lists (a target
// implying its goal) and returns the mean per-goal yes/no accuracy too.
func scoreGoals(gold, pred [][]string) (Metrics, float64, error) {
	gg, pg := make([][]string, len(gold)), make([][]string, len(pred))
	for i := range gold {
		gg[i], pg[i] = models.SDGGoals(gold[i]), models.SDGGoals(pred[i])
	}
	met, err := Score(gg, pg, nil)
	if err != nil {
		return met, 0, err
	}
	var acc float64
	for g := 1; g <= 17; g++ {
		goal := fmt.Sprint(g)
		right := 0
		for i := range gg {
			if slices.Contains(gg[i], goal) == slices.Contains(pg[i], goal) {
				right++
			}
		}
		acc += float64(right) / float64(len(gg))
	}
	return met, acc / 17, nil
}

func sdgTargets(codes []string) []string {
	var out []string
	for _, c := range codes {
		if models.IsSDGTarget(c) {
			out = append(out, c)
		}
	}
	return out
}
