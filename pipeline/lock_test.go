package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLockWhoseHolderCannotBeWritten points the lock file at /dev/full,
// where every write fails as on a full disk: the lock is refused with an
// error naming the file instead of being taken with an empty holder line.
func TestLockWhoseHolderCannotBeWritten(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	dir := t.TempDir()
	if err := os.Symlink("/dev/full", filepath.Join(dir, LockFile)); err != nil {
		t.Fatal(err)
	}
	l, err := AcquireLock(dir, false, time.Time{})
	if err == nil {
		l.Release()
		t.Fatal("lock taken although its holder line could not be written")
	}
	if !strings.Contains(err.Error(), filepath.Join(dir, LockFile)) {
		t.Errorf("error does not name the lock file: %v", err)
	}
	// A normal folder still locks, and the holder line is there for a
	// second run to show.
	ok := t.TempDir()
	l, err = AcquireLock(ok, false, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(ok, LockFile)); !strings.HasPrefix(string(b), "pid ") {
		t.Errorf("holder line = %q", b)
	}
	if err := l.Release(); err != nil {
		t.Errorf("release: %v", err)
	}
}
