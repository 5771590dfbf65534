package main

import (
	"os"
	"regexp"
	"runtime/debug"

	"github.com/nmirf/nmirf/models"
)

// setMemoryLimit gives the Go heap a soft limit (1 GiB, or GOMEMLIMIT when
// set) so that a large batch collects garbage before it doubles its live
// heap; DuckDB's own memory is bounded separately (NMIRF_DUCKDB_MEMORY).
func setMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}

// memorySizeRe is a size as DuckDB reads it: a number and a unit.
var memorySizeRe = regexp.MustCompile(`(?i)^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*$`)

// duckdbMemory resolves DuckDB's memory limit from NMIRF_DUCKDB_MEMORY
// ("4GB"; "" leaves load's default, 1GB). A value DuckDB would not read is
// a usage error naming the variable, before any work starts.
func duckdbMemory() (string, error) {
	v := os.Getenv("NMIRF_DUCKDB_MEMORY")
	if v != "" && !memorySizeRe.MatchString(v) {
		return "", models.UsageError("NMIRF_DUCKDB_MEMORY=%q is not a memory size: give a number and a unit, as 4GB or 512MB", v)
	}
	return v, nil
}
