package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/load"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunThenQuery(t *testing.T) {
	wh := t.TempDir()
	code, _, stderr := run(t, "run", "--warehouse", wh)
	if code != 0 {
		t.Fatalf("run exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "171 recommendations") {
		t.Errorf("summary does not give the total: %s", stderr)
	}
	code, out, stderr := run(t, "sql", "--warehouse", wh, "--format", "json",
		"SELECT upr_session, count(*) AS n, sum(CASE WHEN n_sources > 1 THEN 1 ELSE 0 END) AS both FROM recommendations GROUP BY 1 ORDER BY 1")
	if code != 0 {
		t.Fatalf("sql exit %d: %s", code, stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	// The United Kingdom's reviews in sessions 1 and 13; most recommendations
	// are found in both the UPR Info export and the Working Group report.
	if len(rows) != 2 || rows[0]["upr_session"].(float64) != 1 || rows[1]["upr_session"].(float64) != 13 {
		t.Fatalf("rows = %v", rows)
	}
	if n := rows[1]["n"].(float64); n != 139 {
		t.Errorf("session 13: %v recommendations, want 139", n)
	}
	code, out, _ = run(t, "sql", "--warehouse", wh, "--format", "csv", "SELECT rec_id, text FROM recommendations ORDER BY rec_id LIMIT 2")
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.HasPrefix(out, "rec_id,text\n") {
		t.Errorf("csv output (exit %d):\n%s", code, out)
	}
	code, out, _ = run(t, "sql", "--warehouse", wh, "SELECT count(*) AS n FROM recommendations")
	if code != 0 || !strings.Contains(out, "171") || !strings.Contains(out, "(1 row)") {
		t.Errorf("table output (exit %d):\n%s", code, out)
	}
	checkGapQueryOverSnapshot(t, wh)
	// The structured log and the manifest of the run.
	logs, _ := filepath.Glob(filepath.Join(wh, "logs", "nmirf-*.jsonl"))
	if len(logs) != 1 {
		t.Fatalf("log files: %v", logs)
	}
	if b, _ := os.ReadFile(logs[0]); !strings.Contains(string(b), `"msg":"run finished"`) || !strings.Contains(string(b), `"stage":"classify"`) {
		t.Errorf("log lacks the run and its stages:\n%s", b)
	}
	manifests, _ := filepath.Glob(filepath.Join(wh, "runs", "*.json"))
	var manifest map[string]any
	if b, err := os.ReadFile(manifests[len(manifests)-1]); err != nil || json.Unmarshal(b, &manifest) != nil {
		t.Fatalf("manifest: %v", err)
	}
	if cfg, _ := manifest["config"].(map[string]any); cfg == nil || cfg["warehouse"] != wh || manifest["stages"] == nil || manifest["nmirf_version"] == nil {
		t.Errorf("manifest lacks config, stages or version: %v", manifest)
	}
	// The database is read-only for sql.
	code, _, stderr = run(t, "sql", "--warehouse", wh, "DELETE FROM recommendations")
	if code != 2 || !strings.Contains(stderr, "read-only") {
		t.Errorf("write through sql: exit %d, %s", code, stderr)
	}
}

func TestExitCodes(t *testing.T) {
	wh := t.TempDir()
	empty := filepath.Join(t.TempDir(), "empty.csv")
	os.WriteFile(empty, nil, 0o644)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"unknown flag", []string{"ingest", "--bogus", "x"}, 2, "unknown flag"},
		{"missing argument", []string{"ingest", "--warehouse", wh}, 2, "requires at least 1 arg"},
		{"unknown format", []string{"ingest", "--warehouse", wh, "--format", "pdf", empty}, 2, `unknown --format "pdf"`},
		{"missing file", []string{"ingest", "--warehouse", wh, "/nonexistent/recs.csv"}, 65, "/nonexistent/recs.csv"},
		{"empty file", []string{"ingest", "--warehouse", wh, empty}, 65, "empty.csv: file is empty"},
		{"no warehouse", []string{"sql", "--warehouse", filepath.Join(wh, "none"), "SELECT 1"}, 2, "no warehouse"},
		{"bad sql format", []string{"sql", "--format", "xml", "SELECT 1"}, 2, "unknown --format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.msg)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace leaked: %s", stderr)
			}
		})
	}
}

func TestBadQueryNamesTheProblem(t *testing.T) {
	wh := t.TempDir()
	if code, _, stderr := run(t, "run", "--warehouse", wh, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	code, _, stderr := run(t, "sql", "--warehouse", wh, "SELECT nosuchcolumn FROM recommendations")
	if code != 2 || !strings.Contains(stderr, "nosuchcolumn") || strings.Contains(stderr, "LINE 1") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// checkGapQueryOverSnapshot runs the README's portable gap query
// (docs/gap.sql) over the Parquet snapshot alone, as a DuckDB CLI, Python or
// Spark user would.
func checkGapQueryOverSnapshot(t *testing.T, wh string) {
	t.Helper()
	query, err := os.ReadFile(filepath.Join("..", "..", "docs", "gap.sql"))
	if err != nil {
		t.Fatal(err)
	}
	scratch, err := load.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer scratch.Close()
	db := scratch.DB()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, table := range []string{"recommendations", "sdg_assignments", "indicator_observations", "sdg_indicator_targets", "sdg_targets"} {
		glob := filepath.Join(wh, "parquet", table, "**", "*.parquet")
		if _, err := conn.ExecContext(context.Background(), `CREATE TEMP VIEW `+table+` AS SELECT * FROM read_parquet('`+glob+`', hive_partitioning = true)`); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := conn.QueryContext(context.Background(), string(query))
	if err != nil {
		t.Fatalf("docs/gap.sql over the snapshot: %v", err)
	}
	defer rows.Close()
	n, withData := 0, 0
	for rows.Next() {
		var target, title string
		var recs int
		var supported, indicators, latest *int
		if err := rows.Scan(&target, &title, &recs, &supported, &indicators, &latest); err != nil {
			t.Fatal(err)
		}
		n++
		if latest != nil {
			withData++
		}
	}
	// The sample's recommendations touch many targets; the embedded UK
	// indicator files cover some of them.
	if n < 5 || withData == 0 {
		t.Errorf("gap query: %d targets, %d with data", n, withData)
	}
}
