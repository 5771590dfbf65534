package main

import (
	"context"
	"io"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/atomicfile"
	"github.com/nmirf/nmirf/pipeline"
)

// standalone holds the flags of classify --in.
type standalone struct {
	in, textCol, idCol, format, out string
	top, evidence                   int
	proj                            *classify.Projection
	kind                            string
}

// run classifies the input with the models load returns. The input is read
// while the models load and their Batch is made, each on a core; a models
// error still comes first.
func (s *standalone) run(ctx context.Context, g *globals, load func() ([]*classify.Model, error)) error {
	o := pipeline.StandaloneOptions{TextCol: s.textCol, IDCol: s.idCol, Format: s.format, TopK: s.top, Evidence: s.evidence, Projection: s.proj, Kind: s.kind}
	type input struct {
		rows []extract.TextRow
		err  error
	}
	read := make(chan input, 1)
	go func() {
		in, err := extract.ReadInput(s.in)
		if err != nil {
			read <- input{err: err}
			return
		}
		rows, err := pipeline.ReadStandalone(in, o)
		read <- input{rows, err}
	}()
	mods, err := load()
	if err != nil {
		return err
	}
	// Reading a large input takes longer than loading the models: their
	// Batch is made meanwhile.
	sb := pipeline.NewStandaloneBatch(mods, o)
	r := <-read
	if r.err != nil {
		return r.err
	}
	if s.out == "" {
		return sb.ClassifyRows(ctx, r.rows, o, g.stdout)
	}
	return atomicfile.Write(s.out, func(w io.Writer) error { return sb.ClassifyRows(ctx, r.rows, o, w) })
}
