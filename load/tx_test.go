package load

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nmirf/nmirf/models"
)

// TestWriteCommitsTablesWithTheRunRow: what a stage writes through Write is
// committed with its run row, or, on an error, neither is.
func TestWriteCommitsTablesWithTheRunRow(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.DB().ExecContext(ctx, `CREATE TABLE probe_actions (rec_id VARCHAR, entity VARCHAR, due DATE, tags VARCHAR[])`); err != nil {
		t.Fatal(err)
	}
	due := time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	ok := &models.Run{RunID: "r-ok", Command: "probe", Version: "test", StartedAt: due, Status: "ok"}
	err = w.Write(ctx, ok, func(tx *Tx) error {
		return tx.Append("probe_actions", [][]any{{"UPR-1", "Ministry of Justice", due, []any{"a", "b"}}, {"UPR-2", "Ombudsman", nil, nil}})
	})
	if err != nil {
		t.Fatal(err)
	}
	bad := &models.Run{RunID: "r-bad", Command: "probe", Version: "test", StartedAt: due, Status: "ok"}
	err = w.Write(ctx, bad, func(tx *Tx) error {
		if err := tx.Exec(`DELETE FROM probe_actions`); err != nil {
			return err
		}
		return errors.New("the sheet is damaged")
	})
	if err == nil {
		t.Fatal("the failed write reported no error")
	}
	var n int
	var entity, status string
	if err := w.DB().QueryRowContext(ctx, `SELECT count(*), max(entity) FILTER (WHERE due = DATE '2027-03-31') FROM probe_actions`).Scan(&n, &entity); err != nil {
		t.Fatal(err)
	}
	if n != 2 || entity != "Ministry of Justice" {
		t.Errorf("after a failed write: %d rows, due entity %q; want the 2 committed rows kept", n, entity)
	}
	if err := w.DB().QueryRowContext(ctx, `SELECT string_agg(run_id || '=' || status, ',' ORDER BY run_id) FROM runs`).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != "r-ok=ok" {
		t.Errorf("runs rows %q, want only the committed run, as its stage decided: r-ok=ok", status)
	}
}

// TestRegisteredViewIsCreated: a view a report kind registers is created
// with the others when the warehouse opens, and reads its tables.
func TestRegisteredViewIsCreated(t *testing.T) {
	saved := len(views)
	RegisterView("v_probe_runs", `CREATE OR REPLACE VIEW v_probe_runs AS SELECT count(*) AS n FROM runs`)
	t.Cleanup(func() { views = views[:saved] })
	ctx := context.Background()
	w, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.RecordRun(ctx, &models.Run{RunID: "r1", Command: "probe", Version: "test", StartedAt: time.Now(), Status: "ok"}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := w.DB().QueryRowContext(ctx, `SELECT n FROM v_probe_runs`).Scan(&n); err != nil || n != 1 {
		t.Errorf("v_probe_runs: n = %d, %v; want 1", n, err)
	}
}
