package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/indicators"
	"github.com/nmirf/nmirf/extract/sdg"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// IndicatorOptions are the plain options of an indicator import.
type IndicatorOptions struct {
	// Paths are Open SDG repositories (folders), Global Database exports
	// (CSV/XLSX files), or folders holding either, at any depth.
	Paths   []string
	Exclude []string // globs of data files not to read, as for ingest
	Country string   // country of an Open SDG platform when its folder name does not tell
	// Inputs are Open SDG data files already in memory (the embedded
	// sample), all of the platform named by Dataset.
	Inputs    []*extract.Input
	Dataset   string
	Warehouse string
	Version   string
	Wait      bool
}

// ImportIndicators loads the embedded SDG framework and the indicator data
// files into the warehouse. Each file replaces what an earlier import of the
// same dataset and file wrote; a file imported before with the same content
// is skipped. A path with no indicator data below it is an input error, and
// nothing is written.
func ImportIndicators(ctx context.Context, opt IndicatorOptions) (*models.Run, error) {
	return withWarehouse(ctx, opt.Warehouse, opt.Wait, func(w *load.Warehouse) (*models.Run, error) {
		return indicatorsInto(ctx, w, opt)
	})
}

// LoadFramework writes the embedded SDG framework (2025 review).
func LoadFramework(ctx context.Context, w *load.Warehouse) error {
	fw, err := sdg.Parse(bytes.NewReader(data.SDGFramework()))
	if err != nil {
		return fmt.Errorf("embedded SDG framework: %w", err)
	}
	return w.WriteFramework(ctx, &fw.SDGFramework)
}

func indicatorsInto(ctx context.Context, w *load.Warehouse, opt IndicatorOptions) (*models.Run, error) {
	run := &models.Run{RunID: models.NewRunID(time.Now()), Command: "indicators import", Version: opt.Version, StartedAt: time.Now()}
	// Every path is looked into before anything is written: a path with
	// no data is an error of the whole command.
	type found struct {
		root    string
		sources []indicators.Source
	}
	var all []found
	for _, p := range opt.Paths {
		srcs, notes, err := indicators.FindSources(ctx, p)
		if err != nil {
			return nil, err
		}
		run.Warnings = append(run.Warnings, notes...)
		all = append(all, found{p, srcs})
	}
	if err := LoadFramework(ctx, w); err != nil {
		return nil, err
	}
	var files []load.ObservationFile
	// add reads one data file unless it is excluded or already imported
	// unchanged, and queues its observations to replace the file's.
	add := func(root, path, dataset string, read func(*extract.Input) (*indicators.Result, error)) error {
		if note, ok := excluded(root, path, opt.Exclude); ok {
			run.Warnings = append(run.Warnings, note)
			return nil
		}
		in, err := extract.ReadInput(path)
		if err != nil {
			if path == root {
				// A file named on its own is the whole command's input
				// (ReadInput's errors name the file already).
				return err
			}
			run.Warnings = append(run.Warnings, fmt.Sprintf("%s: skipped: %s", path, errorText(err)))
			return nil
		}
		ri := models.RunInput{Path: path, Name: in.Name, SHA256: in.SHA256, Format: "indicators"}
		if dataset != "" {
			known, err := w.KnownIndicatorFile(ctx, dataset, in.Name, in.SHA256)
			if err != nil {
				return err
			}
			if known {
				ri.Skipped = true
				run.Inputs = append(run.Inputs, ri)
				return nil
			}
		}
		res, err := read(in)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if path == root {
				// A file named on its own is the whole command's input.
				var ue *models.Error
				if errors.As(err, &ue) {
					return err
				}
				return models.InputError(path, err)
			}
			run.Rejected = append(run.Rejected, indicators.FileError(path, err))
			return nil
		}
		run.Warnings = append(run.Warnings, res.Warnings...)
		run.Rejected = append(run.Rejected, res.Rejected...)
		run.Counts.Read += len(res.Observations)
		ri.Records, ri.Rejected = len(res.Observations), len(res.Rejected)
		run.Inputs = append(run.Inputs, ri)
		if dataset == "" && len(res.Observations) > 0 {
			dataset = res.Observations[0].Dataset
		}
		if dataset != "" {
			files = append(files, load.ObservationFile{Dataset: dataset, File: in.Name, SHA256: in.SHA256, Observations: res.Observations, Rejected: len(res.Rejected)})
		}
		return nil
	}
	for _, f := range all {
		for _, src := range f.sources {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if !src.OpenSDG {
				err := add(f.root, src.Path, indicators.DatasetGlobalDatabase, func(in *extract.Input) (*indicators.Result, error) {
					return indicators.ReadGlobalDatabase(ctx, in)
				})
				if err != nil {
					return nil, err
				}
				continue
			}
			repo, err := indicators.OpenOpenSDGRepo(src.Path, indicators.Options{CountryISO3: opt.Country})
			if err != nil {
				return nil, err
			}
			run.Warnings = append(run.Warnings, repo.Warnings...)
			for _, path := range repo.Files {
				err := add(f.root, path, repo.Dataset(), func(in *extract.Input) (*indicators.Result, error) { return repo.ReadFile(ctx, in) })
				if err != nil {
					return nil, err
				}
			}
			run.Warnings = append(run.Warnings, repo.MetaWarnings()...)
		}
	}
	for _, in := range opt.Inputs {
		ri := models.RunInput{Path: in.Path, Name: in.Name, SHA256: in.SHA256, Format: "indicators"}
		known, err := w.KnownIndicatorFile(ctx, opt.Dataset, in.Name, in.SHA256)
		if err != nil {
			return nil, err
		}
		if known {
			ri.Skipped = true
			run.Inputs = append(run.Inputs, ri)
			continue
		}
		res, err := indicators.ReadOpenSDGFile(ctx, in, indicators.Options{CountryISO3: opt.Country, Dataset: opt.Dataset})
		if err != nil {
			run.Warnings = append(run.Warnings, fmt.Sprintf("%s: skipped: %v", in.Path, errorText(err)))
			continue
		}
		run.Warnings = append(run.Warnings, res.Warnings...)
		run.Rejected = append(run.Rejected, res.Rejected...)
		run.Counts.Read += len(res.Observations)
		ri.Records, ri.Rejected = len(res.Observations), len(res.Rejected)
		run.Inputs = append(run.Inputs, ri)
		files = append(files, load.ObservationFile{Dataset: opt.Dataset, File: in.Name, SHA256: in.SHA256, Observations: res.Observations, Rejected: len(res.Rejected)})
	}
	run.Counts.Rejected = len(run.Rejected)
	if err := w.WriteObservations(ctx, run, files); err != nil {
		return nil, fmt.Errorf("write indicator data: %w", err)
	}
	return run, nil
}
