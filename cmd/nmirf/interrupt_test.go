package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nmirf/nmirf/load"
)

// TestSIGTERMAfterIngestSaysWhatWasKept stops `nmirf run` with SIGTERM as
// soon as its log says the ingest committed: the message must say what was
// kept and what the next run does, the run's row must read interrupted,
// and the next run must finish the work.
func TestSIGTERMAfterIngestSaysWhatWasKept(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	for attempt := 1; attempt <= 3; attempt++ {
		dir := t.TempDir()
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "run", "--warehouse", dir)
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		for time.Now().Before(deadline) {
			logs, _ := filepath.Glob(filepath.Join(dir, "logs", "*.jsonl"))
			if len(logs) == 1 {
				if b, _ := os.ReadFile(logs[0]); bytes.Contains(b, []byte(`"msg":"stage finished"`)) && bytes.Contains(b, []byte(`"stage":"ingest"`)) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Logf("attempt %d: the run finished before the signal (%v); again", attempt, err)
			continue
		}
		msg := stderr.String()
		if exit.ExitCode() != 130 {
			t.Fatalf("exit %d, want 130:\n%s", exit.ExitCode(), msg)
		}
		for _, want := range []string{"Kept in the database: ingest", "recommendations", "Not done:", "The next nmirf run finishes the work"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message lacks %q:\n%s", want, msg)
			}
		}
		if strings.Contains(msg, "as it was before") {
			t.Errorf("message says nothing was kept, after the ingest committed:\n%s", msg)
		}
		// What was kept is in the working database: nothing was published.
		w, err := load.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		var status string
		var recs int
		w.DB().QueryRow(`SELECT status FROM runs WHERE command = 'run'`).Scan(&status)
		w.DB().QueryRow(`SELECT count(*) FROM recommendations`).Scan(&recs)
		w.Close()
		if status != "interrupted" {
			t.Errorf("runs row of the interrupted run: status %q", status)
		}
		if recs == 0 || !strings.Contains(msg, "holds "+itoa(recs)+" recommendations") {
			t.Errorf("the database holds %d recommendations; the message says:\n%s", recs, msg)
		}
		if out, err := exec.Command(bin, "run", "-q", "--warehouse", dir).CombinedOutput(); err != nil {
			t.Fatalf("the next run: %v\n%s", err, out)
		}
		if got := checkWarehouse(t, dir); got != 171 {
			t.Errorf("after the next run: %d recommendations, want the sample's 171", got)
		}
		return
	}
	t.Fatal("three runs finished before SIGTERM reached them")
}

func itoa(n int) string { return strconv.Itoa(n) }
