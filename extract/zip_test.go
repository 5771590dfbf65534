package extract_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/extracttest"
)

const sheetHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// row is one sheet row of inline strings, repeated to make a large sheet.
var row = []byte(`<row><c t="inlineStr"><is><t>Ratify the Convention against Torture</t></is></c><c t="inlineStr"><is><t>France</t></is></c></row>`)

func workbook(t *testing.T, sheet ...extracttest.Part) []byte {
	return extracttest.Zip(t, append(extracttest.XLSXParts(), sheet...)...)
}

// TestZipBombsRefused builds zip bombs in the test (small on disk) and
// checks that reading them fails at once with a message saying so, having
// allocated little: a bound on bytes allocated, not a timing.
func TestZipBombsRefused(t *testing.T) {
	header := []byte(sheetHead + `<row><c t="inlineStr"><is><t>Text</t></is></c><c t="inlineStr"><is><t>From</t></is></c></row>`)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"declares 3.4 GB", workbook(t, extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: header, Declare: 3_400_000_000}),
			"zip part xl/worksheets/sheet1.xml declares 3400000000 bytes inflated, over the 1073741824-byte limit (a zip bomb?)"},
		{"inflates 24 MB from a few kB", workbook(t, extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: row, Repeat: 24 << 20 / len(row)}),
			"zip part xl/worksheets/sheet1.xml inflates"},
		{"many parts over the total", extracttest.Zip(t, append(extracttest.XLSXParts(),
			extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: header, Declare: 900 << 20, DeclareCompressed: 90 << 20},
			extracttest.Part{Name: "xl/sharedStrings.xml", Data: header, Declare: 900 << 20, DeclareCompressed: 90 << 20},
			extracttest.Part{Name: "xl/styles.xml", Data: header, Declare: 900 << 20, DeclareCompressed: 90 << 20})...),
			"zip archive declares over 2147483648 bytes inflated"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.data) > 256<<10 {
				t.Fatalf("bomb is %d bytes; it should be small", len(tc.data))
			}
			in, err := extract.NewInput("bomb.xlsx", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			var rerr error
			alloc := extracttest.Allocated(func() { _, rerr = extract.ReadXLSX(in) })
			if rerr == nil || !strings.Contains(rerr.Error(), tc.want) {
				t.Errorf("error %v, want %q", rerr, tc.want)
			}
			if alloc > 8<<20 {
				t.Errorf("allocated %d bytes refusing a bomb, want under 8 MiB", alloc)
			}
		})
	}
}

// TestZipPartLyingAboutItsSize checks that a part inflating beyond what the
// directory declares is cut off at the declared size, not read whole.
func TestZipPartLyingAboutItsSize(t *testing.T) {
	data := extracttest.Zip(t, extracttest.Part{Name: "word/document.xml", Data: row, Repeat: 16 << 20 / len(row), Declare: 4096})
	zr, err := extract.OpenZip(data)
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	alloc := extracttest.Allocated(func() { _, rerr = extract.ReadZipPart(zr.File[0], 256<<20) })
	if rerr == nil || !strings.Contains(rerr.Error(), "word/document.xml") {
		t.Errorf("error %v, want one naming word/document.xml", rerr)
	}
	if alloc > 8<<20 {
		t.Errorf("allocated %d bytes reading a part that declares 4 kB, want under 8 MiB", alloc)
	}
}

// TestWorkbookLyingAboutItsSize checks the same through the workbook
// reader: a sheet declaring 4 kB that inflates to 16 MB is an error (the
// workbook library alone would read its first 4 kB and take them for the
// whole sheet), read no further than its declaration.
func TestWorkbookLyingAboutItsSize(t *testing.T) {
	data := workbook(t, extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: row, Repeat: 16 << 20 / len(row), Declare: 4096})
	in, err := extract.NewInput("liar.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	var sheets []extract.Sheet
	alloc := extracttest.Allocated(func() { sheets, rerr = extract.ReadXLSX(in) })
	if rerr == nil || !strings.Contains(rerr.Error(), "zip part xl/worksheets/sheet1.xml does not inflate to what it declares") {
		t.Errorf("error %v (%d sheets), want one saying the sheet does not inflate to what it declares", rerr, len(sheets))
	}
	if alloc > 8<<20 {
		t.Errorf("allocated %d bytes reading a sheet that declares 4 kB, want under 8 MiB", alloc)
	}
}

// TestTooManyColumns refuses a row of a million columns in a CSV and a
// sheet row past Excel's last column, with a message naming the limit.
func TestTooManyColumns(t *testing.T) {
	var csv bytes.Buffer
	for i := 0; i < 1_000_000; i++ {
		if i > 0 {
			csv.WriteByte(',')
		}
		csv.WriteString("c")
	}
	csv.WriteString("\n1,2,3\n")
	in, err := extract.NewInput("wide.csv", csv.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	alloc := extracttest.Allocated(func() { _, _, rerr = extract.ReadCSV(in) })
	if rerr == nil || !strings.Contains(rerr.Error(), "line 1: 1000000 columns, over the limit of 16384") {
		t.Errorf("csv: error %v", rerr)
	}
	if alloc > 32<<20 {
		t.Errorf("csv: allocated %d bytes, want under 32 MiB", alloc)
	}

	var sheet bytes.Buffer
	sheet.WriteString(sheetHead + "<row>")
	for i := 0; i < extract.MaxColumns+10; i++ {
		sheet.WriteString(`<c t="inlineStr"><is><t>x</t></is></c>`)
	}
	sheet.WriteString("</row>" + sheetTail)
	in, err = extract.NewInput("wide.xlsx", workbook(t, extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: sheet.Bytes()}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := extract.ReadXLSX(in); err == nil || !strings.Contains(err.Error(), "columns") {
		t.Errorf("xlsx: error %v, want one about columns", err)
	}
}

// TestScanXLSXStreams shows that rows reach the caller as they are read,
// not after the sheet is read whole: stopping at row 3 never reaches the
// over-wide row further down, which reading the whole sheet does.
func TestScanXLSXStreams(t *testing.T) {
	var sheet bytes.Buffer
	sheet.WriteString(sheetHead)
	for i := 0; i < 5; i++ {
		sheet.Write(row)
	}
	// The last row is too wide: reading it is an error.
	sheet.WriteString("<row>" + strings.Repeat(`<c t="inlineStr"><is><t>x</t></is></c>`, extract.MaxColumns+1) + "</row>" + sheetTail)
	in, err := extract.NewInput("s.xlsx", workbook(t, extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: sheet.Bytes()}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := extract.ReadXLSX(in); err == nil {
		t.Fatal("the damaged sheet reads whole without an error; the test proves nothing")
	}
	stop := errors.New("enough")
	var got []int
	err = extract.ScanXLSX(in, func(name string, header []string) func(extract.Row) error {
		if name != "Sheet1" || header[0] != "Ratify the Convention against Torture" {
			t.Errorf("sheet %q header %q", name, header)
		}
		return func(r extract.Row) error {
			got = append(got, r.Line)
			if r.Line == 3 {
				return stop
			}
			return nil
		}
	})
	if err != stop || len(got) != 2 || got[1] != 3 {
		t.Errorf("scan returned %v after rows %v; want the caller's error after rows 2 and 3", err, got)
	}
}

// BenchmarkRefuseBombs measures refusing a workbook whose sheet inflates
// 24 MB from a few kilobytes and a CSV header of a million columns.
func BenchmarkRefuseBombs(b *testing.B) {
	bomb, err := extract.NewInput("bomb.xlsx", extracttest.Zip(b, append(extracttest.XLSXParts(),
		extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: row, Repeat: 24 << 20 / len(row)})...))
	if err != nil {
		b.Fatal(err)
	}
	wide, err := extract.NewInput("wide.csv", []byte(strings.Repeat("c,", 1_000_000)+"c\n1\n"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("xlsx bomb", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := extract.ReadXLSX(bomb); err == nil {
				b.Fatal("bomb read")
			}
		}
	})
	b.Run("million columns", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, err := extract.ReadCSV(wide); err == nil {
				b.Fatal("read")
			}
		}
	})
}
