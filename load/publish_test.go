package load

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// recordSyncs replaces fsync for the test: it records every path synced
// and fails the sync of paths for which fail returns true.
func recordSyncs(t *testing.T, fail func(path string) bool) func() []string {
	t.Helper()
	var mu sync.Mutex
	var synced []string
	old := fsync
	fsync = func(f *os.File) error {
		mu.Lock()
		defer mu.Unlock()
		if fail != nil && fail(f.Name()) {
			return syscall.EIO
		}
		synced = append(synced, f.Name())
		return f.Sync()
	}
	t.Cleanup(func() { fsync = old })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), synced...)
	}
}

func ingested(t *testing.T, dir string) *Warehouse {
	t.Helper()
	w, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.Ingest(context.Background(), Batch{Run: newRun("20260101T000000Z-aaaaaa"), Records: ukRecs("1-5.csv", "upr-info-csv")}); err != nil {
		t.Fatal(err)
	}
	return w
}

func readerCount(t *testing.T, dir, q string) int {
	t.Helper()
	r, err := OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return count(t, r, q)
}

// TestPublishDBWritesASyncedReadOnlyCopy: readers open WAREHOUSE/nmirf.duckdb,
// a copy of the working database made on disk (file and folder synced)
// before it replaces the previous one; the working database stays in
// WorkDir.
func TestPublishDBWritesASyncedReadOnlyCopy(t *testing.T) {
	dir := t.TempDir()
	w := ingested(t, dir)
	synced := recordSyncs(t, nil)
	if err := w.PublishDB(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := readerCount(t, dir, `SELECT count(*) FROM recommendations`); got != 3 {
		t.Errorf("published copy: %d recommendations, want 3", got)
	}
	fi, err := os.Stat(PublishedPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o222 != 0 {
		t.Errorf("published copy mode %v, want read-only", fi.Mode())
	}
	if _, err := os.Stat(WorkPath(dir)); err != nil {
		t.Errorf("working database not in %s: %v", WorkDir, err)
	}
	got := strings.Join(synced(), "\n")
	for _, want := range []string{filepath.Join(dir, publishingName), dir} {
		if !strings.Contains(got+"\n", want+"\n") {
			t.Errorf("%s not synced before the switch; synced:\n%s", want, got)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, publishingName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary copy left behind: %v", err)
	}
}

// TestFailedPublicationKeepsThePreviousCopy: a copy that cannot be synced
// is not published; the previous copy stays byte for byte.
func TestFailedPublicationKeepsThePreviousCopy(t *testing.T) {
	dir := t.TempDir()
	w := ingested(t, dir)
	if err := w.PublishDB(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(PublishedPath(dir))
	if err := w.Ingest(context.Background(), Batch{Run: newRun("20260102T000000Z-bbbbbb"), Records: ukRecs("A_HRC_8_25.docx", "upr-wg-report")}); err != nil {
		t.Fatal(err)
	}
	recordSyncs(t, func(p string) bool { return strings.HasSuffix(p, publishingName) })
	err := w.PublishDB(context.Background())
	if !errors.Is(err, syscall.EIO) {
		t.Fatalf("publication with a failing sync: err = %v, want the I/O error", err)
	}
	after, _ := os.ReadFile(PublishedPath(dir))
	if !bytes.Equal(before, after) {
		t.Error("the published copy changed although its replacement failed")
	}
	if _, err := os.Stat(filepath.Join(dir, publishingName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary copy left behind: %v", err)
	}
	if got := readerCount(t, dir, `SELECT count(*) FROM runs`); got != 1 {
		t.Errorf("published copy has %d runs, want the 1 of the first publication", got)
	}
}

// TestParquetSnapshotIsSyncedBeforeTheSwitch: every file and folder of a new
// snapshot is synced before the link points at it, and a failed sync
// leaves the link on the previous snapshot.
func TestParquetSnapshotIsSyncedBeforeTheSwitch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w := ingested(t, dir)
	synced := recordSyncs(t, nil)
	if err := w.ExportParquet(ctx, "20260101T000000Z-aaaaaa"); err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, p := range synced() {
		// Synced under the .partial name, before the rename.
		done[strings.Replace(p, "20260101T000000Z-aaaaaa.partial", "20260101T000000Z-aaaaaa", 1)] = true
	}
	files := 0
	filepath.WalkDir(filepath.Join(dir, snapshotsDir, "20260101T000000Z-aaaaaa"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			files++
		}
		if !done[p] {
			t.Errorf("%s not synced before the snapshot was published", p)
		}
		return nil
	})
	if files < len(exportTables) || !done[dir] || !done[filepath.Join(dir, snapshotsDir)] {
		t.Errorf("%d files; warehouse folder synced %v, snapshots folder synced %v", files, done[dir], done[filepath.Join(dir, snapshotsDir)])
	}

	recordSyncs(t, func(p string) bool { return strings.HasSuffix(p, ".parquet") })
	err := w.ExportParquet(ctx, "20260102T000000Z-bbbbbb")
	if !errors.Is(err, syscall.EIO) {
		t.Fatalf("snapshot with a failing sync: err = %v, want the I/O error", err)
	}
	if target, _ := os.Readlink(filepath.Join(dir, ParquetLink)); target != filepath.Join(snapshotsDir, "20260101T000000Z-aaaaaa") {
		t.Errorf("link points at %q after a failed publication", target)
	}
	left, _ := filepath.Glob(filepath.Join(dir, snapshotsDir, "*bbbbbb*"))
	if len(left) > 0 {
		t.Errorf("failed snapshot left behind: %v", left)
	}
}

// TestOpenAdoptsAnOlderWarehouse: a warehouse written by an older nmirf
// has its working database at WAREHOUSE/nmirf.duckdb, possibly with
// changes still in its write-ahead log. Opening it moves the database to
// WorkDir with every change, and the first publication replaces the old
// file and its log.
func TestOpenAdoptsAnOlderWarehouse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old, err := open(ctx, dir, PublishedPath(dir), readWrite)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := old.db.Exec(`CHECKPOINT`); err != nil {
		t.Fatal(err)
	}
	// The ingest stays in the log, as after a crash.
	for _, q := range []string{`SET checkpoint_threshold = '1GB'`, `PRAGMA disable_checkpoint_on_shutdown`} {
		if _, err := old.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := old.Ingest(ctx, Batch{Run: newRun("20260101T000000Z-aaaaaa"), Records: ukRecs("1-5.csv", "upr-info-csv")}); err != nil {
		t.Fatal(err)
	}
	old.db.Close()
	old.connector.Close()
	if fi, err := os.Stat(PublishedPath(dir) + ".wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("setup: no write-ahead log beside the older database: %v", err)
	}
	oldBytes, _ := os.ReadFile(PublishedPath(dir))

	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if n := count(t, w, `SELECT count(*) FROM recommendations`); n != 3 {
		t.Errorf("adopted working database: %d recommendations, want 3", n)
	}
	if w.path != WorkPath(dir) {
		t.Errorf("working database at %s, want %s", w.path, WorkPath(dir))
	}
	if b, _ := os.ReadFile(PublishedPath(dir)); !bytes.Equal(b, oldBytes) {
		t.Error("the older database changed before a publication replaced it")
	}
	if err := w.PublishDB(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(PublishedPath(dir) + ".wal"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the older log is still beside the published copy: %v", err)
	}
	if got := readerCount(t, dir, `SELECT count(*) FROM recommendations`); got != 3 {
		t.Errorf("published copy: %d recommendations, want 3", got)
	}
}

// TestCopyFileCopiesEveryByte: the copy published is the working file
// byte for byte, read-only, and a cancelled copy stops with the context's
// error.
func TestCopyFileCopiesEveryByte(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	b := make([]byte, 3<<20+7)
	for i := range b {
		b[i] = byte(i*7 + i>>11)
	}
	if err := os.WriteFile(src, b, 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "dst")
	if err := copyFile(context.Background(), src, dst, 0o444); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil || !bytes.Equal(got, b) {
		t.Fatalf("copy differs from the source (%d of %d bytes, %v)", len(got), len(b), err)
	}
	if st, err := os.Stat(dst); err != nil || st.Mode().Perm()&0o222 != 0 {
		t.Errorf("copy mode %v (%v), want read-only", st.Mode(), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := copyFile(ctx, src, filepath.Join(dir, "cancelled"), 0o444); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled copy: %v, want context.Canceled", err)
	}
}
