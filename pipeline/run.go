package pipeline

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// BatchOptions describe a whole batch run: the stages and their inputs,
// resolved by cmd from defaults, the config file, env and flags.
type BatchOptions struct {
	Warehouse string
	Version   string
	Wait      bool
	Progress  Progress

	// Fetch runs before ingest and returns the files it downloaded, which
	// are ingested with the rest; nil skips the stage.
	Fetch func(ctx context.Context) (files []string, warnings []string, err error)

	Ingest IngestOptions // Paths and Inputs; Warehouse, Version, Wait are set from here

	Models     []*classify.Model
	ReclassAll bool

	ClusterThreshold float64 // 0: the default

	// Indicators are Open SDG repositories or Global Database exports;
	// IndicatorInputs are Open SDG files already in memory (the sample).
	Indicators       []string
	IndicatorInputs  []*extract.Input
	IndicatorCountry string
	IndicatorDataset string

	// Followup imports returned review workbooks and other follow-up
	// files after clustering, before the reports, one import per entry.
	Followup []FollowupImportOptions

	Reports []ReportOptions

	// Config is the resolved configuration, recorded in the run manifest.
	Config any
}

// RunBatch runs fetch → ingest → classify → cluster → followup → indicators → reports
// → publish under one lock. Each stage commits its own transaction, so a
// run killed at any point leaves the warehouse as the last finished stage
// left it, and the next run completes the work (unchanged inputs are
// skipped, only unclassified texts classified). The Parquet snapshot is
// published once, at the end, by one rename.
func RunBatch(ctx context.Context, o BatchOptions) (*models.Run, error) {
	if o.Progress == nil {
		o.Progress = NoProgress{}
	}
	run := &models.Run{RunID: models.NewRunID(time.Now()), Command: "run", Version: o.Version, StartedAt: time.Now(), Status: "failed", Config: o.Config}
	lock, err := AcquireLock(o.Warehouse, o.Wait, time.Time{})
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	w, err := load.Open(ctx, o.Warehouse)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	fail := func(stage string, err error) (*models.Run, error) {
		run.Warnings = append(run.Warnings, stage+" failed: "+err.Error())
		run.FinishedAt = time.Now()
		writeManifest(o.Warehouse, run)
		slog.ErrorContext(ctx, "run failed", "run_id", run.RunID, "stage", stage, "error", err.Error())
		return run, err
	}
	slog.InfoContext(ctx, "run started", "run_id", run.RunID, "warehouse", o.Warehouse, "version", o.Version)
	stageDone := func(name string, t0 time.Time) {
		run.Time(name, t0)
		slog.InfoContext(ctx, "stage finished", "run_id", run.RunID, "stage", name, "seconds", run.Stages[len(run.Stages)-1].Seconds)
	}

	if o.Fetch != nil {
		t0 := time.Now()
		files, warns, err := o.Fetch(ctx)
		run.Warnings = append(run.Warnings, warns...)
		if err != nil {
			return fail("fetch", err)
		}
		o.Ingest.Paths = append(o.Ingest.Paths, files...)
		stageDone("fetch", t0)
	}

	if len(o.Ingest.Paths)+len(o.Ingest.Inputs) > 0 {
		t0 := time.Now()
		o.Ingest.Warehouse, o.Ingest.Version, o.Ingest.Progress = o.Warehouse, o.Version, o.Progress
		files, preread, forced, err := prepareIngest(o.Ingest)
		if err != nil {
			return fail("ingest", err)
		}
		r, err := ingestInto(ctx, w, files, preread, forced, o.Ingest)
		if err != nil {
			return fail("ingest", err)
		}
		run.Inputs = append(run.Inputs, r.Inputs...)
		run.Rejected = append(run.Rejected, r.Rejected...)
		run.Warnings = append(run.Warnings, r.Warnings...)
		run.Counts = r.Counts
		stageDone("ingest", t0)
	}

	if len(o.Models) > 0 {
		t0 := time.Now()
		r, err := classifyInto(ctx, w, ClassifyOptions{Models: o.Models, All: o.ReclassAll, Version: o.Version, Progress: o.Progress})
		if err != nil {
			return fail("classify", err)
		}
		run.Inputs = append(run.Inputs, r.Inputs...)
		stageDone("classify", t0)

		t0 = time.Now()
		if _, err := clusterInto(ctx, w, ClusterOptions{Vectorizer: o.Models[0].Vectorizer(), Threshold: o.ClusterThreshold, StaleOnly: true, Version: o.Version, Progress: o.Progress}); err != nil {
			return fail("cluster", err)
		}
		stageDone("cluster", t0)
	}

	for _, fo := range o.Followup {
		t0 := time.Now()
		fo.Warehouse, fo.Version, fo.Progress = o.Warehouse, o.Version, o.Progress
		r, err := followupImportInto(ctx, w, fo)
		if err != nil {
			return fail("followup", err)
		}
		run.Inputs = append(run.Inputs, r.Inputs...)
		run.Rejected = append(run.Rejected, r.Rejected...)
		run.Warnings = append(run.Warnings, r.Warnings...)
		stageDone("followup", t0)
	}

	t0 := time.Now()
	if len(o.Indicators)+len(o.IndicatorInputs) > 0 {
		r, err := indicatorsInto(ctx, w, IndicatorOptions{Paths: o.Indicators, Inputs: o.IndicatorInputs, Dataset: o.IndicatorDataset,
			Country: o.IndicatorCountry, Version: o.Version})
		if err != nil {
			return fail("indicators", err)
		}
		run.Rejected = append(run.Rejected, r.Rejected...)
		run.Warnings = append(run.Warnings, r.Warnings...)
	} else if err := LoadFramework(ctx, w); err != nil {
		return fail("indicators", err)
	}
	stageDone("indicators", t0)

	t0 = time.Now()
	for _, ro := range o.Reports {
		if ro.Out == "" {
			ro.Out = filepath.Join(o.Warehouse, "reports")
		}
		paths, err := WriteReports(ctx, w, ro)
		if err != nil {
			return fail("reports", err)
		}
		for _, p := range paths {
			run.Inputs = append(run.Inputs, models.RunInput{Path: p, Name: filepath.Base(p), Format: "report:" + ro.Kind})
		}
	}
	stageDone("reports", t0)

	t0 = time.Now()
	run.Counts.Rejected = len(run.Rejected)
	run.Status = "ok"
	if run.Counts.Rejected > 0 {
		run.Status = "incomplete"
	}
	if err := w.RecordRun(ctx, run); err != nil {
		return fail("publish", err)
	}
	if err := w.ExportParquet(ctx, run.RunID); err != nil {
		return fail("publish", err)
	}
	stageDone("publish", t0)
	run.FinishedAt = time.Now()
	if err := writeManifest(o.Warehouse, run); err != nil {
		return run, err
	}
	logRun(ctx, run)
	if run.Counts.Rejected > 0 {
		return run, &models.IncompleteError{Rejected: run.Rejected}
	}
	return run, nil
}
