package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// publishingName is the temporary name, inside the warehouse folder, of the
// copy being published; it is renamed over DBFile when whole.
const publishingName = ".nmirf.duckdb.new"

// PublishDB publishes a copy of the working database for readers: the
// database is checkpointed (so that its file holds every committed change),
// copied beside the published file under a temporary name, synced to disk,
// checked to open, and renamed over the published file. A reader sees the
// old copy or the new one, never a mix, and one that holds the old copy
// open keeps reading it (the rename leaves its file in place until it
// closes). The caller holds the warehouse lock, so nothing writes the
// working database meanwhile.
func (w *Warehouse) PublishDB(ctx context.Context) error {
	if w.readOnly {
		return errors.New("publish: the warehouse is open read-only")
	}
	if _, err := w.db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("checkpoint before publishing: %w", err)
	}
	// A checkpoint leaves the write-ahead log empty; if it did not, the
	// file alone would miss changes.
	if fi, err := os.Stat(w.path + ".wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("publish: %s still has a write-ahead log after a checkpoint; not publishing a copy that would miss changes", w.path)
	}
	tmp := filepath.Join(w.Dir, publishingName)
	if err := removeIfExists(tmp); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp)
		}
	}()
	// Read-only for everyone (less the umask): it is a copy, changes to it
	// would be lost at the next publication.
	if err := copyFile(ctx, w.path, tmp, 0o444); err != nil {
		return fmt.Errorf("copy the database for publication: %w", err)
	}
	if err := w.checkCopy(ctx, tmp); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	final := PublishedPath(w.Dir)
	// A log beside the published name (left by an older nmirf, whose
	// working database this was, or by a client that opened the copy for
	// writing) would be replayed into the new copy by the next reader.
	if err := removeIfExists(final + ".wal"); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("switch the published database: %w", err)
	}
	ok = true
	if err := syncDir(w.Dir); err != nil {
		return fmt.Errorf("sync %s: %w", w.Dir, err)
	}
	return nil
}

// checkCopy opens the copy as a reader would and compares its count of
// runs and recommendations with the working database's.
func (w *Warehouse) checkCopy(ctx context.Context, path string) error {
	c, err := openWith(ctx, w.Dir, path, readOnlySandboxed, w.opts)
	if err != nil {
		return fmt.Errorf("the copy to publish does not open: %w", err)
	}
	defer c.Close()
	const q = `SELECT (SELECT count(*) FROM runs) || '/' || (SELECT count(*) FROM recommendations)`
	var want, got string
	if err := w.db.QueryRowContext(ctx, q).Scan(&want); err != nil {
		return err
	}
	if err := c.db.QueryRowContext(ctx, q).Scan(&got); err != nil {
		return fmt.Errorf("the copy to publish does not read: %w", err)
	}
	if got != want {
		return fmt.Errorf("the copy to publish holds %s runs/recommendations, the working database %s; not published", got, want)
	}
	return nil
}

// adoptOlderLayout moves the working database of a warehouse written by an
// older nmirf, which kept it where readers now find the published copy, to
// WorkDir. The old file is copied, not moved: it stays whole, and is what
// readers see until this command publishes. It is held open read-only
// while copied, which DuckDB grants only while no process writes it.
func adoptOlderLayout(ctx context.Context, dir string, o options) error {
	work := WorkPath(dir)
	if err := os.MkdirAll(filepath.Dir(work), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(work), err)
	}
	if _, err := os.Stat(work); err == nil {
		return nil
	}
	old := PublishedPath(dir)
	if _, err := os.Stat(old); errors.Is(err, fs.ErrNotExist) {
		return nil // a new warehouse
	}
	ro, err := openWith(ctx, dir, old, readOnly, o)
	if err != nil {
		return err
	}
	defer ro.Close()
	tmp := work + ".adopting"
	for _, p := range []string{tmp, tmp + ".wal"} {
		if err := removeIfExists(p); err != nil {
			return err
		}
	}
	if err := copyFile(ctx, old, tmp, 0o644); err != nil {
		return fmt.Errorf("copy %s to %s: %w", old, tmp, err)
	}
	if _, err := os.Stat(old + ".wal"); err == nil {
		if err := copyFile(ctx, old+".wal", tmp+".wal", 0o644); err != nil {
			return fmt.Errorf("copy %s.wal: %w", old, err)
		}
	}
	// Opening the copy for writing replays its log; closing it folds the
	// log into the file.
	c, err := openWith(ctx, dir, tmp, readWrite, o)
	if err != nil {
		return err
	}
	if err := c.Close(); err != nil {
		return fmt.Errorf("checkpoint %s: %w", tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, work); err != nil {
		return err
	}
	return syncDir(filepath.Dir(work))
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// copyFile copies src to a new file dst (mode perm less the umask) and
// syncs it to disk.
func copyFile(ctx context.Context, src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	// In chunks, the context checked between them; each chunk is copied
	// by the kernel (copy_file_range), not through a buffer of ours.
	for {
		if err := ctx.Err(); err != nil {
			out.Close()
			return err
		}
		n, err := io.CopyN(out, in, copyChunk)
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Close()
			return err
		}
		if n < copyChunk {
			break
		}
	}
	if err := fsync(out); err != nil {
		out.Close()
		return fmt.Errorf("sync %s: %w", dst, err)
	}
	return out.Close()
}

// copyChunk is how much copyFile copies between two checks of its
// context.
const copyChunk = 32 << 20

// fsync is (*os.File).Sync; tests replace it to check what is synced and
// that a failed sync stops a publication.
var fsync = func(f *os.File) error { return f.Sync() }

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := fsync(f); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

func syncDir(dir string) error { return syncFile(dir) }

// syncTree syncs every file and folder below root, folders after their
// content, so that a snapshot is on disk before a link points at it. Files
// are synced several at a time: the file system commits concurrent syncs
// together, and a snapshot has a file per country of each partitioned
// table (measured 4× faster for 250 files).
func syncTree(root string) error {
	var dirs, files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, path)
		} else {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return err
	}
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(syncWorkers, len(files)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = syncFile(files[i])
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err // the first, in the order of the walk
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := syncDir(dirs[i]); err != nil {
			return err
		}
	}
	return nil
}

// syncWorkers is how many files syncTree syncs at a time.
const syncWorkers = 16
