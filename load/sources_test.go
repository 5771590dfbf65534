package load

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/uprinfo"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

// uprInfoBatch reads the UPR Info export files of the shared data and
// merges their records by rec_id as ingest does.
func uprInfoBatch(t *testing.T, files ...string) []models.Recommendation {
	t.Helper()
	var paths []string
	for _, f := range files {
		paths = append(paths, shared.Path(t, filepath.Join("upr-info", f)))
	}
	return importUPRInfo(t, paths...)
}

// importUPRInfo reads UPR Info exports (CSV, or XLS by extension) with
// nmirf's importers and merges their records by rec_id as ingest does.
func importUPRInfo(t *testing.T, paths ...string) []models.Recommendation {
	t.Helper()
	var recs []models.Recommendation
	index := map[string]int{}
	for _, path := range paths {
		in, err := extract.ReadInput(path)
		if err != nil {
			t.Fatal(err)
		}
		imp := extract.Importer(uprinfo.CSV)
		if filepath.Ext(path) == ".xls" {
			imp = uprinfo.XLS
		}
		res, err := imp.Import(context.Background(), in, extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			r.Normalize()
			r.RecID = models.RecID(&r)
			if k, ok := index[r.RecID]; ok {
				recs[k].Merge(r)
				continue
			}
			index[r.RecID] = len(recs)
			recs = append(recs, r)
		}
	}
	return recs
}

// TestSameExportInTwoFormatsIsOneSource ingests the UPR Info export of
// sessions 1–5 as both .csv and .xls, together and in two runs: the same
// export is one source, so n_sources counts only the rows of one export.
// Switzerland's "Establish a national institution on human rights …"
// (session 2) is in eight rows of the export, one per recommending State.
func TestSameExportInTwoFormatsIsOneSource(t *testing.T) {
	const swiss = `SELECT n_sources FROM recommendations WHERE country_iso3 = 'CHE' AND upr_session = 2
		AND text LIKE 'Establish a national institution on human rights in accordance%'`
	const swissSources = `SELECT count(*) FROM recommendation_sources JOIN recommendations USING (rec_id)
		WHERE country_iso3 = 'CHE' AND upr_session = 2 AND text LIKE 'Establish a national institution on human rights in accordance%'`
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		runs [][]string
	}{
		{"one folder", [][]string{{"1-5.csv", "1-5.xls"}}},
		{"csv one night, xls the next", [][]string{{"1-5.csv"}, {"1-5.xls"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := Open(ctx, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			for i, files := range tc.runs {
				if err := w.Ingest(ctx, Batch{Run: newRun("r" + string(rune('1'+i))), Records: uprInfoBatch(t, files...)}); err != nil {
					t.Fatal(err)
				}
			}
			if n := count(t, w, `SELECT count(*) FROM recommendations`); n != 5626 {
				t.Errorf("recommendations = %d, want 5626", n)
			}
			if n := count(t, w, `SELECT max(n_sources) FROM recommendations`); n != 8 {
				t.Errorf("max(n_sources) = %d, want 8 (the most rows one recommendation has in the export)", n)
			}
			if n := count(t, w, `SELECT count(*) FROM recommendations WHERE n_sources > 1`); n != 296 {
				t.Errorf("%d recommendations with more than one source, want 296 (those in several rows of the export)", n)
			}
			if n := count(t, w, swiss); n != 8 {
				t.Errorf("Swiss NHRI recommendation n_sources = %d, want 8", n)
			}
			if n := count(t, w, swissSources); n != 8 {
				t.Errorf("Swiss NHRI recommendation has %d rows in recommendation_sources, want 8", n)
			}
			if n := count(t, w, `SELECT count(*) FROM recommendations r WHERE n_sources <> (SELECT count(*) FROM recommendation_sources s WHERE s.rec_id = r.rec_id)`); n != 0 {
				t.Errorf("%d recommendations whose n_sources differs from their rows in recommendation_sources", n)
			}
		})
	}
}
