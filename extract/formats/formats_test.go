package formats

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/extracttest"
	"github.com/nmirf/nmirf/models"
)

// detect picks the importer with the highest sniff score, the first on a
// tie, as ingest's detection does.
func detect(in *extract.Input) extract.Importer {
	var best extract.Importer
	score := 0
	for _, imp := range All() {
		if s := imp.Sniff(in); s > score {
			best, score = imp, s
		}
	}
	return best
}

// TestTruncatedZipSaysSo checks that a .docx or .xlsx cut in half is
// reported as "not a valid zip file" when its format is detected, as when
// it is named, instead of "cannot tell its format (zip content)".
func TestTruncatedZipSaysSo(t *testing.T) {
	for _, tc := range []struct{ file, format string }{
		{"../matrix/testdata/UPR20__Slovenia_ThematicListRecommendations_E.docx", "ohchr-matrix-docx"},
		{"../uhri/testdata/uhri-export-sample.xlsx", "uhri-xlsx"},
		{"../mapped/testdata/ccpr-recommendations.xlsx", "uhri-xlsx"},
	} {
		data, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		in, err := extract.NewInput("cut", data[:len(data)/2])
		if err != nil {
			t.Fatal(err)
		}
		imp := detect(in)
		if imp == nil {
			t.Errorf("%s cut in half: no importer claims it (cannot tell its format)", tc.file)
			continue
		}
		if imp.Name() != tc.format {
			t.Errorf("%s cut in half: detected as %s, want %s", tc.file, imp.Name(), tc.format)
		}
		_, err = imp.Import(context.Background(), in, extract.Options{})
		if err == nil || !strings.Contains(err.Error(), "not a valid zip file") || models.CodeOf(err) != models.ExitBadInput {
			t.Errorf("%s cut in half: error %v, want a bad-input error saying \"not a valid zip file\"", tc.file, err)
		}
	}
}

// TestZipBombsEveryImporter hands a .docx and an .xlsx zip bomb (a part
// declaring 3.4 GB, built here in a few kilobytes) to every importer, as
// detection and --format do: each refuses it at once, those that read its
// kind saying it may be a zip bomb, having allocated little. A third
// workbook declares 4 kB for a sheet that inflates to 16 MB.
func TestZipBombsEveryImporter(t *testing.T) {
	sheet := []byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>Text</t></is></c></row></sheetData></worksheet>`)
	doc := []byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Recommendation</w:t></w:r></w:p></w:body></w:document>`)
	bombs := map[string][]byte{
		"bomb.xlsx": extracttest.Zip(t, append(extracttest.XLSXParts(), extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: sheet, Declare: 3_400_000_000})...),
		"bomb.docx": extracttest.Zip(t, extracttest.Part{Name: "[Content_Types].xml", Data: []byte("<Types/>")},
			extracttest.Part{Name: "word/document.xml", Data: doc, Declare: 3_400_000_000}),
		// Declares 4 kB, inflates to 16 MB.
		"liar.xlsx": extracttest.Zip(t, append(extracttest.XLSXParts(), extracttest.Part{Name: "xl/worksheets/sheet1.xml", Data: sheet, Repeat: 16 << 20 / len(sheet), Declare: 4096})...),
	}
	// Detection hands each bomb to the importer of its kind, which says what
	// it is, instead of "cannot tell its format".
	for name, format := range map[string]string{"bomb.xlsx": "uhri-xlsx", "bomb.docx": "ohchr-matrix-docx", "liar.xlsx": "uhri-xlsx"} {
		in, err := extract.NewInput(name, bombs[name])
		if err != nil {
			t.Fatal(err)
		}
		if imp := detect(in); imp == nil || imp.Name() != format {
			t.Errorf("%s detected as %v, want %s", name, imp, format)
		}
	}
	reads := map[string]string{"uhri-xlsx": ".xlsx", "mapped": ".xlsx", "ohchr-matrix-docx": ".docx", "tb-concluding-observations": ".docx"}
	for name, data := range bombs {
		for _, imp := range All() {
			t.Run(name+"/"+imp.Name(), func(t *testing.T) {
				in, err := extract.NewInput(name, data)
				if err != nil {
					t.Fatal(err)
				}
				var ierr error
				alloc := extracttest.Allocated(func() {
					imp.Sniff(in)
					_, ierr = imp.Import(context.Background(), in, extract.Options{MappingPath: "../mapped/testdata/ccpr-recommendations.toml"})
				})
				if ierr == nil {
					t.Fatal("zip bomb imported without an error")
				}
				if !strings.Contains(ierr.Error(), name) || models.CodeOf(ierr) != models.ExitBadInput {
					t.Errorf("error %v: want a bad-input error naming %s", ierr, name)
				}
				if reads[imp.Name()] != "" && strings.HasSuffix(name, reads[imp.Name()]) && !strings.Contains(ierr.Error(), "zip bomb?") {
					t.Errorf("error %v: want it to say the file may be a zip bomb", ierr)
				}
				if alloc > 16<<20 {
					t.Errorf("allocated %d bytes refusing a bomb, want under 16 MiB", alloc)
				}
			})
		}
	}
}
