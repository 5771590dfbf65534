package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nmirf/nmirf/models"
)

// LockFile is the name of the lock file inside a warehouse folder.
const LockFile = ".nmirf.lock"

// Lock is an exclusive hold on a warehouse. It is an flock(2) on a file, so
// the kernel releases it when the process dies, even by kill -9: a crashed
// run never leaves a stale lock behind.
type Lock struct{ f *os.File }

// AcquireLock takes the warehouse lock. Without wait it fails at once with
// an ExitLocked error naming the holder; with wait it blocks until the lock
// is free or the deadline passes (zero deadline: no limit).
func AcquireLock(dir string, wait bool, deadline time.Time) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if !wait || (!deadline.IsZero() && time.Now().After(deadline)) {
			holder, _ := os.ReadFile(path)
			f.Close()
			return nil, &models.Error{Code: models.ExitLocked,
				Msg: fmt.Sprintf("warehouse %s is locked by another nmirf run (%s); try again later or pass --wait", dir, strings.TrimSpace(string(holder)))}
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The holder line is what a second run shows; a lock whose holder
	// cannot be written (a full disk, a read-only folder) is not taken.
	holder := []byte("pid " + strconv.Itoa(os.Getpid()) + " since " + time.Now().UTC().Format(time.RFC3339) + "\n")
	if err := writeHolder(f, holder); err != nil {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
		return nil, fmt.Errorf("write lock %s: %w", path, err)
	}
	return &Lock{f: f}, nil
}

func writeHolder(f *os.File, holder []byte) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(holder, 0); err != nil {
		return err
	}
	return f.Sync()
}

// Release frees the lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	// The kernel frees the lock when the file is closed; the errors say
	// whether the holder line was cleared.
	err := l.f.Truncate(0)
	err = errors.Join(err, syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN), l.f.Close())
	l.f = nil
	if err != nil {
		return fmt.Errorf("release lock: %w", err)
	}
	return nil
}
