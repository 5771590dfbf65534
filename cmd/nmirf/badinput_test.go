package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nmirf/nmirf/load"
)

// Bounds of one bad-input command: past them it is a hang or a memory blow-up.
const (
	badInputTimeout = 30 * time.Second
	badInputMemory  = 1536 << 20 // peak resident set, bytes
	bombSize        = 2 << 30    // inflated size of the generated zip bombs
	badInputWorkers = 2
)

// expectation is what nmirf should do with a bad input.
type expectation int

const (
	// wantError: a non-zero exit whose message names the file, row, field
	// or key, and a warehouse left exactly as it was.
	wantError expectation = iota
	// wantRejected: the bad rows are rejected, each named (exit 3; the good
	// rows are imported and the warehouse stays whole), or the whole file
	// is refused as for wantError.
	wantRejected
	// wantAccepted: the input is data nmirf must take (exit 0, or 3 with
	// the rejected rows named), and check proves what it made of it.
	wantAccepted
)

func (e expectation) String() string {
	switch e {
	case wantAccepted:
		return "accepted"
	case wantRejected:
		return "rows rejected"
	}
	return "clear error"
}

// badKind is one kind of bad input and the command that reads it.
type badKind struct {
	name string
	want expectation
	// make writes the input into dir and returns the command line (the
	// warehouse comes from NMIRF_WAREHOUSE) and the words of which the
	// message must name at least one: the file, row, field or key.
	make func(t *testing.T, dir string) (args, names []string)
	// say, if set, lists words of which the message must hold one: what is
	// wrong, not only where.
	say []string
	// check, if set, looks at what the command left (warehouse ws, the
	// case folder dir, its stdout) and returns what is wrong.
	check func(t *testing.T, ws, dir string, r *badResult) string
}

// badResult is what one command did.
type badResult struct {
	exit     int
	stdout   string
	stderr   string
	took     time.Duration
	peakRSS  int64
	hung     bool
	overMem  bool
	outcome  string // see classify
	problem  string // why the outcome is not the expected one
	failed   bool
	warnings bool
}

// Outcomes, as the summary counts them.
const (
	oClearError   = "clear error"
	oRejected     = "clear error: rows rejected"
	oWarned       = "accepted with warning"
	oAccepted     = "accepted as data"
	oSilent       = "silent acceptance"
	oVague        = "vague error"
	oHang         = "hang"
	oPanic        = "panic"
	oMemory       = "over memory bound"
	oDamaged      = "damaged warehouse"
	oWrongVerdict = "wrong result"
	oWrongAccept  = "accepted, error expected"
)

// TestBadInputCorpus feeds nmirf's real binary every kind of bad input it
// reads (recommendation files of each format, indicator files, standalone
// classification input, configurations, mapping files, SQL that tries to
// write or read outside the warehouse, odd file names, zip bombs) against a
// warehouse seeded by a first `nmirf run`, each under a time and memory
// bound, and checks that each is a clear error leaving the warehouse as it
// was, or data accepted as it should be. It logs the summary table, and
// writes it to $NMIRF_BADINPUT_TABLE when that is set.
func TestBadInputCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it on each bad input")
	}
	bin := buildBinary(t)
	template := filepath.Join(t.TempDir(), "w")
	seed := exec.Command(bin, "run", "-q", "--warehouse", template)
	seed.Dir = filepath.Dir(template) // nothing lands in the source tree
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("seeding run: %v\n%s", err, out)
	}
	before, err := readWarehouseState(template)
	if err != nil {
		t.Fatalf("seeded warehouse: %v", err)
	}
	if before.counts["recommendations"] == 0 {
		t.Fatal("seeded warehouse holds no recommendation")
	}

	kinds := badKinds()
	if len(kinds) < 80 {
		t.Fatalf("the corpus has %d kinds of bad input, fewer than the 80 it must cover", len(kinds))
	}
	seen := map[string]bool{}
	for _, k := range kinds {
		if seen[k.name] {
			t.Fatalf("kind %q listed twice", k.name)
		}
		seen[k.name] = true
	}
	results := make([]*badResult, len(kinds))
	argv := make([]string, len(kinds))
	sem := make(chan struct{}, badInputWorkers)
	t.Run("kinds", func(t *testing.T) {
		for i, k := range kinds {
			t.Run(k.name, func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				dir := t.TempDir()
				ws := filepath.Join(dir, "warehouse")
				if out, err := exec.Command("cp", "-a", template, ws).CombinedOutput(); err != nil {
					t.Fatalf("copy warehouse: %v %s", err, out)
				}
				in := filepath.Join(dir, "in")
				if err := os.Mkdir(in, 0o755); err != nil {
					t.Fatal(err)
				}
				args, names := k.make(t, in)
				argv[i] = strings.Join(args, " ")
				r := runBounded(t, bin, dir, ws, args)
				after, err := readWarehouseState(ws)
				judgeBadInput(t, k, r, names, ws, dir, before, after, err)
				results[i] = r
				t.Logf("exit %d in %v, peak %d MB; stderr: %s", r.exit, r.took.Round(time.Millisecond), r.peakRSS>>20, clipText(r.stderr, 400))
				if r.failed {
					t.Errorf("%s: %s (exit %d, %v)\nstderr: %s", r.outcome, r.problem, r.exit, r.took.Round(time.Millisecond), clipText(r.stderr, 1500))
				}
			})
		}
	})
	table := badInputTable(kinds, results, argv)
	t.Log("\n" + table)
	if p := os.Getenv("NMIRF_BADINPUT_TABLE"); p != "" {
		if err := os.WriteFile(p, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// runBounded runs nmirf with args in dir on warehouse ws, killing it past
// the time or the memory bound.
func runBounded(t *testing.T, bin, dir, ws string, args []string) *badResult {
	ctx, cancel := context.WithTimeout(context.Background(), badInputTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TMPDIR=" + dir, "NMIRF_WAREHOUSE=" + ws, "LANG=C.UTF-8"}
	var stdout, stderr cappedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r := &badResult{}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if rss := residentBytes(cmd.Process.Pid); rss > badInputMemory {
					r.overMem = true
					cmd.Process.Kill()
					return
				}
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	r.took = time.Since(start)
	r.hung = ctx.Err() != nil
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.exit = exit.ExitCode()
	default:
		t.Fatal(err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakRSS = ru.Maxrss << 10
	}
	if r.peakRSS > badInputMemory {
		r.overMem = true
	}
	// Messages name files by their full path; the case folder is noise.
	r.stdout, r.stderr = stdout.String(), strings.ReplaceAll(stderr.String(), dir+"/", "")
	return r
}

// residentBytes reads a process's resident set size from /proc.
func residentBytes(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cappedBuffer keeps the first 256 KiB written to it.
type cappedBuffer struct{ bytes.Buffer }

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if room := 256<<10 - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// judgeBadInput sets r's outcome and whether it is what k expects.
// after and afterErr are the warehouse's state once the command is done.
func judgeBadInput(t *testing.T, k badKind, r *badResult, names []string, ws, dir string, before, after warehouseState, afterErr error) {
	lower := strings.ToLower(r.stderr)
	named := false
	for _, n := range names {
		q := strconv.Quote(n)
		if strings.Contains(r.stderr, n) || strings.Contains(r.stderr, q[1:len(q)-1]) {
			named = true
		}
	}
	said := len(k.say) == 0
	for _, w := range k.say {
		if strings.Contains(lower, strings.ToLower(w)) {
			said = true
		}
	}
	r.warnings = strings.Contains(lower, "warning") || r.exit == 3
	fail := func(outcome, problem string) {
		r.outcome, r.problem, r.failed = outcome, problem, true
	}
	switch {
	case r.hung:
		fail(oHang, fmt.Sprintf("still running after %v", badInputTimeout))
		return
	case r.overMem:
		fail(oMemory, fmt.Sprintf("resident set over %d MiB", badInputMemory>>20))
		return
	case strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine "):
		fail(oPanic, "a Go panic trace on stderr")
		return
	}
	if afterErr != nil {
		fail(oDamaged, afterErr.Error())
		return
	}
	changed := before.diff(after)
	taken := r.exit == 0 || r.exit == 3 // done, perhaps with rows rejected
	checked := ""
	if k.check != nil {
		checked = k.check(t, ws, dir, r)
	}
	if k.want == wantError && taken || k.want == wantRejected && r.exit == 0 {
		what := []string{fmt.Sprintf("exit %d", r.exit)}
		if changed != "" {
			what = append(what, "imported: "+changed)
		}
		if checked != "" {
			what = append(what, checked)
		}
		if r.exit == 0 && !r.warnings {
			fail(oSilent, strings.Join(append(what, "nothing said"), "; "))
		} else {
			fail(oWrongAccept, strings.Join(append(what, "an error was expected"), "; "))
		}
		return
	}
	if k.want != wantAccepted && !taken && changed != "" {
		fail(oDamaged, fmt.Sprintf("exit %d but the warehouse changed: %s", r.exit, changed))
		return
	}
	if checked != "" {
		fail(oWrongVerdict, checked)
		return
	}
	switch k.want {
	case wantRejected:
		switch {
		case !named:
			fail(oVague, fmt.Sprintf("exit %d but the message names none of %q", r.exit, names))
		case !said:
			fail(oVague, fmt.Sprintf("exit %d but the message says none of %q", r.exit, k.say))
		case r.exit == 3:
			r.outcome = oRejected
		default:
			r.outcome = oClearError
		}
	case wantError:
		switch {
		case !named:
			fail(oVague, fmt.Sprintf("exit %d but the message names none of %q", r.exit, names))
		case !said:
			fail(oVague, fmt.Sprintf("exit %d but the message says none of %q", r.exit, k.say))
		default:
			r.outcome = oClearError
		}
	case wantAccepted:
		switch {
		case r.exit != 0 && r.exit != 3:
			fail(oVague, fmt.Sprintf("exit %d, the input should have been accepted", r.exit))
		case r.exit == 3 && !named:
			fail(oVague, fmt.Sprintf("exit 3 but the message names none of %q", names))
		case r.warnings:
			r.outcome = oWarned
		default:
			r.outcome = oAccepted
		}
	}
}

// warehouseState is what a bad input must not change: the row counts of
// the data tables and the published snapshot.
type warehouseState struct {
	counts   map[string]int
	snapshot string
}

var stateTables = []string{"recommendations", "recommendation_sources", "source_labels", "theme_assignments", "sdg_assignments", "cluster_members", "clusters", "indicator_observations", "input_files"}

// readWarehouse opens the warehouse as a new process would and checks it
// is whole (no duplicated key, the snapshot reads back), then returns its state.
func readWarehouseState(dir string) (warehouseState, error) {
	s := warehouseState{counts: map[string]int{}}
	w, err := load.Open(context.Background(), dir)
	if err != nil {
		return s, fmt.Errorf("database does not open: %v", err)
	}
	defer w.Close()
	var tables []string
	for table := range uniqueness {
		tables = append(tables, table)
	}
	sort.Strings(tables)
	for _, table := range tables {
		var dups int
		if err := w.DB().QueryRow(fmt.Sprintf(`SELECT count(*) FROM (SELECT %s FROM %s GROUP BY ALL HAVING count(*) > 1)`, uniqueness[table], table)).Scan(&dups); err != nil {
			return s, fmt.Errorf("%s: %v", table, err)
		}
		if dups > 0 {
			return s, fmt.Errorf("%s: %d duplicated keys", table, dups)
		}
	}
	for _, table := range stateTables {
		var n int
		if err := w.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			return s, fmt.Errorf("%s: %v", table, err)
		}
		s.counts[table] = n
	}
	link, err := os.Readlink(filepath.Join(dir, load.ParquetLink))
	if err != nil {
		return s, fmt.Errorf("published snapshot: %v", err)
	}
	s.snapshot = link
	var n int
	glob := filepath.Join(dir, load.ParquetLink, "recommendations", "**", "*.parquet")
	if err := w.DB().QueryRow(`SELECT count(*) FROM read_parquet(?)`, glob).Scan(&n); err != nil {
		return s, fmt.Errorf("published snapshot unreadable: %v", err)
	}
	if n != s.counts["recommendations"] {
		return s, fmt.Errorf("published snapshot has %d recommendations, the database %d", n, s.counts["recommendations"])
	}
	return s, nil
}

func (s warehouseState) diff(o warehouseState) string {
	var d []string
	for _, table := range stateTables {
		if s.counts[table] != o.counts[table] {
			d = append(d, fmt.Sprintf("%s %d → %d", table, s.counts[table], o.counts[table]))
		}
	}
	if s.snapshot != o.snapshot {
		d = append(d, "a new snapshot was published")
	}
	return strings.Join(d, "; ")
}

// badInputTable formats the results for the closing note.
func badInputTable(kinds []badKind, results []*badResult, argv []string) string {
	count := map[string]int{}
	var b strings.Builder
	b.WriteString("| # | kind | command | expected | outcome | exit | time | peak RSS | note |\n|---|---|---|---|---|---|---|---|---|\n")
	tried := 0
	for i, k := range kinds {
		r := results[i]
		if r == nil {
			fmt.Fprintf(&b, "| %d | %s | | %s | not run | | | | |\n", i+1, k.name, k.want)
			continue
		}
		tried++
		count[r.outcome]++
		note := ""
		if r.failed {
			note = r.problem
		}
		cmd := argv[i]
		if len(cmd) > 60 {
			cmd = cmd[:57] + "…"
		}
		cmd = strings.NewReplacer("|", `\|`, "\n", `\n`).Replace(cmd)
		note = strings.NewReplacer("|", `\|`, "\n", " ").Replace(note)
		fmt.Fprintf(&b, "| %d | %s | `nmirf %s` | %s | %s | %d | %.1f s | %d MB | %s |\n",
			i+1, k.name, cmd, k.want, r.outcome, r.exit, r.took.Seconds(), r.peakRSS>>20, clipText(note, 160))
	}
	fmt.Fprintf(&b, "\nkinds tried: %d; clear errors: %d (of which rows rejected, the rest imported: %d); accepted with warning: %d; accepted as data: %d; silent acceptances: %d; hangs: %d; accepted when an error was expected: %d; vague errors: %d; panics: %d; over memory: %d; damaged warehouses: %d; wrong results: %d\n",
		tried, count[oClearError]+count[oRejected], count[oRejected], count[oWarned], count[oAccepted], count[oSilent], count[oHang], count[oWrongAccept], count[oVague], count[oPanic], count[oMemory], count[oDamaged], count[oWrongVerdict])
	b.WriteString("\nWhat nmirf said (the message's first line naming the problem, paths relative to the case folder):\n\n")
	for i, r := range results {
		if r != nil {
			fmt.Fprintf(&b, "%d. %s\n", i+1, clipText(strings.ReplaceAll(firstMessage(r.stderr), "\n", `\n`), 240))
		}
	}
	return b.String()
}

// firstMessage returns the line of stderr that says what went wrong: the
// error, else the first warning or rejected row, else the first line.
func firstMessage(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, prefix := range []string{"nmirf: ", "warning: ", "in/"} {
		for i, l := range lines {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, prefix) && !strings.HasPrefix(l, "nmirf: batch incomplete") {
				return l
			}
			if strings.HasPrefix(l, "nmirf: batch incomplete") && i+1 < len(lines) {
				return l + " — " + strings.TrimSpace(lines[i+1])
			}
		}
	}
	return lines[0]
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// TestJudgeBadInput checks the verdicts the corpus is counted by, on
// results made up for each case.
func TestJudgeBadInput(t *testing.T) {
	state := func(recs int, snap string) warehouseState {
		return warehouseState{counts: map[string]int{"recommendations": recs}, snapshot: snap}
	}
	before := state(171, "snapshots/a")
	named := []string{"export.csv", "row 3"}
	for _, c := range []struct {
		name     string
		want     expectation
		say      []string
		r        badResult
		after    warehouseState
		afterErr error
		check    string
		outcome  string
		failed   bool
	}{
		{"clear error", wantError, nil, badResult{exit: 65, stderr: "nmirf: in/export.csv: file is empty"}, before, nil, "", oClearError, false},
		{"error naming nothing", wantError, nil, badResult{exit: 65, stderr: "nmirf: cannot tell its format"}, before, nil, "", oVague, true},
		{"error not saying what", wantError, []string{"quote"}, badResult{exit: 65, stderr: "nmirf: in/export.csv: bad"}, before, nil, "", oVague, true},
		{"silent acceptance", wantError, nil, badResult{exit: 0, stderr: "ingest: ok; 5 records -> 5 distinct; 0 rejected"}, state(176, "snapshots/b"), nil, "", oSilent, true},
		{"no-op published a snapshot", wantError, nil, badResult{exit: 0}, state(171, "snapshots/b"), nil, "", oSilent, true},
		{"accepted with a warning, error expected", wantError, nil, badResult{exit: 0, stderr: "  warning: in/export.csv: 1 row skipped"}, before, nil, "", oWrongAccept, true},
		{"rows rejected, error expected", wantError, nil, badResult{exit: 3, stderr: "in/export.csv row 3: bad"}, state(172, "snapshots/b"), nil, "", oWrongAccept, true},
		{"error that changed the warehouse", wantError, nil, badResult{exit: 65, stderr: "in/export.csv: bad"}, state(170, "snapshots/a"), nil, "", oDamaged, true},
		{"database destroyed", wantError, nil, badResult{exit: 0}, before, errors.New("database does not open"), "", oDamaged, true},
		{"hang", wantError, nil, badResult{hung: true}, before, nil, "", oHang, true},
		{"over memory", wantError, nil, badResult{overMem: true}, before, nil, "", oMemory, true},
		{"panic", wantError, nil, badResult{exit: 2, stderr: "panic: runtime error\n\ngoroutine 1 [running]:"}, before, nil, "", oPanic, true},
		{"rows rejected by name", wantRejected, nil, badResult{exit: 3, stderr: "in/export.csv row 3 field \"To\": unknown country"}, state(174, "snapshots/b"), nil, "", oRejected, false},
		{"file refused instead of rows", wantRejected, nil, badResult{exit: 65, stderr: "in/export.csv row 3: unclosed quote?"}, before, nil, "", oClearError, false},
		{"rows swallowed silently", wantRejected, nil, badResult{exit: 0}, state(176, "snapshots/b"), nil, "", oSilent, true},
		{"accepted, checked", wantAccepted, nil, badResult{exit: 0}, state(172, "snapshots/b"), nil, "", oAccepted, false},
		{"accepted with a warning", wantAccepted, nil, badResult{exit: 0, stderr: "warning: in/export.csv row 3: date left empty"}, state(172, "snapshots/b"), nil, "", oWarned, false},
		{"accepted, check fails", wantAccepted, nil, badResult{exit: 0}, state(172, "snapshots/b"), nil, "formula not neutralised", oWrongVerdict, true},
		{"refused, should be accepted", wantAccepted, nil, badResult{exit: 65, stderr: "in/export.csv: bad"}, before, nil, "", oVague, true},
	} {
		k := badKind{name: c.name, want: c.want, say: c.say}
		if c.check != "" {
			k.check = func(*testing.T, string, string, *badResult) string { return c.check }
		}
		r := c.r
		judgeBadInput(t, k, &r, named, "", "", before, c.after, c.afterErr)
		if r.outcome != c.outcome || r.failed != c.failed {
			t.Errorf("%s: outcome %q failed %v (%s), want %q failed %v", c.name, r.outcome, r.failed, r.problem, c.outcome, c.failed)
		}
	}
}
