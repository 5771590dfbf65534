package followup

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/models"
)

// Sheet names and the hidden sheet's layout, shared with the importer
// through these constants' values written in the file.
const (
	DataSheet    = "Recommendations"
	HowToSheet   = "How to fill"
	MetaSheet    = "_nmirf"
	MetaTitle    = "nmirf follow-up workbook"
	MetaVersion  = "1"
	metaRowsFrom = 10 // first row of the row → rec_id table on the hidden sheet
)

// Columns of the data sheet. The importer finds them by their header
// words, so the wording matters: identifying columns say "id", fill-in
// columns say "(fill in)".
var Columns = []string{
	"Recommendation id",
	"Cluster",
	"Recommendation",
	"Mechanism",
	"Body",
	"Document",
	"Response",
	"Themes (score)",
	"SDG targets (score)",
	"Proposed lead entity",
	"Current status",
	"Latest update",
	"Status (fill in)",
	"Update: what was done (fill in)",
	"Evidence link (fill in)",
	"Date of the update, YYYY-MM-DD (fill in)",
	"Corrected themes, separated by ; (fill in)",
	"Corrected SDG targets, e.g. 5.2; 16.3 (fill in)",
	"Lead entity, if not the proposed one (fill in)",
}

// firstFill is the 0-based index of the first fill-in column.
const firstFill = 12

// Row is one recommendation as a focal point reads it.
type Row struct {
	RecID        string
	ClusterID    string
	Cluster      string
	Text         string
	Mechanism    string
	Body         string
	Document     string
	Response     string
	Themes       string
	Targets      string
	ProposedLead string
	LeadEntity   string // confirmed, else proposed
	LeadSource   string
	Status       string
	StatusDate   string
	LatestUpdate string
}

// Rows reads the recommendations of a country (all when country is "")
// with their labels, lead entity and current status, in cluster order,
// one row per recommendation: a paragraph imported in several languages
// is one row, under its recommendation's id, so that it is answered once.
// When lang is another language than English, the row shows the
// recommendation's version in that language where one was imported (its
// status, labels and cluster are the recommendation's), else its own text.
func Rows(ctx context.Context, db *sql.DB, country, lang string) ([]Row, error) {
	q := `
WITH th AS (
    SELECT rec_id, string_agg(label || CASE WHEN reviewed THEN ' (reviewed)' ELSE ' (' || printf('%.2f', score) || ')' END, '; ' ORDER BY rank) AS themes
    FROM v_theme_labels WHERE scheme = 'uhri-theme' AND label <> 'unclassified' AND rank <= 3 GROUP BY rec_id
),
tg AS (
    SELECT rec_id, string_agg(target || CASE WHEN reviewed THEN ' (reviewed)' ELSE ' (' || printf('%.2f', score) || ')' END, '; ' ORDER BY rank) AS targets
    FROM v_sdg_labels WHERE target IS NOT NULL AND rank <= 3 GROUP BY rec_id
),
cl AS (
    SELECT cm.rec_id, c.cluster_id, c.label, cm.similarity FROM cluster_members cm JOIN clusters c ON c.cluster_id = cm.cluster_id
),
tr AS (
    SELECT l.rec_id, min(t.text) AS text FROM recommendation_translations l JOIN recommendations t ON t.rec_id = l.translation_rec_id
    WHERE l.language = $2 GROUP BY l.rec_id
)
SELECT r.rec_id, coalesce(cl.cluster_id, ''), coalesce(cl.label, ''), coalesce(tr.text, r.text), r.mechanism, r.body,
       concat_ws(' ', r.symbol, CASE WHEN r.paragraph IS NOT NULL THEN 'para. ' || r.paragraph END),
       coalesce(r.response, ''), coalesce(th.themes, ''), coalesce(tg.targets, ''),
       coalesce(p.proposed_lead, ''), coalesce(p.lead_entity, ''), coalesce(p.lead_source, ''),
       coalesce(s.status, ''), coalesce(CAST(s.status_date AS VARCHAR), ''),
       coalesce(CAST(s.status_date AS VARCHAR) || ': ' || coalesce(s.update_text, ''), '')
FROM v_recommendations r
LEFT JOIN cl ON cl.rec_id = r.rec_id
LEFT JOIN tr ON tr.rec_id = r.rec_id
LEFT JOIN th ON th.rec_id = r.rec_id
LEFT JOIN tg ON tg.rec_id = r.rec_id
LEFT JOIN v_responsibility p ON p.rec_id = r.rec_id
LEFT JOIN v_followup_status s ON s.rec_id = r.rec_id
WHERE $1 = '' OR r.country_iso3 = $1
ORDER BY cl.label IS NULL, cl.label, cl.cluster_id, cl.similarity DESC, r.date, r.rec_id`
	rows, err := db.QueryContext(ctx, q, country, lang)
	if err != nil {
		return nil, fmt.Errorf("read recommendations to export: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.RecID, &r.ClusterID, &r.Cluster, &r.Text, &r.Mechanism, &r.Body, &r.Document, &r.Response, &r.Themes, &r.Targets,
			&r.ProposedLead, &r.LeadEntity, &r.LeadSource, &r.Status, &r.StatusDate, &r.LatestUpdate); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Meta is what the hidden sheet records.
type Meta struct {
	WarehouseID string
	ExportID    string
	ExportedAt  time.Time
	Entity      string // entity code, or models.SecretariatCode
	EntityName  string
	Country     string
}

// Workbook is one file to write.
type Workbook struct {
	Meta     Meta
	Rows     []Row
	Entities []models.Entity // for the lead entity drop-down and the how-to sheet
}

// Write writes the workbook as .xlsx.
func Write(out io.Writer, wb *Workbook) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", DataSheet); err != nil {
		return err
	}
	if err := writeData(f, wb); err != nil {
		return fmt.Errorf("sheet %s: %w", DataSheet, err)
	}
	if err := writeHowTo(f, wb); err != nil {
		return fmt.Errorf("sheet %s: %w", HowToSheet, err)
	}
	if err := writeMeta(f, wb); err != nil {
		return fmt.Errorf("sheet %s: %w", MetaSheet, err)
	}
	f.SetActiveSheet(0)
	// The structure is locked so that the hidden sheet stays hidden and
	// sheets are not renamed; cells are guarded by each sheet's protection.
	if err := f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}); err != nil {
		return err
	}
	_, err := f.WriteTo(out)
	return err
}

func writeData(f *excelize.File, wb *Workbook) error {
	const sh = DataSheet
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#D9D9D9"}}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	fillHeader, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#FFE699"}}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	locked, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}, Protection: &excelize.Protection{Locked: true}})
	if err != nil {
		return err
	}
	// The date column is text so that what the focal point types is kept as
	// typed, not turned into a locale's date.
	open, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#FFF8E1"}}, Protection: &excelize.Protection{Locked: false}})
	if err != nil {
		return err
	}
	openText, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}, NumFmt: 49,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#FFF8E1"}}, Protection: &excelize.Protection{Locked: false}})
	if err != nil {
		return err
	}
	hdr := make([]any, len(Columns))
	for i, c := range Columns {
		hdr[i] = c
	}
	if err := f.SetSheetRow(sh, "A1", &hdr); err != nil {
		return err
	}
	last := colName(len(Columns))
	if err := f.SetCellStyle(sh, "A1", colName(firstFill)+"1", header); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, colName(firstFill+1)+"1", last+"1", fillHeader); err != nil {
		return err
	}
	widths := []float64{20, 28, 70, 10, 10, 18, 11, 36, 22, 12, 16, 30, 22, 40, 28, 14, 30, 22, 16}
	for i, wd := range widths {
		if err := f.SetColWidth(sh, colName(i+1), colName(i+1), wd); err != nil {
			return err
		}
	}
	row := make([]any, len(Columns))
	for i, r := range wb.Rows {
		lead := r.LeadEntity
		if r.LeadSource == "confirmed" {
			lead += " (confirmed)"
		}
		vals := []string{r.RecID, r.Cluster, r.Text, r.Mechanism, r.Body, r.Document, r.Response, r.Themes, r.Targets, lead, r.Status, r.LatestUpdate}
		for j := range row {
			row[j] = nil
			if j < len(vals) {
				row[j] = vals[j]
			}
		}
		if err := f.SetSheetRow(sh, "A"+strconv.Itoa(i+2), &row); err != nil {
			return err
		}
	}
	n := len(wb.Rows) + 1
	if n > 1 {
		end := strconv.Itoa(n)
		if err := f.SetCellStyle(sh, "A2", colName(firstFill)+end, locked); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, colName(firstFill+1)+"2", last+end, open); err != nil {
			return err
		}
		date := colName(firstFill + 4)
		if err := f.SetCellStyle(sh, date+"2", date+end, openText); err != nil {
			return err
		}
		status := excelize.NewDataValidation(true)
		status.Sqref = colName(firstFill+1) + "2:" + colName(firstFill+1) + end
		if err := status.SetDropList(models.StatusNames()); err != nil {
			return err
		}
		status.SetError(excelize.DataValidationErrorStyleStop, "Status", "Choose one of the statuses of the list.")
		if err := f.AddDataValidation(sh, status); err != nil {
			return err
		}
		if codes := entityCodes(wb.Entities); len(codes) > 0 && len(strings.Join(codes, ",")) < 250 {
			lead := excelize.NewDataValidation(true)
			lead.Sqref = last + "2:" + last + end
			if err := lead.SetDropList(codes); err != nil {
				return err
			}
			lead.SetError(excelize.DataValidationErrorStyleStop, "Lead entity", "Choose an entity code of the list (see the sheet "+HowToSheet+").")
			if err := f.AddDataValidation(sh, lead); err != nil {
				return err
			}
		}
	}
	// A filter on the header lets a focal point show one cluster, or the
	// rows still without a status.
	if err := f.AutoFilter(sh, "A1:"+last+strconv.Itoa(max(n, 2)), nil); err != nil {
		return err
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	return f.ProtectSheet(sh, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true, AutoFilter: true,
	})
}

func entityCodes(es []models.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Code)
	}
	return out
}

func writeHowTo(f *excelize.File, wb *Workbook) error {
	sh := HowToSheet
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	who := wb.Meta.EntityName
	if who == "" {
		who = wb.Meta.Entity
	}
	lines := []string{
		"Follow-up of human rights recommendations: " + who,
		"",
		"The sheet " + DataSheet + " lists the recommendations your entity is proposed to lead, grouped by cluster (recommendations asking for the same thing).",
		"Grey columns are locked: do not change them, and do not move rows between workbooks; rows whose identifiers changed are not imported.",
		"Fill in the yellow columns, one row per recommendation you report on; leave the others empty:",
		"  Status: choose from the list: " + strings.Join(models.StatusNames(), ", ") + ".",
		"  Update: what was done since the last report (laws, policies, budgets, institutions, data).",
		"  Evidence link: a web address of a document showing it.",
		"  Date of the update: the date the status applies to, as YYYY-MM-DD (e.g. 2026-11-30); not in the future. Required with a status.",
		"  Corrected themes / SDG targets: only if the proposed ones are wrong; the full corrected list, separated by ;.",
		"  Lead entity: only if another entity leads on this recommendation; its code from the list below.",
		"Return the file to the secretariat as it is (same name, .xlsx). Earlier updates are kept; yours are added.",
		"",
		"Entities",
	}
	for _, e := range wb.Entities {
		lines = append(lines, e.Code+"\t"+e.Name)
	}
	for i, l := range lines {
		cell := "A" + strconv.Itoa(i+1)
		if code, name, ok := strings.Cut(l, "\t"); ok {
			if err := f.SetCellStr(sh, cell, code); err != nil {
				return err
			}
			if err := f.SetCellStr(sh, "B"+strconv.Itoa(i+1), name); err != nil {
				return err
			}
			continue
		}
		if err := f.SetCellStr(sh, cell, l); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sh, "A", "A", 14); err != nil {
		return err
	}
	return f.ProtectSheet(sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true})
}

func writeMeta(f *excelize.File, wb *Workbook) error {
	sh := MetaSheet
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	m := wb.Meta
	kv := [][2]string{
		{MetaTitle, MetaVersion},
		{"warehouse_id", m.WarehouseID},
		{"export_id", m.ExportID},
		{"exported_at", m.ExportedAt.UTC().Format(time.RFC3339)},
		{"entity", m.Entity},
		{"country", m.Country},
		{"sheet", DataSheet},
		{"rows", strconv.Itoa(len(wb.Rows))},
	}
	for i, p := range kv {
		r := strconv.Itoa(i + 1)
		if err := f.SetCellStr(sh, "A"+r, p[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(sh, "B"+r, p[1]); err != nil {
			return err
		}
	}
	if err := f.SetSheetRow(sh, "A"+strconv.Itoa(metaRowsFrom-1), &[]any{"row", "rec_id"}); err != nil {
		return err
	}
	for i, r := range wb.Rows {
		if err := f.SetSheetRow(sh, "A"+strconv.Itoa(metaRowsFrom+i), &[]any{i + 2, r.RecID}); err != nil {
			return err
		}
	}
	if err := f.ProtectSheet(sh, &excelize.SheetProtectionOptions{}); err != nil {
		return err
	}
	return f.SetSheetVisible(sh, false, true)
}

func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}
