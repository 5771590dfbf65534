package report_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/extract/indicators"
	"github.com/nmirf/nmirf/extract/sdg"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// The warehouse of these tests is filled from real material only:
//   - the embedded UK sample (UPR Info export and two Working Group reports),
//     OHCHR's China 2018 matrix and the UHRI export fixture, through the real
//     ingest pipeline;
//   - SDG assignments taken from the SDG labels those sources carry
//     (scheme uhri-sdg: OHCHR's goals for China 2018, goals and targets in
//     the UHRI fixture);
//   - the 2025 SDG framework shipped in data/sdg;
//   - indicator observations read from the extract/indicators fixtures, the
//     embedded UK Open SDG sample and two Global Database slices in
//     testdata/, stored by the warehouse's own writer;
//   - clusters grouping each country's recommendations by the UHRI theme a
//     source gave them (groups of two or more).
var (
	matrixChina2018 = filepath.Join("..", "..", "extract", "matrix", "testdata", "Matrix_recommendations_2018.docx")
	uhriFixture     = filepath.Join("..", "..", "extract", "uhri", "testdata", "uhri-export-sample.json")
	frameworkCSV    = filepath.Join("..", "..", "data", "sdg", "global-indicator-framework-2025.csv")
	indicatorsDir   = filepath.Join("..", "..", "extract", "indicators", "testdata")
	// The UK Open SDG sample shipped in the binary (16.1.1 by age and sex, …).
	sampleUK = filepath.Join("..", "..", "data", "sample-indicators", "open-sdg-uk")
)

const testRunTime = "2025-03-01T12:00:00Z"

type fixture struct {
	dir string
	w   *load.Warehouse
	db  *sql.DB
	obs []models.Observation
	fw  *sdg.Framework
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
	fixDir  string
)

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "nmirf-report-test")
	if err != nil {
		panic(err)
	}
	fixDir = d
	code := m.Run()
	if fix != nil {
		fix.w.Close()
	}
	os.RemoveAll(d)
	os.Exit(code)
}

// warehouse builds the shared test warehouse once; tests only read it.
func warehouse(t *testing.T) *fixture {
	t.Helper()
	fixOnce.Do(func() { fix, fixErr = build(context.Background(), filepath.Join(fixDir, "wh")) })
	if fixErr != nil {
		t.Fatal(fixErr)
	}
	return fix
}

func build(ctx context.Context, dir string) (*fixture, error) {
	files, err := data.Sample()
	if err != nil {
		return nil, err
	}
	var ins []*extract.Input
	for _, f := range files {
		in, err := extract.NewInput(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		ins = append(ins, in)
	}
	now, _ := time.Parse(time.RFC3339, testRunTime)
	_, err = pipeline.Ingest(ctx, pipeline.IngestOptions{
		Paths: []string{matrixChina2018, uhriFixture}, Inputs: ins,
		Warehouse: dir, Version: "test", Importers: formats.All(), Now: func() time.Time { return now },
	})
	// The UHRI fixture holds deliberately broken records: the batch is
	// committed without them.
	var inc *models.IncompleteError
	if err != nil && !errors.As(err, &inc) {
		return nil, err
	}
	w, err := load.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	f := &fixture{dir: dir, w: w, db: w.DB()}
	steps := []func(context.Context, *fixture) error{loadFramework, loadObservations, assignFromLabels, clusterByTheme}
	for _, step := range steps {
		if err := step(ctx, f); err != nil {
			w.Close()
			return nil, err
		}
	}
	if err := load.CreateViews(ctx, f.db); err != nil {
		w.Close()
		return nil, err
	}
	return f, nil
}

func loadFramework(ctx context.Context, f *fixture) error {
	r, err := os.Open(frameworkCSV)
	if err != nil {
		return err
	}
	defer r.Close()
	fw, err := sdg.Parse(r)
	if err != nil {
		return err
	}
	f.fw = fw
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, g := range fw.Goals {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sdg_goals VALUES (?, ?)`, g.Code, g.Title); err != nil {
			return err
		}
	}
	for _, t := range fw.Targets {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sdg_targets VALUES (?, ?, ?)`, t.Code, t.Goal, t.Title); err != nil {
			return err
		}
	}
	for _, i := range fw.Indicators {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sdg_indicators VALUES (?, ?, ?, ?, ?)`, i.Code, i.Target, i.Title, i.UNSDCode, i.Tier); err != nil {
			return err
		}
	}
	for _, l := range fw.Links {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sdg_indicator_targets VALUES (?, ?)`, l.Indicator, l.Target); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func loadObservations(ctx context.Context, f *fixture) error {
	for _, d := range []string{
		filepath.Join(indicatorsDir, "open-sdg-uk"), filepath.Join(indicatorsDir, "open-sdg-usa"),
		filepath.Join(indicatorsDir, "open-sdg-canada"), filepath.Join(indicatorsDir, "open-sdg-kazakhstan"),
		sampleUK,
	} {
		res, err := indicators.ReadOpenSDGDir(ctx, d, indicators.Options{})
		if err != nil {
			return err
		}
		f.obs = append(f.obs, res.Observations...)
	}
	for _, path := range []string{
		filepath.Join(indicatorsDir, "un-sdg-global-database", "Goal1-slice.csv"),
		filepath.Join(indicatorsDir, "un-sdg-global-database", "Goal14-slice.csv"),
		filepath.Join("testdata", "Goal5-CHN-slice.csv"),
		filepath.Join("testdata", "Goal1-CHN-DNK-SVN-slice.csv"),
	} {
		in, err := extract.ReadInput(path)
		if err != nil {
			return err
		}
		res, err := indicators.ReadGlobalDatabase(ctx, in)
		if err != nil {
			return err
		}
		f.obs = append(f.obs, res.Observations...)
	}
	// Stored by the warehouse's own writer, as `nmirf indicators import`
	// does, one entry per (dataset, file).
	var files []load.ObservationFile
	at := map[[2]string]int{}
	for _, o := range f.obs {
		k := [2]string{o.Dataset, o.File}
		i, ok := at[k]
		if !ok {
			i = len(files)
			at[k] = i
			files = append(files, load.ObservationFile{Dataset: o.Dataset, File: o.File, SHA256: "sha-" + o.File})
		}
		files[i].Observations = append(files[i].Observations, o)
	}
	started, _ := time.Parse(time.RFC3339, testRunTime)
	started = started.Add(time.Minute)
	run := &models.Run{RunID: models.NewRunID(started), Command: "indicators import", Version: "test", StartedAt: started,
		FinishedAt: started.Add(time.Second), Status: "ok"}
	return f.w.WriteObservations(ctx, run, files)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// sdgLabelRe reads the goal and target of an SDG label as the sources write
// it: "S16 SDG 16 - peace, …" (OHCHR matrices), "16 - PEACE, …" and
// "16.3 - Promote the rule of law …" (UHRI vocabulary) and bare codes
// "16", "16.3" (as the UHRI importer stores them). "S Sustainable Development Goal
// implementation" names no goal.
var sdgLabelRe = regexp.MustCompile(`^(?:S\d{1,2} SDG )?(\d{1,2})(?:\.([0-9a-z]{1,2}))?(?:\s*-|$)`)

// parseSDGLabel returns the goal and target ("" for a goal label) of a label.
func parseSDGLabel(label string) (goal, target string, ok bool) {
	m := sdgLabelRe.FindStringSubmatch(label)
	if m == nil {
		return "", "", false
	}
	if m[2] != "" {
		return m[1], m[1] + "." + m[2], true
	}
	return m[1], "", true
}

type sdgLink struct{ recID, goal, target string }

// sourceSDGLinks maps the uhri-sdg source labels to goal and target links,
// one per recommendation, goal and target.
func sourceSDGLinks(ctx context.Context, db *sql.DB) ([]sdgLink, error) {
	rows, err := db.QueryContext(ctx, `SELECT rec_id, label FROM source_labels WHERE scheme = ? ORDER BY rec_id, label, source`, models.SchemeUHRISDG)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[sdgLink]bool{}
	var out []sdgLink
	for rows.Next() {
		var id, label string
		if err := rows.Scan(&id, &label); err != nil {
			return nil, err
		}
		g, t, ok := parseSDGLabel(label)
		l := sdgLink{id, g, t}
		if ok && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out, rows.Err()
}

func assignFromLabels(ctx context.Context, f *fixture) error {
	links, err := sourceSDGLinks(ctx, f.db)
	if err != nil {
		return err
	}
	rank := map[string]int{}
	for _, l := range links {
		rank[l.recID]++
		if _, err := f.db.ExecContext(ctx, `INSERT INTO sdg_assignments
			SELECT ?, ?, ?, 1.0, ?, false, 'source-labels', NULL, text_sha256, 'test' FROM recommendations WHERE rec_id = ?`,
			l.recID, l.goal, nullable(l.target), rank[l.recID], l.recID); err != nil {
			return err
		}
	}
	return nil
}

// clusterByTheme groups each country's recommendations by a UHRI theme a
// source gave them, keeping groups of two to twelve (the largest themes
// are whole chapters, not "the same request").
func clusterByTheme(ctx context.Context, f *fixture) error {
	rows, err := f.db.QueryContext(ctx, `SELECT r.country_iso3, l.label, list(DISTINCT r.rec_id ORDER BY r.rec_id)
		FROM source_labels l JOIN recommendations r USING (rec_id)
		WHERE l.scheme = 'uhri-theme'
		GROUP BY ALL HAVING count(DISTINCT r.rec_id) BETWEEN 2 AND 12
		ORDER BY 1, 2`)
	if err != nil {
		return err
	}
	type group struct {
		country, label string
		ids            []string
	}
	var groups []group
	for rows.Next() {
		var g group
		var ids []any
		if err := rows.Scan(&g.country, &g.label, &ids); err != nil {
			rows.Close()
			return err
		}
		for _, id := range ids {
			g.ids = append(g.ids, id.(string))
		}
		sort.Strings(g.ids)
		groups = append(groups, g)
	}
	rows.Close()
	for i, g := range groups {
		id := "C" + g.country + "-" + string(rune('A'+i/26)) + string(rune('A'+i%26))
		if _, err := f.db.ExecContext(ctx, `INSERT INTO clusters (cluster_id, country_iso3, label, size, run_id) VALUES (?, ?, ?, ?, 'test')`,
			id, g.country, g.label, len(g.ids)); err != nil {
			return err
		}
		for j, rec := range g.ids {
			if _, err := f.db.ExecContext(ctx, `INSERT INTO cluster_members VALUES (?, ?, ?)`, id, rec, 1-float64(j)/100); err != nil {
				return err
			}
		}
	}
	return nil
}
