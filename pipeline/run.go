package pipeline

import (
	"context"
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
	Warehouse    string
	DuckDBMemory string // DuckDB's memory limit ("4GB"); "" the default (see load.MemoryLimit)
	Version      string
	Wait         bool
	Progress     Progress

	// Fetch runs before ingest and returns the files it downloaded, which
	// are ingested with the rest; nil skips the stage.
	Fetch func(ctx context.Context) (files []string, warnings []string, err error)

	Ingest IngestOptions // Paths, Exclude and Inputs; Warehouse, Version, Wait are set from here

	Models     []*classify.Model
	Projection *classify.Projection // reads French and Spanish texts with Models
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

	// Stages are stages configured by name, for stages that have no field
	// here; the registry (stages.go) says when each runs.
	Stages map[string]Stage

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

// RunBatch runs fetch → ingest → classify → cluster → followup → indicators → reports
// → publish under one lock. Each stage commits its own transaction, so a
// run killed at any point leaves the warehouse as the last finished stage
// left it, and the next run completes the work (unchanged inputs are
// skipped, only unclassified texts classified, rows rejected by an
// unfinished run reported again). The Parquet snapshot is published once,
// at the end, by one rename. The run's row in runs reads "running" until
// the publication is done.
func RunBatch(ctx context.Context, o BatchOptions) (*models.Run, error) {
	return execute(ctx, &o, batchStages(&o), false)
}

// RunStage runs one stage as a command of its own (nmirf ingest, classify,
// cluster, indicators import): the stage's own row in runs is the run's
// record (the stage must return one), and a stage that fails leaves
// nothing recorded. o says where and how: Warehouse, DuckDBMemory,
// Version, Wait, Progress; the rest of o is not read.
func RunStage(ctx context.Context, o BatchOptions, s Stage) (*models.Run, error) {
	return execute(ctx, &o, []Stage{s}, true)
}

// execute is the runner of the stage contract (see Stage): lock → open →
// each stage in order → publish → manifest and log. A batch run (single
// false) records its own row, "running" from the start, and on a failure
// records it failed or interrupted with what was kept; a command of one
// stage (single) is recorded by the stage's own row.
func execute(ctx context.Context, o *BatchOptions, stages []Stage, single bool) (*models.Run, error) {
	if o.Progress == nil {
		o.Progress = NoProgress{}
	}
	lock, err := AcquireLock(o.Warehouse, o.Wait, time.Time{})
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	w, err := load.Open(ctx, o.Warehouse, load.MemoryLimit(o.DuckDBMemory))
	if err != nil {
		return nil, err
	}
	defer w.Close()
	env := &Env{Warehouse: o.Warehouse, Version: o.Version, Progress: o.Progress}
	if single {
		res, err := stages[0].Run(ctx, w, env)
		if err != nil {
			return nil, err
		}
		if res.Run == nil {
			return nil, fmt.Errorf("stage %s recorded no run", stages[0].Name())
		}
		run := res.Run
		t0 := time.Now()
		if err := publish(ctx, w, run.RunID); err != nil {
			if ctx.Err() != nil {
				total := -1
				if res.Counts != nil {
					total = run.Counts.Total
				}
				return run, &InterruptedError{RunID: run.RunID, Stage: "publish", Kept: []string{run.Command}, Todo: []string{"publish"}, Total: total,
					Next: "The next command that changes the warehouse publishes it."}
			}
			return run, fmt.Errorf("the working database is updated but not published for readers (rerun to publish it): %w", err)
		}
		run.Time("publish", t0)
		return finish(ctx, o.Warehouse, run)
	}

	run := &models.Run{RunID: models.NewRunID(time.Now()), Command: "run", Version: o.Version, StartedAt: time.Now(), Status: StatusRunning, Config: o.Config}
	env.RunID = run.RunID
	planned := make([]string, 0, len(stages)+1)
	for _, s := range stages {
		if len(planned) == 0 || planned[len(planned)-1] != s.Name() { // a stage run once per entry is named once
			planned = append(planned, s.Name())
		}
	}
	planned = append(planned, "publish")
	var kept []string // stages committed to the warehouse
	stageDone := func(name string, t0 time.Time, filesOnly bool) {
		run.Time(name, t0)
		if !filesOnly { // downloads are files, kept whatever happens next
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
			for i, s := range planned {
				if s == stage {
					todo = planned[i:]
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

	counted := false
	for _, s := range stages {
		t0 := time.Now()
		res, err := s.Run(ctx, w, env)
		if res != nil {
			run.Inputs = append(run.Inputs, res.Inputs...)
			run.Rejected = append(run.Rejected, res.Rejected...)
			run.Warnings = append(run.Warnings, res.Warnings...)
			env.Downloaded = append(env.Downloaded, res.Files...)
			if res.Counts != nil {
				run.Counts, counted = *res.Counts, true
			}
		}
		if err != nil {
			return fail(s.Name(), err)
		}
		if !res.Idle {
			stageDone(s.Name(), t0, res.FilesOnly)
		}
	}
	if !counted {
		if n, err := w.CountRecommendations(ctx); err == nil {
			run.Counts.Total = n
		}
	}

	t0 := time.Now()
	settle(run)
	// The final row goes into the snapshot; if the publication then fails
	// or is interrupted, fail rewrites it.
	run.FinishedAt = time.Now()
	if err := w.RecordRun(ctx, run); err != nil {
		return fail("publish", err)
	}
	if err := publish(ctx, w, run.RunID); err != nil {
		return fail("publish", err)
	}
	stageDone("publish", t0, false)
	run.FinishedAt = time.Now()
	return finish(ctx, o.Warehouse, run)
}

// finish is the end of every run that published: the manifest, the log,
// and the exit of a run that rejected rows.
func finish(ctx context.Context, warehouse string, run *models.Run) (*models.Run, error) {
	if err := writeManifest(warehouse, run); err != nil {
		return run, err
	}
	logRun(ctx, run)
	if run.Counts.Rejected > 0 {
		return run, &models.IncompleteError{Rejected: run.Rejected}
	}
	return run, nil
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
