package pipeline

import (
	"context"
	"io"
	"runtime"
	"sync"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/load/classout"
	"github.com/nmirf/nmirf/models"
)

// StandaloneOptions classify a file of texts without a warehouse.
type StandaloneOptions struct {
	TextCol  string
	IDCol    string // "" uses an "id" column if there is one, else numbers the rows
	Format   string // jsonl or csv
	TopK     int
	Evidence int
	// Projection reads French and Spanish texts with the English models
	// (nil: they are read as English and flagged not-english).
	Projection *classify.Projection
	Kind       string // the kind of every text (classify.KindRecommendation, …); "" guesses it per text
}

// batchSize bounds memory: texts are classified and written in batches, so
// that only a few batches' results are held at a time.
const batchSize = 4096

// classified is one batch of rows with their results, on its way to the
// writer.
type classified struct {
	rows []extract.TextRow
	res  []classify.Classified
}

// ClassifyFile classifies the texts of a CSV, XLSX or JSONL input and
// writes one record per row, in input order, to w. One Batch of the models
// classifies the texts (one tokenisation of each text for all of them, over
// every core) while the batch before is written, in order.
func ClassifyFile(ctx context.Context, in *extract.Input, mods []*classify.Model, o StandaloneOptions, w io.Writer) error {
	rows, err := ReadStandalone(in, o)
	if err != nil {
		return err
	}
	return ClassifyRows(ctx, rows, mods, o, w)
}

// ReadStandalone reads the rows of a standalone input as ClassifyFile
// does, so that they can be read while the models load.
func ReadStandalone(in *extract.Input, o StandaloneOptions) ([]extract.TextRow, error) {
	rows, err := extract.ReadTexts(in, extract.TextColumns{Text: o.TextCol, ID: o.IDCol})
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	return rows, nil
}

// StandaloneBatch is the Batch of the models ClassifyRows classifies
// with, made once, so that it can be made while the input is read.
type StandaloneBatch struct {
	mods  []*classify.Model
	batch *classify.Batch
}

// NewStandaloneBatch makes the Batch of mods with o's projection.
func NewStandaloneBatch(mods []*classify.Model, o StandaloneOptions) *StandaloneBatch {
	mls := make([]*classify.MultiLabel, len(mods))
	for k, m := range mods {
		mls[k] = m.MultiLabel
	}
	return &StandaloneBatch{mods: mods, batch: classify.NewBatch(mls...).WithProjection(o.Projection)}
}

// ClassifyRows is ClassifyFile of rows read by ReadStandalone.
func ClassifyRows(ctx context.Context, rows []extract.TextRow, mods []*classify.Model, o StandaloneOptions, w io.Writer) error {
	return NewStandaloneBatch(mods, o).ClassifyRows(ctx, rows, o, w)
}

// ClassifyRows is ClassifyFile of rows read by ReadStandalone, with the
// models of sb.
func (sb *StandaloneBatch) ClassifyRows(ctx context.Context, rows []extract.TextRow, o StandaloneOptions, w io.Writer) error {
	out, err := classout.New(w, o.Format)
	if err != nil {
		return err
	}
	mods, batch := sb.mods, sb.batch
	opt := classify.PredictOptions{TopK: o.TopK, Evidence: o.Evidence, ReadableEvidence: true, Kind: o.Kind}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// One batch waits in the channel while the writer writes another: the
	// results held are at most three batches'.
	todo := make(chan classified, 1)
	written := make(chan error, 1)
	go func() {
		parts := make([]*classout.Records, runtime.GOMAXPROCS(0))
		for p := range parts {
			parts[p] = out.NewRecords()
		}
		var err error
		for c := range todo {
			if err == nil {
				if err = writeClassified(out, parts, mods, o.Projection, c); err != nil {
					cancel() // stop classifying what cannot be written
				}
			}
		}
		written <- err
	}()
	var cerr error
	for lo := 0; lo < len(rows); lo += batchSize {
		part := rows[lo:min(lo+batchSize, len(rows))]
		texts := make([]string, len(part))
		for i, r := range part {
			texts[i] = r.Text
		}
		res, err := batch.Classify(ctx, texts, opt)
		if err != nil {
			cerr = err
			break
		}
		todo <- classified{rows: part, res: res}
	}
	close(todo)
	if werr := <-written; werr != nil {
		return werr
	}
	if cerr != nil {
		return cerr
	}
	return out.Flush()
}

// writeClassified writes the records of one classified batch: parts
// encode a share of it each, on their own goroutine, and are written in
// order.
func writeClassified(out *classout.Writer, parts []*classout.Records, mods []*classify.Model, proj *classify.Projection, c classified) error {
	per := (len(c.rows) + len(parts) - 1) / len(parts)
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for p, rs := range parts {
		lo, hi := min(p*per, len(c.rows)), min((p+1)*per, len(c.rows))
		wg.Go(func() {
			as := make([][]models.Assignment, len(mods))
			for i := lo; i < hi; i++ {
				r := c.rows[i]
				for k, m := range mods {
					as[k] = m.Assignments(c.res[i].Predictions[k])
				}
				res := c.res[i]
				// A text read through the lexicon is flagged by its language
				// (translated-fr), and low-language-support when the lexicon
				// translated too little of it, instead of not-english.
				flags := classify.BatchTextFlags(r.Text, !res.Translated && extract.NotEnglish(r.Text), res)
				flags = append(flags, proj.TranslatedFlags(res)...)
				if errs[p] = rs.Add(r.ID, flags, as...); errs[p] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for p, rs := range parts {
		if errs[p] != nil {
			return errs[p]
		}
		if err := out.WriteRecords(rs); err != nil {
			return err
		}
	}
	return nil
}
