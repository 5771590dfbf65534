package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/nmirf/nmirf/models"
)

// DBFile is the name of the DuckDB database inside a warehouse folder: the
// read-only copy published for readers (nmirf sql, reports, DuckDB clients).
const DBFile = "nmirf.duckdb"

// WorkDir is the folder, inside a warehouse, of the working database that
// only nmirf opens, and writes under the warehouse lock. Readers never open
// it, so a reader never blocks a run and a run never blocks a reader.
const WorkDir = ".work"

// Warehouse is an open warehouse folder: the DuckDB database and the Parquet
// snapshot beside it.
type Warehouse struct {
	Dir       string
	path      string // the database file open
	db        *sql.DB
	connector *duckdb.Connector
	readOnly  bool
	settings  [][2]string // DuckDB settings it was opened with
	opts      options
}

// WorkPath is the working database of the warehouse in dir.
func WorkPath(dir string) string { return filepath.Join(dir, WorkDir, DBFile) }

// PublishedPath is the read-only copy of the database readers open.
func PublishedPath(dir string) string { return filepath.Join(dir, DBFile) }

// Option is a setting of an opened warehouse, resolved by the caller (the
// command line resolves them once, with the other settings).
type Option func(*options)

type options struct {
	memory string
}

// MemoryLimit bounds the memory DuckDB takes ("4GB", "512MB"); "" keeps
// the default, 1GB. DuckDB would take 80% of the machine's memory; a batch
// job shares the machine, so it gets a bound (spilling to disk beyond it).
// The caller checks the value.
func MemoryLimit(v string) Option { return func(o *options) { o.memory = v } }

func resolve(opts []Option) options {
	o := options{memory: "1GB"}
	for _, f := range opts {
		f(&o)
	}
	if o.memory == "" {
		o.memory = "1GB"
	}
	return o
}

// Open opens (creating if needed) the working database of the warehouse in
// dir and brings its schema up to date. The caller holds the warehouse lock.
func Open(ctx context.Context, dir string, opts ...Option) (*Warehouse, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create warehouse folder: %w", err)
	}
	o := resolve(opts)
	if err := adoptOlderLayout(ctx, dir, o); err != nil {
		return nil, err
	}
	w, err := openWith(ctx, dir, WorkPath(dir), readWrite, o)
	if err != nil {
		return nil, err
	}
	if err := w.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := CreateViews(ctx, w.db); err != nil {
		w.Close()
		return nil, fmt.Errorf("create views: %w", err)
	}
	return w, nil
}

// OpenReadOnly opens the published copy of the database for queries only,
// without access to files, other databases or settings (see OpenPublished).
func OpenReadOnly(ctx context.Context, dir string, opts ...Option) (*Warehouse, error) {
	return OpenPublished(ctx, dir, false, opts...)
}

// OpenPublished opens the published, read-only copy of the database. It
// needs no lock: a publication replaces the file by a rename, and an open
// copy keeps reading the file it opened. Unless allowFiles, DuckDB may not
// read or write any file, attach another database, load extensions or
// change these settings: a query reads the warehouse and nothing else.
func OpenPublished(ctx context.Context, dir string, allowFiles bool, opts ...Option) (*Warehouse, error) {
	path := PublishedPath(dir)
	if _, err := os.Stat(path); err != nil {
		if _, werr := os.Stat(WorkPath(dir)); werr == nil {
			return nil, &models.Error{Code: models.ExitLocked, Msg: fmt.Sprintf("warehouse %s has no published database yet: its first run is still going or did not finish (wait for it with --wait, or run nmirf run)", dir)}
		}
		return nil, &models.Error{Code: models.ExitUsage, Msg: fmt.Sprintf("no warehouse in %s (run nmirf ingest first)", dir)}
	}
	mode := readOnlySandboxed
	if allowFiles {
		mode = readOnly
	}
	w, err := openWith(ctx, dir, path, mode, resolve(opts))
	if err != nil {
		return nil, err
	}
	w.readOnly = true
	return w, nil
}

type openMode int

const (
	readWrite openMode = iota
	readOnly
	readOnlySandboxed
)

// open opens a database with the default options.
func open(ctx context.Context, dir, path string, mode openMode) (*Warehouse, error) {
	return openWith(ctx, dir, path, mode, resolve(nil))
}

func openWith(ctx context.Context, dir, path string, mode openMode, o options) (*Warehouse, error) {
	settings := [][2]string{{"memory_limit", o.memory}}
	switch mode {
	case readOnly:
		settings = append(settings, [2]string{"access_mode", "read_only"})
	case readOnlySandboxed:
		// Set at start-up and locked: no statement can turn them back on.
		settings = append(settings, [][2]string{{"access_mode", "read_only"}, {"enable_external_access", "false"},
			{"autoinstall_known_extensions", "false"}, {"autoload_known_extensions", "false"},
			{"allow_community_extensions", "false"}, {"lock_configuration", "true"}}...)
	}
	q := url.Values{}
	for _, s := range settings {
		q.Set(s[0], s[1])
	}
	dsn := path + "?" + q.Encode()
	c, err := duckdb.NewConnector(dsn, nil)
	if err != nil {
		return nil, openError(dir, path, err)
	}
	db := sql.OpenDB(c)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		c.Close()
		return nil, openError(dir, path, err)
	}
	return &Warehouse{Dir: dir, path: path, db: db, connector: c, settings: settings, opts: o}, nil
}

// openError explains a database that cannot be opened. DuckDB lets one
// process hold a database file for writing at a time; another process gets
// a lock error, which is a "locked" exit, not a failure.
func openError(dir, path string, err error) error {
	if strings.Contains(err.Error(), "Could not set lock") {
		if path == PublishedPath(dir) {
			return &models.Error{Code: models.ExitLocked, Msg: fmt.Sprintf("%s is held open for writing by another process (a DuckDB client opened without read-only?); open it read-only", path)}
		}
		return &models.Error{Code: models.ExitLocked, Msg: fmt.Sprintf("warehouse %s is in use by another process holding its working database %s open; readers should open the published copy %s", dir, path, PublishedPath(dir))}
	}
	return fmt.Errorf("open %s: %w", path, err)
}

// DB exposes the database for queries by other parts of load.
func (w *Warehouse) DB() *sql.DB { return w.db }

// Close checkpoints and closes the database.
func (w *Warehouse) Close() error {
	var errs []error
	if !w.readOnly {
		if _, err := w.db.Exec("CHECKPOINT"); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, w.db.Close(), w.connector.Close())
	return errors.Join(errs...)
}

func (w *Warehouse) migrate(ctx context.Context) error {
	if _, err := w.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var have int
	if err := w.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if have > len(migrations) {
		return &models.Error{Code: models.ExitFailure, Msg: fmt.Sprintf("warehouse schema version %d is newer than this nmirf supports (%d): upgrade nmirf", have, len(migrations))}
	}
	for v := have + 1; v <= len(migrations); v++ {
		tx, err := w.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to schema version %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, now())`, v); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to schema version %d: %w", v, err)
		}
	}
	return nil
}

// Batch is what one ingest run writes.
type Batch struct {
	Run     *models.Run
	Records []models.Recommendation // distinct by RecID
	// Followup are the follow-up inputs of the batch (returned workbooks,
	// tracking sheets), written after the records in the same transaction.
	Followup             []*models.Followup
	AcceptOtherWarehouse bool // take workbooks exported from another warehouse (the shipped sample)
	// Settle decides the run's status once the follow-up rows rejected
	// while writing are counted, before the run row is written with the
	// rest; the caller (pipeline) owns the rule.
	Settle func(*models.Run)
}

// KnownFiles returns the inputs already imported, by hash and format
// (KnownFileKey), so that unchanged files can be skipped: one query for a
// whole batch rather than one per file.
func (w *Warehouse) KnownFiles(ctx context.Context) (map[string]bool, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT DISTINCT file_sha256, format FROM input_files`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var sha, format string
		if err := rows.Scan(&sha, &format); err != nil {
			return nil, err
		}
		out[KnownFileKey(sha, format)] = true
	}
	return out, rows.Err()
}

// KnownFileKey is the key of an input in KnownFiles.
func KnownFileKey(sha, format string) string { return sha + "\x00" + format }

// Ingest merges a batch into the warehouse in one transaction: new
// recommendations are added, existing ones gain the batch's sources and
// labels, unchanged ones are left alone. On any error nothing is changed.
// It fills run.Counts.
func (w *Warehouse) Ingest(ctx context.Context, b Batch) error {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.batch_ids`)
	ids := make([]string, len(b.Records))
	for i := range b.Records {
		ids[i] = b.Records[i].RecID
	}
	if err := stringTable(ctx, conn, "batch_ids", "rec_id", ids); err != nil {
		return fmt.Errorf("stage batch: %w", err)
	}
	existing, err := loadRecommendations(ctx, conn, "SELECT rec_id FROM temp.batch_ids")
	if err != nil {
		return fmt.Errorf("read existing recommendations: %w", err)
	}

	run := b.Run
	// New recommendations are written from the batch as they are; only
	// the merged ones are copied, and only they have rows to replace.
	var changed []*models.Recommendation
	var firstRun []string
	if len(existing) == 0 {
		changed = make([]*models.Recommendation, 0, len(b.Records))
		firstRun = make([]string, 0, len(b.Records))
	}
	var merged []string
	for i := range b.Records {
		r := &b.Records[i]
		old, ok := existing[r.RecID]
		if !ok {
			run.Counts.New++
			changed = append(changed, r)
			firstRun = append(firstRun, run.RunID)
			continue
		}
		before := old.rec.Fingerprint()
		old.rec.Merge(*r)
		if old.rec.Fingerprint() == before {
			run.Counts.Unchanged++
			continue
		}
		run.Counts.Merged++
		changed = append(changed, &old.rec)
		firstRun = append(firstRun, old.firstRun)
		merged = append(merged, r.RecID)
	}

	return w.inTx(ctx, run, func(conn *sql.Conn) error {
		if err := writeRecommendations(ctx, conn, changed, firstRun, merged, run.RunID); err != nil {
			return err
		}
		if err := writeFollowup(ctx, conn, run, b.Followup, b.AcceptOtherWarehouse); err != nil {
			return fmt.Errorf("write follow-up: %w", err)
		}
		if b.Settle != nil {
			b.Settle(run)
		}
		if err := writeInputs(ctx, conn, run); err != nil {
			return err
		}
		return conn.QueryRowContext(ctx, `SELECT count(*) FROM recommendations`).Scan(&run.Counts.Total)
	})
}

// inTx runs f in one transaction on one connection and commits it with the
// run's row, as the caller decided its status; on any error, or
// cancellation, nothing is changed.
func (w *Warehouse) inTx(ctx context.Context, run *models.Run, f func(*sql.Conn) error) error {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	committed := false
	// Armed before BEGIN: the driver can start the transaction and still
	// report the context's cancellation.
	defer func() {
		if !committed {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	if err := f(conn); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if run != nil {
		run.FinishedAt = time.Now()
		if err := writeRun(ctx, conn, run); err != nil {
			return err
		}
	}
	// COMMIT runs without the context: once issued it must not be reported
	// as cancelled when it went through.
	if _, err := conn.ExecContext(context.Background(), "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	committed = true
	return nil
}

// RecordRun writes the row of a run that changed the warehouse through
// other runs (the batch run, whose stages record their own rows). The old
// row is replaced in one transaction: a failure keeps it.
func (w *Warehouse) RecordRun(ctx context.Context, run *models.Run) error {
	return w.inTx(ctx, nil, func(conn *sql.Conn) error { return writeRun(ctx, conn, run) })
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// writeRun writes or replaces the runs row of run, inside the caller's
// transaction so that a run row exists exactly when its changes do.
func writeRun(ctx context.Context, ex execer, run *models.Run) error {
	manifest, err := json.Marshal(run)
	if err != nil {
		return err
	}
	if _, err := ex.ExecContext(ctx, `DELETE FROM runs WHERE run_id = ?`, run.RunID); err != nil {
		return err
	}
	var finished any
	if !run.FinishedAt.IsZero() {
		finished = run.FinishedAt.UTC()
	}
	if _, err := ex.ExecContext(ctx, `INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		run.RunID, run.Command, run.Version, run.StartedAt.UTC(), finished, run.Status,
		run.Counts.Read, run.Counts.New, run.Counts.Merged, run.Counts.Rejected, string(manifest)); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	return nil
}

type storedRec struct {
	rec      models.Recommendation
	firstRun string
}

// loadRecommendations reads the recommendations whose ids the subquery
// selects, with their sources and labels.
func loadRecommendations(ctx context.Context, conn *sql.Conn, idQuery string) (map[string]*storedRec, error) {
	out := map[string]*storedRec{}
	rows, err := conn.QueryContext(ctx, `SELECT rec_id, kind, text, country_iso3, coalesce(country_name,''), mechanism, body,
		coalesce(upr_session,0), coalesce(upr_cycle,0), coalesce(symbol,''), coalesce(paragraph,''), coalesce(CAST(date AS VARCHAR),''),
		coalesce(response,''), coalesce(response_raw,''), coalesce(array_to_string(recommending_states, ' '),''),
		coalesce(action_category,0), coalesce(heading,''), coalesce(language,''), first_run_id
		FROM recommendations WHERE rec_id IN (`+idQuery+`)`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s storedRec
		r := &s.rec
		var mech, states string
		if err := rows.Scan(&r.RecID, &r.Kind, &r.Text, &r.CountryISO3, &r.CountryName, &mech, &r.Body, &r.Session, &r.Cycle,
			&r.Symbol, &r.Paragraph, &r.Date, &r.Response, &r.ResponseRaw, &states, &r.ActionCategory, &r.Heading, &r.Language, &s.firstRun); err != nil {
			rows.Close()
			return nil, err
		}
		r.Mechanism = models.Mechanism(mech)
		r.RecommendingStates = strings.Fields(states)
		out[r.RecID] = &s
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = conn.QueryContext(ctx, `SELECT rec_id, format, file, file_sha256, locator, coalesce(source_id,''), coalesce(raw_text,'')
		FROM recommendation_sources WHERE rec_id IN (`+idQuery+`) ORDER BY rec_id, run_id, format, file, locator`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var s models.Source
		if err := rows.Scan(&id, &s.Format, &s.File, &s.FileSHA256, &s.Locator, &s.SourceID, &s.RawText); err != nil {
			rows.Close()
			return nil, err
		}
		if r := out[id]; r != nil {
			r.rec.Sources = append(r.rec.Sources, s)
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = conn.QueryContext(ctx, `SELECT rec_id, scheme, label, source FROM source_labels WHERE rec_id IN (`+idQuery+`) ORDER BY rec_id, scheme, label, source`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var l models.Label
		if err := rows.Scan(&id, &l.Scheme, &l.Value, &l.Source); err != nil {
			return nil, err
		}
		if r := out[id]; r != nil {
			r.rec.Labels = append(r.rec.Labels, l)
		}
	}
	return out, rows.Err()
}

// writeRecommendations writes the changed recommendations (firstRun[i]
// is recs[i]'s first run) with their sources and labels, replacing the rows
// of those already in the warehouse (merged, their ids).
func writeRecommendations(ctx context.Context, conn *sql.Conn, recs []*models.Recommendation, firstRun, merged []string, runID string) error {
	if len(recs) == 0 {
		return nil
	}
	if len(merged) > 0 {
		if err := stringTable(ctx, conn, "changed_ids", "rec_id", merged); err != nil {
			return err
		}
		for _, t := range []string{"recommendations", "recommendation_sources", "source_labels"} {
			if _, err := conn.ExecContext(ctx, `DELETE FROM `+t+` WHERE rec_id IN (SELECT rec_id FROM temp.changed_ids)`); err != nil {
				return fmt.Errorf("replace %s: %w", t, err)
			}
		}
	}
	// Rows are appended as they are built, a batch ahead (appendAhead):
	// boxed values of a whole UHRI-scale batch would take more memory than
	// the records.
	err := appendAhead(ctx, conn, "recommendations", len(recs), func(i int, row []driver.Value) []driver.Value {
		r := recs[i]
		states := make([]any, len(r.RecommendingStates))
		for j, s := range r.RecommendingStates {
			states[j] = s
		}
		return append(row, r.RecID, r.Kind, r.Text, r.CountryISO3, nullStr(r.CountryName), string(r.Mechanism), r.Body,
			nullInt(r.Session), nullInt(r.Cycle), nullStr(r.Symbol), nullStr(r.Paragraph), nullDate(r.Date),
			nullStr(r.Response), nullStr(r.ResponseRaw), states, nullInt(r.ActionCategory), nullStr(r.Heading),
			r.TextHash(), int32(len(r.Sources)), firstRun[i], runID, nullStr(r.Language))
	})
	if err != nil {
		return fmt.Errorf("write recommendations: %w", err)
	}
	// Sources and labels: row k of all recommendations' lists together.
	each := func(table string, count func(r *models.Recommendation) int, fill func(r *models.Recommendation, j int, row []driver.Value) []driver.Value) error {
		n := 0
		for _, r := range recs {
			n += count(r)
		}
		ri, j := 0, 0
		err := appendAhead(ctx, conn, table, n, func(_ int, row []driver.Value) []driver.Value {
			for j >= count(recs[ri]) {
				ri, j = ri+1, 0
			}
			row = fill(recs[ri], j, row)
			j++
			return row
		})
		if err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
		return nil
	}
	if err := each("recommendation_sources", func(r *models.Recommendation) int { return len(r.Sources) },
		func(r *models.Recommendation, j int, row []driver.Value) []driver.Value {
			s := &r.Sources[j]
			return append(row, r.RecID, s.Format, s.File, s.FileSHA256, s.Locator, nullStr(s.SourceID), nullStr(s.RawText), runID)
		}); err != nil {
		return err
	}
	return each("source_labels", func(r *models.Recommendation) int { return len(r.Labels) },
		func(r *models.Recommendation, j int, row []driver.Value) []driver.Value {
			l := &r.Labels[j]
			return append(row, r.RecID, l.Scheme, l.Value, l.Source)
		})
}

// appendAhead bulk-loads n rows into a table through DuckDB's appender,
// row i as row(i, buf) appends it to buf, as appendEach does, but builds
// the rows on another goroutine a batch ahead of the appender: boxing a
// row's values and hashing its text cost half as much as appending it,
// and the two then take both cores. Rows are appended in order.
func appendAhead(ctx context.Context, conn *sql.Conn, table string, n int, row func(i int, buf []driver.Value) []driver.Value) error {
	if n == 0 {
		return nil
	}
	const size = 1024 // rows in a batch
	type batch struct {
		vals []driver.Value
		ends []int // where each row ends in vals
	}
	full, free, stop := make(chan *batch, 2), make(chan *batch, 3), make(chan struct{})
	for range cap(free) {
		free <- &batch{}
	}
	go func() {
		defer close(full)
		for lo := 0; lo < n; lo += size {
			var b *batch
			select {
			case b = <-free:
			case <-stop:
				return
			}
			b.vals, b.ends = b.vals[:0], b.ends[:0]
			for i := lo; i < min(lo+size, n); i++ {
				b.vals = row(i, b.vals)
				b.ends = append(b.ends, len(b.vals))
			}
			select {
			case full <- b:
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		close(stop)
		for range full {
		}
	}()
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return err
		}
		i := 0
		for b := range full {
			if err := ctx.Err(); err != nil {
				a.Close()
				return err
			}
			start := 0
			for _, end := range b.ends {
				i++
				if err := a.AppendRow(b.vals[start:end]...); err != nil {
					a.Close()
					return fmt.Errorf("row %d: %w", i, err)
				}
				start = end
			}
			free <- b
		}
		return a.Close()
	})
}

func writeInputs(ctx context.Context, conn *sql.Conn, run *models.Run) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE run_inputs (file_sha256 VARCHAR, name VARCHAR, format VARCHAR, records INTEGER, rejected INTEGER, skipped BOOLEAN)`); err != nil {
		return err
	}
	var rows [][]driver.Value
	for _, in := range run.Inputs {
		rows = append(rows, []driver.Value{in.SHA256, in.Name, in.Format, int32(in.Records), int32(in.Rejected), in.Skipped})
	}
	if err := appendRows(ctx, conn, "run_inputs", rows); err != nil {
		return err
	}
	// Skipped (unchanged) files keep their row and are marked seen; read
	// ones replace theirs, keeping the run that first imported them.
	for _, q := range []string{
		`UPDATE input_files SET last_run_id = $1 FROM temp.run_inputs i
			WHERE i.skipped AND input_files.file_sha256 = i.file_sha256 AND input_files.format = i.format`,
		`CREATE OR REPLACE TEMP TABLE replaced_inputs AS SELECT f.* FROM input_files f JOIN temp.run_inputs i USING (file_sha256, format) WHERE NOT i.skipped`,
		`DELETE FROM input_files WHERE (file_sha256, format) IN (SELECT (file_sha256, format) FROM temp.run_inputs WHERE NOT skipped)`,
		`INSERT INTO input_files SELECT DISTINCT ON (i.file_sha256, i.format) i.file_sha256, i.name, i.format, i.records, i.rejected,
			coalesce(r.first_run_id, $1), $1
			FROM temp.run_inputs i LEFT JOIN temp.replaced_inputs r USING (file_sha256, format) WHERE NOT i.skipped`,
	} {
		if _, err := conn.ExecContext(ctx, q, run.RunID); err != nil {
			return fmt.Errorf("record inputs: %w", err)
		}
	}
	rows = rows[:0]
	for _, e := range run.Rejected {
		rows = append(rows, []driver.Value{run.RunID, e.File, nullInt(e.Row), nullStr(e.Field), e.Msg})
	}
	return appendRows(ctx, conn, "ingest_errors", rows)
}

// appendRows bulk-loads rows into a table through DuckDB's appender, inside
// whatever transaction conn has open.
// stringTable fills the temporary table name, of one VARCHAR column,
// with vals (replacing it if it exists), for queries to filter on.
func stringTable(ctx context.Context, conn *sql.Conn, name, column string, vals []string) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE `+name+` (`+column+` VARCHAR)`); err != nil {
		return err
	}
	rows := make([][]driver.Value, len(vals))
	for i, v := range vals {
		rows[i] = []driver.Value{v}
	}
	return appendRows(ctx, conn, name, rows)
}

func appendRows(ctx context.Context, conn *sql.Conn, table string, rows [][]driver.Value) error {
	if len(rows) == 0 {
		return nil
	}
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return err
		}
		for i, r := range rows {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					a.Close()
					return err
				}
			}
			if err := a.AppendRow(r...); err != nil {
				a.Close()
				return fmt.Errorf("row %d: %w", i+1, err)
			}
		}
		return a.Close()
	})
}

func nullStr(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int) driver.Value {
	if n == 0 {
		return nil
	}
	return int32(n)
}

func nullDate(s string) driver.Value {
	if s == "" {
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil
	}
	return t
}
