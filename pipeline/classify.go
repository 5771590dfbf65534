package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract/lang"
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
		texts, foreign := splitByLanguage(texts)
		info := load.ModelInfo{ModelID: m.ModelID, Task: m.Task, Labels: len(m.Labels), Header: m.ModelHeader}
		run.Inputs = append(run.Inputs, models.RunInput{Name: m.ModelID, Format: "model:" + m.Task, Records: len(texts)})
		opt.Progress.Start("classify "+m.Task, len(texts))
		// Batches bound memory at UHRI scale; each is its own transaction,
		// so a run stopped part-way keeps what it finished and the next
		// run classifies only the rest.
		for lo := 0; lo == 0 || lo < len(texts); lo += classifyBatch {
			batch := texts[lo:min(lo+classifyBatch, len(texts))]
			opt.Progress.Step(lo+len(batch)-1, m.Task)
			perText, err := classify.Assign(ctx, m, recTexts(batch), opt.TopK, opt.Evidence)
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
		// Texts in another language come after the English ones, so that
		// an English twin classified in this run passes its labels on.
		if len(foreign) > 0 {
			run.Counts.Read += len(foreign)
			if err := w.WriteInherited(ctx, run, info, foreign); err != nil {
				return nil, fmt.Errorf("write labels of texts not in English: %w", err)
			}
		}
		opt.Progress.Done()
	}
	return run, nil
}

// splitByLanguage keeps the texts the models read (English, or of unknown
// language) apart from those in another language, which the English models
// cannot judge: these inherit the labels of their English twin, or are
// marked unclassified with the reason.
func splitByLanguage(ts []load.RecText) (own []load.RecText, foreign []load.Inherited) {
	own = ts[:0:0]
	for _, t := range ts {
		if t.Language == "" || t.Language == lang.English {
			own = append(own, t)
			continue
		}
		in := load.Inherited{RecID: t.RecID, TextSHA256: t.TextSHA256, Language: t.Language, From: t.EnglishTwin}
		if in.From == "" {
			in.Reason = "language " + t.Language + ": no model"
		}
		foreign = append(foreign, in)
	}
	return own, foreign
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
