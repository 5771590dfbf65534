package pipeline

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// ClassifyOptions are the plain options of a classification run.
type ClassifyOptions struct {
	Warehouse string
	Models    []*classify.Model
	All       bool // reclassify every recommendation, not only new or changed ones
	TopK      int  // also store the next K best labels, marked fallback
	Evidence  int  // evidence terms per label; 0 means 5
	Version   string
	Wait      bool
	Progress  Progress
}

// Classify assigns themes and SDG targets to the warehouse's
// recommendations that the given models have not yet classified in their
// current text, and writes them in one transaction with a run row.
func Classify(ctx context.Context, opt ClassifyOptions) (*models.Run, error) {
	if len(opt.Models) == 0 {
		return nil, models.UsageError("classify needs at least one model")
	}
	if opt.Evidence == 0 {
		opt.Evidence = 5
	}
	return withWarehouse(ctx, opt.Warehouse, opt.Wait, func(w *load.Warehouse) (*models.Run, error) {
		return classifyInto(ctx, w, opt)
	})
}

// classifyInto does the work of Classify on an open, locked warehouse.
func classifyInto(ctx context.Context, w *load.Warehouse, opt ClassifyOptions) (*models.Run, error) {
	if opt.Progress == nil {
		opt.Progress = NoProgress{}
	}
	run := &models.Run{RunID: models.NewRunID(time.Now()), Command: "classify", Version: opt.Version, StartedAt: time.Now(), Status: "ok"}
	for _, m := range opt.Models {
		texts, err := w.PendingTexts(ctx, m.Task, m.ModelID, opt.All)
		if err != nil {
			return nil, fmt.Errorf("select recommendations for %s: %w", m.ModelID, err)
		}
		info := load.ModelInfo{ModelID: m.ModelID, Task: m.Task, Labels: len(m.Labels), Header: m.ModelHeader}
		run.Inputs = append(run.Inputs, models.RunInput{Name: m.ModelID, Format: "model:" + m.Task, Records: len(texts)})
		opt.Progress.Start("classify "+m.Task, len(texts))
		// Batches bound memory at UHRI scale; each is its own transaction,
		// so a run stopped part-way keeps what it finished and the next
		// run classifies only the rest.
		for lo := 0; lo == 0 || lo < len(texts); lo += classifyBatch {
			batch := texts[lo:min(lo+classifyBatch, len(texts))]
			opt.Progress.Step(lo+len(batch)-1, m.Task)
			perText, err := Assign(ctx, m, recTexts(batch), opt.TopK, opt.Evidence)
			if err != nil {
				return nil, fmt.Errorf("classify with %s: %w", m.ModelID, err)
			}
			var as []models.Assignment
			for i, rows := range perText {
				for _, a := range rows {
					a.RecID = batch[i].RecID
					as = append(as, a)
				}
			}
			run.Counts.Read += len(batch)
			if err := w.WriteAssignments(ctx, run, []load.TaskResult{{Model: info, Texts: batch, Assignments: as}}); err != nil {
				return nil, fmt.Errorf("write assignments: %w", err)
			}
		}
		opt.Progress.Done()
	}
	return run, nil
}

// classifyBatch is how many texts are classified and written at a time.
const classifyBatch = 25000

func recTexts(ts []load.RecText) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Text
	}
	return out
}

// Assign classifies texts with m and returns each text's assignments, ranked
// by score within each scheme. Labels of the SDG task become sdg-target rows
// plus one sdg-goal row per goal (the best of its targets' scores).
func Assign(ctx context.Context, m *classify.Model, texts []string, topK, evidence int) ([][]models.Assignment, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	X, err := m.Vectorizer().Transform(ctx, texts)
	if err != nil {
		return nil, err
	}
	preds, err := m.PredictMatrix(ctx, X, classify.PredictOptions{TopK: topK, Evidence: evidence})
	if err != nil {
		return nil, err
	}
	scheme := schemeOf(m.Task)
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

func schemeOf(task string) string {
	switch task {
	case models.TaskUPRInfoIssues:
		return models.SchemeUPRInfoIssue
	case models.TaskUHRIThemes:
		return models.SchemeUHRITheme
	case models.TaskSDG:
		return "sdg-target"
	}
	return task
}

func assignmentsOf(p classify.Prediction, m *classify.Model, scheme string) []models.Assignment {
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
			sch = "sdg-goal"
		}
		rows = append(rows, mk(models.Unclassified, best, nil, false, sch))
	}
	// Assigned labels first, then the --top extras, each ranked by score.
	confident := len(p.Labels)
	all := append(append([]classify.Assigned{}, p.Labels...), p.Next...)
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
		a.Scheme = "sdg-goal"
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
		case a.Label == models.Unclassified || a.Scheme == "sdg-goal":
			if a.Label == models.Unclassified {
				out = append(out, a)
			} else {
				addGoal(a)
			}
		case strings.Contains(a.Label, "."):
			a.Scheme = "sdg-target"
			out = append(out, a)
			g := a
			g.Label = a.Label[:strings.IndexByte(a.Label, '.')]
			addGoal(g)
		default:
			addGoal(a)
		}
	}
	return out
}
