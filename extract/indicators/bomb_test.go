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

// TestUnclosedQuoteRefused checks that an Open SDG CSV whose quote is left
// open in one row, swallowing the next, is refused naming the row instead of
// losing an observation.
func TestUnclosedQuoteRefused(t *testing.T) {
	// Rows as in testdata/open-sdg-uk/data/indicator_5-5-1.csv, the quote
	// before the Series of row 2 left open.
	data := "Year,Series,Legislative authority,Observation status,Unit multiplier,Units,Value\n" +
		"1918,House of Commons,,Normal value,Units,Percentage (%),0.1\n" +
		"1922,\"House of Commons,,Normal value,Units,Percentage (%),0.3\n" +
		"1923,House of Commons,,Normal value,Units,Percentage (%),1.3\n" +
		"1924,\"House of Commons\",,Normal value,Units,Percentage (%),0.7\n"
	in, err := extract.NewInput("indicator_5-5-1.csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadOpenSDGFile(context.Background(), in, Options{CountryISO3: "GBR", Dataset: "open-sdg-uk"})
	if err == nil || !strings.Contains(err.Error(), "indicator_5-5-1.csv") ||
		!strings.Contains(err.Error(), `row at line 3: the quoted field "Series" runs over the line end into line 4`) ||
		!strings.Contains(err.Error(), "unclosed quote?") {
		t.Errorf("error %v, want one naming the file, row 2 and an unclosed quote", err)
	}
}
