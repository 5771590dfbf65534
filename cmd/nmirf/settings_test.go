package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadDuckDBMemoryIsAUsageError: a memory size DuckDB would not read is
// refused before any work, naming the variable, and nothing is written.
func TestBadDuckDBMemoryIsAUsageError(t *testing.T) {
	wh := t.TempDir()
	t.Setenv("NMIRF_DUCKDB_MEMORY", "lots")
	code, _, stderr := run(t, "ingest", "--warehouse", wh, filepath.Join("testdata", "nothing-here"))
	if code != 2 || !strings.Contains(stderr, `NMIRF_DUCKDB_MEMORY="lots"`) {
		t.Fatalf("exit %d, stderr %q; want 2 naming NMIRF_DUCKDB_MEMORY", code, stderr)
	}
	if entries, _ := os.ReadDir(wh); len(entries) != 0 {
		t.Errorf("the refused command wrote %v", entries)
	}
}

// TestDuckDBMemoryReachesTheDatabase: the limit set in the environment is
// the one DuckDB runs with when a command opens the warehouse.
func TestDuckDBMemoryReachesTheDatabase(t *testing.T) {
	wh := t.TempDir()
	t.Setenv("NMIRF_DUCKDB_MEMORY", "300MB")
	if code, _, stderr := run(t, "ingest", "--warehouse", wh, filepath.Join("..", "..", "extract", "uprinfo", "testdata", "upr-info-sample-macroman-cr.csv")); code != 0 && code != 3 {
		t.Fatalf("ingest exit %d: %s", code, stderr)
	}
	code, out, stderr := run(t, "sql", "--warehouse", wh, "--format", "csv", "SELECT current_setting('memory_limit') AS m")
	// DuckDB reports the limit in its own units: 300MB is 286.1 MiB.
	if code != 0 || !strings.Contains(out, "286.1 MiB") {
		t.Errorf("sql exit %d, memory_limit %q (%s), want 300MB = 286.1 MiB", code, out, stderr)
	}
	t.Setenv("NMIRF_DUCKDB_MEMORY", "")
	_, out, _ = run(t, "sql", "--warehouse", wh, "--format", "csv", "SELECT current_setting('memory_limit') AS m")
	if !strings.Contains(out, "953.6 MiB") {
		t.Errorf("default memory_limit %q, want 1GB = 953.6 MiB", out)
	}
}
