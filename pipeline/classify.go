package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
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
	// Projection reads French and Spanish texts that have no English twin
	// with the English models (nil: they are marked unclassified).
	Projection *classify.Projection
	All        bool // reclassify every recommendation, not only new or changed ones
	TopK       int  // also store the next K best labels, marked fallback
	Evidence   int  // evidence terms per label; 0 means 5
	Version    string
	Wait       bool
	Progress   Progress
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
	// each text for all, and write each batch in one transaction. The
	// recommendations are read once for all the models, not once per model.
	var groups []pendingGroup
	ms := make([]load.Pending, len(opt.Models))
	for k, m := range opt.Models {
		ms[k] = load.Pending{Task: m.Task, ModelID: m.ModelID}
	}
	if err := releaseMemory(ctx, w); err != nil {
		return nil, err
	}
	pending, err := w.PendingTextsOf(ctx, ms, opt.All)
	if err != nil {
		ids := make([]string, len(ms))
		for k, m := range ms {
			ids[k] = m.ModelID
		}
		return nil, fmt.Errorf("select recommendations for %s: %w", strings.Join(ids, ", "), err)
	}
	type split struct {
		in, own []load.RecText
		foreign []load.Inherited
	}
	var splits []split // models given the same pending slice split it once
	for k, m := range opt.Models {
		s := slices.IndexFunc(splits, func(s split) bool { return sameSlice(s.in, pending[k]) })
		if s < 0 {
			own, foreign := splitByLanguage(pending[k], opt.Projection)
			splits = append(splits, split{in: pending[k], own: own, foreign: foreign})
			s = len(splits) - 1
		}
		texts, foreign := splits[s].own, splits[s].foreign
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

// releaseMemory gives back to the system, before the texts are read, the
// memory earlier stages of the same process left behind: the Go heap's
// garbage (a UHRI-scale ingest leaves hundreds of megabytes, which the Go
// runtime returns only slowly) and DuckDB's cache of the tables it wrote.
// Held on top of the texts, these set the peak of a whole nightly run.
func releaseMemory(ctx context.Context, w *load.Warehouse) error {
	debug.FreeOSMemory()
	return w.ShrinkCache(ctx)
}

// splitByLanguage keeps the texts the models read (English, of unknown
// language, or French or Spanish without an English twin when proj reads
// them) apart from those in another language, which the English models
// cannot judge: these inherit the labels of their English twin, or are
// marked unclassified with the reason.
func splitByLanguage(ts []load.RecText, proj *classify.Projection) (own []load.RecText, foreign []load.Inherited) {
	own = ts[:0:0]
	for _, t := range ts {
		if t.Language == "" || t.Language == lang.English || t.EnglishTwin == "" && proj.Reads(t.Language) {
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

// sameSlice tells whether a and b are the same elements of one array.
func sameSlice(a, b []load.RecText) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

func sameTexts(a, b []load.RecText) bool {
	return slices.EqualFunc(a, b, func(x, y load.RecText) bool { return x.RecID == y.RecID && x.TextSHA256 == y.TextSHA256 })
}

// classifyGroup classifies a group's texts with one Batch of its models and
// writes the assignments of every model batch by batch, each batch while
// the next is classified, and the last with all of DuckDB's threads. Each distinct text is classified once (a UHRI
// export repeats a recommendation's text for every State it is addressed
// to), and a batch is a number of distinct texts with every recommendation
// that has one of them. Batches bound memory at UHRI scale; each is its own
// transaction, so a run stopped part-way keeps what it finished and the
// next run classifies only the rest.
func classifyGroup(ctx context.Context, w *load.Warehouse, run *models.Run, opt ClassifyOptions, g pendingGroup) error {
	mls := make([]*classify.MultiLabel, len(g.mods))
	tasks, ids := make([]string, len(g.mods)), make([]string, len(g.mods))
	for k, m := range g.mods {
		mls[k], tasks[k], ids[k] = m.MultiLabel, m.Task, m.ModelID
	}
	b := classify.NewBatch(mls...).WithProjection(opt.Projection)
	popt := classify.PredictOptions{TopK: opt.TopK, Evidence: opt.Evidence, ReadableEvidence: true}
	stage := strings.Join(tasks, ", ")
	uniq, langs, kinds, batches := distinctTexts(g.texts, opt.Kind, classifyBatch)
	opt.Progress.Start("classify "+stage, len(uniq))
	// A batch is written while the next is classified; one more waits in
	// the channel. Only the writer touches run until it is done.
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan load.AssignmentBatch, 1)
	written := make(chan error, 1)
	var scored atomic.Bool // every batch classified: the writer is alone
	go func() {
		var err error
		for ab := range todo {
			if err != nil {
				continue
			}
			ab.Alone = ab.Alone || scored.Load()
			run.Counts.Read += len(ab.Texts) * len(ab.Results)
			if err = w.WriteAssignments(ctx, run, ab); err != nil {
				err = fmt.Errorf("write assignments: %w", err)
				cancel() // stop classifying what cannot be written
			}
		}
		written <- err
	}()
	var cerr error
	for n, bt := range batches {
		lo := n * classifyBatch
		hi := min(lo+classifyBatch, len(uniq))
		opt.Progress.Step(hi-1, stage)
		popt.Kinds = kinds[lo:hi]
		res, err := b.ClassifyLangs(cctx, uniq[lo:hi], langs[lo:hi], popt)
		if err != nil {
			cerr = fmt.Errorf("classify with %s: %w", strings.Join(ids, ", "), err)
			break
		}
		ab := load.AssignmentBatch{Texts: make([]load.RecText, len(bt)), Of: make([]int32, len(bt)), Results: make([]load.TaskResult, len(g.mods))}
		for i, r := range bt {
			ab.Texts[i], ab.Of[i] = g.texts[r.rec], r.text-int32(lo)
		}
		notes := translationNotes(opt.Projection, ab, res)
		for k, m := range g.mods {
			labels := make([][]models.Assignment, len(res))
			for i, r := range res {
				labels[i] = m.Assignments(r.Predictions[k])
			}
			info := load.ModelInfo{ModelID: m.ModelID, Task: m.Task, Labels: len(m.Labels), Header: m.ModelHeader}
			ab.Results[k] = load.TaskResult{Model: info, Labels: labels, Notes: notes}
		}
		ab.Alone = n == len(batches)-1
		todo <- ab
	}
	scored.Store(true)
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

// textRef is a recommendation (its index in the pending texts) and the
// index of its text among the distinct texts.
type textRef struct{ rec, text int32 }

// distinctTexts returns the distinct texts of ts with their languages and
// kinds of text (kind for all when set, else the kind each importer
// recorded: the same words recorded in two languages or as two kinds are two
// texts) in the order they first occur, and the recommendations in batches of size distinct texts: batch n
// holds, in their order in ts, those whose text is one of
// uniq[n*size:(n+1)*size]. There is always at least one batch, so that an
// empty run still records the models.
func distinctTexts(ts []load.RecText, kind string, size int) (uniq, langs, kinds []string, batches [][]textRef) {
	type key struct{ text, lang, kind string }
	seen := make(map[key]int32, len(ts))
	batches = [][]textRef{nil}
	for i, t := range ts {
		tk := t.Kind
		if kind != "" {
			tk = kind
		}
		k, ok := seen[key{t.Text, t.Language, tk}]
		if !ok {
			k = int32(len(uniq))
			seen[key{t.Text, t.Language, tk}] = k
			uniq, langs, kinds = append(uniq, t.Text), append(langs, t.Language), append(kinds, tk)
		}
		n := int(k) / size
		for len(batches) <= n {
			batches = append(batches, nil)
		}
		batches[n] = append(batches[n], textRef{rec: int32(i), text: k})
	}
	return uniq, langs, kinds, batches
}

// classifyBatch is how many texts are classified and written at a time (a
// variable for tests of several batches).
var classifyBatch = 25000

// translationNotes note, for each text read through proj, its language and
// how much of it the lexicon translated, flagging low support.
func translationNotes(proj *classify.Projection, ab load.AssignmentBatch, res []classify.Classified) []load.Note {
	var out []load.Note
	for i, rec := range ab.Texts {
		c := res[ab.Of[i]]
		if !c.Translated {
			continue
		}
		reason := fmt.Sprintf("language %s: read through the bilingual lexicon, %.0f%% of words translated", c.Language, 100*c.Support)
		if proj.LowSupport(c) {
			reason = fmt.Sprintf("%s: language %s, only %.0f%% of words translated by the bilingual lexicon (below %.0f%%); labels uncertain",
				classify.FlagLowSupport, c.Language, 100*c.Support, 100*proj.MinSupportOrDefault())
		}
		out = append(out, load.Note{RecID: rec.RecID, Language: c.Language, Reason: reason})
	}
	return out
}
