package site_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data"
	defaultmodels "github.com/nmirf/nmirf/data/models"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/site"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// The warehouse of these tests is the one `nmirf run` builds from the
// sample embedded in the binary (the United Kingdom's first two UPR
// reviews from the UPR Info export and both Working Group reports, the
// default models, the UK Open SDG indicator files), built once and copied
// for each test. Follow-up rows (entities, actions, status updates) are
// added by the tests, shaped on a national action plan.
var baseDir string

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewJSONHandler(io.Discard, nil)))
	dir, err := os.MkdirTemp("", "nmirf-site-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	baseDir = filepath.Join(dir, "warehouse")
	if err := buildSample(context.Background(), baseDir); err != nil {
		fmt.Fprintln(os.Stderr, "build the sample warehouse:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func sampleInputs(files []data.SampleFile) ([]*extract.Input, error) {
	var out []*extract.Input
	for _, f := range files {
		in, err := extract.NewInput("embedded:"+f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

func buildSample(ctx context.Context, dir string) error {
	sample, err := data.Sample()
	if err != nil {
		return err
	}
	ins, err := sampleInputs(sample)
	if err != nil {
		return err
	}
	indFiles, err := data.SampleIndicators()
	if err != nil {
		return err
	}
	inds, err := sampleInputs(indFiles)
	if err != nil {
		return err
	}
	var mods []*classify.Model
	for _, t := range models.Tasks {
		r, err := defaultmodels.Open(t.Name)
		if err != nil {
			return err
		}
		md, err := classify.ReadModel(r, t.Name)
		if err != nil {
			return err
		}
		mods = append(mods, md)
	}
	_, err = pipeline.RunBatch(ctx, pipeline.BatchOptions{Warehouse: dir, Version: "test",
		Ingest: pipeline.IngestOptions{Inputs: ins, Importers: formats.All()}, Models: mods,
		IndicatorInputs: inds, IndicatorDataset: "open-sdg-uk", IndicatorCountry: "GBR"})
	return err
}

// warehouse copies the sample warehouse for one test and opens it.
func warehouse(t testing.TB) *load.Warehouse {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "warehouse")
	if out, err := exec.Command("cp", "-a", baseDir, dir).CombinedOutput(); err != nil {
		t.Fatalf("copy warehouse: %v %s", err, out)
	}
	w, err := load.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// followupTables creates the follow-up tables where the warehouse does not
// have them yet, with the columns the site reads.
const followupTables = `
CREATE TABLE IF NOT EXISTS entities (entity_code VARCHAR NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, parent_code VARCHAR,
    focal_point_name VARCHAR, focal_point_email VARCHAR, deputy_name VARCHAR, deputy_email VARCHAR, source VARCHAR NOT NULL, run_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS actions (action_id VARCHAR NOT NULL, country_iso3 VARCHAR, title VARCHAR NOT NULL, description VARCHAR, lead_entity VARCHAR,
    supporting_entities VARCHAR[], start_date DATE, target_date DATE, sdg_indicators VARCHAR[], budget_line VARCHAR, outcome VARCHAR,
    public BOOLEAN NOT NULL, source_file VARCHAR NOT NULL, source_row INTEGER, imported_at TIMESTAMP NOT NULL, run_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS action_links (action_id VARCHAR NOT NULL, rec_id VARCHAR, cluster_id VARCHAR, run_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS status_updates (update_id VARCHAR NOT NULL, rec_id VARCHAR, action_id VARCHAR, status VARCHAR NOT NULL, status_raw VARCHAR,
    status_date DATE NOT NULL, text VARCHAR, evidence_url VARCHAR, reporting_entity VARCHAR, public BOOLEAN NOT NULL, source_format VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL, source_sheet VARCHAR, source_row INTEGER, file_sha256 VARCHAR NOT NULL, export_id VARCHAR,
    imported_at TIMESTAMP NOT NULL, import_seq BIGINT NOT NULL, run_id VARCHAR NOT NULL);
`

// Strings no page may carry unescaped.
const (
	hostileText   = `<script>alert(1)</script>`
	hostileEntity = `"><img src=x onerror=alert(2)>`
	privateMarker = "PRIVATE-7f3a9c-NOT-FOR-PUBLICATION"
	publicMarker  = "Bill on independent custody visits tabled in Parliament"
)

// followup adds follow-up rows: two entities (one with a hostile name),
// an action linked to a cluster, public updates and one private update that
// carries privateMarker; one recommendation text is made hostile. It
// returns the ids it touched.
type touched struct{ rec, cluster, otherRec string }

func followup(t *testing.T, db *sql.DB) touched {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, followupTables); err != nil {
		t.Fatal(err)
	}
	var tc touched
	if err := db.QueryRowContext(ctx, `SELECT c.cluster_id, min(m.rec_id) FROM clusters c JOIN cluster_members m USING (cluster_id)
		WHERE c.country_iso3 = 'GBR' GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1`).Scan(&tc.cluster, &tc.rec); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT min(rec_id) FROM recommendations WHERE country_iso3 = 'GBR' AND rec_id NOT IN
		(SELECT rec_id FROM cluster_members WHERE cluster_id = ?)`, tc.cluster).Scan(&tc.otherRec); err != nil {
		t.Fatal(err)
	}
	stmts := []string{
		`INSERT INTO entities VALUES ('MOJ', 'Ministry of Justice', 'ministry', NULL, 'A. Focal', 'focal@example.org', NULL, NULL, 'test', 'r1'),
		                           ('HO', '` + hostileEntity + `', 'ministry', NULL, NULL, NULL, NULL, NULL, 'test', 'r1')`,
		`INSERT INTO actions VALUES ('A1', 'GBR', 'Independent custody visiting', 'Put custody visits on a statutory footing', 'MOJ', NULL, NULL, DATE '2027-12-31', NULL, NULL, NULL, true, 'plan.xlsx', 2, now(), 'r1'),
		                          ('A2', 'GBR', 'Internal budget review ` + privateMarker + `', NULL, 'MOJ', NULL, NULL, NULL, NULL, NULL, NULL, false, 'plan.xlsx', 3, now(), 'r1')`,
		`INSERT INTO action_links VALUES ('A1', NULL, '` + tc.cluster + `', 'r1'), ('A2', '` + tc.rec + `', NULL, 'r1')`,
		`INSERT INTO status_updates VALUES
		 ('u1', '` + tc.rec + `', NULL, 'in_progress', 'In progress', DATE '2025-06-01', '` + publicMarker + `', NULL, 'MOJ', true, 'mapped', 'track.xlsx', 'S', 2, 'x', NULL, now(), 1, 'r1'),
		 ('u2', '` + tc.rec + `', NULL, 'not_started', 'Draft', DATE '2025-07-01', '` + privateMarker + `', NULL, 'MOJ', false, 'mapped', 'track.xlsx', 'S', 3, 'x', NULL, now(), 2, 'r1'),
		 ('u3', NULL, 'A1', 'partially_implemented', NULL, DATE '2025-08-01', 'Regulations drafted', NULL, 'HO', true, 'mapped', 'track.xlsx', 'S', 4, 'x', NULL, now(), 3, 'r1'),
		 ('u4', NULL, 'A2', 'implemented', NULL, DATE '2025-08-01', '` + privateMarker + `', NULL, 'MOJ', false, 'mapped', 'track.xlsx', 'S', 5, 'x', NULL, now(), 4, 'r1')`,
		`UPDATE recommendations SET text = text || ' ` + hostileText + `' WHERE rec_id = '` + tc.otherRec + `'`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
	// The lead entity: through the responsibility view where the warehouse
	// has one, else a table of the same shape.
	if ok := exists(t, db, "responsibility_rules"); ok {
		if _, err := db.ExecContext(ctx, `INSERT INTO reviewed_labels VALUES ('rv1', '`+tc.rec+`', 'lead-entity', ['HO'], 'HO', DATE '2025-05-01', 'r.xlsx', 'S', 2, 'x', now(), 1, 'r1')`); err != nil {
			t.Fatal(err)
		}
	} else if !exists(t, db, "v_responsibility") {
		if _, err := db.ExecContext(ctx, `CREATE TABLE v_responsibility AS SELECT rec_id, country_iso3, CASE WHEN rec_id = '`+tc.rec+`' THEN 'HO' END AS lead_entity FROM recommendations`); err != nil {
			t.Fatal(err)
		}
	}
	return tc
}

func exists(t *testing.T, db *sql.DB, name string) bool {
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func build(t *testing.T, w *load.Warehouse, out string, langs ...string) site.Stats {
	t.Helper()
	st, err := pipeline.WriteSite(context.Background(), w, pipeline.SiteOptions{Country: "GBR", Langs: langs, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	return st
}
