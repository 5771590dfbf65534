package classify

import (
	"context"
	"sort"

	"github.com/nmirf/nmirf/models"
)

// Assign classifies texts with m and returns each text's assignments, ranked
// by score within each scheme. Labels of the SDG task become sdg-target rows
// plus one sdg-goal row per goal (the best of its targets' scores).
func Assign(ctx context.Context, m *Model, texts []string, topK, evidence int) ([][]models.Assignment, error) {
	return AssignKinds(ctx, m, texts, nil, topK, evidence)
}

// AssignKinds is Assign with the kind of each text (KindRecommendation, …;
// a missing or empty one is guessed by DetectKind) for a model calibrated
// by kind.
func AssignKinds(ctx context.Context, m *Model, texts, kinds []string, topK, evidence int) ([][]models.Assignment, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	X, err := m.Vectorizer().Transform(ctx, texts)
	if err != nil {
		return nil, err
	}
	opt := PredictOptions{TopK: topK, Evidence: evidence}
	if m.KindThreshold != nil {
		opt.Kinds = make([]string, len(texts))
		for i, t := range texts {
			if i < len(kinds) && kinds[i] != "" {
				opt.Kinds[i] = kinds[i]
			} else {
				opt.Kinds[i] = DetectKind(t)
			}
		}
	}
	preds, err := m.PredictMatrix(ctx, X, opt)
	if err != nil {
		return nil, err
	}
	scheme := models.SchemeOf(m.Task)
	vz := m.Vectorizer()
	out := make([][]models.Assignment, len(preds))
	for i, p := range preds {
		out[i] = assignmentsOf(p, m, scheme)
		for j := range out[i] {
			// Evidence as the words were written ("death penalty"), not stems.
			out[i][j].Evidence = vz.Readable(out[i][j].Evidence)
		}
	}
	return out, nil
}

func assignmentsOf(p Prediction, m *Model, scheme string) []models.Assignment {
	mk := func(label string, score float64, ev []string, fallback bool, sch string) models.Assignment {
		return models.Assignment{Scheme: sch, Label: label, Score: score, ModelID: m.ModelID, Evidence: ev, Fallback: fallback}
	}
	var rows []models.Assignment
	if p.Unclassified {
		best := 0.0
		if len(p.Next) > 0 {
			best = p.Next[0].Score
		}
		sch := scheme
		if m.Task == models.TaskSDG {
			sch = models.SchemeSDGGoal
		}
		rows = append(rows, mk(models.Unclassified, best, nil, false, sch))
	}
	// Assigned labels first, then the --top extras, each ranked by score.
	confident := len(p.Labels)
	all := append(append([]Assigned{}, p.Labels...), p.Next...)
	for j, a := range all {
		rows = append(rows, mk(a.Label, a.Score, a.Evidence, j >= confident, scheme))
	}
	if m.Task == models.TaskSDG {
		rows = sdgRows(rows)
	}
	// Rank within each scheme by score, highest first.
	sort.SliceStable(rows, func(a, b int) bool {
		if rows[a].Scheme != rows[b].Scheme {
			return rows[a].Scheme < rows[b].Scheme
		}
		return rows[a].Score > rows[b].Score
	})
	rank, prev := 0, ""
	for j := range rows {
		if rows[j].Scheme != prev {
			rank, prev = 0, rows[j].Scheme
		}
		rank++
		rows[j].Rank = rank
	}
	return rows
}

// sdgRows splits SDG labels into targets ("5.2") and goals ("5"): a target
// implies its goal, which gets the best score of its targets unless the
// model scored the goal itself higher.
func sdgRows(rows []models.Assignment) []models.Assignment {
	goals := map[string]int{}
	var out []models.Assignment
	addGoal := func(a models.Assignment) {
		a.Scheme = models.SchemeSDGGoal
		if k, ok := goals[a.Label]; ok {
			if a.Score > out[k].Score {
				out[k].Score, out[k].Evidence = a.Score, a.Evidence
			}
			out[k].Fallback = out[k].Fallback && a.Fallback
			return
		}
		goals[a.Label] = len(out)
		out = append(out, a)
	}
	for _, a := range rows {
		switch {
		case a.Label == models.Unclassified || a.Scheme == models.SchemeSDGGoal:
			if a.Label == models.Unclassified {
				out = append(out, a)
			} else {
				addGoal(a)
			}
		case models.IsSDGTarget(a.Label):
			a.Scheme = models.SchemeSDGTarget
			out = append(out, a)
			g := a
			g.Label = models.SDGGoalOf(a.Label)
			addGoal(g)
		default:
			addGoal(a)
		}
	}
	return out
}
