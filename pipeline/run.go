package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
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

	Ingest IngestOptions // Paths, Exclude and Inputs; Warehouse, Version, Wait are set from here

	Models     []*classify.Model
	ReclassAll bool

	ClusterThreshold float64 // 0: the default

	// Indicators are Open SDG repositories, Global Database exports, or
	// folders holding them; IndicatorInputs are Open SDG files already in
	// memory (the sample).
	Indicators       []string
	IndicatorExclude []string
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

// Run statuses beyond the stages' ok, incomplete and failed: a batch run's
// row reads "running" from its start until it finishes, and "interrupted"
// when a signal (or a kill, found by the next run) stopped it.
const (
	StatusRunning     = "running"
	StatusInterrupted = "interrupted"
)

// InterruptedError is a batch run stopped by a signal. It says which stages
// had committed their work (kept: each commits its own transaction), which
// one was cut short (rolled back), and what the next run will do.
type InterruptedError struct {
	RunID string
	Stage string   // the stage cut short
	Kept  []string // stages that committed, in order
	Todo  []string // stages not done, the cut one first
	Total int      // recommendations in the database now; -1 when unknown
	Next  string   // what the next run does about it
	// FirstSnapshot: no Parquet snapshot was published before this run.
	FirstSnapshot bool
}

func (e *InterruptedError) Error() string {
	if len(e.Kept) == 0 {
		return fmt.Sprintf("run %s interrupted during %s; nothing was committed, the warehouse is as it was before this command", e.RunID, e.Stage)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "run %s interrupted during %s. Kept in the database: %s (each stage commits on its own)", e.RunID, e.Stage, strings.Join(e.Kept, ", "))
	if e.Total >= 0 {
		fmt.Fprintf(&b, "; it holds %d recommendations", e.Total)
	}
	snapshot := "the published Parquet snapshot is still the previous one"
	if e.FirstSnapshot {
		snapshot = "no Parquet snapshot is published yet"
	}
	fmt.Fprintf(&b, ". Not done: %s; %s. %s", strings.Join(e.Todo, ", "), snapshot, e.Next)
	return b.String()
}

func (e *InterruptedError) Unwrap() error { return context.Canceled }

// ReportFormats lists the formats of a report kind, or nil for an unknown
// kind; the config file is checked against it before any work starts.
func ReportFormats(kind string) []string { return reportFormats[kind] }

// RunBatch runs fetch → ingest → classify → cluster → followup → indicators → reports
// → publish under one lock. Each stage commits its own transaction, so a
// run killed at any point leaves the warehouse as the last finished stage
// left it, and the next run completes the work (unchanged inputs are
// skipped, only unclassified texts classified, rows rejected by an
// unfinished run reported again). The Parquet snapshot is published once,
// at the end, by one rename. The run's row in runs reads "running" until
// the publication is done.
func RunBatch(ctx context.Context, o BatchOptions) (*models.Run, error) {
	if o.Progress == nil {
		o.Progress = NoProgress{}
	}
	run := &models.Run{RunID: models.NewRunID(time.Now()), Command: "run", Version: o.Version, StartedAt: time.Now(), Status: StatusRunning, Config: o.Config}
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

	stages := plannedStages(o)
	var kept []string // stages committed to the warehouse
	stageDone := func(name string, t0 time.Time) {
		run.Time(name, t0)
		if name != "fetch" { // downloads are files, kept whatever happens next
			kept = append(kept, name)
		}
		slog.InfoContext(ctx, "stage finished", "run_id", run.RunID, "stage", name, "seconds", run.Stages[len(run.Stages)-1].Seconds)
	}
	fail := func(stage string, err error) (*models.Run, error) {
		// The bookkeeping of a failure is written even when the context is
		// cancelled: it is what the next run and the reader rely on.
		bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		interrupted := ctx.Err() != nil
		run.Status = "failed"
		if interrupted {
			run.Status = StatusInterrupted
			run.Warnings = append(run.Warnings, "interrupted during "+stage)
		} else {
			run.Warnings = append(run.Warnings, stage+" failed: "+err.Error())
		}
		run.Counts.Total = -1
		if n, cerr := w.CountRecommendations(bg); cerr == nil {
			run.Counts.Total = n
		}
		run.Counts.Rejected = len(run.Rejected)
		run.FinishedAt = time.Now()
		if rerr := w.RecordRun(bg, run); rerr != nil {
			slog.ErrorContext(bg, "run not recorded", "run_id", run.RunID, "error", rerr.Error())
		}
		writeManifest(o.Warehouse, run)
		slog.ErrorContext(bg, "run failed", "run_id", run.RunID, "stage", stage, "status", run.Status, "kept", strings.Join(kept, ","), "error", err.Error())
		if interrupted {
			var todo []string
			for i, s := range stages {
				if s == stage {
					todo = stages[i:]
				}
			}
			_, lerr := os.Lstat(filepath.Join(o.Warehouse, load.ParquetLink))
			return run, &InterruptedError{RunID: run.RunID, Stage: stage, Kept: kept, Todo: todo, Total: run.Counts.Total, FirstSnapshot: lerr != nil,
				Next: "The next nmirf run finishes the work: unchanged files are skipped, only unclassified recommendations are classified, " +
					"and the rows this run rejected are reported again."}
		}
		return run, err
	}
	slog.InfoContext(ctx, "run started", "run_id", run.RunID, "warehouse", o.Warehouse, "version", o.Version)

	carried, notes, err := unfinishedRunsReport(ctx, w)
	if err != nil {
		return fail("start", err)
	}
	run.Rejected = append(run.Rejected, carried...)
	run.Warnings = append(run.Warnings, notes...)
	if err := w.RecordRun(ctx, run); err != nil {
		return fail("start", err)
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
		plan, err := prepareIngest(o.Ingest)
		if err != nil {
			return fail("ingest", err)
		}
		if len(plan.files) == 0 {
			// A nightly inbox may be empty; the run goes on and says so.
			run.Warnings = append(run.Warnings, plan.notes...)
			run.Warnings = append(run.Warnings, "ingest: no files to import under "+strings.Join(o.Ingest.Paths, ", "))
			if n, err := w.CountRecommendations(ctx); err == nil {
				run.Counts.Total = n
			}
		} else {
			r, err := ingestInto(ctx, w, plan, o.Ingest)
			if err != nil {
				return fail("ingest", err)
			}
			run.Inputs = append(run.Inputs, r.Inputs...)
			run.Rejected = append(run.Rejected, r.Rejected...)
			run.Warnings = append(run.Warnings, r.Warnings...)
			run.Counts = r.Counts
			stageDone("ingest", t0)
		}
	} else if n, err := w.CountRecommendations(ctx); err == nil {
		run.Counts.Total = n
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
		r, err := indicatorsInto(ctx, w, IndicatorOptions{Paths: o.Indicators, Exclude: o.IndicatorExclude, Inputs: o.IndicatorInputs, Dataset: o.IndicatorDataset,
			Country: o.IndicatorCountry, Version: o.Version})
		if err != nil {
			return fail("indicators", err)
		}
		run.Inputs = append(run.Inputs, r.Inputs...)
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
		ro.RunID, ro.Warehouse = run.RunID, o.Warehouse
		paths, err := WriteReports(ctx, w, ro)
		var empty *EmptyReportError
		if errors.As(err, &empty) { // the batch still publishes what it did
			run.Warnings = append(run.Warnings, empty.Reasons...)
		} else if err != nil {
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
	// The final row goes into the snapshot; if the publication then fails
	// or is interrupted, fail rewrites it.
	run.FinishedAt = time.Now()
	if err := w.RecordRun(ctx, run); err != nil {
		return fail("publish", err)
	}
	if err := publish(ctx, w, run.RunID); err != nil {
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

// plannedStages lists the stages a batch run will go through, in order.
func plannedStages(o BatchOptions) []string {
	var s []string
	if o.Fetch != nil {
		s = append(s, "fetch")
	}
	if o.Fetch != nil || len(o.Ingest.Paths)+len(o.Ingest.Inputs) > 0 {
		s = append(s, "ingest")
	}
	if len(o.Models) > 0 {
		s = append(s, "classify", "cluster")
	}
	if len(o.Followup) > 0 {
		s = append(s, "followup")
	}
	return append(s, "indicators", "reports", "publish")
}

// unfinishedRunsReport finds the batch runs that did not finish since the
// last one that did (killed, interrupted, failed) and returns the rows
// their ingests rejected: those ingests committed, so their files are now
// skipped as unchanged, and nobody was told of the rows. It also marks a
// run killed before its row could say so: "running" with no process behind
// it, or finished but never published (the snapshot link does not point at
// it).
func unfinishedRunsReport(ctx context.Context, w *load.Warehouse) (carried []models.RowError, notes []string, err error) {
	rows, err := w.RunRows(ctx, "run", "ingest")
	if err != nil {
		return nil, nil, fmt.Errorf("read runs: %w", err)
	}
	published := ""
	if target, err := os.Readlink(filepath.Join(w.Dir, load.ParquetLink)); err == nil {
		published = filepath.Base(target)
	}
	lastDone := -1
	for i, r := range rows {
		if r.Command != "run" {
			continue
		}
		killedInPublish := (r.Status == "ok" || r.Status == "incomplete") && published != "" && r.RunID > published
		if r.Status == StatusRunning || killedInPublish {
			if err := w.SetRunStatus(ctx, r.RunID, StatusInterrupted); err != nil {
				return nil, nil, fmt.Errorf("mark run %s interrupted: %w", r.RunID, err)
			}
			rows[i].Status = StatusInterrupted
			notes = append(notes, fmt.Sprintf("run %s did not finish (killed); marked %s", r.RunID, StatusInterrupted))
		}
		if rows[i].Status == "ok" || rows[i].Status == "incomplete" {
			lastDone = i
		}
	}
	for i := lastDone + 1; i < len(rows); i++ {
		b := rows[i]
		if b.Command != "run" {
			continue
		}
		// The ingests of b are those that started in its lifetime: until it
		// ended, or, killed, until the next batch run.
		end := b.FinishedAt
		for j := i + 1; end.IsZero() && j < len(rows); j++ {
			if rows[j].Command == "run" {
				end = rows[j].StartedAt
			}
		}
		for j := i + 1; j < len(rows); j++ {
			s := rows[j]
			if s.Command != "ingest" || s.Rejected == 0 || s.StartedAt.Before(b.StartedAt) || (!end.IsZero() && s.StartedAt.After(end)) {
				continue
			}
			errs, err := w.IngestErrors(ctx, s.RunID)
			if err != nil {
				return nil, nil, fmt.Errorf("read rows rejected by run %s: %w", s.RunID, err)
			}
			carried = append(carried, errs...)
			notes = append(notes, fmt.Sprintf("%d row(s) rejected by the ingest %s of run %s, which did not finish, are reported again", len(errs), s.RunID, b.RunID))
		}
	}
	return carried, notes, nil
}
