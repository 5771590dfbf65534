package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	bindings "github.com/duckdb/duckdb-go-bindings"

	"github.com/nmirf/nmirf/models"
)

// errNotStreamable marks a statement the streaming path does not run (not
// a SELECT, or one whose columns DuckDB cannot wrap); the caller runs it
// the ordinary way, before anything was written.
var errNotStreamable = errors.New("not streamable")

// streamQuery runs one SELECT statement on its own DuckDB instance of the
// same file and settings, through DuckDB's streaming result: rows are
// produced as they are written out, so neither DuckDB nor Go holds the
// whole result (duckdb-go materialises every result in DuckDB's memory,
// beyond its memory limit: 4.6 GB for 20 million rows of 200 bytes). Each
// value arrives as JSON (to_json), which keeps lists, objects, numbers
// and NULL apart without a Go conversion per DuckDB type.
func (w *Warehouse) streamQuery(ctx context.Context, q string, out RowWriter) (int, error) {
	var cfg bindings.Config
	if bindings.CreateConfig(&cfg) == bindings.StateError {
		return 0, errors.New("create DuckDB configuration")
	}
	for _, s := range w.settings {
		if bindings.SetConfig(cfg, s[0], s[1]) == bindings.StateError {
			bindings.DestroyConfig(&cfg)
			return 0, fmt.Errorf("DuckDB setting %s=%s refused", s[0], s[1])
		}
	}
	var db bindings.Database
	var msg string
	state := bindings.OpenExt(w.path, &db, cfg, &msg)
	bindings.DestroyConfig(&cfg)
	if state == bindings.StateError {
		bindings.Close(&db)
		return 0, openError(w.Dir, w.path, errors.New(msg))
	}
	defer bindings.Close(&db)
	var conn bindings.Connection
	if bindings.Connect(db, &conn) == bindings.StateError {
		return 0, errors.New("connect to DuckDB")
	}
	defer bindings.Disconnect(&conn)
	// Cancellation interrupts DuckDB wherever it is: planning, executing or
	// between chunks.
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-ctx.Done():
			bindings.Interrupt(conn)
		case <-done:
		}
	}()
	defer func() { close(done); <-stopped }()

	var ext bindings.ExtractedStatements
	count := bindings.ExtractStatements(conn, q, &ext)
	defer bindings.DestroyExtracted(&ext)
	switch {
	case count == 0:
		if m := bindings.ExtractStatementsError(ext); m != "" {
			return 0, errors.New(m)
		}
		return 0, &models.Error{Code: models.ExitUsage, Msg: "the query is empty"}
	case count > 1:
		return 0, &models.Error{Code: models.ExitUsage, Msg: fmt.Sprintf("the query holds %d statements; nmirf sql runs one statement per call", count)}
	}
	var orig bindings.PreparedStatement
	if bindings.PrepareExtractedStatement(conn, ext, 0, &orig) == bindings.StateError {
		m := bindings.PrepareError(orig)
		bindings.DestroyPrepare(&orig)
		return 0, errors.New(m)
	}
	defer bindings.DestroyPrepare(&orig)
	if bindings.NParams(orig) > 0 {
		return 0, &models.Error{Code: models.ExitUsage, Msg: "the query has parameters ($1, ?); nmirf sql takes values written in the query"}
	}
	if bindings.PreparedStatementType(orig) != bindings.StatementTypeSelect {
		return 0, errNotStreamable
	}
	cols := make([]string, bindings.PreparedStatementColumnCount(orig))
	for i := range cols {
		cols[i] = bindings.PreparedStatementColumnName(orig, bindings.IdxT(i))
	}
	var st bindings.PreparedStatement
	wrapped := `SELECT to_json(COLUMNS(*)) FROM query(` + sqlString(q) + `)`
	if bindings.Prepare(conn, wrapped, &st) == bindings.StateError ||
		int(bindings.PreparedStatementColumnCount(st)) != len(cols) {
		bindings.DestroyPrepare(&st)
		return 0, errNotStreamable
	}
	defer bindings.DestroyPrepare(&st)

	var pending bindings.PendingResult
	if bindings.PendingPreparedStreaming(st, &pending) == bindings.StateError {
		m := bindings.PendingError(pending)
		bindings.DestroyPending(&pending)
		return 0, errors.New(m)
	}
	defer bindings.DestroyPending(&pending)
	var res bindings.Result
	if bindings.ExecutePending(pending, &res) == bindings.StateError {
		m := bindings.ResultError(&res)
		bindings.DestroyResult(&res)
		return 0, queryError(ctx, m)
	}
	defer bindings.DestroyResult(&res)

	if err := out.Header(cols); err != nil {
		return 0, err
	}
	n := 0
	vals := make([]any, len(cols))
	data := make([]unsafe.Pointer, len(cols))
	masks := make([]unsafe.Pointer, len(cols))
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		chunk := bindings.FetchChunk(res)
		if chunk.Ptr == nil {
			break
		}
		size := int(bindings.DataChunkGetSize(chunk))
		if size == 0 {
			bindings.DestroyDataChunk(&chunk)
			break
		}
		for c := range cols {
			vec := bindings.DataChunkGetVector(chunk, bindings.IdxT(c))
			data[c], masks[c] = bindings.VectorGetData(vec), bindings.VectorGetValidity(vec)
		}
		for r := 0; r < size; r++ {
			for c := range cols {
				if !rowValid(masks[c], r) {
					vals[c] = nil
					continue
				}
				vals[c] = jsonText(stringAt(data[c], r))
			}
			if err := out.Row(vals); err != nil {
				bindings.DestroyDataChunk(&chunk)
				return n, err
			}
			n++
		}
		bindings.DestroyDataChunk(&chunk)
	}
	if m := bindings.ResultError(&res); m != "" {
		return n, queryError(ctx, m)
	}
	return n, out.End(n)
}

func queryError(ctx context.Context, msg string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.New(msg)
}

// jsonText is a value as DuckDB's to_json wrote it.
type jsonText string

// displayJSON is how a JSON value reads in a table or CSV cell: strings
// without quotes, the rest (numbers, lists, objects) as written.
func (j jsonText) display() string {
	if strings.HasPrefix(string(j), `"`) {
		var s string
		if json.Unmarshal([]byte(j), &s) == nil {
			return s
		}
	}
	if j == "null" {
		return ""
	}
	return string(j)
}

// MarshalJSON writes the value as DuckDB wrote it, or as a string when it
// is not valid JSON (DuckDB writes NaN and Infinity bare).
func (j jsonText) MarshalJSON() ([]byte, error) {
	if json.Valid([]byte(j)) {
		return []byte(j), nil
	}
	return json.Marshal(string(j))
}

// rowValid reads a DuckDB validity mask (one bit per row, nil: all valid)
// without a cgo call per value.
func rowValid(mask unsafe.Pointer, row int) bool {
	if mask == nil {
		return true
	}
	word := *(*uint64)(unsafe.Add(mask, uintptr(row/64)*8))
	return word&(1<<(row%64)) != 0
}

// stringAt copies the row'th string of a VARCHAR vector: DuckDB's
// 16-byte string_t holds the length, then up to 12 bytes inline or a
// 4-byte prefix and a pointer (see duckdb.h), read here without a cgo call.
func stringAt(data unsafe.Pointer, row int) string {
	p := unsafe.Add(data, uintptr(row)*unsafe.Sizeof(bindings.StringT{}))
	n := *(*uint32)(p)
	if n <= 12 {
		return string(unsafe.Slice((*byte)(unsafe.Add(p, 4)), n))
	}
	return string(unsafe.Slice(*(**byte)(unsafe.Add(p, 8)), n))
}
