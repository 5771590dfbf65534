package pipeline

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/load"
)

// splitUPRInfo writes the rows of the real UPR Info export files given
// (all when none) made to the given States (all when nil) as two CSV files
// in dir: initial.csv, and new.csv with every n-th of them, as a later
// export adds them.
func splitUPRInfo(t testing.TB, dir string, states map[string]bool, n int, files ...string) (initial, added string, newRows int) {
	t.Helper()
	if len(files) == 0 {
		files = []string{"1-5.csv", "6-9.csv", "10-13.csv", "14-16.csv"}
	}
	var header []string
	var first, later [][]string
	kept := 0
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(shared.Path(t, "upr-info"), name))
		if err != nil {
			t.Fatal(err)
		}
		// The export ends its lines with a carriage return alone.
		rows, err := csv.NewReader(strings.NewReader(strings.ReplaceAll(string(b), "\r", "\n"))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		header = rows[0]
		for _, r := range rows[1:] {
			if states != nil && !states[r[0]] {
				continue
			}
			kept++
			if kept%n == 0 {
				later = append(later, r)
			} else {
				first = append(first, r)
			}
		}
	}
	write := func(name string, rs [][]string) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		cw := csv.NewWriter(f)
		cw.WriteAll(append([][]string{header}, rs...))
		if err := cw.Error(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return write("initial.csv", first), write("new.csv", later), len(later)
}

// TestClusterNewOnlyIsExtend: a nightly run that only adds recommendations
// places them against the sums of the existing clusters, reads and rewrites
// only the clusters they join or make, and gives the clusters, members,
// descriptions and top terms that extending from every member (the way
// without the sums) gives.
func TestClusterNewOnlyIsExtend(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	initial, added, newRows := splitUPRInfo(t, src, map[string]bool{"Algeria": true, "Argentina": true, "Bangladesh": true, "Brazil": true, "Viet Nam": true}, 25, "10-13.csv")
	m := testIssuesModel(t)
	short := filepath.Join(t.TempDir(), "w")
	ingestClassify := func(dir, path string) {
		t.Helper()
		if _, err := Ingest(ctx, IngestOptions{Paths: []string{path}, Warehouse: dir, Importers: formats.All(), Version: "test"}); err != nil {
			t.Fatal(err)
		}
		if _, err := Classify(ctx, ClassifyOptions{Warehouse: dir, Models: []*classify.Model{m}}); err != nil {
			t.Fatal(err)
		}
	}
	cluster := func(dir string) {
		t.Helper()
		if _, err := Cluster(ctx, ClusterOptions{Warehouse: dir, Vectorizer: m.Vectorizer(), StaleOnly: true, Version: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	ingestClassify(short, initial)
	cluster(short)
	whole := filepath.Join(t.TempDir(), "w")
	if err := os.CopyFS(whole, os.DirFS(short)); err != nil {
		t.Fatal(err)
	}
	// Without the sums, the run extends the clusters from every member,
	// as it did before they were kept.
	w, err := load.Open(ctx, whole)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB().ExecContext(ctx, `DELETE FROM cluster_vectors`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	before := counts(t, short, `SELECT count(*) FROM clusters`, `SELECT count(*) FROM cluster_members`, `SELECT count(*) FROM cluster_vectors`)
	if before[0] == 0 || before[2] != before[0] {
		t.Fatalf("%d clusters, %d sums after the first run", before[0], before[2])
	}
	sizeBefore := clusterSizes(t, short, "")
	for _, dir := range []string{short, whole} {
		ingestClassify(dir, added)
		cluster(dir)
	}
	w, err = load.Open(ctx, short)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.DB().ExecContext(ctx, `ATTACH '`+filepath.Join(whole, load.DBFile)+`' AS whole (READ_ONLY)`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct{ what, cols, table string }{
		{"clusters", "cluster_id, country_iso3, label, top_terms, main_theme, main_sdg_target, size, mechanisms, bodies, first_date, last_date", "clusters"},
		{"members", "cluster_id, rec_id, similarity", "cluster_members"},
		{"top terms", "cluster_id, unnest(top_terms) AS term", "clusters"},
	} {
		for _, dir := range [][2]string{{"", "whole."}, {"whole.", ""}} {
			var n int
			sql := `SELECT count(*) FROM (SELECT ` + q.cols + ` FROM ` + dir[0] + q.table + ` EXCEPT ALL SELECT ` + q.cols + ` FROM ` + dir[1] + q.table + `)`
			if err := w.DB().QueryRowContext(ctx, sql).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s: %d rows of %swarehouse are not in the other", q.what, n, dir[0])
			}
		}
	}
	var clusters, members, sums int
	if err := w.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM clusters), (SELECT count(*) FROM cluster_members), (SELECT count(*) FROM cluster_vectors)`).
		Scan(&clusters, &members, &sums); err != nil {
		t.Fatal(err)
	}
	if members != before[1]+newRows || sums != clusters {
		t.Errorf("%d members (%d before, %d new), %d sums for %d clusters", members, before[1], newRows, sums, clusters)
	}
	var wholeSums, wholeClusters int
	if err := w.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM whole.cluster_vectors), (SELECT count(*) FROM whole.clusters)`).Scan(&wholeSums, &wholeClusters); err != nil {
		t.Fatal(err)
	}
	if wholeSums != wholeClusters {
		t.Errorf("clustered whole: %d sums for %d clusters", wholeSums, wholeClusters)
	}
	w.Close()
	// Only what the new recommendations changed is written again: the
	// clusters they joined, and those they made.
	rewritten := clusterSizes(t, short, `WHERE run_id = (SELECT max(run_id) FROM clusters)`)
	grown, made := 0, 0
	for id, n := range rewritten {
		if old, ok := sizeBefore[id]; !ok {
			made++
		} else if n > old {
			grown++
		} else {
			t.Errorf("cluster %s written again with %d members, as many as before", id, n)
		}
	}
	if grown == 0 || made == 0 || len(rewritten) >= clusters/4 {
		t.Errorf("%d of %d clusters rewritten for %d new recommendations: %d grew, %d made; the test needs both, and few", len(rewritten), clusters, newRows, grown, made)
	}
	t.Logf("%d clusters, %d members; %d new recommendations: %d clusters grew, %d were made", clusters, members, newRows, grown, made)
}

// clusterSizes returns the size of each cluster that where (SQL) keeps.
func clusterSizes(t *testing.T, dir, where string) map[string]int {
	t.Helper()
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rows, err := w.DB().Query(`SELECT cluster_id, size FROM clusters ` + where)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
