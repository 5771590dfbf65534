package pipeline

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/load"
)

// benchInputs are the shared data the ingest benchmark reads: all of the UPR
// Info export, the four OHCHR matrices and the 220 Working Group reports.
func benchInputs(b *testing.B) []string {
	root := shared.Path(b, ".")
	paths, _ := filepath.Glob(filepath.Join(root, "upr-info", "*.csv"))
	docx, _ := filepath.Glob(filepath.Join(root, "uhri-matrices", "*.docx"))
	return append(append(paths, docx...), filepath.Join(root, "upr-wg-reports"))
}

// BenchmarkIngest times a full ingest (parse, normalise, merge, write DuckDB
// and Parquet) into a new warehouse and, in the same run, DuckDB's own
// read_csv loading the same records from a UTF-8 CSV. It reports the ratio
// (target ≤ 3) and the process's peak resident memory (target < 500 MB).
func BenchmarkIngest(b *testing.B) {
	paths := benchInputs(b)
	ctx := context.Background()

	// The baseline's input: every record the ingest produces, as UTF-8 CSV.
	tmp := b.TempDir()
	csvPath := filepath.Join(tmp, "records.csv")
	rows := writeRecordsCSV(b, paths, csvPath)

	var ingestDur, csvDur time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(tmp, "w"+strconv.Itoa(i))
		t0 := time.Now()
		run, err := Ingest(ctx, IngestOptions{Paths: paths, Warehouse: dir, Importers: formats.All(), Version: "bench"})
		if err != nil && run == nil {
			b.Fatal(err)
		}
		ingestDur += time.Since(t0)
		if run.Counts.Read != rows {
			b.Fatalf("ingest read %d records, baseline CSV has %d", run.Counts.Read, rows)
		}

		base := filepath.Join(tmp, "b"+strconv.Itoa(i))
		t1 := time.Now()
		w, err := load.Open(ctx, base)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.DB().Exec(`CREATE TABLE r AS SELECT * FROM read_csv(?, header = true, all_varchar = true)`, csvPath); err != nil {
			b.Fatal(err)
		}
		w.Close()
		csvDur += time.Since(t1)
	}
	b.StopTimer()
	b.ReportMetric(float64(rows), "records")
	b.ReportMetric(ingestDur.Seconds()/float64(b.N), "ingest-s")
	b.ReportMetric(csvDur.Seconds()/float64(b.N), "duckdb-read_csv-s")
	b.ReportMetric(float64(ingestDur)/float64(csvDur), "ratio")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
}

// writeRecordsCSV runs the importers once and writes their records' fields
// as a UTF-8 CSV, returning the row count.
func writeRecordsCSV(b *testing.B, paths []string, out string) int {
	files, err := expandPaths(paths)
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"text", "country", "mechanism", "body", "session", "symbol", "paragraph", "date", "response", "states", "labels", "file", "locator"})
	n := 0
	for _, p := range files {
		in, err := extract.ReadInput(p)
		if err != nil {
			b.Fatal(err)
		}
		imp := Detect(formats.All(), in)
		res, err := imp.Import(context.Background(), in, extract.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res.Records {
			var labels []string
			for _, l := range r.Labels {
				labels = append(labels, l.Scheme+":"+l.Value)
			}
			w.Write([]string{r.Text, r.CountryISO3, string(r.Mechanism), r.Body, strconv.Itoa(r.Session), r.Symbol, r.Paragraph, r.Date,
				r.Response, strings.Join(r.RecommendingStates, ";"), strings.Join(labels, ";"), r.Sources[0].File, r.Sources[0].Locator})
			n++
		}
	}
	w.Flush()
	return n
}
