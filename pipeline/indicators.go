package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
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
	Paths   []string // Open SDG repositories (folders) or Global Database exports (CSV/XLSX files)
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
// same dataset and file wrote.
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
	if err := LoadFramework(ctx, w); err != nil {
		return nil, err
	}
	var files []load.ObservationFile
	for _, p := range opt.Paths {
		res, err := indicators.ReadPath(ctx, p, indicators.Options{CountryISO3: opt.Country})
		if err != nil {
			return nil, err
		}
		run.Warnings = append(run.Warnings, res.Warnings...)
		run.Rejected = append(run.Rejected, res.Rejected...)
		byFile := map[[2]string]*load.ObservationFile{}
		var order [][2]string
		for _, o := range res.Observations {
			k := [2]string{o.Dataset, o.File}
			f := byFile[k]
			if f == nil {
				f = &load.ObservationFile{Dataset: o.Dataset, File: o.File}
				byFile[k] = f
				order = append(order, k)
			}
			f.Observations = append(f.Observations, o)
		}
		for _, k := range order {
			files = append(files, *byFile[k])
		}
		run.Counts.Read += len(res.Observations)
		run.Inputs = append(run.Inputs, models.RunInput{Path: p, Name: filepath.Base(p), Format: "indicators", Records: len(res.Observations), Rejected: len(res.Rejected)})
	}
	for _, in := range opt.Inputs {
		res, err := indicators.ReadOpenSDGFile(ctx, in, indicators.Options{CountryISO3: opt.Country, Dataset: opt.Dataset})
		if err != nil {
			run.Warnings = append(run.Warnings, fmt.Sprintf("skipped %s: %v", in.Path, err))
			continue
		}
		run.Warnings = append(run.Warnings, res.Warnings...)
		run.Rejected = append(run.Rejected, res.Rejected...)
		run.Counts.Read += len(res.Observations)
		files = append(files, load.ObservationFile{Dataset: opt.Dataset, File: in.Name, SHA256: in.SHA256, Observations: res.Observations, Rejected: len(res.Rejected)})
	}
	run.Counts.Rejected = len(run.Rejected)
	if err := w.WriteObservations(ctx, run, files); err != nil {
		return nil, fmt.Errorf("write indicator data: %w", err)
	}
	return run, nil
}
