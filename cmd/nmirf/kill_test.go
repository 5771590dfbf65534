package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nmirf/nmirf/load"
)

// buildBinary builds nmirf once for the tests that run it as a process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nmirf")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// uniqueness lists the keys the warehouse must never hold twice.
var uniqueness = map[string]string{
	"recommendations":        "rec_id",
	"recommendation_sources": "rec_id, format, file_sha256, locator",
	"source_labels":          "rec_id, scheme, label, source",
	"theme_assignments":      "rec_id, scheme, label",
	"sdg_assignments":        "rec_id, goal, coalesce(target, '')",
	"cluster_members":        "rec_id",
	"indicator_observations": "dataset, file, row",
	"input_files":            "file_sha256, format",
}

// checkWarehouse opens the warehouse as a new process would and checks it
// is whole: the database opens, no key is duplicated, and the Parquet
// snapshot, if one was published, has every table and reads back.
func checkWarehouse(t *testing.T, dir string) (recs int) {
	t.Helper()
	w, err := load.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("database does not open: %v", err)
	}
	defer w.Close()
	for table, key := range uniqueness {
		var dups int
		if err := w.DB().QueryRow(fmt.Sprintf(`SELECT count(*) FROM (SELECT %s FROM %s GROUP BY ALL HAVING count(*) > 1)`, key, table)).Scan(&dups); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if dups > 0 {
			t.Errorf("%s: %d duplicated keys (%s)", table, dups, key)
		}
	}
	w.DB().QueryRow(`SELECT count(*) FROM recommendations`).Scan(&recs)
	if _, err := os.Lstat(filepath.Join(dir, load.ParquetLink)); err == nil {
		for _, table := range []string{"recommendations", "recommendation_sources", "source_labels", "runs", "theme_assignments", "clusters", "indicator_observations"} {
			var n int
			glob := filepath.Join(dir, load.ParquetLink, table, "**", "*.parquet")
			if err := w.DB().QueryRow(`SELECT count(*) FROM read_parquet(?)`, glob).Scan(&n); err != nil {
				t.Errorf("published snapshot: %s unreadable: %v", table, err)
			}
		}
	}
	return recs
}

// TestKilledRunsLeaveAWholeWarehouse kills `nmirf run` with SIGKILL at many
// moments of its work and checks after each kill that the warehouse is
// whole, then that a final uninterrupted run completes it with no
// duplicates.
func TestKilledRunsLeaveAWholeWarehouse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary many times")
	}
	bin := buildBinary(t)
	// How long a whole run takes here, to spread the kills over it.
	ref := t.TempDir()
	start := time.Now()
	if out, err := exec.Command(bin, "run", "-q", "--warehouse", ref).CombinedOutput(); err != nil {
		t.Fatalf("reference run: %v\n%s", err, out)
	}
	full := time.Since(start)
	want := checkWarehouse(t, ref)

	// The kills are spread over the length of a run. A run on a warehouse
	// that earlier runs partly filled is shorter than the first (unchanged
	// files are skipped), so a run that finishes before its kill sets the
	// length the next kills are spread over.
	dir := t.TempDir()
	killed, span := 0, full
	for i, attempt := 1, 0; killed < 12 && attempt < 36; attempt++ {
		cmd := exec.Command(bin, "run", "-q", "--warehouse", dir)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(span * time.Duration(i) / 13)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
			killed++
			i = i%12 + 1
		} else {
			span = time.Since(start)
		}
		checkWarehouse(t, dir)
	}
	if killed < 6 {
		t.Errorf("only %d runs were killed before they finished", killed)
	}
	if out, err := exec.Command(bin, "run", "-q", "--warehouse", dir).CombinedOutput(); err != nil {
		t.Fatalf("run after the kills: %v\n%s", err, out)
	}
	if got := checkWarehouse(t, dir); got != want {
		t.Errorf("after the kills and one more run: %d recommendations, want %d", got, want)
	}
}

func TestSecondRunOnALockedWarehouse(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	first := exec.Command(bin, "run", "-q", "--warehouse", dir)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer first.Wait()
	// Wait until the first run holds the lock.
	lock := filepath.Join(dir, ".nmirf.lock")
	for i := 0; i < 200; i++ {
		if b, _ := os.ReadFile(lock); len(b) > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	out, err := exec.Command(bin, "run", "--warehouse", dir).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 4 {
		t.Fatalf("second run: %v, want exit code 4\n%s", err, out)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("second run took %v to give up", time.Since(start))
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	// With --wait the second run waits for the lock instead.
	if out, err := exec.Command(bin, "run", "-q", "--wait", "--warehouse", dir).CombinedOutput(); err != nil {
		t.Fatalf("waiting run: %v\n%s", err, out)
	}
}
