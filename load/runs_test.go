package load

import (
	"context"
	"testing"
)

// TestRecordRunKeepsTheOldRowWhenTheNewOneFails replaces a run's row with
// one the database refuses (text that is not UTF-8): the DELETE and the
// INSERT are one transaction, so the run keeps its old row.
func TestRecordRunKeepsTheOldRowWhenTheNewOneFails(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	run := newRun("20260101T000000Z-aaaaaa")
	run.Command, run.Status = "run", "ok"
	if err := w.RecordRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	bad := *run
	bad.Status = "ok\xff\xfe"
	if err := w.RecordRun(ctx, &bad); err == nil {
		t.Fatal("a row with invalid UTF-8 was accepted; the test needs a row the database refuses")
	}
	var status string
	if err := w.DB().QueryRow(`SELECT status FROM runs WHERE run_id = ?`, run.RunID).Scan(&status); err != nil {
		t.Fatalf("the run's row is gone after a failed replacement: %v", err)
	}
	if status != "ok" {
		t.Errorf("status = %q, want the old row's ok", status)
	}
}
