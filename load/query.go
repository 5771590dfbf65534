package load

import (
	"context"

	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Result is a query result held as display strings and JSON values.
type Result struct {
	Columns []string
	Rows    [][]any
}

// Query runs one SQL statement against the warehouse.
func (w *Warehouse) Query(ctx context.Context, q string) (*Result, error) {
	rows, err := w.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: cols}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, vals)
		if len(res.Rows)%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return res, rows.Err()
}

// Write prints the result as an aligned text table, CSV or JSON (an array
// of objects).
func (r *Result) Write(w io.Writer, format string) error {
	switch format {
	case "", "table":
		return r.writeTable(w)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(r.Columns)
		for _, row := range r.Rows {
			rec := make([]string, len(row))
			for i, v := range row {
				rec[i] = display(v)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	case "json":
		out := make([]map[string]any, len(r.Rows))
		for i, row := range r.Rows {
			m := make(map[string]any, len(row))
			for j, v := range row {
				m[r.Columns[j]] = jsonValue(v)
			}
			out[i] = m
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return fmt.Errorf("unknown output format %q (table, csv, json)", format)
}

const maxCellWidth = 60

func (r *Result) writeTable(w io.Writer) error {
	widths := make([]int, len(r.Columns))
	cells := make([][]string, len(r.Rows))
	for i, c := range r.Columns {
		widths[i] = utf8.RuneCountInString(c)
	}
	for i, row := range r.Rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			s := strings.Join(strings.Fields(display(v)), " ")
			if utf8.RuneCountInString(s) > maxCellWidth {
				s = string([]rune(s)[:maxCellWidth-1]) + "…"
			}
			cells[i][j] = s
			if n := utf8.RuneCountInString(s); n > widths[j] {
				widths[j] = n
			}
		}
	}
	line := func(vals []string) {
		for j, v := range vals {
			if j > 0 {
				io.WriteString(w, " | ")
			}
			io.WriteString(w, v+strings.Repeat(" ", widths[j]-utf8.RuneCountInString(v)))
		}
		io.WriteString(w, "\n")
	}
	line(r.Columns)
	sep := make([]string, len(widths))
	for i, n := range widths {
		sep[i] = strings.Repeat("-", n)
	}
	line(sep)
	for _, c := range cells {
		line(c)
	}
	_, err := fmt.Fprintf(w, "(%d row%s)\n", len(r.Rows), map[bool]string{true: "", false: "s"}[len(r.Rows) == 1])
	return err
}

func display(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	case []any, map[string]any:
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
	case fmt.Stringer:
		return x.String()
	}
	return v
}
