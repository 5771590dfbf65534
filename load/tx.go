package load

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/nmirf/nmirf/models"
)

// Tx is a transaction of a stage's own tables: a stage in a package of its
// own writes the tables its migration created through it, without
// importing the database driver, and its run row is committed with them.
type Tx struct {
	ctx  context.Context
	conn *sql.Conn
}

// Exec runs a statement inside the transaction (a DELETE of the rows a
// file replaces, an UPDATE).
func (t *Tx) Exec(query string, args ...any) error {
	_, err := t.conn.ExecContext(t.ctx, query, args...)
	return err
}

// Append adds rows to a table in bulk, their values in the table's column
// order ([]string and []any for list columns, time.Time for dates).
func (t *Tx) Append(table string, rows [][]any) error {
	vals := make([][]driver.Value, len(rows))
	for i, r := range rows {
		vals[i] = make([]driver.Value, len(r))
		for j, v := range r {
			vals[i][j] = v
		}
	}
	return appendRows(t.ctx, t.conn, table, vals)
}

// Query reads inside the transaction.
func (t *Tx) Query(query string, args ...any) (*sql.Rows, error) {
	return t.conn.QueryContext(t.ctx, query, args...)
}

// Write runs f in one transaction and commits it with run's row (its status
// as the caller decided it); on any error, or cancellation, nothing is
// changed.
func (w *Warehouse) Write(ctx context.Context, run *models.Run, f func(*Tx) error) error {
	return w.inTx(ctx, run, func(conn *sql.Conn) error { return f(&Tx{ctx: ctx, conn: conn}) })
}
