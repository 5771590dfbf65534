package site_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/nmirf/nmirf/load"
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
// scratch, and again with nothing changed (the nightly case).
func BenchmarkSite(b *testing.B) {
	size := 30000
	if s, err := strconv.Atoi(os.Getenv("NMIRF_SITE_BENCH_SIZE")); err == nil {
		size = s // a quicker look
	}
	wh, n := scaleTo(b, size)
	b.Logf("%d recommendations", n)
	for _, langs := range [][]string{{"en"}, {"en", "fr", "es"}} {
		b.Run(fmt.Sprintf("full/%d-langs", len(langs)), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				out := b.TempDir()
				st, err := pipeline.WriteSite(context.Background(), wh, pipeline.SiteOptions{Country: "GBR", Langs: langs, Out: out})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(st.Bytes)/1e6, "MB")
				b.ReportMetric(float64(st.Files), "files")
			}
		})
	}
	b.Run("unchanged/3-langs", func(b *testing.B) {
		out := b.TempDir()
		o := pipeline.SiteOptions{Country: "GBR", Langs: []string{"en", "fr", "es"}, Out: out}
		if _, err := pipeline.WriteSite(context.Background(), wh, o); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			st, err := pipeline.WriteSite(context.Background(), wh, o)
			if err != nil {
				b.Fatal(err)
			}
			if st.Written != 0 {
				b.Fatalf("unchanged rebuild wrote %d files", st.Written)
			}
		}
	})
}
