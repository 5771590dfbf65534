package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/pipeline"
)

// treeHashes maps every regular file below dir to its SHA-256.
func treeHashes(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%s: %d files before, %d after", what, len(before), len(after))
	}
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s: %s changed", what, p)
		}
	}
}

// sqlValue runs a one-value query through nmirf sql and returns the value.
func sqlValue(t *testing.T, wh, q string) int {
	t.Helper()
	code, out, stderr := run(t, "sql", "--warehouse", wh, "--format", "csv", q)
	if code != 0 {
		t.Fatalf("sql %q: exit %d: %s", q, code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	n, err := strconv.Atoi(lines[len(lines)-1])
	if err != nil {
		t.Fatalf("sql %q: %q is not a number", q, out)
	}
	return n
}

// TestSQLReadsTheWarehouseAndNothingElse tries the attacks the issue lists:
// each fails with a clear message and leaves the warehouse, its snapshot
// and another warehouse byte for byte as they were; --allow-files opens
// the full DuckDB.
func TestSQLReadsTheWarehouseAndNothingElse(t *testing.T) {
	wh := t.TempDir()
	if code, _, stderr := run(t, "run", "-q", "--warehouse", wh); code != 0 {
		t.Fatal(stderr)
	}
	other := t.TempDir()
	b, err := os.ReadFile(load.PublishedPath(wh))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, load.DBFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	secret := filepath.Join(files, "secret.csv")
	os.WriteFile(secret, []byte("name,password\nroot,x\nadmin,y\n"), 0o600)
	part, _ := filepath.Glob(filepath.Join(wh, "parquet", "recommendations", "*", "part-0.parquet"))
	if len(part) == 0 {
		t.Fatal("no Parquet partition to aim at")
	}
	whBefore, otherBefore := treeHashes(t, wh), treeHashes(t, other)

	const noFiles = "file system operations are disabled"
	for _, tt := range []struct{ query, msg string }{
		{fmt.Sprintf(`COPY (SELECT 1) TO '%s'`, load.PublishedPath(wh)), noFiles},
		{fmt.Sprintf(`COPY (SELECT 1) TO '%s'`, load.WorkPath(wh)), noFiles},
		{fmt.Sprintf(`ATTACH '%s' AS o (READ_WRITE); DELETE FROM o.recommendations`, filepath.Join(other, load.DBFile)), "one statement per call"},
		{fmt.Sprintf(`ATTACH '%s' AS o (READ_WRITE)`, filepath.Join(other, load.DBFile)), noFiles},
		{fmt.Sprintf(`COPY (SELECT * FROM recommendations) TO '%s' (FORMAT parquet)`, part[0]), noFiles},
		{fmt.Sprintf(`SELECT * FROM read_csv('%s')`, secret), noFiles},
		{`SELECT * FROM read_csv('/etc/passwd')`, noFiles},
		{fmt.Sprintf(`EXPORT DATABASE '%s'`, filepath.Join(files, "export")), noFiles},
		{`SET enable_external_access = true`, "configuration has been locked"},
		{`DELETE FROM recommendations`, "read-only"},
		{`INSTALL httpfs`, noFiles},
	} {
		code, out, stderr := run(t, "sql", "--warehouse", wh, tt.query)
		if code != 2 || !strings.Contains(stderr, tt.msg) || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.query, code, out, stderr, tt.msg)
		}
		if tt.msg == noFiles && !strings.Contains(stderr, "--allow-files") {
			t.Errorf("%s: the message does not say how to allow files: %s", tt.query, stderr)
		}
	}
	sameTree(t, "warehouse", whBefore, treeHashes(t, wh))
	sameTree(t, "other warehouse", otherBefore, treeHashes(t, other))
	if _, err := os.Stat(filepath.Join(files, "export")); err == nil {
		t.Error("EXPORT DATABASE wrote files")
	}

	// With --allow-files the query reads files; the warehouse stays read-only.
	code, out, stderr := run(t, "sql", "--warehouse", wh, "--allow-files", "--format", "csv",
		fmt.Sprintf(`SELECT count(*) AS n FROM read_csv('%s')`, secret))
	if code != 0 || out != "n\n2\n" {
		t.Errorf("--allow-files read_csv: exit %d, %q, %s", code, out, stderr)
	}
	if code, _, stderr := run(t, "sql", "--warehouse", wh, "--allow-files", "DELETE FROM recommendations"); code != 2 || !strings.Contains(stderr, "read-only") {
		t.Errorf("--allow-files DELETE: exit %d, %s", code, stderr)
	}
}

// TestSQLQueryFromFileOrStdin runs the README's docs/gap.sql, which starts
// with a "--" comment, with -f and from stdin, and checks an answer.
func TestSQLQueryFromFileOrStdin(t *testing.T) {
	wh := t.TempDir()
	if code, _, stderr := run(t, "run", "-q", "--warehouse", wh); code != 0 {
		t.Fatal(stderr)
	}
	gap := filepath.Join("..", "..", "docs", "gap.sql")
	code, fromFile, stderr := run(t, "sql", "--warehouse", wh, "--format", "csv", "-f", gap)
	if code != 0 {
		t.Fatalf("-f %s: exit %d: %s", gap, code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(fromFile)).ReadAll()
	if err != nil || len(rows) < 6 {
		t.Fatalf("gap.sql output: %v\n%s", err, fromFile)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	// The answer for the first target, asked another way.
	target := rows[1][col["target"]]
	want := sqlValue(t, wh, `SELECT count(DISTINCT a.rec_id) FROM sdg_assignments a JOIN recommendations r USING (rec_id)
		WHERE r.country_iso3 = 'GBR' AND NOT a.fallback AND a.target = '`+target+`'`)
	if got, _ := strconv.Atoi(rows[1][col["recommendations"]]); got != want || want == 0 {
		t.Errorf("gap.sql: target %s has %d recommendations, want %d", target, got, want)
	}

	query, _ := os.ReadFile(gap)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { w.Write(query); w.Close() }()
	stdin := os.Stdin
	os.Stdin = r
	code, fromStdin, stderr := run(t, "sql", "--warehouse", wh, "--format", "csv", "-f", "-")
	os.Stdin = stdin
	r.Close()
	if code != 0 || fromStdin != fromFile {
		t.Errorf("-f - (stdin): exit %d, %s\n%s", code, stderr, fromStdin)
	}

	// As an argument the leading comment reads as a flag: the message says
	// what to do.
	code, _, stderr = run(t, "sql", "--warehouse", wh, string(query))
	if code != 2 || !strings.Contains(stderr, "-f FILE") {
		t.Errorf("query starting with --: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run(t, "sql", "--warehouse", wh, "-f", gap, "SELECT 1"); code != 2 || !strings.Contains(stderr, "not both") {
		t.Errorf("query and -f: exit %d, %s", code, stderr)
	}
}

// TestRunWithAReaderHoldingTheDatabase: a researcher's DuckDB client (here
// another process holding WAREHOUSE/nmirf.duckdb open read-only) does not
// stop a run or an import; it keeps reading the copy it opened, and a new
// reader sees the new data.
func TestRunWithAReaderHoldingTheDatabase(t *testing.T) {
	if dir := os.Getenv("NMIRF_TEST_READER"); dir != "" {
		readerProcess(dir)
		return
	}
	wh := t.TempDir()
	if code, _, stderr := run(t, "run", "-q", "--warehouse", wh); code != 0 {
		t.Fatal(stderr)
	}
	child := exec.Command(os.Args[0], "-test.run", "^TestRunWithAReaderHoldingTheDatabase$")
	child.Env = append(os.Environ(), "NMIRF_TEST_READER="+wh)
	child.Stderr = os.Stderr
	in, _ := child.StdinPipe()
	outPipe, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { in.Close(); child.Wait() }()
	out := bufio.NewScanner(outPipe)
	ask := func() string {
		t.Helper()
		fmt.Fprintln(in, "count")
		for out.Scan() {
			if strings.HasPrefix(out.Text(), "counts ") {
				return out.Text()
			}
		}
		t.Fatalf("reader process stopped: %v", out.Err())
		return ""
	}
	held := ask()
	runs := sqlValue(t, wh, `SELECT count(*) FROM runs`)
	obs := sqlValue(t, wh, `SELECT count(*) FROM indicator_observations`)
	if held != fmt.Sprintf("counts %d %d", runs, obs) {
		t.Fatalf("reader sees %q, nmirf sql %d runs %d observations", held, runs, obs)
	}

	if code, _, stderr := run(t, "run", "-q", "--warehouse", wh); code != 0 {
		t.Fatalf("run with a reader open: exit %d: %s", code, stderr)
	}
	slice := filepath.Join("..", "..", "extract", "indicators", "testdata", "un-sdg-global-database", "Goal1-slice.csv")
	if code, _, stderr := run(t, "indicators", "import", "-q", "--warehouse", wh, slice); code != 0 {
		t.Fatalf("indicators import with a reader open: exit %d: %s", code, stderr)
	}
	if again := ask(); again != held {
		t.Errorf("the open reader's copy changed under it: %q, then %q", held, again)
	}
	if n := sqlValue(t, wh, `SELECT count(*) FROM runs`); n <= runs {
		t.Errorf("a new reader sees %d runs, want more than %d", n, runs)
	}
	if n := sqlValue(t, wh, `SELECT count(*) FROM indicator_observations WHERE country_iso3 = 'AFG'`); n == 0 {
		t.Error("a new reader does not see the imported observations")
	}
}

// readerProcess holds the published database open and answers each line
// of stdin with its counts of runs and indicator observations.
func readerProcess(dir string) {
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	defer w.Close()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var runs, obs int
		if err := w.DB().QueryRow(`SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM indicator_observations)`).Scan(&runs, &obs); err != nil {
			fmt.Println("error", err)
			continue
		}
		fmt.Printf("counts %d %d\n", runs, obs)
	}
}

// TestReadersDuringAWrite: while a command holds the lock and the working
// database, sql and report read the published copy at once; with --wait
// they wait until the writer is done.
func TestReadersDuringAWrite(t *testing.T) {
	wh := t.TempDir()
	if code, _, stderr := run(t, "run", "-q", "--warehouse", wh); code != 0 {
		t.Fatal(stderr)
	}
	lock, err := pipeline.AcquireLock(wh, false, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := load.Open(context.Background(), wh)
	if err != nil {
		t.Fatal(err)
	}
	release := func() { w.Close(); lock.Release() }
	if n := sqlValue(t, wh, `SELECT count(*) FROM recommendations`); n != 171 {
		t.Errorf("sql during a write: %d recommendations, want 171", n)
	}
	reports := t.TempDir()
	if code, _, stderr := run(t, "report", "gaps", "--warehouse", wh, "--country", "GBR", "--format", "csv", "--out", reports); code != 0 {
		t.Errorf("report during a write: exit %d: %s", code, stderr)
	}
	type result struct {
		code int
		at   time.Time
	}
	done := make(chan result, 2)
	go func() {
		code, _, _ := run(t, "sql", "--wait", "--warehouse", wh, "SELECT 1")
		done <- result{code, time.Now()}
	}()
	go func() {
		code, _, _ := run(t, "report", "clusters", "--wait", "--warehouse", wh, "--country", "GBR", "--out", t.TempDir())
		done <- result{code, time.Now()}
	}()
	time.Sleep(700 * time.Millisecond)
	released := time.Now()
	release()
	for i := 0; i < 2; i++ {
		select {
		case r := <-done:
			if r.code != 0 || r.at.Before(released) {
				t.Errorf("reader with --wait: exit %d, finished %v after the writer", r.code, r.at.Sub(released))
			}
		case <-time.After(30 * time.Second):
			t.Fatal("reader with --wait still waiting 30 s after the writer finished")
		}
	}
}

// TestUpgradeWithAReaderHoldingTheOldDatabase: a warehouse of an earlier
// nmirf keeps its working database at WAREHOUSE/nmirf.duckdb, where a
// researcher may hold it open. The first run of this version takes it over
// without losing a row and without waiting for the reader.
func TestUpgradeWithAReaderHoldingTheOldDatabase(t *testing.T) {
	if dir := os.Getenv("NMIRF_TEST_READER"); dir != "" {
		readerProcess(dir)
		return
	}
	wh := t.TempDir()
	if code, _, stderr := run(t, "run", "-q", "--warehouse", wh); code != 0 {
		t.Fatal(stderr)
	}
	// The layout of the earlier version: the working database in place of
	// the published copy, no .work folder.
	if err := os.Rename(load.WorkPath(wh), load.PublishedPath(wh)); err != nil {
		t.Fatal(err)
	}
	os.Chmod(load.PublishedPath(wh), 0o644)
	if err := os.RemoveAll(filepath.Join(wh, load.WorkDir)); err != nil {
		t.Fatal(err)
	}
	runs := sqlValue(t, wh, `SELECT count(*) FROM runs`)
	recs := sqlValue(t, wh, `SELECT count(*) FROM recommendations`)

	child := exec.Command(os.Args[0], "-test.run", "^TestUpgradeWithAReaderHoldingTheOldDatabase$")
	child.Env = append(os.Environ(), "NMIRF_TEST_READER="+wh)
	child.Stderr = os.Stderr
	in, _ := child.StdinPipe()
	outPipe, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { in.Close(); child.Wait() }()
	out := bufio.NewScanner(outPipe)
	fmt.Fprintln(in, "count")
	if !out.Scan() || !strings.HasPrefix(out.Text(), fmt.Sprintf("counts %d ", runs)) {
		t.Fatalf("reader of the old database: %q %v", out.Text(), out.Err())
	}

	if code, _, stderr := run(t, "run", "-q", "--warehouse", wh); code != 0 {
		t.Fatalf("first run after the upgrade, with a reader open: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(load.WorkPath(wh)); err != nil {
		t.Errorf("working database not moved to %s: %v", load.WorkDir, err)
	}
	if n := sqlValue(t, wh, `SELECT count(*) FROM recommendations`); n != recs {
		t.Errorf("after the upgrade: %d recommendations, want %d", n, recs)
	}
	if n := sqlValue(t, wh, `SELECT count(*) FROM runs`); n <= runs {
		t.Errorf("after the upgrade: %d runs, want the %d before and the new ones", n, runs)
	}
	fmt.Fprintln(in, "count")
	if !out.Scan() || !strings.HasPrefix(out.Text(), fmt.Sprintf("counts %d ", runs)) {
		t.Errorf("the open reader's database changed under it: %q", out.Text())
	}
}
