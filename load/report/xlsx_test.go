package report_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/load/report"
)

// openpyxl returns the python3 that can import openpyxl, the reader most
// spreadsheet scripts use. Without it the test skips on a user's machine
// and fails in CI, where python3-openpyxl is installed.
func openpyxl(t *testing.T) string {
	t.Helper()
	// The Debian package installs into the system python3, which another
	// python3 earlier on PATH (pyenv, a venv) may hide.
	var err error
	for _, name := range []string{"python3", "/usr/bin/python3"} {
		var py string
		if py, err = exec.LookPath(name); err != nil {
			continue
		}
		if err = exec.Command(py, "-c", "import openpyxl").Run(); err == nil {
			return py
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("python3 with openpyxl not found (%v); CI must have it", err)
	}
	t.Skipf("python3 with openpyxl not found: %v", err)
	return ""
}

// sheetView is what openpyxl reads of one sheet.
type sheetView struct {
	Header   []string           `json:"header"`
	Rows     [][]any            `json:"rows"`
	Filter   string             `json:"filter"`
	Freeze   string             `json:"freeze"`
	Widths   map[string]float64 `json:"widths"`
	Wrapped  map[string]bool    `json:"wrapped"` // by header, in row 2
	Dims     string             `json:"dims"`
	MaxRow   int                `json:"max_row"`
	MaxCol   int                `json:"max_col"`
	BoldHead bool               `json:"bold_header"`
}

const readXLSX = `
import json, sys
import openpyxl
from openpyxl.utils import get_column_letter
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    header = [c.value for c in ws[1]]
    widths, wrapped = {}, {}
    for i, h in enumerate(header, 1):
        d = ws.column_dimensions.get(get_column_letter(i))
        widths[h] = d.width if d is not None and d.width else 0
        if ws.max_row >= 2:
            wrapped[h] = bool(ws.cell(row=2, column=i).alignment.wrap_text)
    out[ws.title] = {"header": header, "rows": [list(r) for r in ws.iter_rows(min_row=2, values_only=True)],
        "filter": ws.auto_filter.ref or "", "freeze": ws.freeze_panes or "", "widths": widths, "wrapped": wrapped,
        "dims": ws.dimensions, "max_row": ws.max_row, "max_col": ws.max_column,
        "bold_header": all(c.font.b for c in ws[1])}
json.dump(out, sys.stdout)
`

// TestXLSXAsReadersOpenIt reads the gap report workbook back with openpyxl:
// human headers, a filter over the whole table, a frozen header row,
// columns wide enough, long texts wrapped, country names, numbers.
func TestXLSXAsReadersOpenIt(t *testing.T) {
	py := openpyxl(t)
	f := warehouse(t)
	rep, err := report.Gaps(context.Background(), f.db, report.Options{Country: "GBR", Now: reportNow, Names: norm.CountryName})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "gaps.xlsx")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.WriteXLSX(fh, rep); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", readXLSX, path).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var book map[string]sheetView
	if err := json.Unmarshal(out, &book); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, name := range []string{"targets", "clusters", "flags"} {
		s, ok := book[name]
		if !ok {
			t.Errorf("no sheet %s", name)
			continue
		}
		for _, h := range s.Header {
			if h == "" || strings.Contains(h, "_") || h == strings.ToLower(h) && len(h) > 4 {
				t.Errorf("sheet %s: header %q is not for people", name, h)
			}
		}
		last := string(rune('A'+s.MaxCol-1)) + strconv.Itoa(s.MaxRow)
		if s.MaxCol > 26 || strings.ReplaceAll(s.Filter, "$", "") != "A1:"+last {
			t.Errorf("sheet %s: autofilter %q, want A1:%s (the whole table)", name, s.Filter, last)
		}
		if s.Freeze != "A2" {
			t.Errorf("sheet %s: frozen at %q, want the header row (A2)", name, s.Freeze)
		}
		if !s.BoldHead {
			t.Errorf("sheet %s: header not bold", name)
		}
		if name != "clusters" && len(s.Rows) == 0 { // the test warehouse has no UK clusters
			t.Errorf("sheet %s is empty", name)
		}
	}
	s := book["targets"]
	at := func(h string) int {
		for i, x := range s.Header {
			if x == h {
				return i
			}
		}
		t.Fatalf("targets: no column %q in %q", h, s.Header)
		return -1
	}
	if s.Widths["Target title"] < 40 || s.Widths["Goal"] > 10 || !s.Wrapped["Target title"] || s.Wrapped["Goal"] {
		t.Errorf("targets: widths %v, wrapped %v; want a wide wrapped title, a narrow goal", s.Widths, s.Wrapped)
	}
	var row []any
	for _, r := range s.Rows {
		if r[at("Target")] == "16.1" {
			row = r
		}
	}
	if row == nil {
		t.Fatal("targets: no row for 16.1")
	}
	if got := row[at("Country")]; got != "United Kingdom of Great Britain and Northern Ireland" {
		t.Errorf("targets 16.1 Country = %v, want the country's name", got)
	}
	if got := row[at("Breakdowns missing")]; got != nil && got != "" {
		t.Errorf("targets 16.1 Breakdowns missing = %v; the UK file has age and sex", got)
	}
	if got, ok := row[at("Indicators with data")].(float64); !ok || got < 1 {
		t.Errorf("targets 16.1 Indicators with data = %v (%T), want a number of at least 1", row[at("Indicators with data")], row[at("Indicators with data")])
	}
	if got := row[at("Stale data")]; got != "no" {
		t.Errorf("targets 16.1 Stale data = %v, want no", got)
	}
}
