package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

var (
	issuesOnce  sync.Once
	issuesModel *classify.Model
	issuesErr   error
)

// testIssuesModel trains a UPR Info issues model on the 270 real UPR Info
// rows kept for the importer's tests: small, but a real model of the real
// label set.
func testIssuesModel(t testing.TB) *classify.Model {
	t.Helper()
	issuesOnce.Do(func() {
		p := filepath.Join(shared.Root(), "extract", "uprinfo", "testdata", "upr-info-sample-macroman-cr.csv")
		ex, err := LoadExamples(context.Background(), []string{p}, models.TaskUPRInfoIssues, ExampleSource{Importers: formats.All()})
		if err != nil {
			issuesErr = err
			return
		}
		issuesModel, issuesErr = classify.Train(context.Background(), models.TaskUPRInfoIssues, ex, classify.TrainOptions{MinDF: 1, Folds: 3}.Params(), nil)
	})
	if issuesErr != nil {
		t.Fatal(issuesErr)
	}
	return issuesModel
}

func sampleIndicatorInputs(t testing.TB) []*extract.Input {
	files, err := data.SampleIndicators()
	if err != nil {
		t.Fatal(err)
	}
	return inputsOf(t, files)
}

func batch(t testing.TB, dir string) BatchOptions {
	return BatchOptions{
		Warehouse: dir, Version: "test",
		Ingest:          IngestOptions{Inputs: sampleInputs(t), Importers: formats.All()},
		Models:          []*classify.Model{testIssuesModel(t)},
		IndicatorInputs: sampleIndicatorInputs(t), IndicatorCountry: "GBR", IndicatorDataset: "open-sdg-uk",
		Reports: []ReportOptions{
			{Kind: "gaps", Countries: []string{"GBR"}, Formats: []string{"html", "md", "csv", "xlsx"}},
			{Kind: "clusters", Countries: []string{"GBR"}, Formats: []string{"csv"}},
		},
	}
}

func counts(t testing.TB, dir string, qs ...string) []int {
	t.Helper()
	w, err := load.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	out := make([]int, len(qs))
	for i, q := range qs {
		if err := w.DB().QueryRow(q).Scan(&out[i]); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return out
}

func TestRunBatchThenIncremental(t *testing.T) {
	dir := t.TempDir()
	run, err := RunBatch(context.Background(), batch(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if run.Counts.Total != 171 {
		t.Errorf("recommendations = %d, want 171", run.Counts.Total)
	}
	c := counts(t, dir,
		`SELECT count(DISTINCT rec_id) FROM theme_assignments`,
		`SELECT count(*) FROM recommendations`,
		`SELECT count(*) FROM cluster_members`,
		`SELECT count(*) FROM indicator_observations WHERE country_iso3 = 'GBR'`,
		`SELECT count(*) FROM sdg_targets`,
		`SELECT count(*) FROM runs WHERE command = 'run' AND status = 'ok'`,
		`SELECT count(*) FROM v_gap_targets WHERE country_iso3 = 'GBR'`)
	if c[0] != c[1] || c[2] != c[1] {
		t.Errorf("classified %d and clustered %d of %d recommendations", c[0], c[2], c[1])
	}
	if c[3] < 1000 || c[4] != 169 || c[5] != 1 || c[6] == 0 {
		t.Errorf("observations %d, targets %d, batch runs %d, gap rows %d", c[3], c[4], c[5], c[6])
	}
	for _, f := range []string{"gaps-GBR.html", "gaps-GBR.md", "gaps-GBR.csv", "gaps-GBR.xlsx", "clusters-GBR.csv"} {
		if st, err := os.Stat(filepath.Join(dir, "reports", f)); err != nil || st.Size() == 0 {
			t.Errorf("report %s: %v", f, err)
		}
	}
	clustersBefore := clusterIDs(t, dir)

	// The next night: nothing new. Every file is skipped, nothing is
	// reclassified, cluster ids stay.
	again, err := RunBatch(context.Background(), batch(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range again.Inputs {
		if strings.HasPrefix(in.Format, "model:") && in.Records != 0 {
			t.Errorf("second run reclassified %d recommendations", in.Records)
		}
		if in.Path != "" && strings.HasPrefix(in.Path, "sample/") && !in.Skipped {
			t.Errorf("%s re-read", in.Path)
		}
	}
	if after := clusterIDs(t, dir); after != clustersBefore {
		t.Errorf("cluster ids changed on an unchanged rerun")
	}
	if c := counts(t, dir, `SELECT count(*) FROM theme_assignments`, `SELECT count(*) FROM indicator_observations`); c[1] == 0 {
		t.Errorf("indicator data lost on rerun")
	}
}

func clusterIDs(t testing.TB, dir string) string {
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var s string
	w.DB().QueryRow(`SELECT string_agg(cluster_id || ':' || rec_id, ',' ORDER BY rec_id) FROM cluster_members`).Scan(&s)
	return s
}
