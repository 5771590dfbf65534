package main

import (
	"os"
	"runtime/debug"
)

// setMemoryLimit gives the Go heap a soft limit (1 GiB, or GOMEMLIMIT when
// set) so that a large batch collects garbage before it doubles its live
// heap; DuckDB's own memory is bounded separately (NMIRF_DUCKDB_MEMORY).
func setMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}
