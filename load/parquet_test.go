package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/nmirf/nmirf/internal/shared"
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
	// keep their files and gain one with the new rows, the United
	// Kingdom's partition is linked.
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
	if !same(filepath.Join(prev, frp), filepath.Join(cur, frp)) || !same(filepath.Join(prev, src), filepath.Join(cur, src)) {
		t.Errorf("the files of the grown FRA partition or sources written again")
	}
	newRows := filepath.Join("recommendations", "country_iso3=FRA", "part-20260103T000000Z-cccccc-0.parquet")
	for f, want := range map[string]int{frp: 1, newRows: 1, filepath.Join("recommendation_sources", "part-20260103T000000Z-cccccc.parquet"): 1} {
		var n int
		if err := w.DB().QueryRow(`SELECT count(*) FROM read_parquet(?)`, filepath.Join(cur, f)).Scan(&n); err != nil || n != want {
			t.Errorf("%s holds %d rows (%v), want %d", f, n, err, want)
		}
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
	if same(filepath.Join(cur, gbr), filepath.Join(snap("20260104T000000Z-dddddd"), gbr)) {
		t.Errorf("GBR partition with a changed row linked from the previous snapshot")
	}
	readsBack()
}

// uprInfoSample reads the 270 real rows of the UPR Info export kept for
// the importer's tests, as ingest would.
func uprInfoSample(t *testing.T) []models.Recommendation {
	t.Helper()
	return importUPRInfo(t, filepath.Join(shared.Root(), "extract", "uprinfo", "testdata", "upr-info-sample-utf8-lf.csv"))
}

// TestIncrementalSnapshotEqualsAFullOne: a publication after new
// recommendations were added to most countries (and one changed) links the
// previous files and writes only the new rows beside them, and the snapshot
// reads back, table by table and both ways, exactly as a snapshot written
// from scratch; a partition grown in every run is written again whole
// when its folder holds maxPartFiles files.
func TestIncrementalSnapshotEqualsAFullOne(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	recs := uprInfoSample(t)
	var first, later []models.Recommendation
	for i, r := range recs {
		if i%3 == 2 {
			later = append(later, r)
		} else {
			first = append(first, r)
		}
	}
	snap := func(id string) string { return filepath.Join(dir, snapshotsDir, id) }
	files := func(folder string) []string {
		t.Helper()
		names, err := filepath.Glob(filepath.Join(folder, "*.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	// rows reads a snapshot's table with its partition column.
	rows := func(snapshot, table string) string {
		return `SELECT * FROM read_parquet('` + filepath.Join(snapshot, table, "**", "*.parquet") + `', hive_partitioning = true, union_by_name = true)`
	}
	// differ counts the rows of each table that one snapshot has and the
	// other has not, both ways; the tables must not all be empty.
	differ := func(a, b string) {
		t.Helper()
		total := 0
		for _, tbl := range exportTables {
			if count(t, w, `SELECT count(*) FROM `+tbl.name) == 0 {
				continue
			}
			total += count(t, w, `SELECT count(*) FROM `+tbl.name)
			d := count(t, w, `SELECT count(*) FROM ((`+rows(a, tbl.name)+` EXCEPT ALL `+rows(b, tbl.name)+`) UNION ALL (`+rows(b, tbl.name)+` EXCEPT ALL `+rows(a, tbl.name)+`))`)
			if d != 0 {
				t.Errorf("%s: %d rows differ between %s and %s", tbl.name, d, filepath.Base(a), filepath.Base(b))
			}
		}
		if total < len(recs) {
			t.Fatalf("the snapshots hold %d rows in all, fewer than the %d recommendations", total, len(recs))
		}
	}

	if err := w.Ingest(ctx, Batch{Run: newRun("20260101T000000Z-aaaaaa"), Records: first}); err != nil {
		t.Fatal(err)
	}
	if err := w.ExportParquet(ctx, "20260101T000000Z-aaaaaa"); err != nil {
		t.Fatal(err)
	}
	if err := w.Ingest(ctx, Batch{Run: newRun("20260102T000000Z-bbbbbb"), Records: later}); err != nil {
		t.Fatal(err)
	}
	// A changed row in a country that also gains rows: its partition is
	// written whole.
	if _, err := w.DB().Exec(`UPDATE recommendations SET response = 'noted' WHERE rec_id = ?`, first[0].RecID); err != nil {
		t.Fatal(err)
	}
	if err := w.ExportParquet(ctx, "20260102T000000Z-bbbbbb"); err != nil {
		t.Fatal(err)
	}
	a, b := snap("20260101T000000Z-aaaaaa"), snap("20260102T000000Z-bbbbbb")
	changed := "country_iso3=" + first[0].CountryISO3
	grown := 0
	parts, _ := filepath.Glob(filepath.Join(b, "recommendations", "country_iso3=*"))
	for _, p := range parts {
		fs := files(p)
		old := filepath.Join(a, "recommendations", filepath.Base(p), "part-0.parquet")
		switch {
		case filepath.Base(p) == changed:
			if len(fs) != 1 || sameFile(fs[0], old) {
				t.Errorf("%s, with a changed row, holds %v; want one new file", filepath.Base(p), fs)
			}
		case len(fs) == 2:
			if !sameFile(fs[0], old) || filepath.Base(fs[1]) != "part-20260102T000000Z-bbbbbb-0.parquet" {
				t.Errorf("%s holds %v; want %s linked and the new rows' file", filepath.Base(p), fs, old)
			}
			grown++
		}
	}
	if grown < 5 {
		t.Errorf("%d country partitions had their new rows appended, want at least 5", grown)
	}
	if fs := files(filepath.Join(b, "source_labels")); len(fs) != 2 || !sameFile(fs[0], filepath.Join(a, "source_labels", "part-0.parquet")) {
		t.Errorf("source_labels holds %v; want the previous file linked and one of the new rows", fs)
	}
	if n := count(t, w, `SELECT count(*) FROM read_parquet('`+filepath.Join(b, "source_labels", "part-20260102T000000Z-bbbbbb.parquet")+`')`); n != count(t, w, `SELECT count(*) FROM source_labels`)-count(t, w, `SELECT count(*) FROM read_parquet('`+filepath.Join(a, "source_labels", "*.parquet")+`')`) {
		t.Errorf("the new source_labels file holds %d rows, not the rows added", n)
	}

	// The same database written from scratch: no link to a previous
	// snapshot.
	if err := os.Rename(filepath.Join(dir, ParquetLink), filepath.Join(dir, "parquet.kept")); err != nil {
		t.Fatal(err)
	}
	if err := w.ExportParquet(ctx, "20260102T000001Z-cccccc"); err != nil {
		t.Fatal(err)
	}
	full := snap("20260102T000001Z-cccccc")
	if fs := files(filepath.Join(full, "source_labels")); len(fs) != 1 {
		t.Fatalf("the snapshot written from scratch holds %v", fs)
	}
	differ(b, full)

	// A partition grown in every run: appended to until its folder holds
	// maxPartFiles files, then written again in one.
	var afg models.Recommendation
	for _, r := range recs {
		if r.CountryISO3 == "AFG" {
			afg = r
			break
		}
	}
	folder := filepath.Join(dir, ParquetLink, "recommendations", "country_iso3=AFG")
	var counts []int
	for i := 0; i < maxPartFiles+1; i++ {
		r := afg
		r.Text += " (" + strconv.Itoa(i) + ")"
		r.Sources = []models.Source{{Format: "upr-info-csv", File: "more.csv", FileSHA256: "sha-more", Locator: "row " + strconv.Itoa(i+2), RawText: r.Text}}
		r.RecID = models.RecID(&r)
		id := fmt.Sprintf("20260103T0000%02dZ-dddddd", i)
		if err := w.Ingest(ctx, Batch{Run: newRun(id), Records: []models.Recommendation{r}}); err != nil {
			t.Fatal(err)
		}
		if err := w.ExportParquet(ctx, id); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, len(files(folder)))
	}
	if want := []int{2, 3, 4, 5, 6, 7, 8, 1, 2}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("AFG partition files after each run: %v, want %v", counts, want)
	}
	if got, want := count(t, w, `SELECT count(*) FROM read_parquet('`+filepath.Join(folder, "*.parquet")+`')`), count(t, w, `SELECT count(*) FROM recommendations WHERE country_iso3 = 'AFG'`); got != want {
		t.Errorf("AFG partition reads %d rows, the database holds %d", got, want)
	}
	if err := os.Rename(filepath.Join(dir, ParquetLink), filepath.Join(dir, "parquet.kept")); err != nil {
		t.Fatal(err)
	}
	if err := w.ExportParquet(ctx, "20260104T000000Z-eeeeee"); err != nil {
		t.Fatal(err)
	}
	differ(snap("20260103T000008Z-dddddd"), snap("20260104T000000Z-eeeeee"))
}

func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}
