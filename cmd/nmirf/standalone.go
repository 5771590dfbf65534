package main

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/pipeline"
)

// standalone holds the flags of classify --in.
type standalone struct {
	in, textCol, idCol, format, out string
	top, evidence                   int
}

func (s *standalone) run(ctx context.Context, g *globals, mods []*classify.Model) error {
	in, err := extract.ReadInput(s.in)
	if err != nil {
		return err
	}
	var w io.Writer = g.stdout
	var f *os.File
	if s.out != "" {
		if f, err = os.CreateTemp(filepath.Dir(s.out), ".nmirf-classify-*"); err != nil {
			return err
		}
		defer os.Remove(f.Name())
		w = f
	}
	err = pipeline.ClassifyFile(ctx, in, mods, pipeline.StandaloneOptions{
		TextCol: s.textCol, IDCol: s.idCol, Format: s.format, TopK: s.top, Evidence: s.evidence}, w)
	if f == nil || err != nil {
		if f != nil {
			f.Close()
		}
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), s.out)
}
