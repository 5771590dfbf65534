package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// BenchmarkClusterUPRInfo clusters every country of the whole UPR Info
// export (30,261 rows, 193 countries) as the cluster stage does, after the
// recommendations were ingested and classified (not timed), and reports the
// time per run and the process's peak resident memory.
func BenchmarkClusterUPRInfo(b *testing.B) {
	root := shared.Path(b, "upr-info")
	paths, _ := filepath.Glob(filepath.Join(root, "*.csv"))
	ctx := context.Background()
	dir := b.TempDir()
	if _, err := Ingest(ctx, IngestOptions{Paths: paths, Warehouse: dir, Importers: formats.All(), Version: "bench"}); err != nil {
		b.Fatal(err)
	}
	m := embeddedModel(b, models.TaskUPRInfoIssues)
	if _, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: []*classify.Model{m}}); err != nil {
		b.Fatal(err)
	}
	w, err := load.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	b.ResetTimer()
	var clusters, recs int
	start := time.Now()
	for i := 0; i < b.N; i++ {
		run, err := clusterInto(ctx, w, ClusterOptions{Vectorizer: m.Vectorizer()})
		if err != nil {
			b.Fatal(err)
		}
		clusters, recs = run.Counts.Distinct, run.Counts.Read
	}
	b.StopTimer()
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/run")
	b.ReportMetric(float64(recs), "recommendations")
	b.ReportMetric(float64(clusters), "clusters")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
}

// BenchmarkClusterNewOnly is the cluster stage of a nightly run that adds
// 1% to the whole UPR Info export (every 100th row, spread over the
// countries): the export less those rows was ingested, classified and
// clustered, then the rows ingested and classified (not timed). Each run
// starts from a copy of that warehouse; it reports the time per run, the
// clusters written again and the process's peak resident memory.
func BenchmarkClusterNewOnly(b *testing.B) {
	ctx := context.Background()
	src := b.TempDir()
	initial, added, _ := splitUPRInfo(b, src, nil, 100)
	m := embeddedModel(b, models.TaskUPRInfoIssues)
	dir := filepath.Join(b.TempDir(), "w")
	for k, path := range []string{initial, added} {
		if _, err := Ingest(ctx, IngestOptions{Paths: []string{path}, Warehouse: dir, Importers: formats.All(), Version: "bench"}); err != nil {
			b.Fatal(err)
		}
		if _, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: []*classify.Model{m}}); err != nil {
			b.Fatal(err)
		}
		if k == 0 {
			if _, err := Cluster(ctx, ClusterOptions{Warehouse: dir, Vectorizer: m.Vectorizer(), StaleOnly: true, Version: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	var elapsed time.Duration
	var written int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		run := filepath.Join(b.TempDir(), "w")
		if err := os.CopyFS(run, os.DirFS(dir)); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		b.StartTimer()
		if _, err := Cluster(ctx, ClusterOptions{Warehouse: run, Vectorizer: m.Vectorizer(), StaleOnly: true, Version: "bench"}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		elapsed += time.Since(start)
		written = counts(b, run, `SELECT count(*) FROM clusters WHERE run_id = (SELECT max(run_id) FROM clusters)`)[0]
	}
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/run")
	b.ReportMetric(float64(written), "clusters-written")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
}
