package load

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"

	"github.com/nmirf/nmirf/internal/shared"
)

// BenchmarkSnapshot compares the two ways of writing the recommendation
// table to Parquet, in the same run: DuckDB's COPY (what ExportParquet does)
// and the baseline of scanning the rows into Go and writing them with
// parquet-go.
func BenchmarkSnapshot(b *testing.B) {
	ctx := context.Background()
	w := benchWarehouse(b)
	defer w.Close()
	dir := b.TempDir()
	var copyDur, goDur time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := w.exportTable(ctx, "recommendations", "rec_id", "", filepath.Join(dir, "copy")); err != nil {
			b.Fatal(err)
		}
		copyDur += time.Since(t0)
		t1 := time.Now()
		if err := exportWithParquetGo(ctx, w.db, filepath.Join(dir, "go.parquet")); err != nil {
			b.Fatal(err)
		}
		goDur += time.Since(t1)
	}
	b.ReportMetric(copyDur.Seconds()/float64(b.N), "duckdb-copy-s")
	b.ReportMetric(goDur.Seconds()/float64(b.N), "parquet-go-s")
	b.ReportMetric(float64(goDur)/float64(copyDur), "parquet-go/copy")
}

func benchWarehouse(b *testing.B) *Warehouse {
	b.Helper()
	// 270 real UPR Info rows (UTF-8 copy kept for the importer's tests),
	// repeated 100 times with distinct ids: 27,000 rows of real text.
	csv := filepath.Join(shared.Root(), "extract", "uprinfo", "testdata", "upr-info-sample-utf8-lf.csv")
	ctx := context.Background()
	w, err := Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.db.Exec(`INSERT INTO recommendations SELECT md5(Text || "From" || Session || i) AS rec_id, 'recommendation', Text, 'XXX', "To", 'UPR', 'UPR',
		TRY_CAST(Session AS INTEGER), 2, NULL, NULL, NULL, lower(Response), Response, ["From"], TRY_CAST(Action AS INTEGER), NULL, md5(Text), 1, 'r', 'r', 'en'
		FROM read_csv(?, header = true, all_varchar = true), range(100) t(i)`, csv); err != nil {
		b.Fatal(err)
	}
	return w
}

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

// exportWithParquetGo is the baseline: rows scanned into Go structs and
// written with parquet-go.
func exportWithParquetGo(ctx context.Context, db *sql.DB, path string) error {
	q := `SELECT rec_id, kind, text, country_iso3, country_name, mechanism, body, upr_session, upr_cycle, symbol, paragraph, date,
		response, response_raw, coalesce(array_to_string(recommending_states, ' '), ''), action_category, heading, text_sha256, n_sources,
		first_run_id, last_run_id FROM recommendations ORDER BY rec_id`
	return writeQuery(ctx, db, q, path, func(rows *sql.Rows) (recRow, error) {
		var r recRow
		var states string
		var sess, cyc, act sql.NullInt32
		var date sql.NullTime
		err := rows.Scan(&r.RecID, &r.Kind, &r.Text, &r.CountryISO3, &r.CountryName, &r.Mechanism, &r.Body, &sess, &cyc, &r.Symbol,
			&r.Paragraph, &date, &r.Response, &r.ResponseRaw, &states, &act, &r.Heading, &r.TextSHA256, &r.NSources, &r.FirstRunID, &r.LastRunID)
		r.UPRSession, r.UPRCycle, r.ActionCategory = i32p(sess), i32p(cyc), i32p(act)
		if date.Valid {
			d := int32(date.Time.Unix() / 86400)
			r.Date = &d
		}
		r.RecommendingStates = strings.Fields(states)
		return r, err
	})
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
	pw := parquet.NewGenericWriter[T](f, parquet.Compression(&parquet.Zstd), parquet.CreatedBy("nmirf", "", ""))
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

// BenchmarkSnapshotRepublish times, in the same run, a whole snapshot
// (ExportParquet with no previous one) of 27,000 recommendations spread
// over 50 countries, the next snapshot with nothing changed, the next
// with one country's recommendations changed, and the next after 1% new
// recommendations spread over every country (a nightly run's new
// records): the second and third link the files of what did not change,
// the last links every file and writes the new rows beside them. It
// reports each against the whole snapshot.
func BenchmarkSnapshotRepublish(b *testing.B) {
	ctx := context.Background()
	w := benchWarehouse(b)
	defer w.Close()
	if _, err := w.db.Exec(`UPDATE recommendations SET country_iso3 = 'C' || lpad((hash(rec_id) % 50)::VARCHAR, 2, '0')`); err != nil {
		b.Fatal(err)
	}
	var full, same, one, added time.Duration
	n := 0
	id := func() string { n++; return fmt.Sprintf("20260101T%06dZ-bench", n) }
	for i := 0; i < b.N; i++ {
		// A new link target each time: the first export has no previous
		// snapshot to reuse.
		if err := os.Remove(filepath.Join(w.Dir, ParquetLink)); err != nil && !os.IsNotExist(err) {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := w.ExportParquet(ctx, id()); err != nil {
			b.Fatal(err)
		}
		full += time.Since(t0)
		t1 := time.Now()
		if err := w.ExportParquet(ctx, id()); err != nil {
			b.Fatal(err)
		}
		same += time.Since(t1)
		if _, err := w.db.Exec(`UPDATE recommendations SET response = CASE WHEN response = 'noted' THEN 'supported' ELSE 'noted' END WHERE country_iso3 = 'C07'`); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := w.ExportParquet(ctx, id()); err != nil {
			b.Fatal(err)
		}
		one += time.Since(t2)
		if _, err := w.db.Exec(`INSERT INTO recommendations SELECT * REPLACE (md5(rec_id || ?) AS rec_id) FROM recommendations USING SAMPLE 1 PERCENT (bernoulli, 7)`, i); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		if err := w.ExportParquet(ctx, id()); err != nil {
			b.Fatal(err)
		}
		added += time.Since(t3)
	}
	b.ReportMetric(full.Seconds()/float64(b.N), "whole-s")
	b.ReportMetric(same.Seconds()/float64(b.N), "unchanged-s")
	b.ReportMetric(one.Seconds()/float64(b.N), "one-country-s")
	b.ReportMetric(float64(same)/float64(full), "unchanged/whole")
	b.ReportMetric(float64(one)/float64(full), "one-country/whole")
	b.ReportMetric(added.Seconds()/float64(b.N), "added-1pct-s")
	b.ReportMetric(float64(added)/float64(full), "added-1pct/whole")
}
