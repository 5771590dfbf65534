package load

import (
	"context"
	"database/sql/driver"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestAppendAheadKeepsOrderAndStopsOnBadRow: rows built a batch ahead of
// the appender land in order, all of them, across several batches; a row
// the table refuses stops the append with its number, and the goroutine
// building rows ends either way.
func TestAppendAheadKeepsOrderAndStopsOnBadRow(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	conn, err := w.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE probe (n INTEGER NOT NULL, label VARCHAR NOT NULL, states VARCHAR[])`); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	const n = 5000 // several batches and a part batch
	row := func(i int, buf []driver.Value) []driver.Value {
		var states []any
		if i%3 == 0 {
			states = []any{"FRA", "ESP"}
		}
		return append(buf, int32(i), fmt.Sprintf("row %d", i), states)
	}
	if err := appendAhead(ctx, conn, "probe", n, row); err != nil {
		t.Fatal(err)
	}
	var count, wrong int
	var third string
	err = conn.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE label <> 'row ' || n),
		(SELECT array_to_string(states, ' ') FROM probe WHERE n = 3) FROM probe`).Scan(&count, &wrong, &third)
	if err != nil {
		t.Fatal(err)
	}
	if count != n || wrong != 0 || third != "FRA ESP" {
		t.Errorf("%d rows, %d with another row's label, row 3's states %q; want %d, 0, \"FRA ESP\"", count, wrong, third, n)
	}

	// Row 2500 (the 2,501st) has text for its number.
	bad := func(i int, buf []driver.Value) []driver.Value {
		if i == 2500 {
			return append(buf, "2500", "row 2500", nil)
		}
		return row(i, buf)
	}
	err = appendAhead(ctx, conn, "probe", n, bad)
	if err == nil || !strings.Contains(err.Error(), "row 2501") {
		t.Errorf("error %v, want one naming row 2501", err)
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines after the appends, %d before: the row builder did not end", g, before)
	}
}
