package indicators

import (
	"context"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/extracttest"
	"github.com/nmirf/nmirf/models"
)

// TestZipBombRefused hands both indicator readers an .xlsx whose sheet
// inflates 24 MB from a few kilobytes: each refuses it at once naming the
// file, having allocated little.
func TestZipBombRefused(t *testing.T) {
	row := []byte(`<row><c t="inlineStr"><is><t>2015</t></is></c><c t="inlineStr"><is><t>1.5</t></is></c></row>`)
	data := extracttest.Zip(t, append(extracttest.XLSXParts(),
		extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: row, Repeat: 24 << 20 / len(row)})...)
	readers := map[string]func(*extract.Input) error{
		"open sdg": func(in *extract.Input) error {
			_, err := ReadOpenSDGFile(context.Background(), in, Options{CountryISO3: "GBR", Dataset: "open-sdg-uk"})
			return err
		},
		"global database": func(in *extract.Input) error {
			_, err := ReadGlobalDatabase(context.Background(), in)
			return err
		},
	}
	for name, read := range readers {
		t.Run(name, func(t *testing.T) {
			in, err := extract.NewInput("indicator_16-1-1.xlsx", data)
			if err != nil {
				t.Fatal(err)
			}
			var rerr error
			alloc := extracttest.Allocated(func() { rerr = read(in) })
			if rerr == nil || !strings.Contains(rerr.Error(), "indicator_16-1-1.xlsx") || !strings.Contains(rerr.Error(), "(a zip bomb?)") ||
				models.CodeOf(rerr) != models.ExitBadInput {
				t.Errorf("error %v, want a bad-input error naming the file and saying it may be a zip bomb", rerr)
			}
			if alloc > 8<<20 {
				t.Errorf("allocated %d bytes refusing a bomb, want under 8 MiB", alloc)
			}
		})
	}
}
