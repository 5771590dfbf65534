package load

import (
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/nmirf/nmirf/models"
)

// RowWriter receives a query result one row at a time.
type RowWriter interface {
	Header(cols []string) error
	Row(vals []any) error
	// End follows the last row; n is the number of rows.
	End(n int) error
}

// Query runs one SQL statement and streams its rows to out: no more than
// one row is held at a time (the table format holds its first rows to size
// its columns). More than one statement is refused: a query given as one
// argument must not hide a second one. Cancelling ctx stops the query and
// the writing.
func (w *Warehouse) Query(ctx context.Context, q string, out RowWriter) (int, error) {
	n, err := w.streamQuery(ctx, q, out)
	if !errors.Is(err, errNotStreamable) {
		return n, err
	}
	return w.queryMaterialized(ctx, q, out)
}

// queryMaterialized runs a statement other than a SELECT (DESCRIBE, SHOW,
// PRAGMA, EXPLAIN, …), whose results are small, through duckdb-go.
func (w *Warehouse) queryMaterialized(ctx context.Context, q string, out RowWriter) (int, error) {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	n := 0
	err = conn.Raw(func(dc any) error {
		// Prepare without a context takes exactly one statement; the
		// driver's other paths run all statements but the last.
		st, err := dc.(driver.Conn).Prepare(q)
		if err != nil {
			if strings.Contains(err.Error(), "multi-statement") {
				return &models.Error{Code: models.ExitUsage, Msg: "the query holds more than one statement; nmirf sql runs one statement per call"}
			}
			if strings.Contains(err.Error(), "empty query") {
				return &models.Error{Code: models.ExitUsage, Msg: "the query is empty"}
			}
			return err
		}
		defer st.Close()
		rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols := rows.Columns()
		if err := out.Header(cols); err != nil {
			return err
		}
		dest := make([]driver.Value, len(cols))
		vals := make([]any, len(cols))
		for {
			if n%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := rows.Next(dest); err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				return err
			}
			for i, v := range dest {
				vals[i] = v
			}
			if err := out.Row(vals); err != nil {
				return err
			}
			n++
		}
		return out.End(n)
	})
	return n, err
}

// NewRowWriter writes a result to w as an aligned text table, CSV or JSON
// (an array of objects, keys in column order).
func NewRowWriter(w io.Writer, format string) (RowWriter, error) {
	switch format {
	case "", "table":
		return &tableWriter{w: w}, nil
	case "csv":
		return &csvWriter{cw: csv.NewWriter(w)}, nil
	case "json":
		return &jsonWriter{w: w}, nil
	}
	return nil, models.UsageError("unknown output format %q (table, csv, json)", format)
}

type csvWriter struct {
	cw  *csv.Writer
	rec []string
}

func (c *csvWriter) Header(cols []string) error {
	c.rec = make([]string, len(cols))
	return c.cw.Write(cols)
}

func (c *csvWriter) Row(vals []any) error {
	for i, v := range vals {
		c.rec[i] = display(v)
	}
	// csv.Writer buffers; its error says the output was closed.
	if err := c.cw.Write(c.rec); err != nil {
		return err
	}
	return c.cw.Error()
}

func (c *csvWriter) End(int) error {
	c.cw.Flush()
	return c.cw.Error()
}

type jsonWriter struct {
	w    io.Writer
	cols [][]byte // keys, JSON-encoded
	buf  bytes.Buffer
	out  bytes.Buffer
	n    int
}

func (j *jsonWriter) Header(cols []string) error {
	for _, c := range cols {
		b, _ := json.Marshal(c)
		j.cols = append(j.cols, b)
	}
	_, err := io.WriteString(j.w, "[")
	return err
}

func (j *jsonWriter) Row(vals []any) error {
	j.buf.Reset()
	j.buf.WriteByte('{')
	for i, v := range vals {
		if i > 0 {
			j.buf.WriteByte(',')
		}
		j.buf.Write(j.cols[i])
		j.buf.WriteByte(':')
		b, err := json.Marshal(jsonValue(v))
		if err != nil {
			b, _ = json.Marshal(display(v))
		}
		j.buf.Write(b)
	}
	j.buf.WriteByte('}')
	j.out.Reset()
	if j.n > 0 {
		j.out.WriteByte(',')
	}
	j.out.WriteString("\n  ")
	if err := json.Indent(&j.out, j.buf.Bytes(), "  ", "  "); err != nil {
		return err
	}
	j.n++
	_, err := j.w.Write(j.out.Bytes())
	return err
}

func (j *jsonWriter) End(n int) error {
	end := "\n]\n"
	if n == 0 {
		end = "]\n"
	}
	_, err := io.WriteString(j.w, end)
	return err
}

const maxCellWidth = 60

// tableRows is how many rows the table format holds to size its columns
// before it writes them; later rows are written as they come.
const tableRows = 1000

type tableWriter struct {
	w       io.Writer
	cols    []string
	widths  []int
	held    [][]string
	ready   bool
	widened bool
	line    strings.Builder
}

func (t *tableWriter) Header(cols []string) error {
	t.cols = cols
	t.widths = make([]int, len(cols))
	for i, c := range cols {
		t.widths[i] = utf8.RuneCountInString(c)
	}
	return nil
}

func (t *tableWriter) Row(vals []any) error {
	cells := make([]string, len(vals))
	for j, v := range vals {
		s := strings.Join(strings.Fields(display(v)), " ")
		if utf8.RuneCountInString(s) > maxCellWidth {
			s = string([]rune(s)[:maxCellWidth-1]) + "…"
		}
		cells[j] = s
	}
	if !t.ready {
		for j, s := range cells {
			t.widths[j] = max(t.widths[j], utf8.RuneCountInString(s))
		}
		t.held = append(t.held, cells)
		if len(t.held) < tableRows {
			return nil
		}
		return t.flushHeld()
	}
	// A value wider than its column widens it from this row on: the rows
	// above are written already, and cutting would misstate the value.
	for j, s := range cells {
		if n := utf8.RuneCountInString(s); n > t.widths[j] {
			t.widths[j] = n
			t.widened = true
		}
	}
	return t.writeLine(cells)
}

func (t *tableWriter) flushHeld() error {
	t.ready = true
	if err := t.writeLine(t.cols); err != nil {
		return err
	}
	sep := make([]string, len(t.widths))
	for i, n := range t.widths {
		sep[i] = strings.Repeat("-", n)
	}
	if err := t.writeLine(sep); err != nil {
		return err
	}
	for _, c := range t.held {
		if err := t.writeLine(c); err != nil {
			return err
		}
	}
	t.held = nil
	return nil
}

func (t *tableWriter) writeLine(vals []string) error {
	t.line.Reset()
	for j, v := range vals {
		if j > 0 {
			t.line.WriteString(" | ")
		}
		t.line.WriteString(v)
		t.line.WriteString(strings.Repeat(" ", max(0, t.widths[j]-utf8.RuneCountInString(v))))
	}
	t.line.WriteByte('\n')
	_, err := io.WriteString(t.w, t.line.String())
	return err
}

func (t *tableWriter) End(n int) error {
	if !t.ready {
		if err := t.flushHeld(); err != nil {
			return err
		}
	}
	s := "s"
	if n == 1 {
		s = ""
	}
	note := ""
	if t.widened {
		note = fmt.Sprintf("; columns widened after row %d, where rows are no longer aligned", tableRows)
	}
	_, err := fmt.Fprintf(t.w, "(%d row%s%s)\n", n, s, note)
	return err
}

func display(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case jsonText:
		return x.display()
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	case []any, map[string]any, duckdb.Map:
		b, _ := json.Marshal(jsonValue(x))
		return string(b)
	}
	return fmt.Sprint(v)
}

func jsonValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case time.Time:
		return display(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case duckdb.Map:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[display(k)] = jsonValue(e)
		}
		return out
	case fmt.Stringer:
		return x.String()
	}
	return v
}
