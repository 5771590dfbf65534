package pipeline

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
)

// BenchmarkClassifyWarehouse times the warehouse's classify stage with the
// three default models over every recommendation of the shared corpus (the
// UPR Info export, the OHCHR matrices and the Working Group reports,
// ingested once): selecting the pending texts, classifying them and
// writing the assignment rows, without publishing the warehouse for
// readers afterwards. per-270k-s scales the time to the 270,000 new
// recommendations of the target (≤ 10 s), and reports the CPU time of the
// process, which the machine's load does not inflate.
func BenchmarkClassifyWarehouse(b *testing.B) {
	paths := benchInputs(b)
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "w")
	if run, err := Ingest(ctx, IngestOptions{Paths: paths, Warehouse: dir, Importers: formats.All(), Version: "bench"}); err != nil && run == nil {
		b.Fatal(err)
	}
	w, err := load.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	b.Run("models=defaults", func(b *testing.B) {
		mods := defaultModels(b)
		recs := 0
		cpu0 := processCPU()
		for b.Loop() {
			run, err := classifyInto(ctx, w, ClassifyOptions{Models: mods, All: true, Evidence: 5, Version: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			recs = run.Inputs[0].Records
			if recs < 30_000 || run.Inputs[2].Records != recs {
				b.Fatalf("classified %v", run.Inputs)
			}
		}
		cpu := (processCPU() - cpu0).Seconds() / float64(b.N)
		perRec := b.Elapsed().Seconds() / float64(b.N) / float64(recs)
		b.ReportMetric(float64(recs), "recommendations")
		b.ReportMetric(1/perRec, "recs/s")
		b.ReportMetric(perRec*270_000, "per-270k-s")
		// CPU time (Go and DuckDB's threads) tells the work apart from the
		// machine's load: on two cores the wall time is at least half of it.
		b.ReportMetric(cpu, "cpu-s/op")
		b.ReportMetric(cpu/float64(recs)*270_000, "cpu-per-270k-s")
	})
}

// processCPU is the user and system CPU time of the process so far, DuckDB's
// threads included.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
