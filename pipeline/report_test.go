package pipeline

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/report"
	"github.com/nmirf/nmirf/models"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden")

// sampleBatch is what `nmirf run` does without a configuration: the
// embedded UK sample, the embedded default models, the embedded UK Open
// SDG indicators, and a gap report.
func sampleBatch(t *testing.T, dir string) BatchOptions {
	t.Helper()
	mods := defaultModels(t)
	return BatchOptions{
		Warehouse: dir, Version: "test",
		Ingest:          IngestOptions{Inputs: sampleInputs(t), Importers: formats.All()},
		Models:          mods,
		IndicatorInputs: sampleIndicatorInputs(t), IndicatorCountry: "GBR", IndicatorDataset: "open-sdg-uk",
		// France has nothing in the sample: its report is not written, and
		// the batch still publishes with a warning saying so.
		Reports: []ReportOptions{{Kind: "gaps", Countries: []string{"GBR", "FRA"}, Formats: []string{"md"}}},
	}
}

// TestSampleReports runs the sample batch once and checks what its
// readers get: the golden reports, the run they cite, cluster labels.
func TestSampleReports(t *testing.T) {
	dir := t.TempDir()
	run, err := RunBatch(context.Background(), sampleBatch(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range run.Warnings {
		warned = warned || strings.Contains(w, "no gap report for France (FRA)") && strings.Contains(w, "nmirf ingest")
	}
	if !warned || run.Status != "ok" {
		t.Errorf("batch status %q, warnings %q; want ok and a warning about France's report", run.Status, run.Warnings)
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "gaps-FRA.md")); !os.IsNotExist(err) {
		t.Errorf("an empty report for France was written (%v)", err)
	}
	t.Run("golden", func(t *testing.T) { checkGolden(t, dir) })
	t.Run("cites the batch run", func(t *testing.T) { checkCitedRun(t, dir, run) })
	t.Run("cluster labels", func(t *testing.T) { checkClusterLabels(t, dir) })
}

// goldenNow and goldenRun make the golden reports stable: the report date
// and the run they cite are the only values that change between runs.
var goldenNow = time.Date(2026, 6, 30, 9, 0, 0, 0, time.UTC)

const goldenRun = "20260630T090000Z-golden"

// checkGolden writes every text report (gaps in HTML, Markdown and CSV;
// clusters in Markdown and CSV) of the sample warehouse and compares them
// byte for byte with testdata/golden. `go test ./pipeline -run
// TestSampleReports -update` rewrites them after an intended change.
func checkGolden(t *testing.T, dir string) {
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	out := t.TempDir()
	for _, o := range []ReportOptions{
		{Kind: "gaps", Countries: []string{"GBR"}, Formats: []string{"html", "md", "csv"}},
		{Kind: "clusters", Countries: []string{"GBR"}, Formats: []string{"md", "csv"}},
	} {
		o.Out, o.Now, o.RunID, o.Warehouse = out, goldenNow, goldenRun, "sample"
		paths, err := WriteReports(context.Background(), w, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", filepath.Base(p))
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; rerun with -update if the change is intended\n%s", p, golden, firstDiff(got, want))
			}
		}
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + clip(a) + "\nwant: " + clip(b)
		}
	}
	return ""
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// checkCitedRun: the batch's gap report cites the run id the runs table
// shows for the batch, not the id of one of its stages; so does a report
// written later on its own.
func checkCitedRun(t *testing.T, dir string, run *models.Run) {
	md, err := os.ReadFile(filepath.Join(dir, "reports", "gaps-GBR.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "Run: "+run.RunID+" ·") {
		t.Errorf("the batch's gap report does not cite the batch run %s:\n%.300s", run.RunID, md)
	}
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var command string
	if err := w.DB().QueryRow(`SELECT command FROM runs WHERE run_id = ?`, run.RunID).Scan(&command); err != nil || command != "run" {
		t.Errorf("runs has no row %s for the batch (%q, %v)", run.RunID, command, err)
	}
	var stages int
	if err := w.DB().QueryRow(`SELECT count(*) FROM runs WHERE command <> 'run'`).Scan(&stages); err != nil || stages == 0 {
		t.Fatalf("the batch's stages recorded %d runs of their own (%v); the test needs them", stages, err)
	}
	if got, err := report.LatestRun(context.Background(), w.DB()); err != nil || got != run.RunID {
		t.Errorf("latest run = %q (%v), want the batch %s", got, err, run.RunID)
	}
	out := filepath.Join(t.TempDir(), "gaps.md")
	if _, err := WriteReports(context.Background(), w, ReportOptions{Kind: "gaps", Countries: []string{"GBR"}, Formats: []string{"md"}, Out: out}); err != nil {
		t.Fatal(err)
	}
	if md, _ := os.ReadFile(out); !strings.Contains(string(md), "Run: "+run.RunID+" ·") {
		t.Errorf("a later gap report does not cite the batch run %s:\n%.300s", run.RunID, md)
	}
}

// checkClusterLabels: a cluster's main theme is one theme a member
// carries, and no list separator shows in any column a reader sees.
func checkClusterLabels(t *testing.T, dir string) {
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var clusters, themed, bad, foreign int
	err = w.DB().QueryRow(`SELECT count(*), count(main_theme),
		count(*) FILTER (WHERE regexp_matches(concat_ws(' ', label, main_theme, main_sdg_target), '\\x1f|\x1f')),
		count(*) FILTER (WHERE main_theme IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM cluster_members m JOIN theme_assignments t ON t.rec_id = m.rec_id
			WHERE m.cluster_id = c.cluster_id AND t.label = c.main_theme))
		FROM clusters c`).Scan(&clusters, &themed, &bad, &foreign)
	if err != nil {
		t.Fatal(err)
	}
	if clusters == 0 || themed == 0 {
		t.Fatalf("%d clusters, %d with a main theme: the test needs both", clusters, themed)
	}
	if bad != 0 || foreign != 0 {
		t.Errorf("of %d clusters, %d carry a separator and %d a main theme no member has", clusters, bad, foreign)
	}
	cr, err := report.Clusters(context.Background(), w.DB(), report.ClusterOptions{Country: "GBR"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteClustersMarkdown(&b, cr); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `\x1f`) || strings.Contains(b.String(), "\x1f") {
		t.Errorf("cluster report shows a separator")
	}
}

// TestEmptyReportsSayWhy: a report that would be empty is not written; the
// error says why and what to run, and the exit code is not 0.
func TestEmptyReportsSayWhy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := load.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "reports")
	try := func(kind, country string) (string, []string) {
		t.Helper()
		o := ReportOptions{Kind: kind, Formats: []string{"md"}, Out: out, Warehouse: dir}
		if country != "" {
			o.Countries = []string{country}
		}
		paths, err := WriteReports(ctx, w, o)
		if err == nil {
			t.Fatalf("report %s %s: no error, wrote %v", kind, country, paths)
		}
		var ue *models.Error
		if !errors.As(err, &ue) || models.CodeOf(err) == models.ExitOK {
			t.Errorf("report %s %s: error %v has exit code %d", kind, country, err, models.CodeOf(err))
		}
		return err.Error(), paths
	}
	for _, tc := range []struct{ kind, country, want string }{
		{"gaps", "GBR", "no recommendations"},
		{"gaps", "", "no recommendations"},
		{"clusters", "GBR", "no recommendations"},
		{"clusters", "", "no recommendations"},
	} {
		msg, _ := try(tc.kind, tc.country)
		if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "nmirf ingest") || !strings.Contains(msg, dir) {
			t.Errorf("empty warehouse, report %s %q: %q; want why (%s), what to run (nmirf ingest) and where", tc.kind, tc.country, msg, tc.want)
		}
	}
	w.Close()

	// Ingested but not classified: the gap report names classify, the
	// cluster report cluster; a country with no recommendations, ingest.
	if _, err := Ingest(ctx, IngestOptions{Inputs: sampleInputs(t), Importers: formats.All(), Warehouse: dir, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if w, err = load.Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, tc := range []struct{ kind, country, want, run string }{
		{"gaps", "GBR", "none of the 171 recommendations for GBR", "nmirf classify"},
		{"gaps", "", "none of the 171 recommendations", "nmirf classify"},
		{"clusters", "GBR", "not clustered", "nmirf cluster"},
		{"gaps", "FRA", "no recommendations for it", "nmirf ingest"},
	} {
		msg, _ := try(tc.kind, tc.country)
		if !strings.Contains(msg, tc.want) || !strings.Contains(msg, tc.run) {
			t.Errorf("report %s %q: %q; want %q and %q", tc.kind, tc.country, msg, tc.want, tc.run)
		}
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("empty reports were written: %v", ents)
	}
}
