package pipeline

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract/lang"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// ClassifyOptions are the plain options of a classification run.
type ClassifyOptions struct {
	Warehouse    string
	DuckDBMemory string // DuckDB's memory limit; "" the default
	Models       []*classify.Model
	All          bool // reclassify every recommendation, not only new or changed ones
	TopK         int  // also store the next K best labels, marked fallback
	Evidence     int  // evidence terms per label; 0 means 5
	Version      string
	Wait         bool
	Progress     Progress
	// Kind, when set, is the kind of text (classify.KindRecommendation, …)
	// of every recommendation, instead of the kind its importer recorded.
	Kind string
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
	return RunStage(ctx, BatchOptions{Warehouse: opt.Warehouse, DuckDBMemory: opt.DuckDBMemory, Version: opt.Version, Wait: opt.Wait, Progress: opt.Progress}, classifyWith(opt))
}

// classifyInto does the work of Classify on an open, locked warehouse.
func classifyInto(ctx context.Context, w *load.Warehouse, opt ClassifyOptions) (*models.Run, error) {
	if opt.Progress == nil {
		opt.Progress = NoProgress{}
	}
	run := &models.Run{RunID: models.NewRunID(time.Now()), Command: "classify", Version: opt.Version, StartedAt: time.Now()}
	settle(run) // a classification rejects nothing
	// Models with the same recommendations to classify (nearly always all
	// of them: the new ones) classify them together, one tokenisation of
	// each text for all, and write each batch in one transaction.
	var groups []pendingGroup
	for _, m := range opt.Models {
		texts, err := w.PendingTexts(ctx, m.Task, m.ModelID, opt.All)
		if err != nil {
			return nil, fmt.Errorf("select recommendations for %s: %w", m.ModelID, err)
		}
		texts, foreign := splitByLanguage(texts)
		run.Inputs = append(run.Inputs, models.RunInput{Name: m.ModelID, Format: "model:" + m.Task, Records: len(texts)})
		g := slices.IndexFunc(groups, func(g pendingGroup) bool { return sameTexts(g.texts, texts) })
		if g < 0 {
			groups = append(groups, pendingGroup{texts: texts})
			g = len(groups) - 1
		}
		groups[g].mods = append(groups[g].mods, m)
		groups[g].foreign = append(groups[g].foreign, foreign)
	}
	for _, g := range groups {
		if err := classifyGroup(ctx, w, run, opt, g); err != nil {
			return nil, err
		}
		// Texts in another language come after the English ones, so that
		// an English twin classified in this run passes its labels on.
		for k, m := range g.mods {
			if len(g.foreign[k]) == 0 {
				continue
			}
			info := load.ModelInfo{ModelID: m.ModelID, Task: m.Task, Labels: len(m.Labels), Header: m.ModelHeader}
			run.Counts.Read += len(g.foreign[k])
			if err := w.WriteInherited(ctx, run, info, g.foreign[k]); err != nil {
				return nil, fmt.Errorf("write labels of texts not in English: %w", err)
			}
		}
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

// pendingGroup is models, the recommendations each of them has to
// classify, and, per model, those in another language that inherit labels.
type pendingGroup struct {
	mods    []*classify.Model
	texts   []load.RecText
	foreign [][]load.Inherited // per model of mods
}

func sameTexts(a, b []load.RecText) bool {
	return slices.EqualFunc(a, b, func(x, y load.RecText) bool { return x.RecID == y.RecID && x.TextSHA256 == y.TextSHA256 })
}

// classifyGroup classifies a group's texts with one Batch of its models and
// writes the assignments of every model batch by batch, each batch while
// the next is classified. Batches bound
// memory at UHRI scale; each is its own transaction, so a run stopped
// part-way keeps what it finished and the next run classifies only the rest.
func classifyGroup(ctx context.Context, w *load.Warehouse, run *models.Run, opt ClassifyOptions, g pendingGroup) error {
	mls := make([]*classify.MultiLabel, len(g.mods))
	tasks, ids := make([]string, len(g.mods)), make([]string, len(g.mods))
	for k, m := range g.mods {
		mls[k], tasks[k], ids[k] = m.MultiLabel, m.Task, m.ModelID
	}
	b := classify.NewBatch(mls...)
	popt := classify.PredictOptions{TopK: opt.TopK, Evidence: opt.Evidence, ReadableEvidence: true, Kind: opt.Kind}
	stage := strings.Join(tasks, ", ")
	opt.Progress.Start("classify "+stage, len(g.texts))
	// A batch is written while the next is classified; one more waits in
	// the channel. Only the writer touches run until it is done.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan []load.TaskResult, 1)
	written := make(chan error, 1)
	go func() {
		var err error
		for results := range todo {
			if err != nil {
				continue
			}
			for _, r := range results {
				run.Counts.Read += len(r.Texts)
			}
			if err = w.WriteAssignments(ctx, run, results); err != nil {
				err = fmt.Errorf("write assignments: %w", err)
				cancel() // stop classifying what cannot be written
			}
		}
		written <- err
	}()
	var cerr error
	for lo := 0; lo == 0 || lo < len(g.texts); lo += classifyBatch {
		batch := g.texts[lo:min(lo+classifyBatch, len(g.texts))]
		opt.Progress.Step(lo+len(batch)-1, stage)
		popt.Kinds = recKinds(batch, opt.Kind)
		res, err := b.Classify(cctx, recTexts(batch), popt)
		if err != nil {
			cerr = fmt.Errorf("classify with %s: %w", strings.Join(ids, ", "), err)
			break
		}
		results := make([]load.TaskResult, len(g.mods))
		for k, m := range g.mods {
			var as []models.Assignment
			for i, r := range res {
				for _, a := range m.Assignments(r.Predictions[k]) {
					a.RecID = batch[i].RecID
					as = append(as, a)
				}
			}
			info := load.ModelInfo{ModelID: m.ModelID, Task: m.Task, Labels: len(m.Labels), Header: m.ModelHeader}
			results[k] = load.TaskResult{Model: info, Texts: batch, Assignments: as}
		}
		todo <- results
	}
	close(todo)
	if err := <-written; err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	opt.Progress.Done()
	return nil
}

// classifyBatch is how many texts are classified and written at a time (a
// variable for tests of several batches).
var classifyBatch = 25000

// recKinds is the kind of text of each recommendation: kind for all when
// set, else the kind its importer recorded.
func recKinds(ts []load.RecText, kind string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Kind
		if kind != "" {
			out[i] = kind
		}
	}
	return out
}

func recTexts(ts []load.RecText) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Text
	}
	return out
}
