package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/site"
	"github.com/nmirf/nmirf/pipeline"
)

// scaleTo grows the sample country to about n recommendations: copies of
// its real recommendations with their labels and clusters, under new ids,
// spread over twenty copies of each review and of each cluster.
func scaleTo(b *testing.B, n int) (*load.Warehouse, int) {
	w := warehouse(b)
	db := w.DB()
	var have int
	if err := db.QueryRow(`SELECT count(*) FROM recommendations WHERE country_iso3 = 'GBR'`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	copies := n/have - 1
	stmts := []string{
		fmt.Sprintf(`CREATE TEMP TABLE k AS SELECT range AS i FROM range(1, %d)`, copies+1),
		`CREATE TEMP TABLE src AS SELECT rec_id FROM recommendations WHERE country_iso3 = 'GBR'`,
		`INSERT INTO theme_assignments SELECT t.* REPLACE (t.rec_id || '-x' || k.i AS rec_id) FROM theme_assignments t JOIN src USING (rec_id), k`,
		`INSERT INTO sdg_assignments SELECT t.* REPLACE (t.rec_id || '-x' || k.i AS rec_id) FROM sdg_assignments t JOIN src USING (rec_id), k`,
		`INSERT INTO cluster_members SELECT m.* REPLACE (m.cluster_id || '-x' || (k.i % 20) AS cluster_id, m.rec_id || '-x' || k.i AS rec_id) FROM cluster_members m JOIN src USING (rec_id), k`,
		`INSERT INTO clusters SELECT c.* REPLACE (c.cluster_id || '-x' || j.i AS cluster_id) FROM clusters c, (SELECT DISTINCT i % 20 AS i FROM k) j WHERE c.country_iso3 = 'GBR'`,
		`INSERT INTO recommendations SELECT r.* REPLACE (r.rec_id || '-x' || k.i AS rec_id, coalesce(r.symbol, 'UPR') || '/' || (k.i % 20) AS symbol) FROM recommendations r JOIN src USING (rec_id), k`,
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			b.Fatalf("%v\n%s", err, s)
		}
	}
	if err := db.QueryRow(`SELECT count(*) FROM recommendations WHERE country_iso3 = 'GBR'`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	return w, have
}

// BenchmarkSite builds the site of a 30,000-recommendation country: from
// scratch in one and in three languages, and again with nothing changed
// (the nightly case). Each build is also given as a multiple of the
// baseline measured in the same run: reading the rows the site shows from
// DuckDB (site.Load), which no build can avoid.
func BenchmarkSite(b *testing.B) {
	size := 30000
	if s, err := strconv.Atoi(os.Getenv("NMIRF_SITE_BENCH_SIZE")); err == nil {
		size = s // a quicker look
	}
	wh, n := scaleTo(b, size)
	b.Logf("%d recommendations", n)
	var baseline time.Duration
	b.Run("baseline/read-rows", func(b *testing.B) {
		t0 := time.Now()
		for i := 0; i < b.N; i++ {
			if _, err := site.Load(context.Background(), wh.DB(), "GBR"); err != nil {
				b.Fatal(err)
			}
		}
		baseline = time.Since(t0) / time.Duration(b.N)
	})
	ratio := func(b *testing.B, d time.Duration) {
		if baseline > 0 {
			b.ReportMetric(float64(d)/float64(baseline), "x-baseline")
		}
	}
	type shape struct {
		files int
		bytes int64
		took  time.Duration
	}
	full := map[int]shape{}
	for _, langs := range [][]string{{"en"}, {"en", "fr", "es"}} {
		b.Run(fmt.Sprintf("full/%d-langs", len(langs)), func(b *testing.B) {
			var spent time.Duration
			for i := 0; i < b.N; i++ {
				out := b.TempDir()
				t0 := time.Now()
				st, err := pipeline.WriteSite(context.Background(), wh, pipeline.SiteOptions{Country: "GBR", Langs: langs, Out: out})
				if err != nil {
					b.Fatal(err)
				}
				spent += time.Since(t0)
				b.ReportMetric(float64(st.Bytes)/1e6, "MB")
				b.ReportMetric(float64(st.Files), "files")
				full[len(langs)] = shape{st.Files, st.Bytes, spent / time.Duration(i+1)}
			}
			ratio(b, spent/time.Duration(b.N))
		})
	}
	// The other floor of a first build: creating as many files of the
	// same total size, which on some disks costs more than all the rest.
	for _, n := range []int{1, 3} {
		sh := full[n]
		if sh.files == 0 {
			continue
		}
		b.Run(fmt.Sprintf("baseline/write-files/%d-langs", n), func(b *testing.B) {
			var spent time.Duration
			page := make([]byte, sh.bytes/int64(sh.files))
			for i := 0; i < b.N; i++ {
				out := b.TempDir()
				t0 := time.Now()
				for f := 0; f < sh.files; f++ {
					dir := filepath.Join(out, strconv.Itoa(f/1000))
					if f%1000 == 0 {
						if err := os.MkdirAll(dir, 0o755); err != nil {
							b.Fatal(err)
						}
					}
					if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(f)+".html"), page, 0o644); err != nil {
						b.Fatal(err)
					}
				}
				spent += time.Since(t0)
			}
			io := spent / time.Duration(b.N)
			b.Logf("full build, %d language(s): %s = %.2f × reading the rows + %.2f × writing the files (%d files, %.0f MB)",
				n, sh.took.Round(time.Millisecond), float64(sh.took)/float64(baseline), float64(sh.took)/float64(io), sh.files, float64(sh.bytes)/1e6)
		})
	}
	b.Run("unchanged/3-langs", func(b *testing.B) {
		out := b.TempDir()
		o := pipeline.SiteOptions{Country: "GBR", Langs: []string{"en", "fr", "es"}, Out: out}
		if _, err := pipeline.WriteSite(context.Background(), wh, o); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		t0 := time.Now()
		for i := 0; i < b.N; i++ {
			st, err := pipeline.WriteSite(context.Background(), wh, o)
			if err != nil {
				b.Fatal(err)
			}
			if st.Written != 0 {
				b.Fatalf("unchanged rebuild wrote %d files", st.Written)
			}
		}
		ratio(b, time.Since(t0)/time.Duration(b.N))
	})
}
