package pipeline

import (
	"context"
	"io"

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
	rows, err := extract.ReadTexts(in, extract.TextColumns{Text: o.TextCol, ID: o.IDCol})
	if err != nil {
		return models.InputError(in.Path, err)
	}
	out, err := classout.New(w, o.Format)
	if err != nil {
		return err
	}
	mls := make([]*classify.MultiLabel, len(mods))
	for k, m := range mods {
		mls[k] = m.MultiLabel
	}
	batch := classify.NewBatch(mls...)
	opt := classify.PredictOptions{TopK: o.TopK, Evidence: o.Evidence, ReadableEvidence: true}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// One batch waits in the channel while the writer writes another: the
	// results held are at most three batches'.
	todo := make(chan classified, 1)
	written := make(chan error, 1)
	go func() {
		var err error
		for c := range todo {
			if err == nil {
				if err = writeClassified(out, mods, c); err != nil {
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

// writeClassified writes the records of one classified batch.
func writeClassified(out *classout.Writer, mods []*classify.Model, c classified) error {
	as := make([][]models.Assignment, len(mods))
	for i, r := range c.rows {
		for k, m := range mods {
			as[k] = m.Assignments(c.res[i].Predictions[k])
		}
		flags := classify.BatchTextFlags(r.Text, extract.NotEnglish(r.Text), c.res[i])
		if err := out.Write(r.ID, flags, as...); err != nil {
			return err
		}
	}
	return nil
}
