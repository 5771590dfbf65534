package pipeline

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/load"
)

// BenchmarkFollowupReports times the follow-up report over every
// recommendation of the UPR Info export (about 30,000), each with two
// status updates a year apart, in Markdown, XLSX and DOCX, and the
// parliament report of its largest country. Run with -benchtime=1x; it
// reports rows, followup_s and parliament_s.
func BenchmarkFollowupReports(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join(shared.Path(b, "upr-info"), "*.csv"))
	ctx := context.Background()
	dir := b.TempDir()
	if _, err := Ingest(ctx, IngestOptions{Paths: paths, Warehouse: dir, Importers: formats.All(), Version: "bench"}); err != nil {
		b.Fatal(err)
	}
	w, err := load.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	// Updates shaped as a returned workbook gives them: one in progress in
	// 2025, one later status in 2026, spread over the days of the year.
	if _, err := w.DB().ExecContext(ctx, `INSERT INTO status_updates (update_id, rec_id, status, status_date, text, public, source_format,
		source_file, source_row, file_sha256, imported_at, import_seq, run_id)
		SELECT rec_id || '-' || CAST(k AS VARCHAR), rec_id,
		       CASE WHEN k = 1 THEN 'in_progress' ELSE ['implemented', 'partially_implemented', 'not_started'][1 + CAST(hash(rec_id) % 3 AS INTEGER)] END,
		       DATE '2024-01-01' + INTERVAL (k * 365 + CAST(hash(rec_id) % 300 AS INTEGER)) DAY,
		       'Update ' || CAST(k AS VARCHAR), true, 'followup-workbook', 'bench.xlsx', CAST(row_number() OVER () AS INTEGER), 'bench',
		       now(), row_number() OVER (), 'bench'
		FROM recommendations, range(1, 3) AS t(k)`); err != nil {
		b.Fatal(err)
	}
	var rows int
	var country string
	w.DB().QueryRowContext(ctx, `SELECT count(*), (SELECT country_iso3 FROM recommendations GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) FROM recommendations`).Scan(&rows, &country)
	w.Close()
	r, err := load.OpenReadOnly(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	now := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	var fu, parl time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := b.TempDir()
		t0 := time.Now()
		if _, err := WriteReports(ctx, r, ReportOptions{Kind: "followup", Formats: []string{"md", "xlsx", "docx"}, Out: out, Now: now}); err != nil {
			b.Fatal(err)
		}
		fu += time.Since(t0)
		t1 := time.Now()
		if _, err := WriteReports(ctx, r, ReportOptions{Kind: "parliament", Countries: []string{country}, Formats: []string{"docx"}, Out: out, Now: now,
			Followup: FollowupReportOptions{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: now}}); err != nil {
			b.Fatal(err)
		}
		parl += time.Since(t1)
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(fu.Seconds()/float64(b.N), "followup_s")
	b.ReportMetric(parl.Seconds()/float64(b.N), "parliament_s")
}
