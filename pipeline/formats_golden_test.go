package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/report"
)

// TestSampleReportFormats writes every report kind of load/report's
// registry in every format registered for it, from the sample warehouse,
// twice, and compares the bytes with testdata/golden/KIND-GBR.FORMAT: the
// same warehouse gives the same file (an XLSX workbook carries no
// timestamp), and a new format has a golden file from its first test run
// (`go test ./pipeline -run TestSampleReportFormats -update`). A workbook
// that differs is shown cell by cell.
func TestSampleReportFormats(t *testing.T) {
	dir := t.TempDir()
	if _, err := RunBatch(context.Background(), sampleBatch(t, dir)); err != nil {
		t.Fatal(err)
	}
	w, err := load.OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	checked := 0
	for _, k := range report.Kinds() {
		if k.OwnCommand {
			// followup and parliament need follow-up data and options of
			// their own: TestSampleFollowupReports has their golden files.
			continue
		}
		for _, f := range k.Formats() {
			name := k.Name + "-GBR." + f
			var first []byte
			for i := range 2 { // twice: the same warehouse gives the same bytes
				out := filepath.Join(t.TempDir(), name)
				o := ReportOptions{Kind: k.Name, Countries: []string{"GBR"}, Formats: []string{f}, Out: out, Now: goldenNow, RunID: goldenRun, Warehouse: "sample"}
				if _, err := WriteReports(context.Background(), w, o); err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = got
					continue
				}
				if !bytes.Equal(got, first) {
					t.Fatalf("%s: two writes of the same report differ\n%s", name, formatDiff(t, f, got, first))
				}
			}
			golden := filepath.Join("testdata", "golden", name)
			checked++
			if *update {
				if err := os.WriteFile(golden, first, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(first, want) {
				t.Errorf("%s differs from %s; rerun with -update if the change is intended\n%s", name, golden, formatDiff(t, f, first, want))
			}
		}
	}
	if checked < 7 {
		t.Errorf("%d report formats checked; gaps has 4 and clusters 3", checked)
	}
}

// formatDiff shows where two reports differ: the first line of a text
// format, the first cell of a workbook.
func formatDiff(t *testing.T, format string, got, want []byte) string {
	if format == "xlsx" {
		return cellDiff(t, got, want)
	}
	return firstDiff(got, want)
}

// cellDiff names the first cell whose value differs between two
// workbooks, or says the difference is in the formatting.
func cellDiff(t *testing.T, got, want []byte) string {
	t.Helper()
	g, err := excelize.OpenReader(bytes.NewReader(got))
	if err != nil {
		return "the new workbook does not open: " + err.Error()
	}
	defer g.Close()
	w, err := excelize.OpenReader(bytes.NewReader(want))
	if err != nil {
		return "the golden workbook does not open: " + err.Error()
	}
	defer w.Close()
	if gs, ws := strings.Join(g.GetSheetList(), ","), strings.Join(w.GetSheetList(), ","); gs != ws {
		return fmt.Sprintf("sheets %s, golden %s", gs, ws)
	}
	for _, sheet := range w.GetSheetList() {
		gr, _ := g.GetRows(sheet)
		wr, _ := w.GetRows(sheet)
		for i := 0; i < len(gr) || i < len(wr); i++ {
			var a, b []string
			if i < len(gr) {
				a = gr[i]
			}
			if i < len(wr) {
				b = wr[i]
			}
			if strings.Join(a, "\t") != strings.Join(b, "\t") {
				return fmt.Sprintf("sheet %s row %d:\n got  %q\n want %q", sheet, i+1, a, b)
			}
		}
	}
	return "same cell values; the formatting differs (" + partDiff(got, want) + ")"
}

// partDiff names the parts of the workbooks that differ.
func partDiff(got, want []byte) string {
	g, err1 := zip.NewReader(bytes.NewReader(got), int64(len(got)))
	w, err2 := zip.NewReader(bytes.NewReader(want), int64(len(want)))
	if err1 != nil || err2 != nil {
		return "not zip files"
	}
	read := func(f *zip.File) string {
		r, err := f.Open()
		if err != nil {
			return ""
		}
		defer r.Close()
		b, _ := io.ReadAll(r)
		return string(b)
	}
	parts := map[string]string{}
	for _, f := range w.File {
		parts[f.Name] = read(f)
	}
	var diff []string
	for _, f := range g.File {
		if p, ok := parts[f.Name]; !ok || p != read(f) {
			diff = append(diff, f.Name)
		}
	}
	if len(diff) == 0 {
		return "same parts, in another order or with other zip headers"
	}
	return "parts " + strings.Join(diff, ", ")
}
