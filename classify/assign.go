package classify

import (
	"cmp"
	"context"
	"slices"
	"strings"

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
	// One allocation per text: a row per label and, for an SDG model, room
	// after them for its rows of targets and the goals they imply.
	n := len(p.Labels) + len(p.Next) + 1
	if m.Task == models.TaskSDG {
		n *= 3
	}
	rows := make([]models.Assignment, 0, n)
	if p.Unclassified {
		best := 0.0
		if len(p.Next) > 0 {
			best = p.Next[0].Score
		}
		sch := scheme
		if m.Task == models.TaskSDG {
			sch = models.SchemeSDGGoal
		}
		rows = append(rows, models.Assignment{Scheme: sch, Label: models.Unclassified, Score: best, ModelID: m.ModelID})
	}
	// Assigned labels first, then the --top extras, each ranked by score.
	for _, a := range p.Labels {
		rows = append(rows, models.Assignment{Scheme: scheme, Label: a.Label, Score: a.Score, ModelID: m.ModelID, Evidence: a.Evidence})
	}
	for _, a := range p.Next {
		rows = append(rows, models.Assignment{Scheme: scheme, Label: a.Label, Score: a.Score, ModelID: m.ModelID, Evidence: a.Evidence, Fallback: true})
	}
	if m.Task == models.TaskSDG {
		rows = sdgRowsInto(rows[len(rows):len(rows):cap(rows)], rows)
	}
	// Rank within each scheme by score, highest first.
	slices.SortStableFunc(rows, func(a, b models.Assignment) int {
		if c := strings.Compare(a.Scheme, b.Scheme); c != 0 {
			return c
		}
		return cmp.Compare(b.Score, a.Score)
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
	return sdgRowsInto(nil, rows)
}

// sdgRowsInto is sdgRows appending to out, which must not overlap rows.
func sdgRowsInto(out, rows []models.Assignment) []models.Assignment {
	from := len(out)
	addGoal := func(a models.Assignment) {
		a.Scheme = models.SchemeSDGGoal
		// A text has a few goals: a look along them beats a map.
		for k := from; k < len(out); k++ {
			if out[k].Scheme == models.SchemeSDGGoal && out[k].Label == a.Label && out[k].Label != models.Unclassified {
				if a.Score > out[k].Score {
					out[k].Score, out[k].Evidence = a.Score, a.Evidence
				}
				out[k].Fallback = out[k].Fallback && a.Fallback
				return
			}
		}
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
