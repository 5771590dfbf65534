package load

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// ParquetLink is the name of the link, inside a warehouse, that points at the
// current Parquet snapshot. Readers use out/parquet/<table>/*.parquet.
const ParquetLink = "parquet"

const snapshotsDir = "snapshots"

// keepSnapshots is how many snapshots stay on disk: the current one and the
// one before, so a reader that opened the previous snapshot can finish.
const keepSnapshots = 2

type recRow struct {
	RecID              string   `parquet:"rec_id,dict"`
	Kind               string   `parquet:"kind,dict"`
	Text               string   `parquet:"text"`
	CountryISO3        string   `parquet:"country_iso3,dict"`
	CountryName        *string  `parquet:"country_name,optional,dict"`
	Mechanism          string   `parquet:"mechanism,dict"`
	Body               string   `parquet:"body,dict"`
	UPRSession         *int32   `parquet:"upr_session,optional"`
	UPRCycle           *int32   `parquet:"upr_cycle,optional"`
	Symbol             *string  `parquet:"symbol,optional,dict"`
	Paragraph          *string  `parquet:"paragraph,optional"`
	Date               *int32   `parquet:"date,optional,date"` // days since 1970-01-01
	Response           *string  `parquet:"response,optional,dict"`
	ResponseRaw        *string  `parquet:"response_raw,optional,dict"`
	RecommendingStates []string `parquet:"recommending_states,list"`
	ActionCategory     *int32   `parquet:"action_category,optional"`
	Heading            *string  `parquet:"heading,optional,dict"`
	TextSHA256         string   `parquet:"text_sha256"`
	NSources           int32    `parquet:"n_sources"`
	FirstRunID         string   `parquet:"first_run_id,dict"`
	LastRunID          string   `parquet:"last_run_id,dict"`
}

type sourceRow struct {
	RecID      string  `parquet:"rec_id"`
	Format     string  `parquet:"format,dict"`
	File       string  `parquet:"file,dict"`
	FileSHA256 string  `parquet:"file_sha256,dict"`
	Locator    string  `parquet:"locator"`
	SourceID   *string `parquet:"source_id,optional"`
	RawText    *string `parquet:"raw_text,optional"`
	RunID      string  `parquet:"run_id,dict"`
}

type labelRow struct {
	RecID  string `parquet:"rec_id"`
	Scheme string `parquet:"scheme,dict"`
	Label  string `parquet:"label,dict"`
	Source string `parquet:"source,dict"`
}

type inputRow struct {
	FileSHA256 string `parquet:"file_sha256"`
	Name       string `parquet:"name"`
	Format     string `parquet:"format,dict"`
	Records    int32  `parquet:"records"`
	Rejected   int32  `parquet:"rejected"`
	FirstRunID string `parquet:"first_run_id"`
	LastRunID  string `parquet:"last_run_id"`
}

type errorRow struct {
	RunID   string  `parquet:"run_id,dict"`
	File    string  `parquet:"file,dict"`
	Row     *int32  `parquet:"row,optional"`
	Field   *string `parquet:"field,optional,dict"`
	Message string  `parquet:"message"`
}

type runRow struct {
	RunID         string     `parquet:"run_id"`
	Command       string     `parquet:"command,dict"`
	Version       string     `parquet:"nmirf_version,dict"`
	StartedAt     time.Time  `parquet:"started_at,timestamp(microsecond)"`
	FinishedAt    *time.Time `parquet:"finished_at,optional,timestamp(microsecond)"`
	Status        string     `parquet:"status,dict"`
	RecordsRead   *int32     `parquet:"records_read,optional"`
	RecordsNew    *int32     `parquet:"records_new,optional"`
	RecordsMerged *int32     `parquet:"records_merged,optional"`
	Rejected      *int32     `parquet:"rejected,optional"`
	Manifest      *string    `parquet:"manifest,optional,json"`
}

// ExportParquet writes every table to a new snapshot folder and then
// switches the parquet link to it in one rename, so readers see either the
// old snapshot or the new one, never a mix. Older snapshots beyond the last
// keepSnapshots are removed.
func (w *Warehouse) ExportParquet(ctx context.Context, snapshotID string) error {
	base := filepath.Join(w.Dir, snapshotsDir)
	final := filepath.Join(base, snapshotID)
	tmp := final + ".partial"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	for _, t := range exportTables {
		if err := ctx.Err(); err != nil {
			return err
		}
		dir := filepath.Join(tmp, t.name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := w.exportTable(ctx, t.name, t.orderBy, filepath.Join(dir, "part-0.parquet")); err != nil {
			return fmt.Errorf("export %s to Parquet: %w", t.name, err)
		}
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	link := filepath.Join(w.Dir, ParquetLink)
	newLink := link + ".new"
	os.Remove(newLink)
	if err := os.Symlink(filepath.Join(snapshotsDir, snapshotID), newLink); err != nil {
		return err
	}
	if err := os.Rename(newLink, link); err != nil {
		return fmt.Errorf("switch Parquet snapshot: %w", err)
	}
	ok = true
	syncDir(w.Dir)
	return pruneSnapshots(base, snapshotID)
}

func pruneSnapshots(base, current string) error {
	entries, err := os.ReadDir(base)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasSuffix(e.Name(), ".partial") {
			names = append(names, e.Name())
		} else if strings.HasSuffix(e.Name(), ".partial") && e.Name() != current+".partial" {
			os.RemoveAll(filepath.Join(base, e.Name())) // left by an interrupted export
		}
	}
	sort.Strings(names) // run ids sort by time
	for len(names) > keepSnapshots {
		if names[0] != current {
			if err := os.RemoveAll(filepath.Join(base, names[0])); err != nil {
				return err
			}
		}
		names = names[1:]
	}
	return nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func (w *Warehouse) exportTable(ctx context.Context, table, orderBy, path string) error {
	q := `SELECT * FROM ` + table + ` ORDER BY ` + orderBy
	switch table {
	case "recommendations":
		q = `SELECT rec_id, kind, text, country_iso3, country_name, mechanism, body, upr_session, upr_cycle, symbol, paragraph, date,
			response, response_raw, coalesce(array_to_string(recommending_states, ' '), ''), action_category, heading, text_sha256, n_sources,
			first_run_id, last_run_id FROM recommendations ORDER BY ` + orderBy
		return writeQuery(ctx, w.db, q, path, func(rows *sql.Rows) (recRow, error) {
			var r recRow
			var states string
			var sess, cyc, act sql.NullInt32
			var date sql.NullTime
			err := rows.Scan(&r.RecID, &r.Kind, &r.Text, &r.CountryISO3, &r.CountryName, &r.Mechanism, &r.Body, &sess, &cyc, &r.Symbol,
				&r.Paragraph, &date, &r.Response, &r.ResponseRaw, &states, &act, &r.Heading, &r.TextSHA256, &r.NSources, &r.FirstRunID, &r.LastRunID)
			r.UPRSession, r.UPRCycle, r.ActionCategory = i32p(sess), i32p(cyc), i32p(act)
			if date.Valid {
				// parquet-go mis-encodes *time.Time as DATE; days are exact.
				d := int32(date.Time.Unix() / 86400)
				r.Date = &d
			}
			r.RecommendingStates = strings.Fields(states)
			return r, err
		})
	case "recommendation_sources":
		return writeQuery(ctx, w.db, q, path, func(rows *sql.Rows) (sourceRow, error) {
			var r sourceRow
			return r, rows.Scan(&r.RecID, &r.Format, &r.File, &r.FileSHA256, &r.Locator, &r.SourceID, &r.RawText, &r.RunID)
		})
	case "source_labels":
		return writeQuery(ctx, w.db, q, path, func(rows *sql.Rows) (labelRow, error) {
			var r labelRow
			return r, rows.Scan(&r.RecID, &r.Scheme, &r.Label, &r.Source)
		})
	case "input_files":
		return writeQuery(ctx, w.db, q, path, func(rows *sql.Rows) (inputRow, error) {
			var r inputRow
			return r, rows.Scan(&r.FileSHA256, &r.Name, &r.Format, &r.Records, &r.Rejected, &r.FirstRunID, &r.LastRunID)
		})
	case "ingest_errors":
		return writeQuery(ctx, w.db, q, path, func(rows *sql.Rows) (errorRow, error) {
			var r errorRow
			var row sql.NullInt32
			err := rows.Scan(&r.RunID, &r.File, &row, &r.Field, &r.Message)
			r.Row = i32p(row)
			return r, err
		})
	case "runs":
		q = `SELECT run_id, command, nmirf_version, started_at, finished_at, status, records_read, records_new, records_merged, rejected,
			CAST(manifest AS VARCHAR) FROM runs ORDER BY ` + orderBy
		return writeQuery(ctx, w.db, q, path, func(rows *sql.Rows) (runRow, error) {
			var r runRow
			var fin sql.NullTime
			var a, b, c, d sql.NullInt32
			err := rows.Scan(&r.RunID, &r.Command, &r.Version, &r.StartedAt, &fin, &r.Status, &a, &b, &c, &d, &r.Manifest)
			if fin.Valid {
				r.FinishedAt = &fin.Time
			}
			r.RecordsRead, r.RecordsNew, r.RecordsMerged, r.Rejected = i32p(a), i32p(b), i32p(c), i32p(d)
			return r, err
		})
	}
	return fmt.Errorf("no Parquet layout for table %s", table)
}

func i32p(n sql.NullInt32) *int32 {
	if !n.Valid {
		return nil
	}
	v := n.Int32
	return &v
}

// writeQuery streams a query's rows into a Parquet file in row groups, so
// memory stays bounded by one row group whatever the table size.
func writeQuery[T any](ctx context.Context, db *sql.DB, q, path string, scan func(*sql.Rows) (T, error)) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	pw := parquet.NewGenericWriter[T](f, parquet.Compression(&parquet.Snappy), parquet.CreatedBy("nmirf", "", ""))
	const batch = 8192
	buf := make([]T, 0, batch)
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if _, err := pw.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
		return ctx.Err()
	}
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return err
		}
		buf = append(buf, r)
		if len(buf) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if err := pw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}
