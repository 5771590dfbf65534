package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/nmirf/nmirf/load"
)

// publish makes what a command wrote visible to readers: the read-only
// copy of the database (WAREHOUSE/nmirf.duckdb) and the Parquet snapshot,
// each switched in one rename and synced to disk first. Readers never wait
// for it and a reader holding the previous copy open does not stop it.
//
// The snapshot goes first: if it cannot be written, the database copy is
// not published either, so readers never see a run the snapshot lacks, and
// the run's row in the published copy never reads finished for a
// publication that failed.
func publish(ctx context.Context, w *load.Warehouse, runID string) error {
	// The stages before leave garbage the Go runtime returns only slowly
	// (a UHRI-scale clustering, hundreds of megabytes): held beside the
	// memory DuckDB takes to write the snapshot, it would set the run's peak.
	debug.FreeOSMemory()
	if err := w.ExportParquet(ctx, runID); err != nil {
		return fmt.Errorf("publish the Parquet snapshot: %w", err)
	}
	if err := w.PublishDB(ctx); err != nil {
		return fmt.Errorf("publish the database: %w", err)
	}
	return nil
}

// WaitForWriter returns when no command holds the warehouse lock, so that
// a reader that asked to wait (--wait) sees what a run in progress
// publishes. Readers need no lock: the published database and snapshot
// are replaced by renames. The check takes a shared lock for as long as
// two system calls, never while reading.
func WaitForWriter(ctx context.Context, dir string) error {
	f, err := os.Open(filepath.Join(dir, LockFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		if err == nil {
			return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("check the lock of %s: %w", dir, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
