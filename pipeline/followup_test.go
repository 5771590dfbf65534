package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data"
	extfollowup "github.com/nmirf/nmirf/extract/followup"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

func defaultResponsibility(t testing.TB) *models.Responsibility {
	t.Helper()
	r, err := extfollowup.ParseResponsibility("default", data.Responsibility())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fill copies a workbook and writes values into cells, as a focal point
// typing into it would (excelize, like a careless user with a macro, is not
// stopped by the sheet protection, so the bad edits below are possible).
func fill(t testing.TB, src, dst string, sheet string, cells map[string]string) {
	t.Helper()
	f, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for c, v := range cells {
		if err := f.SetCellStr(sheet, c, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(dst); err != nil {
		t.Fatal(err)
	}
}

func query1(t testing.TB, dir, q string, args ...any) string {
	t.Helper()
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var s string
	if err := w.DB().QueryRow(q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s
}

func cellOf(t testing.TB, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestFollowupRoundTripOnSample(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := RunBatch(ctx, BatchOptions{Warehouse: dir, Version: "test",
		Ingest: IngestOptions{Inputs: sampleInputs(t), Importers: formats.All()},
		Models: []*classify.Model{testIssuesModel(t)}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "sent")
	badOut := filepath.Join(t.TempDir(), "bad")
	if _, err := FollowupExport(ctx, FollowupExportOptions{Warehouse: dir, Country: "GBR", Out: badOut, Language: "French", Version: "test"}); err == nil || !strings.Contains(err.Error(), `--lang "French"`) {
		t.Errorf("export with --lang French: %v; want an error naming the flag", err)
	}
	if _, err := os.Stat(badOut); !os.IsNotExist(err) {
		t.Errorf("export with a bad --lang wrote %s (%v)", badOut, err)
	}
	run, err := FollowupExport(ctx, FollowupExportOptions{Warehouse: dir, Country: "GBR", Out: out, Responsibility: defaultResponsibility(t), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]int{}
	for _, in := range run.Inputs {
		files[in.Name] = in.Records
	}
	total := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) FROM v_recommendations WHERE country_iso3 = 'GBR'`)
	if got := files["followup-GBR-SECRETARIAT.xlsx"]; total != itoa(got) {
		t.Fatalf("secretariat workbook has %d rows, want every one of %s recommendations; files %v", got, total, files)
	}
	// The UPR Info issues of the sample propose lead entities: the justice
	// ministry leads on some of the United Kingdom's recommendations.
	moj := files["followup-GBR-MOJ.xlsx"]
	wantMOJ := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) FROM v_responsibility WHERE country_iso3 = 'GBR' AND lead_entity = 'MOJ'`)
	if moj < 3 || itoa(moj) != wantMOJ {
		t.Fatalf("MOJ workbook has %d rows, v_responsibility says %s", moj, wantMOJ)
	}

	// What a focal point reads.
	sent := filepath.Join(out, "followup-GBR-MOJ.xlsx")
	f, err := excelize.OpenFile(sent)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if strings.Join(sheets, "|") != "Recommendations|How to fill|_nmirf" {
		t.Errorf("sheets %v", sheets)
	}
	id2 := cellOf(t, f, "Recommendations", "A2")
	text := query1(t, dir, `SELECT text FROM recommendations WHERE rec_id = ?`, id2)
	if got := cellOf(t, f, "Recommendations", "C2"); got != text {
		t.Errorf("C2 = %q, want the recommendation's text %q", got, text)
	}
	if got := cellOf(t, f, "Recommendations", "J2"); got != "MOJ" {
		t.Errorf("proposed lead J2 = %q", got)
	}
	if got := cellOf(t, f, "Recommendations", "M1"); got != "Status (fill in)" {
		t.Errorf("M1 = %q", got)
	}
	dvs, err := f.GetDataValidations("Recommendations")
	if err != nil {
		t.Fatal(err)
	}
	var lists []string
	for _, dv := range dvs {
		lists = append(lists, dv.Sqref+"="+dv.Formula1)
	}
	if len(lists) == 0 || !strings.HasPrefix(lists[0], "M2:M") || !strings.Contains(lists[0], "not_started,in_progress,partially_implemented,implemented,not_applicable") {
		t.Errorf("status drop-down: %v", lists)
	}
	lockedStyle, _ := f.GetCellStyle("Recommendations", "A2")
	openStyle, _ := f.GetCellStyle("Recommendations", "M2")
	ls, _ := f.GetStyle(lockedStyle)
	os_, _ := f.GetStyle(openStyle)
	if ls.Protection == nil || !ls.Protection.Locked || os_.Protection == nil || os_.Protection.Locked {
		t.Errorf("id column locked %+v, status column %+v", ls.Protection, os_.Protection)
	}
	vis, _ := f.GetSheetVisible("_nmirf")
	if vis {
		t.Error("the export sheet is visible")
	}
	whID := query1(t, dir, `SELECT value FROM warehouse_info WHERE key = 'warehouse_id'`)
	if got := cellOf(t, f, "_nmirf", "B2"); got != whID {
		t.Errorf("hidden sheet warehouse id %q, want %q", got, whID)
	}
	exportID := run.RunID
	if cellOf(t, f, "_nmirf", "B3") != run.RunID || cellOf(t, f, "_nmirf", "B5") != "MOJ" || cellOf(t, f, "_nmirf", "B10") != id2 {
		t.Errorf("hidden sheet: export %q entity %q first row %q", cellOf(t, f, "_nmirf", "B3"), cellOf(t, f, "_nmirf", "B5"), cellOf(t, f, "_nmirf", "B10"))
	}
	id3, id4, id5, id6 := cellOf(t, f, "Recommendations", "A3"), cellOf(t, f, "Recommendations", "A4"), cellOf(t, f, "Recommendations", "A5"), cellOf(t, f, "Recommendations", "A6")
	f.Close()

	// The focal point fills in three rows and corrects one.
	back := t.TempDir()
	returned := filepath.Join(back, "followup-GBR-MOJ.xlsx")
	fill(t, sent, returned, "Recommendations", map[string]string{
		"M2": "in_progress", "N2": "Bill introduced in Parliament.", "O2": "https://example.org/bill", "P2": "2026-03-01",
		"M3": "implemented", "N3": "Act in force.", "P3": "2025-11-30",
		"M4": "Partially implemented", "P4": "2026-01-15", // other case and spacing than the list: still the list's value
		"Q5": "Rule of law & impunity; Access to justice & remedy", "R5": "16.3", "S5": "MOI",
	})
	imp := FollowupImportOptions{Warehouse: dir, Version: "test", Importers: formats.All()}
	imp.Paths = []string{returned}
	if run, err := FollowupImport(ctx, imp); err != nil || run.Counts.Updates != 3 || run.Counts.Reviews != 3 {
		t.Fatalf("import: %v; %d updates, %d reviews added, want 3 and 3", err, run.Counts.Updates, run.Counts.Reviews)
	}
	if got := query1(t, dir, `SELECT status || '|' || update_text || '|' || evidence_url || '|' || CAST(status_date AS VARCHAR) || '|' || reporting_entity || '|' || source_row FROM v_followup_status WHERE rec_id = ?`, id2); got != "in_progress|Bill introduced in Parliament.|https://example.org/bill|2026-03-01|MOJ|2" {
		t.Errorf("v_followup_status of row 2: %q", got)
	}
	if got := query1(t, dir, `SELECT status FROM v_followup_status WHERE rec_id = ?`, id4); got != "partially_implemented" {
		t.Errorf("row 4 status %q", got)
	}
	if got := query1(t, dir, `SELECT string_agg(label, '; ' ORDER BY rank) FROM v_theme_labels WHERE rec_id = ? AND scheme = 'uhri-theme'`, id5); got != "Rule of law & impunity; Access to justice & remedy" {
		t.Errorf("reviewed themes of row 5: %q", got)
	}
	if got := query1(t, dir, `SELECT string_agg(target, ',') FROM v_sdg_labels WHERE rec_id = ?`, id5); got != "16.3" {
		t.Errorf("reviewed targets of row 5: %q", got)
	}
	if got := query1(t, dir, `SELECT proposed_lead || '>' || lead_entity || '|' || lead_source FROM v_responsibility WHERE rec_id = ?`, id5); got != "MOJ>MOI|confirmed" {
		t.Errorf("lead of row 5: %q", got)
	}
	if got := query1(t, dir, `SELECT string_agg(label, ';') FROM v_training_labels WHERE rec_id = ? AND task = 'uhri-themes'`, id5); got == "" {
		t.Error("reviewed themes are not training examples")
	}
	ex, err := ReviewedExamples(ctx, dir, models.TaskUHRIThemes, nil)
	if err != nil || len(ex) != 1 || ex[0].Text != query1(t, dir, `SELECT text FROM recommendations WHERE rec_id = ?`, id5) ||
		strings.Join(ex[0].Labels, "|") != "Access to justice & remedy|Rule of law & impunity" {
		t.Errorf("reviewed training examples %+v, %v", ex, err)
	}
	if ex, err := ReviewedExamples(ctx, dir, models.TaskSDG, nil); err != nil || len(ex) != 1 || strings.Join(ex[0].Labels, "|") != "16.3" {
		t.Errorf("reviewed SDG examples %+v, %v", ex, err)
	}
	history := func() string {
		return query1(t, dir, `SELECT string_agg(CAST(s AS VARCHAR), E'\n' ORDER BY import_seq) FROM status_updates s`)
	}
	h1 := history()
	if n := strings.Count(h1, "\n") + 1; n != 3 {
		t.Fatalf("%d updates stored, want 3", n)
	}

	// The same workbook again, read anew (--force) and re-saved: nothing added.
	imp.Force = true
	if run, err := FollowupImport(ctx, imp); err != nil || run.Counts.Updates+run.Counts.Reviews != 0 {
		t.Fatalf("re-import: %v; %+v", err, run.Counts)
	}
	resaved := filepath.Join(back, "resaved.xlsx")
	fill(t, returned, resaved, "How to fill", map[string]string{"D1": "seen"})
	imp.Paths = []string{resaved}
	if _, err := FollowupImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	if h := history(); h != h1 {
		t.Errorf("re-import changed the history:\n%s\nwas\n%s", h, h1)
	}
	if got := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) FROM reviewed_labels`); got != "3" {
		t.Errorf("%s reviews after re-import, want 3", got)
	}

	// A copy of the same export filled in earlier, by someone else: an older
	// status for row 2. Both kept, in date order; the later stays current.
	older := filepath.Join(back, "older.xlsx")
	fill(t, sent, older, "Recommendations", map[string]string{"M2": "not_started", "N2": "Consultation planned.", "P2": "2025-06-01"})
	imp.Paths = []string{older}
	run, err = FollowupImport(ctx, imp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(run.Warnings, "\n"), "older than the update already stored (2026-03-01, in_progress") {
		t.Errorf("no conflict listed: %v", run.Warnings)
	}
	h2 := history()
	if !strings.HasPrefix(h2, h1+"\n") || strings.Count(h2, "\n") != 3 {
		t.Errorf("history after the older workbook:\n%s\nwant the earlier rows unchanged and one more", h2)
	}
	if got := query1(t, dir, `SELECT status || ' ' || CAST(updates AS VARCHAR) || ' ' || CAST(first_update_date AS VARCHAR) FROM v_followup_status WHERE rec_id = ?`, id2); got != "in_progress 2 2025-06-01" {
		t.Errorf("row 2 after the older update: %q", got)
	}

	// Bad edits: an id changed, a status outside the list, a date in the
	// future, a missing date, a row moved in from another workbook; one good row.
	sec, err := excelize.OpenFile(filepath.Join(out, "followup-GBR-SECRETARIAT.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	var foreign string
	rows, _ := sec.GetRows("Recommendations")
	for _, r := range rows[1:] {
		if r[0] != id2 && r[0] != id3 && r[0] != id4 && r[0] != id5 && r[0] != id6 && !strings.HasPrefix(r[9], "MOJ") {
			foreign = r[0]
			break
		}
	}
	sec.Close()
	bad := filepath.Join(back, "bad.xlsx")
	fill(t, sent, bad, "Recommendations", map[string]string{
		"A2": "R0000000000000000", "M2": "implemented", "P2": "2026-01-01",
		"M3": "done", "P3": "2026-01-01",
		"M4": "implemented", "P4": "2099-01-01",
		"M5": "in_progress",
		"A6": foreign, "M6": "implemented", "P6": "2026-02-01",
		"M7": "not_applicable", "N7": "Devolved matter.", "P7": "2026-02-02",
		"S8": "XYZ",
	})
	imp.Paths = []string{bad}
	run, err = FollowupImport(ctx, imp)
	var inc *models.IncompleteError
	if !errors.As(err, &inc) || models.CodeOf(err) != models.ExitIncomplete {
		t.Fatalf("bad workbook: %v, want an incomplete batch", err)
	}
	var got []string
	for _, e := range inc.Rejected {
		got = append(got, e.Error())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"bad.xlsx row 2 field \"sheet Recommendations, column A (Recommendation id)\": recommendation id changed from " + id2 + " to R0000000000000000",
		"bad.xlsx row 3 field \"sheet Recommendations, column M (Status (fill in))\": status \"done\" is not in the list",
		"bad.xlsx row 4 field \"sheet Recommendations, column P (Date of the update, YYYY-MM-DD (fill in))\": date 2099-01-01 is in the future",
		"bad.xlsx row 5 field \"sheet Recommendations, column P (Date of the update, YYYY-MM-DD (fill in))\": a status needs the date",
		"bad.xlsx row 6 field \"sheet Recommendations, column A (Recommendation id)\": recommendation id changed from " + id6 + " to " + foreign,
		"bad.xlsx row 8 field \"sheet Recommendations, column S (Lead entity, if not the proposed one (fill in))\": unknown entity \"XYZ\"",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("rejections lack %q:\n%s", want, all)
		}
	}
	if len(got) != 6 {
		t.Errorf("%d rejections, want 6:\n%s", len(got), all)
	}
	if got := query1(t, dir, `SELECT status FROM v_followup_status WHERE rec_id = (SELECT rec_id FROM recommendations WHERE rec_id = ?)`, cellAt(t, sent, "A7")); got != "not_applicable" {
		t.Errorf("the good row of the bad workbook: %q", got)
	}
	if got := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) FROM ingest_errors WHERE file LIKE '%bad.xlsx'`); got != "6" {
		t.Errorf("%s ingest_errors rows for bad.xlsx", got)
	}
	if h3 := history(); !strings.HasPrefix(h3, h2+"\n") {
		t.Error("earlier history changed by the bad workbook")
	}

	// The next export shows what came back: current status and latest
	// update, the confirmed lead; the recommendation moved to its
	// confirmed lead's workbook.
	out2 := filepath.Join(t.TempDir(), "sent2")
	run, err = FollowupExport(ctx, FollowupExportOptions{Warehouse: dir, Country: "GBR", Out: out2, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	moi, err := excelize.OpenFile(filepath.Join(out2, "followup-GBR-MOI.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rowsMOI, _ := moi.GetRows("Recommendations")
	moi.Close()
	found := false
	for _, r := range rowsMOI[1:] {
		if r[0] == id5 {
			found = true
			if r[9] != "MOI (confirmed)" || !strings.Contains(r[7], "Rule of law & impunity (reviewed)") || r[8] != "16.3 (reviewed)" {
				t.Errorf("row of %s in the MOI workbook: lead %q themes %q targets %q", id5, r[9], r[7], r[8])
			}
		}
	}
	if !found {
		t.Errorf("%s, confirmed to MOI, is not in MOI's next workbook", id5)
	}
	for _, r := range mustRows(t, filepath.Join(out2, "followup-GBR-MOJ.xlsx")) {
		if r[0] == id5 {
			t.Errorf("%s is still in MOJ's workbook after MOI was confirmed", id5)
		}
		if r[0] == id2 && (r[10] != "in_progress" || r[11] != "2026-03-01: Bill introduced in Parliament.") {
			t.Errorf("row of %s: current status %q latest update %q", id2, r[10], r[11])
		}
	}

	// Reviews survive reclassification with a new model.
	if _, err := RunBatch(ctx, BatchOptions{Warehouse: dir, Version: "test", Ingest: IngestOptions{Inputs: sampleInputs(t), Importers: formats.All()},
		Models: []*classify.Model{testIssuesModel(t)}, ReclassAll: true}); err != nil {
		t.Fatal(err)
	}
	if got := query1(t, dir, `SELECT string_agg(target, ',') FROM v_sdg_labels WHERE rec_id = ?`, id5); got != "16.3" {
		t.Errorf("reviewed targets after reclassification: %q", got)
	}

	// A workbook from another warehouse is refused whole.
	other := filepath.Join(back, "other.xlsx")
	fill(t, sent, other, "_nmirf", map[string]string{"B2": "00000000-0000-0000-0000-000000000000"})
	fill(t, other, other, "Recommendations", map[string]string{"M8": "implemented", "P8": "2026-02-01"})
	imp.Paths = []string{other}
	_, err = FollowupImport(ctx, imp)
	if !errors.As(err, &inc) || !strings.Contains(inc.Rejected[0].Error(), "exported from another warehouse") {
		t.Errorf("other warehouse: %v", err)
	}
	if got := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) FROM status_updates WHERE rec_id = ?`, cellAt(t, sent, "A8")); got != "0" {
		t.Errorf("%s updates from another warehouse's workbook", got)
	}

	// A hidden sheet edited to claim other rows is refused whole.
	tampered := filepath.Join(back, "tampered.xlsx")
	fill(t, sent, tampered, "_nmirf", map[string]string{"B11": foreign})
	fill(t, tampered, tampered, "Recommendations", map[string]string{"A3": foreign, "M3": "implemented", "P3": "2026-02-01"})
	imp.Paths = []string{tampered}
	_, err = FollowupImport(ctx, imp)
	if !errors.As(err, &inc) || len(inc.Rejected) != 1 || !strings.Contains(inc.Rejected[0].Error(), "the hidden sheet does not list "+id3+", which export "+exportID+" wrote; nothing of this workbook was imported") {
		t.Errorf("tampered hidden sheet: %v", err)
	}
	if got := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) FROM status_updates WHERE rec_id = ?`, foreign); got != "0" {
		t.Errorf("%s updates from a tampered workbook", got)
	}
}

func mustRows(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Recommendations")
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for len(rows[i]) < 19 {
			rows[i] = append(rows[i], "")
		}
	}
	return rows[1:]
}

func cellAt(t testing.TB, path, cell string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return cellOf(t, f, "Recommendations", cell)
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestFollowupRoundTripOnUPRInfo exports Argentina's recommendations of
// the real UPR Info export (sessions 14-16), fills the health ministry's
// workbook and imports it back.
func TestFollowupRoundTripOnUPRInfo(t *testing.T) {
	src := shared.Path(t, "upr-info/14-16.csv")
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := RunBatch(ctx, BatchOptions{Warehouse: dir, Version: "test",
		Ingest: IngestOptions{Paths: []string{src}, Importers: formats.All()},
		Models: []*classify.Model{testIssuesModel(t)}}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	run, err := FollowupExport(ctx, FollowupExportOptions{Warehouse: dir, Country: "ARG", Out: out, Responsibility: defaultResponsibility(t), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, in := range run.Inputs {
		rows[in.Name] = in.Records
	}
	if total := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) FROM recommendations WHERE country_iso3 = 'ARG'`); itoa(rows["followup-ARG-SECRETARIAT.xlsx"]) != total || total == "0" {
		t.Fatalf("secretariat rows %d, Argentina has %s recommendations", rows["followup-ARG-SECRETARIAT.xlsx"], total)
	}
	// Argentina's UPR Info issues include "Right to health": the health
	// ministry gets a workbook, proposed from that label.
	if rows["followup-ARG-MOH.xlsx"] == 0 {
		t.Fatalf("no health ministry workbook: %v", rows)
	}
	sent := filepath.Join(out, "followup-ARG-MOH.xlsx")
	id2 := cellAt(t, sent, "A2")
	if got, want := cellAt(t, sent, "C2"), query1(t, dir, `SELECT text FROM recommendations WHERE rec_id = ?`, id2); got != want {
		t.Errorf("C2 %q, want %q", got, want)
	}
	if basis := query1(t, dir, `SELECT proposed_basis FROM v_responsibility WHERE rec_id = ?`, id2); !strings.Contains(basis, "health") && !strings.HasPrefix(basis, "sdg-goal: 3") {
		t.Errorf("row 2 proposed to MOH because of %q", basis)
	}
	returned := filepath.Join(t.TempDir(), "followup-ARG-MOH.xlsx")
	fill(t, sent, returned, "Recommendations", map[string]string{
		"M2": "implemented", "N2": "Programme extended to all provinces.", "P2": "15/10/2025", // day first, as typed in Argentina
		"M3": "in_progress", "P3": "2026-02-01",
	})
	imp := FollowupImportOptions{Warehouse: dir, Version: "test", Importers: formats.All(), Paths: []string{returned}}
	if _, err := FollowupImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	if got := query1(t, dir, `SELECT status || ' ' || CAST(status_date AS VARCHAR) || ' ' || update_text FROM v_followup_status WHERE rec_id = ?`, id2); got != "implemented 2025-10-15 Programme extended to all provinces." {
		t.Errorf("row 2: %q", got)
	}
	imp.Force = true
	if _, err := FollowupImport(ctx, imp); err != nil {
		t.Fatal(err)
	}
	if got := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) FROM status_updates`); got != "2" {
		t.Errorf("%s updates after re-import, want 2", got)
	}
}

// TestImpactOSSImport imports an IMPACT OSS actions export into the
// sample warehouse: actions, their lead entities, their links to the
// United Kingdom's recommendations by paragraph, their progress.
func TestImpactOSSImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := RunBatch(ctx, BatchOptions{Warehouse: dir, Version: "test",
		Ingest: IngestOptions{Inputs: sampleInputs(t), Importers: formats.All()},
		Models: []*classify.Model{testIssuesModel(t)}}); err != nil {
		t.Fatal(err)
	}
	imp := FollowupImportOptions{Warehouse: dir, Version: "test", Importers: formats.All(), Country: "GBR", Responsibility: defaultResponsibility(t),
		Paths: []string{filepath.Join(shared.Root(), "extract", "followup", "testdata", "impact-oss-actions.csv")}}
	run, err := FollowupImport(ctx, imp)
	var inc *models.IncompleteError
	if !errors.As(err, &inc) || len(inc.Rejected) != 1 || !strings.Contains(inc.Rejected[0].Error(), `row 6 field "description"`) {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(strings.Join(run.Warnings, "\n"), `recommendation "999.1" not found`) {
		t.Errorf("unresolved reference not listed: %v", run.Warnings)
	}
	want := "IMPACT-A-1|MOJ|in_progress|2026-01-15|" + query1(t, dir, `SELECT rec_id FROM recommendations WHERE paragraph = '110.98' AND country_iso3 = 'GBR'`) + "\n" +
		"IMPACT-A-2|MOI|implemented|2025-12-01|" + query1(t, dir, `SELECT rec_id FROM recommendations WHERE paragraph = '110.113' AND country_iso3 = 'GBR'`)
	state := func() string {
		return query1(t, dir, `SELECT string_agg(action_id || '|' || lead_entity || '|' || status || '|' || CAST(status_date AS VARCHAR) || '|' || array_to_string(rec_ids, ','), E'\n' ORDER BY action_id) FROM v_action_status`)
	}
	if got := state(); got != want {
		t.Errorf("v_action_status:\n%s\nwant\n%s", got, want)
	}
	if got := query1(t, dir, `SELECT string_agg(entity_code || ' ' || kind, ', ' ORDER BY entity_code) FROM entities WHERE entity_code IN ('MOI', 'MOJ')`); got != "MOI ministry, MOJ ministry" {
		t.Errorf("entities %q", got)
	}
	before := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) || '/' || CAST((SELECT count(*) FROM action_links) AS VARCHAR) || '/' || CAST((SELECT count(*) FROM status_updates) AS VARCHAR) FROM actions`)
	imp.Force = true
	FollowupImport(ctx, imp)
	if after := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) || '/' || CAST((SELECT count(*) FROM action_links) AS VARCHAR) || '/' || CAST((SELECT count(*) FROM status_updates) AS VARCHAR) FROM actions`); after != before || before != "2/2/2" {
		t.Errorf("actions/links/updates %s after re-import, %s before (want 2/2/2)", after, before)
	}
}

// TestTrackingSheetFollowup imports an NMIRF's own tracking sheet through a
// mapping: its recommendations, statuses in assessment wording, entities by
// name or code, and actions.
func TestTrackingSheetFollowup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	td := filepath.Join(shared.Root(), "extract", "mapped", "testdata")
	imp := FollowupImportOptions{Warehouse: dir, Version: "test", Importers: formats.All(), Responsibility: defaultResponsibility(t),
		Format: "mapped", Mapping: filepath.Join(td, "upr-slovenia-followup.toml"), Paths: []string{filepath.Join(td, "upr-slovenia-followup.csv")}}
	_, err := FollowupImport(ctx, imp)
	if models.CodeOf(err) != models.ExitIncomplete {
		t.Fatalf("import: %v, want incomplete (a status outside the vocabulary, a future date)", err)
	}
	status := func() string {
		return query1(t, dir, `SELECT string_agg(r.paragraph || ' ' || coalesce(s.status, '-') || ' ' || coalesce(s.reporting_entity, '-') || ' ' || coalesce(p.lead_entity, '-'), ', ' ORDER BY r.paragraph)
			FROM v_followup_status s JOIN recommendations r USING (rec_id) JOIN v_responsibility p USING (rec_id)`)
	}
	want := "115.1 partially_implemented MFA MFA, 115.13 not_started MFA MFA, 115.16 implemented MFA MFA, 115.31 - - MOJ, 115.75 - - MOLSA"
	if got := status(); got != want {
		t.Errorf("status:\n%s\nwant\n%s", got, want)
	}
	if got := query1(t, dir, `SELECT title || ' ' || lead_entity || ' ' || CAST(len(rec_ids) AS VARCHAR) FROM v_action_status`); got != "Ratification plan MFA 2" {
		t.Errorf("action %q", got)
	}
	// The same sheet again, and a copy of it in the same batch: nothing
	// added; the copy's rows are listed as repeats.
	copyPath := filepath.Join(t.TempDir(), "copy.csv")
	b, _ := os.ReadFile(imp.Paths[0])
	os.WriteFile(copyPath, b, 0o644)
	imp.Paths = append(imp.Paths, copyPath)
	imp.Force = true
	run, _ := FollowupImport(ctx, imp)
	if w := strings.Join(run.Warnings, "\n"); !strings.Contains(w, "copy.csv row 2 repeats the update of") || !strings.Contains(w, "upr-slovenia-followup.csv row 2 (") {
		t.Errorf("repeats not listed: %s", w)
	}
	if got := query1(t, dir, `SELECT CAST(count(*) AS VARCHAR) || '/' || CAST((SELECT count(*) FROM actions) AS VARCHAR) || '/' || CAST((SELECT count(*) FROM action_links) AS VARCHAR) || '/' || CAST((SELECT count(*) FROM reviewed_labels) AS VARCHAR) FROM status_updates`); got != "3/1/2/5" {
		t.Errorf("updates/actions/links/reviews after re-import: %s, want 3/1/2/5", got)
	}
}
