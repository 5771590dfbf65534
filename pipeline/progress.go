package pipeline

import (
	"context"
	"log/slog"

	"github.com/nmirf/nmirf/models"
)

// logRun writes a finished run to the structured log (log/slog's default
// logger, which the command line points at WAREHOUSE/logs/): one record for
// the run with its counts and stage times, one per warning and rejected row.
func logRun(ctx context.Context, run *models.Run) {
	attrs := []any{"run_id", run.RunID, "command", run.Command, "status", run.Status,
		"read", run.Counts.Read, "new", run.Counts.New, "merged", run.Counts.Merged, "rejected", run.Counts.Rejected,
		"total", run.Counts.Total}
	for _, st := range run.Stages {
		attrs = append(attrs, slog.Float64("seconds_"+st.Name, st.Seconds))
	}
	slog.InfoContext(ctx, "run finished", attrs...)
	for _, w := range run.Warnings {
		slog.WarnContext(ctx, "warning", "run_id", run.RunID, "message", w)
	}
	for _, r := range run.Rejected {
		slog.WarnContext(ctx, "rejected", "run_id", run.RunID, "file", r.File, "row", r.Row, "field", r.Field, "message", r.Msg)
	}
}

// Progress receives a stage's progress. The command line shows a bar when
// stderr is a terminal and nothing otherwise; the default does nothing.
type Progress interface {
	Start(stage string, total int)
	Step(done int, item string)
	Done()
}

// NoProgress ignores progress.
type NoProgress struct{}

func (NoProgress) Start(string, int) {}
func (NoProgress) Step(int, string)  {}
func (NoProgress) Done()             {}
