package load

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// countingWriter is a RowWriter that keeps only a count, the last row and
// the peak Go heap seen while rows arrive.
type countingWriter struct {
	n        int
	last     []string
	peakHeap uint64
	onRow    func(n int)
}

func (c *countingWriter) Header([]string) error { return nil }
func (c *countingWriter) End(int) error         { return nil }
func (c *countingWriter) Row(vals []any) error {
	c.n++
	if c.n%250_000 == 0 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		c.peakHeap = max(c.peakHeap, m.HeapAlloc)
	}
	c.last = c.last[:0]
	for _, v := range vals {
		c.last = append(c.last, display(v))
	}
	if c.onRow != nil {
		c.onRow(c.n)
	}
	return nil
}

// peakRSS is the process's peak resident memory in kB (Linux).
func peakRSS(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Skip("no VmHWM")
	return 0
}

func published(t *testing.T) *Warehouse {
	t.Helper()
	dir := t.TempDir()
	w := ingested(t, dir)
	if err := w.PublishDB(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestQueryStreamsALargeResult: five million rows of about 110 bytes (550 MB
// as a result) pass through with the memory of a few rows, in Go and in
// DuckDB.
func TestQueryStreamsALargeResult(t *testing.T) {
	r := published(t)
	runtime.GC()
	rss0 := peakRSS(t)
	out := &countingWriter{}
	n, err := r.Query(context.Background(), `SELECT range AS i, repeat('x', 100) || range AS s FROM range(5000000)`, out)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5_000_000 || out.n != n || out.last[0] != "4999999" || out.last[1] != strings.Repeat("x", 100)+"4999999" {
		t.Fatalf("%d rows (%d written), last %q", n, out.n, out.last)
	}
	grown := peakRSS(t) - rss0
	t.Logf("peak Go heap %d MB, peak resident memory grew %d MB", out.peakHeap>>20, grown>>10)
	if out.peakHeap > 64<<20 {
		t.Errorf("Go heap reached %d MB while streaming", out.peakHeap>>20)
	}
	if grown > 300<<10 {
		t.Errorf("resident memory grew by %d MB while streaming a 550 MB result", grown>>10)
	}
}

// TestQueryStopsWhenCancelled: cancelling while rows are being written stops
// the query at once.
func TestQueryStopsWhenCancelled(t *testing.T) {
	r := published(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &countingWriter{onRow: func(n int) {
		if n == 10_000 {
			cancel()
		}
	}}
	n, err := r.Query(ctx, `SELECT * FROM range(100000000)`, out)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v after %d rows, want cancelled", err, n)
	}
	if n > 10_000+4096 {
		t.Errorf("%d rows written after the cancellation at 10,000", n)
	}
}

// TestQueryRefusesMoreThanOneStatement: a second statement is never run,
// and a query with parameters is refused with a message, not an internal
// error.
func TestQueryRefusesMoreThanOneStatement(t *testing.T) {
	r := published(t)
	for _, q := range []string{
		`SELECT 1; SELECT 2`,
		`ATTACH ':memory:' AS m; SELECT 1`,
		`SELECT 1; -- a comment
		SELECT 2;`,
	} {
		out := &countingWriter{}
		_, err := r.Query(context.Background(), q, out)
		if err == nil || !strings.Contains(err.Error(), "one statement per call") || out.n != 0 {
			t.Errorf("%q: err = %v, %d rows", q, err, out.n)
		}
	}
	for _, q := range []string{`SELECT $1`, `SELECT ? + 1`} {
		out := &countingWriter{}
		_, err := r.Query(context.Background(), q, out)
		if err == nil || !strings.Contains(err.Error(), "parameters") {
			t.Errorf("%q: err = %v, want a message about parameters", q, err)
		}
	}
	for _, q := range []string{`SELECT count(*) FROM recommendations;`, "-- comment first\nSELECT count(*) FROM recommendations -- and last"} {
		out := &countingWriter{}
		if _, err := r.Query(context.Background(), q, out); err != nil || out.last[0] != "3" {
			t.Errorf("%q: err = %v, rows %v", q, err, out.last)
		}
	}
}

// TestTableFormatStreamsAfterItsFirstRows: the table format sizes its
// columns by the first rows, then writes each row as it comes, widening a
// column for a longer value (never cutting it) and saying so.
func TestTableFormatStreamsAfterItsFirstRows(t *testing.T) {
	r := published(t)
	q := `SELECT i, CASE WHEN i = 1500 THEN 'a value longer than the first rows' ELSE 'short' END AS label FROM range(2000) t(i) ORDER BY i`
	var b strings.Builder
	tw, _ := NewRowWriter(&b, "table")
	if _, err := r.Query(context.Background(), q, tw); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 2+2000+1 {
		t.Fatalf("%d lines, want a header, a rule, 2000 rows and a count", len(lines))
	}
	for _, l := range lines[:2+1000] {
		if len([]rune(l)) != len([]rune(lines[0])) {
			t.Fatalf("row %q is not aligned with the header %q", l, lines[0])
		}
	}
	if row := strings.Fields(lines[2+1500]); strings.Join(row, " ") != "1500 | a value longer than the first rows" {
		t.Errorf("row 1500 = %q, want 1500 and its whole label", lines[2+1500])
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "(2000 rows;") || !strings.Contains(last, "widened after row 1000") {
		t.Errorf("count line %q does not say the columns were widened", last)
	}
}
