package load

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/nmirf/nmirf/models"
)

// TestSnapshotRewritesOnlyChangedPartitions: a publication links, from the
// previous snapshot, the files of tables and country partitions whose rows
// did not change, writes the others, and every table of the new snapshot
// reads back exactly as the database holds it.
func TestSnapshotRewritesOnlyChangedPartitions(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	fra := func(text, loc string) models.Recommendation {
		r := models.Recommendation{
			Kind: models.KindRecommendation, Text: text, CountryISO3: "FRA", CountryName: "France",
			Mechanism: models.MechanismUPR, Body: "UPR", Session: 2, Cycle: 1, RecommendingStates: []string{"BRA"},
			Sources: []models.Source{{Format: "upr-info-csv", File: "fr.csv", FileSHA256: "sha-fr", Locator: loc, RawText: text}},
		}
		r.RecID = models.RecID(&r)
		return r
	}
	recs := append(ukRecs("1-5.csv", "upr-info-csv"), fra("Strengthen the national human rights institution.", "row 2"))
	if err := w.Ingest(ctx, Batch{Run: newRun("20260101T000000Z-aaaaaa"), Records: recs}); err != nil {
		t.Fatal(err)
	}
	snap := func(id string) string { return filepath.Join(dir, snapshotsDir, id) }
	same := func(a, b string) bool {
		t.Helper()
		fa, errA := os.Stat(a)
		fb, errB := os.Stat(b)
		if errA != nil || errB != nil {
			t.Fatalf("stat: %v, %v", errA, errB)
		}
		return os.SameFile(fa, fb)
	}
	// readsBack compares each table of the current snapshot with the
	// database, row for row, both ways.
	readsBack := func() {
		t.Helper()
		for _, tbl := range exportTables {
			glob := filepath.Join(dir, ParquetLink, tbl.name, "**", "*.parquet")
			cols := `* EXCLUDE (` + tbl.partition + `)`
			if tbl.partition == "" {
				cols = `*`
			}
			var empty bool
			w.DB().QueryRow(`SELECT NOT EXISTS (SELECT 1 FROM ` + tbl.name + `)`).Scan(&empty)
			if empty {
				continue
			}
			var diff int
			q := `SELECT count(*) FROM ((SELECT ` + cols + ` FROM ` + tbl.name + ` EXCEPT ALL SELECT ` + cols + ` FROM read_parquet(?, hive_partitioning = true))
				UNION ALL (SELECT ` + cols + ` FROM read_parquet(?, hive_partitioning = true) EXCEPT ALL SELECT ` + cols + ` FROM ` + tbl.name + `))`
			if err := w.DB().QueryRow(q, glob, glob).Scan(&diff); err != nil {
				t.Fatalf("%s: %v", tbl.name, err)
			}
			if diff != 0 {
				t.Errorf("%s: %d rows differ between the snapshot and the database", tbl.name, diff)
			}
		}
	}
	gbr := filepath.Join("recommendations", "country_iso3=GBR", "part-0.parquet")
	frp := filepath.Join("recommendations", "country_iso3=FRA", "part-0.parquet")
	src := filepath.Join("recommendation_sources", "part-0.parquet")

	if err := w.ExportParquet(ctx, "20260101T000000Z-aaaaaa"); err != nil {
		t.Fatal(err)
	}
	readsBack()
	// Nothing changed: every file is the previous snapshot's.
	if err := w.ExportParquet(ctx, "20260102T000000Z-bbbbbb"); err != nil {
		t.Fatal(err)
	}
	// sdg_goals is empty here: its one empty file is linked too.
	for _, f := range []string{gbr, frp, src, filepath.Join("runs", "part-0.parquet"), filepath.Join("sdg_goals", "part-0.parquet"), filepath.Join("clusters", "part-0.parquet")} {
		if !same(filepath.Join(snap("20260101T000000Z-aaaaaa"), f), filepath.Join(snap("20260102T000000Z-bbbbbb"), f)) {
			t.Errorf("%s written again though nothing changed", f)
		}
	}
	readsBack()

	// A second French recommendation: France's partition and the sources
	// are written, the United Kingdom's partition is linked.
	if err := w.Ingest(ctx, Batch{Run: newRun("20260103T000000Z-cccccc"), Records: []models.Recommendation{fra("Adopt a national action plan on business and human rights.", "row 3")}}); err != nil {
		t.Fatal(err)
	}
	if err := w.ExportParquet(ctx, "20260103T000000Z-cccccc"); err != nil {
		t.Fatal(err)
	}
	prev, cur := snap("20260102T000000Z-bbbbbb"), snap("20260103T000000Z-cccccc")
	if !same(filepath.Join(prev, gbr), filepath.Join(cur, gbr)) {
		t.Errorf("unchanged GBR partition written again")
	}
	if same(filepath.Join(prev, frp), filepath.Join(cur, frp)) || same(filepath.Join(prev, src), filepath.Join(cur, src)) {
		t.Errorf("changed FRA partition or sources linked from the previous snapshot")
	}
	var n int
	if err := w.DB().QueryRow(`SELECT count(*) FROM read_parquet(?)`, filepath.Join(dir, ParquetLink, "recommendations", "country_iso3=FRA", "*.parquet")).Scan(&n); err != nil || n != 2 {
		t.Errorf("FRA partition holds %d rows (%v), want 2", n, err)
	}
	readsBack()

	// A changed value with the same row count is a change too.
	if _, err := w.DB().Exec(`UPDATE recommendations SET response = 'noted' WHERE country_iso3 = 'GBR' AND text LIKE 'Withdraw%'`); err != nil {
		t.Fatal(err)
	}
	if err := w.ExportParquet(ctx, "20260104T000000Z-dddddd"); err != nil {
		t.Fatal(err)
	}
	var resp string
	if err := w.DB().QueryRow(`SELECT response FROM read_parquet(?) WHERE text LIKE 'Withdraw%'`, filepath.Join(dir, ParquetLink, "recommendations", "*", "*.parquet")).Scan(&resp); err != nil || resp != "noted" {
		t.Errorf("snapshot response = %q (%v), want the updated noted", resp, err)
	}
	readsBack()
}
