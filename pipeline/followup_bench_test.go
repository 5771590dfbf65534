package pipeline

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

// BenchmarkFollowupRoundTrip times the export of the secretariat's
// workbook of every recommendation of the UPR Info export (about 30,000)
// and the import of that workbook filled in on every row. Run with
// -benchtime=1x; it reports rows, export_s and import_s.
func BenchmarkFollowupRoundTrip(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join(shared.Path(b, "upr-info"), "*.csv"))
	ctx := context.Background()
	dir := b.TempDir()
	if _, err := Ingest(ctx, IngestOptions{Paths: paths, Warehouse: dir, Importers: formats.All(), Version: "bench"}); err != nil {
		b.Fatal(err)
	}
	resp := defaultResponsibility(b)
	var exportDur, importDur time.Duration
	rows := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(b.TempDir(), "out")
		t0 := time.Now()
		run, err := FollowupExport(ctx, FollowupExportOptions{Warehouse: dir, Entity: models.SecretariatCode, Out: out, Responsibility: resp, Version: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		exportDur += time.Since(t0)
		rows = run.Inputs[0].Records

		b.StopTimer()
		f, err := excelize.OpenFile(run.Inputs[0].Path)
		if err != nil {
			b.Fatal(err)
		}
		for r := 2; r <= rows+1; r++ {
			n := strconv.Itoa(r)
			f.SetCellStr("Recommendations", "M"+n, "in_progress")
			f.SetCellStr("Recommendations", "N"+n, "Update "+n+" of iteration "+strconv.Itoa(i))
			f.SetCellStr("Recommendations", "P"+n, "2026-01-15")
		}
		filled := filepath.Join(b.TempDir(), "filled.xlsx")
		if err := f.SaveAs(filled); err != nil {
			b.Fatal(err)
		}
		f.Close()
		b.StartTimer()

		t1 := time.Now()
		if _, err := FollowupImport(ctx, FollowupImportOptions{Paths: []string{filled}, Warehouse: dir, Importers: formats.All(), Version: "bench"}); err != nil {
			b.Fatal(err)
		}
		importDur += time.Since(t1)
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(exportDur.Seconds()/float64(b.N), "export_s")
	b.ReportMetric(importDur.Seconds()/float64(b.N), "import_s")
	if got := counts(b, dir, `SELECT count(*) FROM v_followup_status WHERE status = 'in_progress'`)[0]; got != rows {
		b.Errorf("%d recommendations in progress after the import, want %d", got, rows)
	}
}
