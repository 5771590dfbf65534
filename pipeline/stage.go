package pipeline

import (
	"context"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// Stage is one step of a run: fetch, ingest, classify, cluster, indicators,
// reports. A command that changes the warehouse (nmirf ingest, classify,
// cluster, indicators import) is a run of one stage; nmirf run is a run of
// the stages its configuration names, in the order of the registry
// (stages.go). The runner (execute) does everything around the stages once:
// it takes the warehouse lock, opens the working database, records the
// batch run's row, publishes the database copy and the Parquet snapshot,
// writes the manifest and the log, and decides the run's status and exit.
//
// Run gets the open working database, locked for the whole run by the
// runner, and the Env of the run it belongs to. It must not close the
// warehouse, publish, write a manifest or log the end of the run.
//
// A stage commits its own work: in one transaction, or in batches that each
// commit with the stage's row in runs (see load), so that a stage stopped
// part-way keeps what it committed and the next run does only the rest.
// What it did not commit is rolled back before it returns.
//
// It returns a Result: its own row in runs when it writes one (committed
// with its work; the stage sets that row's status, ok or incomplete, before
// the write that commits it), the inputs it read, its warnings, and the
// rows it rejected. Rejected rows do not stop a stage: the good ones are
// committed and the run ends "incomplete" (exit 3). An error is the whole
// stage failing: the runner records the run failed (or interrupted, when
// ctx was cancelled), says which stages were kept, and stops. A Result
// returned with an error still counts for its warnings (a failed download
// says what it warned about).
//
// Zero outputs are not an error: a stage with nothing to do (an empty
// nightly inbox, no stale country to recluster) returns a Result saying so
// in its warnings; a Result marked Idle is a stage that did not run at all
// and is neither timed nor listed as kept.
type Stage interface {
	// Name is the stage's name in the run's timings, the log and the
	// message of an interrupted run.
	Name() string
	Run(ctx context.Context, w *load.Warehouse, env *Env) (*Result, error)
}

// Env is what a stage knows of the run it belongs to.
type Env struct {
	// RunID is the batch run's id, which its reports cite; "" in a
	// command of one stage.
	RunID     string
	Warehouse string
	Version   string
	Progress  Progress
	// Downloaded are the files earlier stages of the run downloaded (fetch),
	// for a later stage (ingest) to read.
	Downloaded []string
}

// Result is what a stage did.
type Result struct {
	// Run is the stage's own row in runs, committed with its work; nil
	// when the stage records none (fetch, reports). A command of one stage
	// returns it, and it is what the manifest and the summary describe.
	Run      *models.Run
	Inputs   []models.RunInput
	Warnings []string
	Rejected []models.RowError
	// Counts are the recommendation counts of a stage that changes
	// recommendations (ingest); they become the batch run's counts.
	Counts *models.RunCounts
	// Files are files the stage downloaded for later stages (Env.Downloaded).
	Files []string
	// FilesOnly: the stage wrote files outside the database, which are
	// kept whatever happens next, so it is not listed among the stages
	// kept in the database when a later one fails.
	FilesOnly bool
	// Idle: the stage had nothing to do and did not run.
	Idle bool
}

// settle decides the status of a stage's run row from what it rejected,
// before the write that commits it: ok, or incomplete when rows were
// rejected.
func settle(run *models.Run) {
	run.Counts.Rejected = len(run.Rejected)
	run.Status = "ok"
	if run.Counts.Rejected > 0 {
		run.Status = "incomplete"
	}
}
