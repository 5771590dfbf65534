package load

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/nmirf/nmirf/models"
)

// RunRow is the bookkeeping part of a runs row.
type RunRow struct {
	RunID      string
	Command    string
	Status     string
	StartedAt  time.Time
	FinishedAt time.Time // zero: never finished (killed, or still running)
	Rejected   int
}

// RunRows returns the rows of the runs of the given commands, oldest first.
func (w *Warehouse) RunRows(ctx context.Context, commands ...string) ([]RunRow, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(commands)), ", ")
	args := make([]any, len(commands))
	for i, c := range commands {
		args[i] = c
	}
	rows, err := w.db.QueryContext(ctx, `SELECT run_id, command, status, started_at, finished_at, coalesce(rejected, 0)
		FROM runs WHERE command IN (`+marks+`) ORDER BY started_at, run_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunRow
	for rows.Next() {
		var r RunRow
		var fin sql.NullTime
		if err := rows.Scan(&r.RunID, &r.Command, &r.Status, &r.StartedAt, &fin, &r.Rejected); err != nil {
			return nil, err
		}
		if fin.Valid {
			r.FinishedAt = fin.Time
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetRunStatus changes the status of a run's row.
func (w *Warehouse) SetRunStatus(ctx context.Context, runID, status string) error {
	_, err := w.db.ExecContext(ctx, `UPDATE runs SET status = ? WHERE run_id = ?`, status, runID)
	return err
}

// IngestErrors returns the rows an ingest run rejected, in the order it
// recorded them.
func (w *Warehouse) IngestErrors(ctx context.Context, runID string) ([]models.RowError, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT file, coalesce(row, 0), coalesce(field, ''), message FROM ingest_errors WHERE run_id = ? ORDER BY rowid`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []models.RowError
	for rows.Next() {
		var e models.RowError
		if err := rows.Scan(&e.File, &e.Row, &e.Field, &e.Msg); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CountRecommendations returns how many recommendations the database holds.
func (w *Warehouse) CountRecommendations(ctx context.Context) (int, error) {
	var n int
	err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM recommendations`).Scan(&n)
	return n, err
}

// KnownIndicatorFile reports whether this content of a dataset's file was
// imported already, so that an unchanged file is not read again.
func (w *Warehouse) KnownIndicatorFile(ctx context.Context, dataset, file, sha string) (bool, error) {
	var n int
	err := w.db.QueryRowContext(ctx, `SELECT count(*) FROM indicator_files WHERE dataset = ? AND file = ? AND file_sha256 = ?`, dataset, file, sha).Scan(&n)
	return n > 0, err
}
