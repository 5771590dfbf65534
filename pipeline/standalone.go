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
// a file of any length is handled with the memory of one batch.
const batchSize = 4096

// ClassifyFile classifies the texts of a CSV, XLSX or JSONL input and
// writes one record per row, in input order, to w.
func ClassifyFile(ctx context.Context, in *extract.Input, mods []*classify.Model, o StandaloneOptions, w io.Writer) error {
	rows, err := extract.ReadTexts(in, extract.TextColumns{Text: o.TextCol, ID: o.IDCol})
	if err != nil {
		return models.InputError(in.Path, err)
	}
	out, err := classout.New(w, o.Format)
	if err != nil {
		return err
	}
	for lo := 0; lo < len(rows); lo += batchSize {
		batch := rows[lo:min(lo+batchSize, len(rows))]
		texts := make([]string, len(batch))
		for i, r := range batch {
			texts[i] = r.Text
		}
		per := make([][][]models.Assignment, len(mods))
		for k, m := range mods {
			if per[k], err = classify.Assign(ctx, m, texts, o.TopK, o.Evidence); err != nil {
				return err
			}
		}
		for i, r := range batch {
			as := make([][]models.Assignment, len(mods))
			for k := range mods {
				as[k] = per[k][i]
			}
			if err := out.Write(r.ID, classify.TextFlags(r.Text, extract.NotEnglish(r.Text), mods), as...); err != nil {
				return err
			}
		}
	}
	return out.Flush()
}
