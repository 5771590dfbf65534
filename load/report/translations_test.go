package report_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data"
	defaultmodels "github.com/nmirf/nmirf/data/models"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/followup"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/report"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// Andorra's 2011 Working Group report (A/HRC/16/8) in English, and the same
// report in English and French: the French paragraphs are versions of the
// English ones, not recommendations of their own.
var (
	wgDir          = filepath.Join("..", "..", "extract", "wgreport", "testdata")
	impactAndorra  = filepath.Join("testdata", "impact-oss-andorra.csv")
	translationNow = time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC)
)

// andorraWarehouse builds a warehouse from the given versions of Andorra's
// report through the real pipeline: ingest, classification with the
// embedded SDG model (the French paragraphs inherit the English labels),
// clustering, the embedded SDG framework, and the IMPACT OSS actions export of testdata, whose actions
// name the paragraphs they answer ("[83.2]"), as IMPACT OSS writes them.
// One status update is then added, as a tracking sheet's row gives it,
// to paragraph 83.2 in the languages of updateLangs ("en,fr": the sheet
// names the paragraph, which both versions have).
func andorraWarehouse(t *testing.T, updateLangs string, files ...string) (string, *load.Warehouse) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	var ins []*extract.Input
	for _, n := range files {
		b, err := os.ReadFile(filepath.Join(wgDir, n))
		if err != nil {
			t.Fatal(err)
		}
		in, err := extract.NewInput(n, b)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	now, _ := time.Parse(time.RFC3339, testRunTime)
	if _, err := pipeline.Ingest(ctx, pipeline.IngestOptions{Inputs: ins, Warehouse: dir, Version: "test",
		Importers: formats.All(), Now: func() time.Time { return now }}); err != nil {
		t.Fatalf("ingest %v: %v", files, err)
	}
	r, err := defaultmodels.Open(models.TaskSDG)
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.ReadModel(r, models.TaskSDG)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Classify(ctx, pipeline.ClassifyOptions{Warehouse: dir, Models: []*classify.Model{m}, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Cluster(ctx, pipeline.ClusterOptions{Warehouse: dir, Vectorizer: m.Vectorizer(), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	resp, err := followup.ParseResponsibility("default", data.Responsibility())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.FollowupImport(ctx, pipeline.FollowupImportOptions{Paths: []string{impactAndorra}, Country: "AND",
		Warehouse: dir, Version: "test", Importers: formats.All(), Responsibility: resp,
		Now: func() time.Time { return importTime }}); err != nil {
		t.Fatalf("import %s: %v", impactAndorra, err)
	}
	w, err := load.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := pipeline.LoadFramework(ctx, w); err != nil {
		t.Fatal(err)
	}
	_, err = w.DB().ExecContext(ctx, `INSERT INTO status_updates (update_id, rec_id, status, status_raw, status_date, text, reporting_entity, public,
			source_format, source_file, source_sheet, source_row, file_sha256, imported_at, import_seq, run_id)
		SELECT 'and-u1-' || language, rec_id, 'in_progress', 'in_progress', DATE '2026-02-01', 'A bill was tabled.', 'MOJ', false,
		       'mapped', 'tracking-AND.xlsx', 'Sheet1', 3, 'test', ?, 1000, 'test'
		FROM recommendations WHERE country_iso3 = 'AND' AND paragraph = '83.2' AND list_contains(string_split(?, ','), language)`, importTime, updateLangs)
	if err != nil {
		t.Fatal(err)
	}
	return dir, w
}

// readBack writes every report a reader gets of Andorra (gap report,
// cluster report, follow-up report; CSV and Markdown) and answers the
// questions a SQL user asks, all as text.
func readBack(t *testing.T, db sqlDB) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	gaps, err := report.Gaps(ctx, db.DB(), report.Options{Country: "AND", Now: translationNow, Names: norm.CountryName, RunID: "fixed"})
	if err != nil {
		t.Fatal(err)
	}
	clusters, err := report.Clusters(ctx, db.DB(), report.ClusterOptions{Country: "AND", Names: norm.CountryName})
	if err != nil {
		t.Fatal(err)
	}
	fu, err := report.Followup(ctx, db.DB(), report.FollowupOptions{Country: "AND", Now: translationNow, Names: norm.CountryName})
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(io.Writer) error{
		"gaps.csv":     func(w io.Writer) error { return report.WriteCSV(w, gaps) },
		"gaps.md":      func(w io.Writer) error { return report.WriteMarkdown(w, gaps) },
		"clusters.csv": func(w io.Writer) error { return report.WriteClustersCSV(w, clusters) },
		"clusters.md":  func(w io.Writer) error { return report.WriteClustersMarkdown(w, clusters) },
		"followup.csv": func(w io.Writer) error { return report.WriteFollowupCSV(w, fu) },
		"followup.md":  func(w io.Writer) error { return report.WriteFollowupMarkdown(w, fu) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("write %s: %v", name, err)
		}
		out[name] = b.String()
	}
	parl, err := report.Parliament(ctx, db.DB(), report.ParliamentOptions{Country: "AND", From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), Now: translationNow, Names: norm.CountryName})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteParliamentMarkdown(&b, parl); err != nil {
		t.Fatal(err)
	}
	out["parliament.md"] = b.String()
	for name, q := range map[string]string{
		"sql: recommendations":          `SELECT count(*) FROM v_recommendations WHERE country_iso3 = 'AND'`,
		"sql: gap rows":                 `SELECT string_agg(coalesce(target, goal) || '=' || recommendations || '/' || supported || '/' || clusters || '/' || followup, ' ' ORDER BY goal, target) FROM v_gap_targets WHERE country_iso3 = 'AND'`,
		"sql: cluster sizes":            `SELECT string_agg(cluster_id || '=' || size || '/' || supported, ' ' ORDER BY cluster_id) FROM v_cluster_summary WHERE country_iso3 = 'AND'`,
		"sql: follow-up status":         `SELECT string_agg(coalesce(status, 'none') || '=' || n, ' ' ORDER BY status) FROM (SELECT status, count(*) AS n FROM v_followup_status WHERE country_iso3 = 'AND' GROUP BY ALL)`,
		"sql: updates of 83.2":          `SELECT string_agg(r.paragraph || ':' || f.status || ':' || f.updates, ' ') FROM v_followup_status f JOIN recommendations r USING (rec_id) WHERE f.status IS NOT NULL`,
		"sql: target follow-up":         `SELECT string_agg(scope || '=' || recommendations || '/' || with_action || '/' || supported_no_action, ' ' ORDER BY scope) FROM v_target_followup WHERE country_iso3 = 'AND'`,
		"sql: action recommendations":   `SELECT string_agg(a.action_id || ':' || r.paragraph, ' ' ORDER BY a.action_id, r.paragraph) FROM v_action_recommendations a JOIN recommendations r USING (rec_id)`,
		"sql: action status rec_ids":    `SELECT string_agg(action_id || '=' || len(rec_ids), ' ' ORDER BY action_id) FROM v_action_status`,
		"sql: followup recommendations": `SELECT count(*) || '/' || count(*) FILTER (WHERE supported_no_action) || '/' || sum(actions) FROM v_followup_recommendations WHERE country_iso3 = 'AND'`,
	} {
		var s string
		if err := db.DB().QueryRowContext(ctx, q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out[name] = s
	}
	// The README's portable gap query (docs/gap.sql), asked of Andorra.
	query, err := os.ReadFile(filepath.Join("..", "..", "docs", "gap.sql"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.DB().QueryContext(ctx, strings.ReplaceAll(string(query), "'GBR'", "'AND'"))
	if err != nil {
		t.Fatalf("docs/gap.sql: %v", err)
	}
	defer rows.Close()
	var gap []string
	for rows.Next() {
		var target, title string
		var recs int
		var supported, indicators, latest sql.NullInt64
		if err := rows.Scan(&target, &title, &recs, &supported, &indicators, &latest); err != nil {
			t.Fatal(err)
		}
		gap = append(gap, fmt.Sprintf("%s=%d/%d", target, recs, supported.Int64))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	out["sql: docs/gap.sql"] = strings.Join(gap, " ")
	return out
}

type sqlDB interface{ DB() *sql.DB }

// TestTranslationsCountOnce: the report imported in English only and in
// English and French gives a reader the same gap, cluster, follow-up and
// parliament reports, cell by cell, and the same SQL answers; the French
// texts are still in the warehouse, linked to their English paragraphs.
func TestTranslationsCountOnce(t *testing.T) {
	_, en := andorraWarehouse(t, "en", "andorra2011.txt")
	_, both := andorraWarehouse(t, "en,fr", "andorra2011.txt", "andorra2011.fr.txt")
	one, two := readBack(t, en), readBack(t, both)

	// What is compared says something: Andorra's 56 recommendations, linked
	// to SDG targets, clustered, two of them answered by actions and one
	// updated.
	for name, want := range map[string]string{
		"sql: recommendations":        "56",
		"sql: updates of 83.2":        "83.2:in_progress:1",
		"sql: action recommendations": "IMPACT-AND-1:83.2 IMPACT-AND-2:83.10 IMPACT-AND-2:83.4",
		"sql: action status rec_ids":  "IMPACT-AND-1=1 IMPACT-AND-2=2",
	} {
		if one[name] != want {
			t.Errorf("English only: %s = %q, want %q", name, one[name], want)
		}
	}
	if n := strings.Count(one["sql: docs/gap.sql"], "="); n < 3 {
		t.Fatalf("docs/gap.sql gives %d targets for Andorra in English: %q", n, one["sql: docs/gap.sql"])
	}
	gapRows := csvRows(t, one["gaps.csv"])
	if len(gapRows) < 3 {
		t.Fatalf("English gap report has %d rows; want targets with recommendations", len(gapRows)-1)
	}
	if len(csvRows(t, one["clusters.csv"])) < 3 {
		t.Fatalf("English cluster report has no cluster:\n%s", one["clusters.csv"])
	}

	for name, a := range one {
		b := two[name]
		if a == b {
			continue
		}
		if strings.HasSuffix(name, ".csv") {
			ra, rb := csvRows(t, a), csvRows(t, b)
			if len(ra) != len(rb) {
				t.Errorf("%s: %d rows in English only, %d with the French version", name, len(ra), len(rb))
			}
			for i := 0; i < len(ra) && i < len(rb); i++ {
				for j := 0; j < len(ra[i]) && j < len(rb[i]); j++ {
					if ra[i][j] != rb[i][j] {
						t.Errorf("%s row %d column %q: %q in English only, %q with the French version", name, i, ra[0][j], ra[i][j], rb[i][j])
					}
				}
			}
			continue
		}
		la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
		for i := 0; i < len(la) || i < len(lb); i++ {
			var x, y string
			if i < len(la) {
				x = la[i]
			}
			if i < len(lb) {
				y = lb[i]
			}
			if x != y {
				t.Errorf("%s line %d:\n  English only:     %q\n  with the French: %q", name, i+1, x, y)
				break
			}
		}
	}

	// The French texts are still there, linked, and queryable.
	var n int
	var text string
	err := both.DB().QueryRow(`SELECT count(*), max(r.text) FILTER (WHERE r.paragraph = '83.2') FROM recommendations r
		JOIN recommendation_translations l ON l.translation_rec_id = r.rec_id WHERE r.language = 'fr'`).Scan(&n, &text)
	if err != nil {
		t.Fatal(err)
	}
	if n != 13 || !strings.Contains(text, "châtiments corporels") {
		t.Errorf("French paragraphs linked: %d, 83.2 reads %q; want 13 and the French text", n, text)
	}
}

func csvRows(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v\n%s", err, s)
	}
	return rows
}

// TestReviewedTargetMovesGapRow: a correction of a recommendation's SDG
// targets, returned in a review workbook, moves it in the gap report from
// the row of the target the model gave to the row of the corrected one,
// also when the correction was made on its French version.
func TestReviewedTargetMovesGapRow(t *testing.T) {
	ctx := context.Background()
	dir, w := andorraWarehouse(t, "fr", "andorra2011.txt", "andorra2011.fr.txt")
	// 83.2 (corporal punishment in the home) and its first target as the
	// model gave it.
	var enID, frID, modelTarget string
	err := w.DB().QueryRow(`SELECT r.rec_id, l.translation_rec_id, a.target FROM recommendations r
		JOIN recommendation_translations l ON l.rec_id = r.rec_id
		JOIN sdg_assignments a ON a.rec_id = r.rec_id AND a.target IS NOT NULL
		WHERE r.paragraph = '83.2' AND r.language = 'en' ORDER BY a.rank LIMIT 1`).Scan(&enID, &frID, &modelTarget)
	if err != nil {
		t.Fatal(err)
	}
	const corrected = "16.9" // a target none of Andorra's recommendations has from the model
	before := gapCells(t, w.DB())
	if before[modelTarget] == 0 {
		t.Fatalf("gap report before the review: target %s has no recommendation (%v)", modelTarget, before)
	}
	if before[corrected] != 0 {
		t.Fatalf("gap report before the review: %s already has %d recommendations; choose another target", corrected, before[corrected])
	}
	w.Close()

	// The secretariat's workbook in French, filled in as a reviewer would:
	// one row per recommendation (56, not the 69 paragraphs imported), 83.2
	// in French under its recommendation's id, the corrected SDG targets.
	out := t.TempDir()
	resp, err := followup.ParseResponsibility("default", data.Responsibility())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.FollowupExport(ctx, pipeline.FollowupExportOptions{Warehouse: dir, Country: "AND", Out: out, Version: "test",
		Language: "fr", Responsibility: resp, Now: func() time.Time { return importTime }}); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(out, "followup-AND-SECRETARIAT.xlsx")
	texts := workbookTexts(t, book)
	if len(texts) != 56 || texts[frID] != "" {
		t.Errorf("French workbook: %d rows, the French paragraph's own row %q; want 56 rows, one per recommendation", len(texts), texts[frID])
	}
	if !strings.Contains(texts[enID], "châtiments corporels") || strings.Contains(texts[enID], "corporal") {
		t.Errorf("French workbook, row of 83.2 (%s): %q; want its French text", enID, texts[enID])
	}
	fillCell(t, book, enID, "corrected sdg targets", corrected)
	var inc *models.IncompleteError
	if _, err := pipeline.FollowupImport(ctx, pipeline.FollowupImportOptions{Paths: []string{book}, Warehouse: dir, Version: "test",
		Importers: formats.All(), Now: func() time.Time { return importTime.Add(time.Hour) }}); err != nil && !errors.As(err, &inc) {
		t.Fatal(err)
	}
	w2, err := load.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	after := gapCells(t, w2.DB())
	if after[corrected] != 1 {
		t.Errorf("gap report after the review: %s has %d recommendations, want 1 (83.2)", corrected, after[corrected])
	}
	if after[modelTarget] != before[modelTarget]-1 {
		t.Errorf("gap report after the review: %s has %d recommendations, want %d (83.2 moved out)", modelTarget, after[modelTarget], before[modelTarget]-1)
	}
	// The update given to the French version only is the recommendation's.
	var upd string
	if err := w2.DB().QueryRow(`SELECT string_agg(r.paragraph || ':' || f.status || ':' || f.updates, ' ') FROM v_followup_status f
		JOIN recommendations r USING (rec_id) WHERE f.status IS NOT NULL`).Scan(&upd); err != nil || upd != "83.2:in_progress:1" {
		t.Errorf("current status after an update of the French version: %q (%v), want 83.2:in_progress:1", upd, err)
	}
	// The follow-up view reads the same targets.
	var scope string
	if err := w2.DB().QueryRow(`SELECT string_agg(scope, ' ' ORDER BY scope) FROM v_target_followup WHERE scope = ? AND country_iso3 = 'AND'`, corrected).Scan(&scope); err != nil || scope != corrected {
		t.Errorf("v_target_followup rows of %s: %q (%v)", corrected, scope, err)
	}
}

// gapCells reads Andorra's gap report as CSV and returns the
// "Recommendations" cell of each target's row, found by header words.
func gapCells(t *testing.T, db *sql.DB) map[string]int {
	t.Helper()
	rep, err := report.Gaps(context.Background(), db, report.Options{Country: "AND", Now: translationNow})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	rows := csvRows(t, b.String())
	target, recs := -1, -1
	for i, h := range rows[0] {
		switch strings.ToLower(h) {
		case "target":
			target = i
		case "recommendations":
			recs = i
		}
	}
	if target < 0 || recs < 0 {
		t.Fatalf("gap CSV header %q: no target or recommendations column", rows[0])
	}
	out := map[string]int{}
	for _, r := range rows[1:] {
		var n int
		if _, err := fmt.Sscan(r[recs], &n); err != nil {
			t.Fatalf("gap CSV: recommendations cell %q: %v", r[recs], err)
		}
		out[r[target]] = n
	}
	return out
}

// fillCell writes value in the column whose header starts with header, on
// the row of the recommendation recID, of a review workbook's first sheet.
// workbookTexts reads a review workbook's first sheet: the recommendation
// text of each recommendation id, columns found by header words.
func workbookTexts(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	textCol, idCol := -1, -1
	for i, h := range rows[0] {
		h = strings.ToLower(h)
		switch {
		case strings.HasPrefix(h, "recommendation id"):
			idCol = i
		case strings.HasPrefix(h, "recommendation"):
			textCol = i
		}
	}
	if textCol < 0 || idCol < 0 {
		t.Fatalf("%s: no recommendation or recommendation id column in %q", path, rows[0])
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		if idCol < len(r) && r[idCol] != "" {
			out[r[idCol]] = ""
			if textCol < len(r) {
				out[r[idCol]] = r[textCol]
			}
		}
	}
	return out
}

func fillCell(t *testing.T, path, recID, header, value string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	col, idCol := -1, -1
	for i, h := range rows[0] {
		h = strings.ToLower(h)
		if strings.HasPrefix(h, header) {
			col = i
		}
		if strings.HasPrefix(h, "recommendation id") {
			idCol = i
		}
	}
	if col < 0 || idCol < 0 {
		t.Fatalf("%s: no %q or recommendation id column in %q", path, header, rows[0])
	}
	for i, r := range rows {
		if idCol < len(r) && r[idCol] == recID {
			cell, _ := excelize.CoordinatesToCellName(col+1, i+1)
			if err := f.SetCellStr(sheet, cell, value); err != nil {
				t.Fatal(err)
			}
			if err := f.Save(); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("%s: no row of %s", path, recID)
}
