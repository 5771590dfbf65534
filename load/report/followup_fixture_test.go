package report_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/followup"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// The follow-up warehouse is the report warehouse (setup_test.go) plus
// what a secretariat receives back, through the real import path:
//   - the sample returned workbook of the Ministry of Justice
//     (data/sample/followup-GBR-MOJ.xlsx): status updates, corrected labels,
//     a confirmed lead entity;
//   - the IMPACT OSS actions export of extract/followup/testdata: two
//     actions linked to the United Kingdom's recommendations, with progress.
//
// The United Kingdom's recommendations carry no UHRI theme or SDG label in
// the sample sources, so they are clustered and linked to SDG targets as
// the warehouse that exported the workbook had them: by the workbook's
// Cluster and "SDG targets (score)" columns.
var (
	fuOnce sync.Once
	fuFix  *fixture
	fuErr  error
	// fuWorkbook is the sample workbook as read by excelize, by rec id.
	fuWorkbook map[string]workbookRow
)

var impactCSV = filepath.Join("..", "..", "extract", "followup", "testdata", "impact-oss-actions.csv")

// importTime is when the returned files were imported; followupNow is
// the report date: after the IMPACT OSS action A-1's target date
// (2026-12-31), which is then overdue.
var (
	importTime  = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	followupNow = time.Date(2027, 1, 31, 12, 0, 0, 0, time.UTC)
)

type workbookRow struct {
	recID, cluster, response, targets, status, date, lead string
}

// readWorkbook reads the sample workbook's first sheet by its header words.
func readWorkbook() (map[string]workbookRow, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data.SampleFollowup().Data))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		h = strings.ToLower(h)
		for key, words := range map[string][]string{"id": {"recommendation id"}, "cluster": {"cluster"}, "response": {"response"},
			"targets": {"sdg targets (score)"}, "status": {"status (fill"}, "date": {"date of the update"}, "lead": {"lead entity, if not"}} {
			for _, w := range words {
				if strings.HasPrefix(h, w) {
					col[key] = i
				}
			}
		}
	}
	if len(col) != 7 {
		return nil, fmt.Errorf("sample workbook header: found %v", col)
	}
	cell := func(r []string, k string) string {
		if col[k] < len(r) {
			return strings.TrimSpace(r[col[k]])
		}
		return ""
	}
	out := map[string]workbookRow{}
	for _, r := range rows[1:] {
		w := workbookRow{recID: cell(r, "id"), cluster: cell(r, "cluster"), response: cell(r, "response"), targets: cell(r, "targets"),
			status: cell(r, "status"), date: cell(r, "date"), lead: cell(r, "lead")}
		if w.recID != "" {
			out[w.recID] = w
		}
	}
	return out, nil
}

func followupWarehouse(t *testing.T) *fixture {
	t.Helper()
	fuOnce.Do(func() { fuFix, fuErr = buildFollowup(context.Background(), filepath.Join(fixDir, "wh-followup")) })
	if fuErr != nil {
		t.Fatal(fuErr)
	}
	return fuFix
}

func buildFollowup(ctx context.Context, dir string) (*fixture, error) {
	wb, err := readWorkbook()
	if err != nil {
		return nil, err
	}
	fuWorkbook = wb
	f, err := build(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := clusterAsExported(ctx, f, wb); err != nil {
		f.w.Close()
		return nil, err
	}
	f.w.Close() // the import opens the warehouse itself
	resp, err := followup.ParseResponsibility("default", data.Responsibility())
	if err != nil {
		return nil, err
	}
	sample := data.SampleFollowup()
	in, err := extract.NewInput(sample.Name, sample.Data)
	if err != nil {
		return nil, err
	}
	now := func() time.Time { return importTime }
	for _, o := range []pipeline.FollowupImportOptions{
		{Inputs: []*extract.Input{in}, AcceptOtherWarehouse: true},
		{Paths: []string{impactCSV}, Country: "GBR"},
	} {
		o.Warehouse, o.Version, o.Importers, o.Responsibility, o.Now = dir, "test", formats.All(), resp, now
		// The IMPACT OSS fixture has one row with a formula-like cell,
		// refused: the rest is imported and the run is incomplete.
		var inc *models.IncompleteError
		if _, err := pipeline.FollowupImport(ctx, o); err != nil && !errors.As(err, &inc) {
			return nil, fmt.Errorf("follow-up import: %w", err)
		}
	}
	w, err := load.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	f.w, f.db = w, w.DB()
	if err := denmarkCCPRFollowup(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// denmarkCCPRFollowup adds, as rows of a returned secretariat workbook
// would give them, an action and two status updates on the Human Rights
// Committee's 2016 concluding observations on Denmark (CCPR/C/DNK/CO/6, in
// the UHRI fixture): the follow-up the State reports to that body.
func denmarkCCPRFollowup(ctx context.Context, f *fixture) error {
	var first, second string
	err := f.db.QueryRowContext(ctx, `SELECT list(rec_id ORDER BY TRY_CAST(regexp_extract(paragraph, '\d+') AS INTEGER), paragraph, rec_id)[1],
		list(rec_id ORDER BY TRY_CAST(regexp_extract(paragraph, '\d+') AS INTEGER), paragraph, rec_id)[2]
		FROM recommendations WHERE body = 'CCPR' AND symbol = 'CCPR/C/DNK/CO/6'`).Scan(&first, &second)
	if err != nil {
		return fmt.Errorf("Denmark's CCPR recommendations: %w", err)
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO actions (action_id, country_iso3, title, lead_entity, start_date, target_date, public, source_file, source_row, imported_at, run_id)
			VALUES ('DNK-A-1', 'DNK', 'Review of the Independent Police Complaints Authority', 'MOJ', DATE '2016-11-01', DATE '2018-06-30', true, 'followup-DNK-SECRETARIAT.xlsx', 4, ?, 'test')`, []any{importTime}},
		{`INSERT INTO action_links VALUES ('DNK-A-1', ?, NULL, 'test')`, []any{first}},
		{`INSERT INTO status_updates (update_id, rec_id, status, status_raw, status_date, text, evidence_url, reporting_entity, public,
			source_format, source_file, source_sheet, source_row, file_sha256, imported_at, import_seq, run_id)
			VALUES ('dnk-u1', ?, 'in_progress', 'in_progress', DATE '2017-03-15', 'A working group on the powers of the Independent Police Complaints Authority was set up.',
			        'https://example.org/dnk/ipca-working-group', 'MOJ', true, 'followup-workbook', 'followup-DNK-SECRETARIAT.xlsx', 'Recommendations', 4, 'test', ?, 1000, 'test')`, []any{first, importTime}},
		{`INSERT INTO status_updates (update_id, rec_id, status, status_raw, status_date, text, evidence_url, reporting_entity, public,
			source_format, source_file, source_sheet, source_row, file_sha256, imported_at, import_seq, run_id)
			VALUES ('dnk-u2', ?, 'implemented', 'implemented', DATE '2018-01-10', 'The amended act entered into force.',
			        NULL, 'MOJ', true, 'followup-workbook', 'followup-DNK-SECRETARIAT.xlsx', 'Recommendations', 5, 'test', ?, 1001, 'test')`, []any{second, importTime}},
	}
	for _, s := range stmts {
		if _, err := f.db.ExecContext(ctx, s.q, s.args...); err != nil {
			return fmt.Errorf("Denmark follow-up: %w", err)
		}
	}
	return nil
}

// clusterAsExported clusters the workbook's recommendations by its Cluster
// column and links them to the SDG targets of its "SDG targets (score)"
// column ("16.3 (0.96); 10.7 (1.00)").
func clusterAsExported(ctx context.Context, f *fixture, wb map[string]workbookRow) error {
	groups := map[string][]string{}
	for id, r := range wb {
		if r.cluster != "" {
			groups[r.cluster] = append(groups[r.cluster], id)
		}
		for i, part := range strings.Split(r.targets, ";") {
			code, score, _ := strings.Cut(strings.TrimSpace(part), " ")
			if code == "" {
				continue
			}
			s, _ := strconv.ParseFloat(strings.Trim(score, "()"), 64)
			goal, _, _ := strings.Cut(code, ".")
			if _, err := f.db.ExecContext(ctx, `INSERT INTO sdg_assignments
				SELECT rec_id, ?, ?, ?, ?, false, 'exported', NULL, text_sha256, 'test' FROM recommendations WHERE rec_id = ?`,
				goal, code, s, i+1, id); err != nil {
				return err
			}
		}
	}
	labels := make([]string, 0, len(groups))
	for l := range groups {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for i, l := range labels {
		id := fmt.Sprintf("CGBR-W%02d", i)
		if _, err := f.db.ExecContext(ctx, `INSERT INTO clusters (cluster_id, country_iso3, label, size, run_id) VALUES (?, 'GBR', ?, ?, 'test')`,
			id, l, len(groups[l])); err != nil {
			return err
		}
		sort.Strings(groups[l])
		for j, rec := range groups[l] {
			if _, err := f.db.ExecContext(ctx, `INSERT INTO cluster_members VALUES (?, ?, ?)`, id, rec, 1-float64(j)/100); err != nil {
				return err
			}
		}
	}
	return nil
}
