package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/load"
)

// TestEmptyReportExitsNonZero: `nmirf report` on a warehouse with nothing
// for the country writes no file, says why and what to run, and exits 1.
func TestEmptyReportExitsNonZero(t *testing.T) {
	wh := t.TempDir()
	w, err := load.Open(context.Background(), wh)
	if err != nil {
		t.Fatal(err)
	}
	// An empty warehouse as a command that found nothing to import leaves it.
	if err := w.PublishDB(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	for _, kind := range []string{"gaps", "clusters"} {
		code, stdout, stderr := run(t, "report", kind, "--warehouse", wh, "--country", "GBR", "--format", "md")
		if code != 1 || !strings.Contains(stderr, "no recommendations") || !strings.Contains(stderr, "nmirf ingest") || !strings.Contains(stderr, wh) {
			t.Errorf("report %s on an empty warehouse: exit %d, stdout %q, stderr %q; want 1 and why, what to run, where", kind, code, stdout, stderr)
		}
	}
	if ents, _ := os.ReadDir(filepath.Join(wh, "reports")); len(ents) != 0 {
		t.Errorf("empty reports written: %v", ents)
	}
}
