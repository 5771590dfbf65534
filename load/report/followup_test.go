package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/load/report"
)

func followupReport(t *testing.T, o report.FollowupOptions) *report.FollowupReport {
	t.Helper()
	f := followupWarehouse(t)
	if o.Now.IsZero() {
		o.Now = followupNow
	}
	r, err := report.Followup(context.Background(), f.db, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// csvRecords reads a CSV into maps by header name.
func csvRecords(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func count(t *testing.T, f *fixture, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFollowupReportCSV checks the report's rows against the returned
// workbook it was filled from: each filled status and date, the confirmed
// lead entity, the overdue IMPACT OSS action, staleness and "supported, no
// action".
func TestFollowupReportCSV(t *testing.T) {
	f := followupWarehouse(t)
	r := followupReport(t, report.FollowupOptions{Country: "GBR"})
	var buf bytes.Buffer
	if err := report.WriteFollowupCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs := csvRecords(t, buf.Bytes())
	if want := count(t, f, `SELECT count(*) FROM recommendations WHERE country_iso3 = 'GBR'`); len(recs) != want {
		t.Fatalf("%d rows, want one per GBR recommendation (%d)", len(recs), want)
	}
	byID := map[string]map[string]string{}
	for _, r := range recs {
		byID[r["rec_id"]] = r
	}
	filled, confirmed := 0, 0
	for id, w := range fuWorkbook {
		got, ok := byID[id]
		if !ok {
			t.Errorf("%s of the workbook is not in the report", id)
			continue
		}
		if w.status != "" {
			filled++
			if got["status"] != w.status || got["status_date"] != w.date {
				t.Errorf("%s: status %s on %s, the workbook says %s on %s", id, got["status"], got["status_date"], w.status, w.date)
			}
		} else if got["status"] != "no_update" {
			t.Errorf("%s: status %q, want no_update (nothing filled in)", id, got["status"])
		}
		if w.lead != "" {
			confirmed++
			if got["lead_entity"] != w.lead || got["lead_source"] != "confirmed" {
				t.Errorf("%s: lead %s (%s), the workbook confirms %s", id, got["lead_entity"], got["lead_source"], w.lead)
			}
		}
	}
	if filled == 0 || confirmed == 0 {
		t.Fatalf("the workbook has %d filled statuses and %d confirmed leads; the test needs some", filled, confirmed)
	}
	// IMPACT OSS action A-1 answers paragraph 110.98 and was due on
	// 2026-12-31, still in progress on the report date.
	var p11098 string
	if err := f.db.QueryRow(`SELECT rec_id FROM recommendations WHERE country_iso3 = 'GBR' AND paragraph = '110.98'`).Scan(&p11098); err != nil {
		t.Fatal(err)
	}
	if got := byID[p11098]; got["actions"] != "1" || got["overdue_actions"] != "1" || got["next_target_date"] != "2026-12-31" {
		t.Errorf("110.98: actions %s, overdue %s, next target %s; want 1, 1, 2026-12-31", got["actions"], got["overdue_actions"], got["next_target_date"])
	}
	cutoff := followupNow.AddDate(0, -12, 0).Format("2006-01-02")
	for id, got := range byID {
		wantNoAction := got["response"] == "supported" && got["actions"] == "0"
		if got["supported_no_action"] != strconv.FormatBool(wantNoAction) {
			t.Errorf("%s: supported_no_action %s with response %s and %s actions", id, got["supported_no_action"], got["response"], got["actions"])
		}
		last := got["status_date"]
		if last == "" {
			last = got["date"]
		}
		wantStale := got["status"] != "implemented" && got["status"] != "not_applicable" && last < cutoff
		if got["stale"] != strconv.FormatBool(wantStale) {
			t.Errorf("%s: stale %s, last news %s, status %s, cut-off %s", id, got["stale"], last, got["status"], cutoff)
		}
	}
	// With a longer limit the January 2026 update is recent enough.
	r18 := followupReport(t, report.FollowupOptions{Country: "GBR", StaleMonths: 18})
	for _, stale := range report.StaleRecIDs(r18) {
		for id, w := range fuWorkbook {
			if stale == id && w.date >= "2025-07-31" {
				t.Errorf("%s updated on %s is listed as stale with 18 months", id, w.date)
			}
		}
	}
}

// statusTitles are the column titles of the statuses in spreadsheets and
// documents.
var statusTitles = map[string]string{"not_started": "Not started", "in_progress": "In progress",
	"partially_implemented": "Partially implemented", "implemented": "Implemented", "not_applicable": "Not applicable"}

// TestFollowupReportXLSX reads the workbook with openpyxl: the overdue
// action's row, the totals per lead entity and the chart's data.
func TestFollowupReportXLSX(t *testing.T) {
	r := followupReport(t, report.FollowupOptions{Country: "GBR"})
	path := filepath.Join(t.TempDir(), "followup.xlsx")
	var buf bytes.Buffer
	if err := report.WriteFollowupXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, buf.Bytes(), 0o644)
	got := python(t, "openpyxl", `
import openpyxl, json, sys
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [[c if c is None or isinstance(c, (int, float)) else str(c) for c in r] for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}))
`, path).(map[string]any)
	sheet := func(name string) (map[string]int, [][]any) {
		rows := got[name].([]any)
		head := map[string]int{}
		for i, h := range rows[0].([]any) {
			head[h.(string)] = i
		}
		var out [][]any
		for _, r := range rows[1:] {
			out = append(out, r.([]any))
		}
		return head, out
	}
	h, rows := sheet("overdue_actions")
	found := false
	for _, r := range rows {
		if strings.Contains(r[h["Title"]].(string), "privacy protection") {
			found = true
			if r[h["Target date"]] != "2026-12-31" || r[h["Lead entity"]] != "MOJ" || r[h["Status"]] != "in_progress" {
				t.Errorf("overdue action row %v", r)
			}
		}
	}
	if !found || len(rows) != 1 {
		t.Errorf("overdue actions: %v, want the privacy review (A-1) only (A-2 is completed)", rows)
	}
	// Status counts are numbers a spreadsheet can sum, and add up to the
	// recommendations sheet.
	_, recs := sheet("recommendations")
	h, ent := sheet("by_entity")
	total := 0
	for _, r := range ent {
		n, ok := r[h["Total"]].(float64)
		if !ok {
			t.Fatalf("by_entity total %v is not a number", r[h["Total"]])
		}
		total += int(n)
	}
	if total != len(recs) {
		t.Errorf("by_entity totals add up to %d, the recommendations sheet has %d rows", total, len(recs))
	}
	// The last quarter of the chart counts each workbook status.
	want := map[string]int{}
	for _, w := range fuWorkbook {
		if w.status != "" {
			want[w.status]++
		}
	}
	h, hist := sheet("status_over_time")
	if len(hist) == 0 {
		t.Fatal("no status over time")
	}
	last := hist[len(hist)-1]
	if last[h["Quarter"]] != "2027-Q1" {
		t.Errorf("last period %v, want 2027-Q1 (the report date's quarter)", last[h["Quarter"]])
	}
	for s, n := range want {
		title := statusTitles[s]
		if v, ok := last[h[title]].(float64); !ok || int(v) != n {
			t.Errorf("status_over_time 2027-Q1 %s = %v, the workbook has %d", title, last[h[title]], n)
		}
	}
}

// TestFollowupReportDocx reads the DOCX back with pandoc and python-docx:
// the section headings and the lead entities' table.
func TestFollowupReportDocx(t *testing.T) {
	r := followupReport(t, report.FollowupOptions{Country: "GBR"})
	var csvBuf, docBuf bytes.Buffer
	report.WriteFollowupCSV(&csvBuf, r)
	leads := map[string]int{}
	for _, rec := range csvRecords(t, csvBuf.Bytes()) {
		leads[rec["lead_entity"]]++
	}
	if err := report.WriteFollowupDocx(&docBuf, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "followup.docx")
	os.WriteFile(path, docBuf.Bytes(), 0o644)
	md := pandoc(t, path, "markdown")
	for _, h := range []string{"# Follow-up of recommendations: GBR", "## Status by cluster", "## Status by lead entity", "## Status by mechanism",
		"## Status by SDG goal", "## Status over time", "## Overdue actions", "## Supported recommendations with no action", "## No update for more than 12 months"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(h) + `$`).MatchString(md) {
			t.Errorf("pandoc finds no heading %q", h)
		}
	}
	got := python(t, "docx", docxScript, path).(map[string]any)
	var entity []any
	for _, tb := range got["tables"].([]any) {
		rows := tb.(map[string]any)["rows"].([]any)
		if rows[0].([]any)[0] == "Lead entity" {
			entity = rows
		}
	}
	if entity == nil {
		t.Fatal("no lead entity table in the DOCX")
	}
	head := entity[0].([]any)
	totalCol := len(head) - 1
	if head[totalCol] != "Total" {
		t.Fatalf("lead entity table header %v", head)
	}
	seen := 0
	for _, row := range entity[1:] {
		cells := row.([]any)
		code := cells[0].(string)
		if code == "(no lead entity)" {
			code = ""
		}
		if cells[totalCol] != strconv.Itoa(leads[code]) {
			t.Errorf("DOCX: %s leads %v recommendations, the CSV says %d", cells[0], cells[totalCol], leads[code])
		}
		seen++
	}
	if seen != len(leads) {
		t.Errorf("DOCX lists %d lead entities, the CSV %d", seen, len(leads))
	}
}

// TestFollowupHTMLInBrowser opens the HTML report in headless Chromium:
// the chart is drawn with a segment per status and quarter, its data
// table follows it, and nothing is loaded from elsewhere.
func TestFollowupHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	r := followupReport(t, report.FollowupOptions{Country: "GBR"})
	var buf bytes.Buffer
	if err := report.WriteFollowupHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, remote := range []string{"<script", "<link", "@import", "url(", "src="} {
		if strings.Contains(buf.String(), remote) {
			t.Errorf("HTML is not self-contained: contains %q", remote)
		}
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "followup.html")
	os.WriteFile(page, buf.Bytes(), 0o644)
	dom := string(runChromium(t, bin, filepath.Join(dir, "profile"), "--dump-dom", "file://"+page))
	chart := regexp.MustCompile(`(?s)<svg class="stack-chart".*?</svg>`).FindString(dom)
	if chart == "" {
		t.Fatal("no status chart in the rendered page")
	}
	// Each segment's tooltip says "period status: n"; they must match the
	// data table.
	segs := regexp.MustCompile(`<title>(\d{4}-Q\d) (\w+): (\d+)</title>`).FindAllStringSubmatch(chart, -1)
	if len(segs) == 0 {
		t.Fatal("the chart has no segments")
	}
	table := regexp.MustCompile(`(?s)<table class="status_over_time">.*?</table>`).FindString(dom)
	for _, s := range segs {
		row := regexp.MustCompile(`<tr><td>` + s[1] + `</td>(.*?)</tr>`).FindStringSubmatch(table)
		if row == nil {
			t.Errorf("period %s of the chart is not in its table", s[1])
			continue
		}
		cells := regexp.MustCompile(`<td[^>]*>(\d+)</td>`).FindAllStringSubmatch(row[1], -1)
		idx := map[string]int{}
		for i, st := range report.Statuses[:5] {
			idx[st] = i
		}
		if cells[idx[s[2]]][1] != s[3] {
			t.Errorf("chart %s %s = %s, table says %s", s[1], s[2], s[3], cells[idx[s[2]]][1])
		}
	}
	for _, h := range []string{"Status by cluster", "Overdue actions", "Status over time"} {
		if !strings.Contains(dom, "<h2>"+h+"</h2>") {
			t.Errorf("rendered page lacks section %q", h)
		}
	}
}

// TestFollowupBodyDraft drafts the follow-up section on the Human Rights
// Committee's last concluding observations on Denmark.
func TestFollowupBodyDraft(t *testing.T) {
	f := followupWarehouse(t)
	r := followupReport(t, report.FollowupOptions{Country: "DNK", Body: "ccpr"})
	d := r.Draft
	if d == nil || d.Symbol != "CCPR/C/DNK/CO/6" || d.Date != "2016-08-15" {
		t.Fatalf("draft %+v, want CCPR/C/DNK/CO/6 of 2016-08-15", d)
	}
	if want := count(t, f, `SELECT count(*) FROM recommendations WHERE symbol = 'CCPR/C/DNK/CO/6'`); len(d.Items) != want {
		t.Errorf("%d items, want the %d recommendations of the concluding observations", len(d.Items), want)
	}
	if len(d.Items[0].Actions) != 1 || !strings.Contains(d.Items[0].Actions[0], "Independent Police Complaints Authority (lead: MOJ; target date: 2018-06-30") ||
		len(d.Items[0].Updates) != 1 || d.Items[0].Updates[0].Status != "in_progress" {
		t.Errorf("first item %+v", d.Items[0])
	}
	if d.Items[1].Status != "implemented" {
		t.Errorf("second item status %q", d.Items[1].Status)
	}
	var buf bytes.Buffer
	if err := report.WriteFollowupDocx(&buf, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ccpr.docx")
	os.WriteFile(path, buf.Bytes(), 0o644)
	md := pandoc(t, path, "markdown")
	for _, want := range []string{"## Follow-up to the concluding observations of CCPR (CCPR/C/DNK/CO/6, 2016-08-15)",
		"A working group on the powers of the Independent Police Complaints Authority was set up.",
		"https://example.org/dnk/ipca-working-group"} {
		if !strings.Contains(md, want) {
			t.Errorf("pandoc markdown lacks %q", want)
		}
	}
	var mdBuf bytes.Buffer
	report.WriteFollowupMarkdown(&mdBuf, r)
	golden(t, "followup-DNK-CCPR.md", mdBuf.Bytes())
	golden(t, "followup-DNK-CCPR-document.xml", report.FollowupDocumentXML(r))
}

// TestFollowupGolden keeps the Markdown report of the United Kingdom.
func TestFollowupGolden(t *testing.T) {
	r := followupReport(t, report.FollowupOptions{Country: "GBR"})
	var buf bytes.Buffer
	if err := report.WriteFollowupMarkdown(&buf, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "followup-GBR.md", buf.Bytes())
}

// TestReportTitlesNameTheCountry: the follow-up and parliament reports
// name the country as the gap report does, "Name (ISO3)", in their title
// and under it, when given the country names, as every report command is.
func TestReportTitlesNameTheCountry(t *testing.T) {
	f := followupWarehouse(t)
	const uk = "United Kingdom of Great Britain and Northern Ireland (GBR)"
	fu, err := report.Followup(context.Background(), f.db, report.FollowupOptions{Country: "gbr", Entity: "MOJ", Now: followupNow, Names: norm.CountryName})
	if err != nil {
		t.Fatal(err)
	}
	parl, err := report.Parliament(context.Background(), f.db, report.ParliamentOptions{Country: "GBR", Now: followupNow, Names: norm.CountryName,
		From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := report.WriteFollowupMarkdown(&a, fu); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteParliamentMarkdown(&b, parl); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, md, title string }{
		{"follow-up", a.String(), "# Follow-up of recommendations: " + uk + ": MOJ"},
		{"parliament", b.String(), "# Progress report to parliament: " + uk + ", 2026-01-01 to 2026-12-31"},
	} {
		lines := strings.Split(c.md, "\n")
		if lines[0] != c.title {
			t.Errorf("%s report title %q, want %q", c.what, lines[0], c.title)
		}
		if !strings.Contains(c.md, "Country: "+uk) {
			t.Errorf("%s report: no line naming the country %q under the title:\n%s", c.what, uk, strings.Join(lines[:4], "\n"))
		}
	}
}

// TestParliamentReport reads the DOCX for parliament back: the period's
// updates counted from the workbook, the overdue action, the headings.
func TestParliamentReport(t *testing.T) {
	f := followupWarehouse(t)
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	r, err := report.Parliament(context.Background(), f.db, report.ParliamentOptions{Country: "GBR", From: from, To: to, Now: followupNow})
	if err != nil {
		t.Fatal(err)
	}
	inPeriod, recs := 0, 0
	for _, w := range fuWorkbook {
		if w.status != "" && w.date >= "2026-01-01" && w.date <= "2027-01-31" {
			inPeriod++
		}
	}
	recs = count(t, f, `SELECT count(*) FROM recommendations WHERE country_iso3 = 'GBR'`)
	var buf bytes.Buffer
	if err := report.WriteParliamentDocx(&buf, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "parliament.docx")
	os.WriteFile(path, buf.Bytes(), 0o644)
	got := python(t, "docx", docxScript, path).(map[string]any)
	var h3, body []string
	for _, p := range got["paragraphs"].([]any) {
		pp := p.([]any)
		if pp[0] == "Heading 3" {
			h3 = append(h3, pp[1].(string))
		}
		body = append(body, pp[1].(string))
	}
	text := strings.Join(body, "\n")
	for _, want := range []string{
		fmt.Sprintf("%d recommendations followed up", recs),
		fmt.Sprintf("%d status updates received in the period, on %d recommendations", inPeriod, inPeriod),
		"Review of privacy protection against media intrusion (lead: MOJ; target date: 2026-12-31; status: in progress)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("DOCX lacks %q", want)
		}
	}
	if len(h3) == 0 || !strings.HasPrefix(h3[0], "Adopt necessary actions to prevent impunity") {
		t.Errorf("cluster headings %v: the privacy cluster (updates and an overdue action) comes first", h3)
	}
	if got["title"] != r.Title {
		t.Errorf("document title %q, want %q", got["title"], r.Title)
	}
	golden(t, "parliament-GBR-document.xml", report.ParliamentDocumentXML(r))
}

// TestGapReportFollowup checks that a target of the gap report reads the
// follow-up of its recommendations: "supported, no action" counted from
// the follow-up report's own rows for the recommendations the workbook
// links to target 16.3.
func TestGapReportFollowup(t *testing.T) {
	f := followupWarehouse(t)
	fr := followupReport(t, report.FollowupOptions{Country: "GBR"})
	var buf bytes.Buffer
	report.WriteFollowupCSV(&buf, fr)
	noAction, noUpdate, linked := 0, 0, 0
	rows := map[string]map[string]string{}
	for _, r := range csvRecords(t, buf.Bytes()) {
		rows[r["rec_id"]] = r
	}
	for id, w := range fuWorkbook {
		if !regexp.MustCompile(`(^|; )16\.3 `).MatchString(w.targets) {
			continue
		}
		linked++
		if rows[id]["supported_no_action"] == "true" {
			noAction++
		}
		if rows[id]["status"] == "no_update" {
			noUpdate++
		}
	}
	if linked == 0 || noAction == 0 {
		t.Fatalf("the workbook links %d recommendations to 16.3, %d supported with no action; the test needs some", linked, noAction)
	}
	g, err := report.Gaps(context.Background(), f.db, report.Options{Country: "GBR", Now: followupNow})
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := report.WriteCSV(&buf, g); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range csvRecords(t, buf.Bytes()) {
		if r["target"] != "16.3" {
			continue
		}
		found = true
		if r["supported_no_action"] != strconv.Itoa(noAction) {
			t.Errorf("16.3 supported_no_action %s, want %d", r["supported_no_action"], noAction)
		}
		for _, want := range []string{fmt.Sprintf("%d supported, no action", noAction), fmt.Sprintf("%d no update", noUpdate)} {
			if !strings.Contains(r["followup"], want) {
				t.Errorf("16.3 follow-up %q lacks %q", r["followup"], want)
			}
		}
	}
	if !found {
		t.Fatal("no 16.3 row in the GBR gap report")
	}
	var viewText string
	if err := f.db.QueryRow(`SELECT followup FROM v_gap_targets WHERE country_iso3 = 'GBR' AND target = '16.3'`).Scan(&viewText); err != nil || viewText == "" {
		t.Errorf("v_gap_targets follow-up of GBR 16.3: %q, %v", viewText, err)
	}
}

// TestIndicatorTrend recomputes v_indicator_trend in Go from the
// observations the readers returned: per series of national totals, the
// first and latest year and their values (a year's several totals averaged).
func TestIndicatorTrend(t *testing.T) {
	f := followupWarehouse(t)
	type key struct{ country, code, series, unit string }
	years := map[key]map[int][]float64{}
	for _, o := range f.obs {
		if o.CountryISO3 == "" || !o.IsTotal || o.Value == nil || !globalCode.MatchString(o.IndicatorCode) {
			continue
		}
		k := key{o.CountryISO3, o.IndicatorCode, o.SeriesCode, o.Unit}
		if years[k] == nil {
			years[k] = map[int][]float64{}
		}
		years[k][o.YearEnd] = append(years[k][o.YearEnd], *o.Value)
	}
	if len(years) == 0 {
		t.Fatal("no national totals in the fixture")
	}
	avg := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	checked := 0
	for k, ys := range years {
		first, last := 1<<30, 0
		for y := range ys {
			first, last = min(first, y), max(last, y)
		}
		var gFirst, gLast int
		var vFirst, vLast float64
		err := f.db.QueryRow(`SELECT first_year, first_value, latest_year, latest_value FROM v_indicator_trend
			WHERE country_iso3 = ? AND indicator_code = ? AND series_code = ? AND unit = ?`, k.country, k.code, k.series, k.unit).Scan(&gFirst, &vFirst, &gLast, &vLast)
		if err != nil {
			t.Errorf("%v: %v", k, err)
			continue
		}
		if gFirst != first || gLast != last || !near(vFirst, avg(ys[first])) || !near(vLast, avg(ys[last])) {
			t.Errorf("%v: trend %d %.4g → %d %.4g, want %d %.4g → %d %.4g", k, gFirst, vFirst, gLast, vLast, first, avg(ys[first]), last, avg(ys[last]))
		}
		checked++
	}
	t.Logf("%d series checked", checked)
}

func near(a, b float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= 1e-9*max(1, a, -a)
}

// TestFollowupEntity reports on one entity: its recommendations are those
// the full report gives it as lead, and its actions those it leads or
// supports.
func TestFollowupEntity(t *testing.T) {
	full := followupReport(t, report.FollowupOptions{Country: "GBR"})
	var buf bytes.Buffer
	report.WriteFollowupCSV(&buf, full)
	want := map[string]bool{}
	for _, r := range csvRecords(t, buf.Bytes()) {
		if r["lead_entity"] == "MOI" {
			want[r["rec_id"]] = true
		}
	}
	if len(want) == 0 {
		t.Fatal("no recommendation led by MOI in the fixture")
	}
	moi := followupReport(t, report.FollowupOptions{Country: "GBR", Entity: "moi"})
	buf.Reset()
	report.WriteFollowupCSV(&buf, moi)
	got := csvRecords(t, buf.Bytes())
	if len(got) != len(want) {
		t.Errorf("MOI report: %d recommendations, the full report gives MOI %d", len(got), len(want))
	}
	for _, r := range got {
		if !want[r["rec_id"]] {
			t.Errorf("MOI report lists %s, led by %s", r["rec_id"], r["lead_entity"])
		}
	}
	// IMPACT OSS A-2 is led by MOI, A-1 by MOJ alone.
	path := filepath.Join(t.TempDir(), "moi.xlsx")
	buf.Reset()
	report.WriteFollowupXLSX(&buf, moi)
	os.WriteFile(path, buf.Bytes(), 0o644)
	sheets := python(t, "openpyxl", `
import openpyxl, json, sys
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps([[str(c) for c in r] for r in wb["actions"].iter_rows(values_only=True)]))
`, path).([]any)
	if len(sheets) != 2 || !strings.Contains(fmt.Sprint(sheets[1]), "Alternatives to immigration detention") {
		t.Errorf("MOI actions sheet %v, want the one action MOI leads", sheets)
	}
}

// TestFollowupNoUpdates reports on a warehouse that has received no
// follow-up at all: every recommendation reads "no update", there is no
// chart, and the parliament report says nothing was received.
func TestFollowupNoUpdates(t *testing.T) {
	f := warehouse(t)
	r, err := report.Followup(context.Background(), f.db, report.FollowupOptions{Country: "CHN", Now: reportNow})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	report.WriteFollowupCSV(&buf, r)
	recs := csvRecords(t, buf.Bytes())
	if want := count(t, f, `SELECT count(*) FROM recommendations WHERE country_iso3 = 'CHN'`); len(recs) != want || want == 0 {
		t.Fatalf("%d rows, want %d", len(recs), want)
	}
	for _, rec := range recs {
		if rec["status"] != "no_update" {
			t.Errorf("%s: status %q with no update received", rec["rec_id"], rec["status"])
		}
	}
	buf.Reset()
	report.WriteFollowupMarkdown(&buf, r)
	if !strings.Contains(buf.String(), "No status update yet.") {
		t.Errorf("the report does not say no update was received")
	}
	p, err := report.Parliament(context.Background(), f.db, report.ParliamentOptions{Country: "CHN",
		From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), Now: reportNow})
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	report.WriteParliamentMarkdown(&buf, p)
	if !strings.Contains(buf.String(), "0 status updates received in the period") || !strings.Contains(buf.String(), "No update was received in the period and no action is overdue.") {
		t.Errorf("parliament report of a period with nothing:\n%s", head(buf.Bytes(), 1500))
	}
}
