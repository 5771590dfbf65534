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
	kind                            string
}

func (s *standalone) run(ctx context.Context, g *globals, mods []*classify.Model) error {
	in, err := extract.ReadInput(s.in)
	if err != nil {
		return err
	}
	o := pipeline.StandaloneOptions{TextCol: s.textCol, IDCol: s.idCol, Format: s.format, TopK: s.top, Evidence: s.evidence, Kind: s.kind}
	if s.out == "" {
		return pipeline.ClassifyFile(ctx, in, mods, o, g.stdout)
	}
	return atomicfile.Write(s.out, func(w io.Writer) error { return pipeline.ClassifyFile(ctx, in, mods, o, w) })
}
