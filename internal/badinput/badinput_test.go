package badinput

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/internal/shared"
)

func fixture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shared.Root(), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// inflate reads member of the zip archive b through and returns its size
// and first bytes; archive/zip checks the CRC and the declared size.
func inflate(t *testing.T, b []byte, member string) (int64, []byte, error) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != member {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		head := make([]byte, 4096)
		k, _ := io.ReadFull(rc, head)
		n, err := io.Copy(io.Discard, rc)
		return int64(k) + n, head[:k], err
	}
	t.Fatalf("no %s", member)
	return 0, nil, nil
}

func TestBombIsSmallOnDiskAndInflatesWhole(t *testing.T) {
	const want = 64 << 20
	for _, c := range []struct{ file, member string }{
		{"extract/uhri/testdata/uhri-export-sample.xlsx", "xl/worksheets/sheet1.xml"},
		{"extract/matrix/testdata/Matrix_recommendations_2018.docx", "word/document.xml"},
	} {
		src := fixture(t, c.file)
		split := SheetRows
		if strings.HasSuffix(c.file, ".docx") {
			split = TableRows
		}
		b, err := Bomb(src, c.member, split, want, false)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(b) > len(src)+want/100 {
			t.Errorf("%s: bomb is %d bytes on disk, want at most %d", c.file, len(b), len(src)+want/100)
		}
		n, head, err := inflate(t, b, c.member)
		if err != nil {
			t.Fatalf("%s: inflating: %v", c.file, err)
		}
		if n < want-(2<<20) || n > want+(2<<20) {
			t.Errorf("%s: inflates to %d bytes, want about %d", c.file, n, want)
		}
		if !bytes.HasPrefix(head, []byte("<?xml")) {
			t.Errorf("%s: inflated member starts %q", c.file, head[:20])
		}
		// The declared size lies: a reader trusting it is fooled, one
		// counting what it inflates is not.
		lying, err := Bomb(src, c.member, split, want, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := inflate(t, lying, c.member); err == nil {
			t.Errorf("%s: lying bomb inflated without an error from archive/zip", c.file)
		}
	}
}

func TestSheetRowsKeepsTheHeader(t *testing.T) {
	sheet := []byte(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>7</v></c></row><row r="3"></row></sheetData>`)
	p, u, s, err := SheetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if string(p) != `<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>` || string(u) != `<row><c><v>7</v></c></row>` || string(s) != `<row r="3"></row></sheetData>` {
		t.Errorf("split: %q | %q | %q", p, u, s)
	}
}

func TestUTF16AndWideCSV(t *testing.T) {
	if got := UTF16LE("Aé", true); !bytes.Equal(got, []byte{0xff, 0xfe, 'A', 0, 0xe9, 0}) {
		t.Errorf("UTF16LE = % x", got)
	}
	w := WideCSV("a,b", "1,2", 5)
	lines := strings.Split(strings.TrimSpace(w), "\n")
	if len(lines) != 2 || strings.Count(lines[0], ",") != 4 || strings.Count(lines[1], ",") != 4 {
		t.Errorf("WideCSV = %q", w)
	}
}
