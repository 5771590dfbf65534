package pipeline

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nmirf/nmirf/classify"
	defaultmodels "github.com/nmirf/nmirf/data/models"
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
	r, err := defaultmodels.Open(models.TaskUPRInfoIssues)
	if err != nil {
		b.Fatal(err)
	}
	m, err := classify.ReadModel(r, models.TaskUPRInfoIssues)
	if err != nil {
		b.Fatal(err)
	}
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
