package matrix

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/extracttest"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

func importFile(t *testing.T, path string) *extract.Result {
	t.Helper()
	return extracttest.Import(t, New(), path)
}

func byParagraph(recs []models.Recommendation) map[string]models.Recommendation {
	m := map[string]models.Recommendation{}
	for _, r := range recs {
		m[r.Paragraph] = r
	}
	return m
}

func labelValues(r models.Recommendation, scheme string) []string {
	var out []string
	for _, l := range r.Labels {
		if l.Scheme == scheme {
			out = append(out, l.Value)
		}
	}
	return out
}

// row is what the tests check of one real recommendation.
type wantRow struct {
	para, locator, text string
	states              []string
	posRaw, response    string
	sourceID, heading   string
	themes, sdgs, pers  []string
}

func TestImportRealMatrices(t *testing.T) {
	tests := []struct {
		file           string
		records        int
		country        string
		cycle, session int
		symbol         string
		warnings       int
		withSDG        int // records with at least one SDG label
		rows           []wantRow
	}{
		{
			file: "Matrix_recommendations_2013.docx", records: 252, country: "CHN", cycle: 2, session: 17,
			symbol: "A/HRC/25/5",
			rows: []wantRow{
				{para: "186.28", locator: "table 1 row 3",
					text:   "Continue its efforts on the ratification of other human rights instruments and relevant protocols",
					states: []string{"MNG"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/25/5/Add.1 - Para. 186.28.", heading: "A12 Acceptance of international norms",
					themes: []string{"A12 Acceptance of international norms", "B51 Right to an effective remedy"},
					pers:   []string{"general"}},
				// Two recommendations merged in one paragraph: both States count.
				{para: "186.23", locator: "table 1 row 8",
					text:   "Continue efforts to ratify the OP-CAT and CPED, as well as the main international human rights instruments to which the country i s not yet a party (Argentina); Ratify the CPED and reform the Criminal Procedure Code with a view to guaranteeing the rights of those deprived of their liberty",
					states: []string{"ARG", "FRA"}, posRaw: "Noted", response: models.ResponseNoted,
					sourceID: "A/HRC/25/5/Add.1 - Para. 186.23.", heading: "A12 Acceptance of international norms",
					themes: []string{"A12 Acceptance of international norms", "B51 Right to an effective remedy",
						"D32 Enforced disappearances", "A41 Constitutional and legislative framework",
						"D25 Prohibition of torture and cruel, inhuman or degrading treatment"},
					pers: []string{"disappeared persons", "general", "persons deprived of their liberty"}},
				// The document misspells "Bolivia (Plurinational S tate of)".
				{para: "186.198", locator: "table 1 row 76",
					text:   "Undertake further efforts to promote the tasks of all government departments that provide public services",
					states: []string{"BOL"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/25/5/Add.1 - Para. 186.198.", heading: "A47 Good governance",
					themes: []string{"A47 Good governance"}, pers: []string{"general"}},
			},
		},
		{
			file: "Matrix_recommendations_2018.docx", records: 346, country: "CHN", cycle: 3, session: 31,
			symbol: "A/HRC/40/6", withSDG: 334, // as in the reference parse: 12 rows carry themes only
			rows: []wantRow{
				{para: "28.212", locator: "table 1 row 3",
					text:   "Continue its legislative, judicial and administrative reforms to prepare for accession to the International Covenant on Economic, Social and Cultural Rights",
					states: []string{"TUN"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/40/6/Add.1 - Para. 2", heading: "A12 Acceptance of international norms",
					themes: []string{"A12 Acceptance of international norms", "A41 Constitutional and legislative framework",
						"E1 Economic, social & cultural rights - general measures of implementation"},
					sdgs: []string{"S16 SDG 16 - peace, justice and strong institutions"},
					pers: []string{"general"}},
				{para: "28.4", locator: "table 1 row 6",
					text:   "Continue working towards ratification of the International Covenant on Civil and Political Rights by the earliest possible date (New Zealand); Accelerate the ratification of the International Covenant on Civil and Political Rights",
					states: []string{"NZL", "URY", "MLI"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/40/6/Add.1 - Para. 2", heading: "A12 Acceptance of international norms",
					themes: []string{"A12 Acceptance of international norms", "D1 Civil & political rights - general measures of implementation"},
					sdgs:   []string{"S16 SDG 16 - peace, justice and strong institutions"},
					pers:   []string{"general"}},
				// The document writes "S04 SDG 4\u00a0- education"; the label is cleaned.
				{para: "28.54", locator: "table 1 row 47",
					text:   "Enhance education reform with particular attention to developing countries as part of South-South cooperation",
					states: []string{"LBY"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/40/6/Add.1 - Para. 2", heading: "A3 Inter-State cooperation & development assistance",
					themes: []string{"A3 Inter-State cooperation & development assistance", "E51 Right to education - General"},
					sdgs:   []string{"S04 SDG 4 - education"},
					pers:   []string{"general", "children"}},
				{para: "28.117", locator: "table 1 row 334",
					text:   "Continue its efforts to implement Agenda 2030 for Sustainable Development",
					states: []string{"SLV"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/40/6/Add.1 - Para. 2", heading: "S Sustainable Development Goal implementation",
					sdgs: []string{"S Sustainable Development Goal implementation"},
					pers: []string{"general"}},
			},
		},
		{
			// Egypt's title says "Second Cycle" but names no session.
			file: "EgyptMatriceRecommendations.docx", records: 300, country: "EGY", cycle: 2, session: 0,
			symbol: "A/HRC/28/16", warnings: 1,
			rows: []wantRow{
				{para: "166.6", locator: "table 1 row 3", text: "Ratify the Rome Statute of the ICC",
					states: []string{"CHL", "EST", "SVN", "TUN", "URY"}, posRaw: "Noted", response: models.ResponseNoted,
					sourceID: "A/HRC/28/16/Add.1", heading: "2.1. Acceptance of international norms",
					themes: []string{"2.1. Acceptance of international norms"}, pers: []string{"general"}},
				// Themes separated by line breaks inside one paragraph.
				{para: "166.1", locator: "table 1 row 8", text: "Sign the Second Optional Protocol to ICCPR (ICCPR-OP2)",
					states: []string{"TUR"}, posRaw: "Noted", response: models.ResponseNoted,
					sourceID: "A/HRC/28/16/Add.1", heading: "2.1. Acceptance of international norms",
					themes: []string{"2.1. Acceptance of international norms", "12.4. Death penalty"}, pers: []string{"general"}},
				// No "Source of position" but a "Comments:" note, kept out of the text.
				{para: "166.16", locator: "table 1 row 18", text: "Consider the withdrawal of reservations to CEDAW Convention",
					states: []string{"LVA"}, posRaw: "Supported", response: models.ResponseSupported,
					heading: "2.2. Reservations", themes: []string{"2.2. Reservations"}, pers: []string{"women"}},
				// The States column names both States of a merged paragraph.
				{para: "166.222", locator: "table 1 row 61",
					text:   "Amend the Act No. 107/2013 on the Right to Public Meetings and Peaceful Assemblies (Slovakia); Review all laws on public assemblies including the Law No. 10 of 1914 on gatherings and the Law No. 107 of 2013 on public meetings to align them with Egypt's international human rights obligations",
					states: []string{"SVK", "CAN"}, posRaw: "Noted", response: models.ResponseNoted,
					sourceID: "A/HRC/28/16/Add.1", heading: "5.1. Constitutional & legislative framework",
					themes: []string{"5.1. Constitutional & legislative framework", "14.4. Right to peaceful assembly"},
					pers:   []string{"general"}},
			},
		},
		{
			file: "UPR20__Slovenia_ThematicListRecommendations_E.docx", records: 163, country: "SVN", cycle: 2, session: 20,
			symbol: "A/HRC/28/15",
			rows: []wantRow{
				{para: "115.1", locator: "table 1 row 3",
					text:   "Take further steps for the ratification of several international treaties in the field of human rights that were signed by Slovenia since the first UPR cycle",
					states: []string{"HRV"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/28/15/Add.1 - Para. 3", heading: "A12 Acceptance of international norms",
					themes: []string{"A12 Acceptance of international norms"}, pers: []string{"general"}},
				{para: "115.8", locator: "table 1 row 178", text: "Ratify ICRMW",
					states: []string{"SEN", "SLE", "VEN", "PER", "URY"}, posRaw: "Noted", response: models.ResponseNoted,
					sourceID: "A/HRC/28/15/Add.1 - Para. 5", heading: "A12 Acceptance of international norms",
					themes: []string{"A12 Acceptance of international norms", "G4 Migrants"}, pers: []string{"migrants"}},
				// A State name in lower case, which is no obvious list of names.
				{para: "115.72", locator: "table 1 row 59",
					text:   "Further improve the living conditions of Roma, especially ensuring access to running water, electricity and housing, as well as providing education, employment and health care for all members of the Roma community",
					states: []string{"MKD"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/28/15/Add.1 - Para. 4", heading: "B31 Equality & non-discrimination",
					themes: []string{"B31 Equality & non-discrimination", "B32 Racial discrimination",
						"E21 Right to an adequate standard of living - general", "E23 Right to adequate housing",
						"E26 Human Rights & drinking water and sanitation", "E31 Right to work",
						"E41 Right to health - General", "E51 Right to education - General", "G1 Members of minorities"},
					pers: []string{"minorities/ racial, ethnic, linguistic, religious or descent-based groups"}},
				// "Affected persons:" with nothing under it.
				{para: "115.34", locator: "table 1 row 22",
					text:   "Strengthen the mandates of the Ombudsman for Human Rights and the Defender of the Principle of Equality and avoid any overlap in the execution of their respective mandates",
					states: []string{"MAR"}, posRaw: "Supported", response: models.ResponseSupported,
					sourceID: "A/HRC/28/15/Add.1 - Para. 3", heading: "A42 Institutions & policies - General",
					themes: []string{"A42 Institutions & policies - General", "A45 National Human Rights Institution (NHRI)"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			res := importFile(t, path)
			if len(res.Records) != tc.records || len(res.Rejected) != 0 {
				t.Fatalf("got %d records, %d rejected (%v); want %d, 0", len(res.Records), len(res.Rejected), res.Rejected, tc.records)
			}
			if len(res.Warnings) != tc.warnings {
				t.Errorf("warnings = %q, want %d", res.Warnings, tc.warnings)
			}
			withSDG := 0
			for _, r := range res.Records {
				if err := r.Validate(); err != nil {
					t.Errorf("%s: %v", r.Sources[0].Locator, err)
				}
				if r.CountryISO3 != tc.country || r.Cycle != tc.cycle || r.Session != tc.session || r.Symbol != tc.symbol {
					t.Errorf("%s: review = %s cycle %d session %d %s, want %s %d %d %s", r.Paragraph,
						r.CountryISO3, r.Cycle, r.Session, r.Symbol, tc.country, tc.cycle, tc.session, tc.symbol)
				}
				if r.Mechanism != models.MechanismUPR || r.Body != "UPR" || r.Kind != models.KindRecommendation {
					t.Errorf("%s: mechanism/body/kind = %s/%s/%s", r.Paragraph, r.Mechanism, r.Body, r.Kind)
				}
				if r.Paragraph == "" || len(r.RecommendingStates) == 0 || r.Response == "" {
					t.Errorf("%s: missing paragraph, States or response: %+v", r.Sources[0].Locator, r)
				}
				if len(labelValues(r, models.SchemeUHRISDG)) > 0 {
					withSDG++
				}
				s := r.Sources[0]
				if s.Format != Format || s.File != tc.file || len(s.FileSHA256) != 64 || !strings.Contains(s.RawText, r.Paragraph) {
					t.Errorf("%s: source = %+v", r.Paragraph, s)
				}
			}
			if withSDG != tc.withSDG {
				t.Errorf("%d records with SDG labels, want %d", withSDG, tc.withSDG)
			}
			got := byParagraph(res.Records)
			if len(got) != tc.records {
				t.Errorf("%d distinct paragraphs, want %d", len(got), tc.records)
			}
			for _, w := range tc.rows {
				r, ok := got[w.para]
				if !ok {
					t.Errorf("paragraph %s missing", w.para)
					continue
				}
				checks := []struct {
					name      string
					got, want any
				}{
					{"locator", r.Sources[0].Locator, w.locator},
					{"text", r.Text, w.text},
					{"states", r.RecommendingStates, w.states},
					{"position", r.ResponseRaw, w.posRaw},
					{"response", r.Response, w.response},
					{"source of position", r.Sources[0].SourceID, w.sourceID},
					{"heading", r.Heading, w.heading},
					{"themes", labelValues(r, models.SchemeUHRITheme), w.themes},
					{"sdgs", labelValues(r, models.SchemeUHRISDG), w.sdgs},
					{"affected persons", labelValues(r, models.SchemeAffectedPersons), w.pers},
				}
				for _, c := range checks {
					if !reflect.DeepEqual(c.got, c.want) {
						t.Errorf("%s %s = %#v, want %#v", w.para, c.name, c.got, c.want)
					}
				}
			}
		})
	}
}

// TestAgreesWithReferenceParse compares every row with matrices-parsed.csv,
// someone else's parse of the same files: the same paragraphs, positions,
// position sources and theme headings. Labels and States are not compared
// whole: that parse glues lines split by line breaks ("5.1. …5.2. …"), keeps
// acronyms such as "ICPPED" as States and drops names with parentheses.
func TestAgreesWithReferenceParse(t *testing.T) {
	csvPath := shared.Path(t, "uhri-matrices/matrices-parsed.csv")
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type ref struct{ position, source, primary string }
	want := map[string]map[string]ref{}
	for _, r := range rows[1:] {
		file := filepath.Base(r[0])
		if want[file] == nil {
			want[file] = map[string]ref{}
		}
		want[file][r[5]] = ref{r[8], r[9], r[10]}
	}
	for file, refs := range want {
		res := importFile(t, filepath.Join(filepath.Dir(csvPath), file))
		got := byParagraph(res.Records)
		if len(res.Records) != len(refs) || len(got) != len(refs) {
			t.Errorf("%s: %d records (%d paragraphs), reference has %d", file, len(res.Records), len(got), len(refs))
		}
		for para, w := range refs {
			r, ok := got[para]
			if !ok {
				t.Errorf("%s: paragraph %s missing", file, para)
				continue
			}
			if r.ResponseRaw != w.position || r.Sources[0].SourceID != w.source || r.Heading != models.CleanText(w.primary) {
				t.Errorf("%s %s: position %q, source %q, heading %q; reference %q, %q, %q", file, para,
					r.ResponseRaw, r.Sources[0].SourceID, r.Heading, w.position, w.source, w.primary)
			}
		}
	}
}

func TestSniff(t *testing.T) {
	real, err := os.ReadFile(filepath.Join("testdata", "Matrix_recommendations_2018.docx"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"real matrix", real, 95},
		{"docx mentioning recommendations, no table", buildDocx(t, `<w:p><w:r><w:t>Recommendations of the Working Group</w:t></w:r></w:p>`, ""), 20},
		{"other docx", buildDocx(t, `<w:p><w:r><w:t>Minutes</w:t></w:r></w:p>`, ""), 5},
		{"csv", []byte("Text,From\nRatify CAT,France\n"), 0},
		// Claimed low, so that detection hands it to Import, which says
		// "not a valid zip file" as --format does.
		{"truncated docx", real[:len(real)/2], brokenDocx},
		{"truncated zip of another kind", func() []byte {
			x := buildDocx(t, "", "")
			return bytes.ReplaceAll(x, []byte("word/"), []byte("xxxx/"))[:len(x)/2]
		}(), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := extract.NewInput("x.docx", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := New().Sniff(in); got != tc.want {
				t.Errorf("Sniff = %d, want %d", got, tc.want)
			}
		})
	}
}

const wordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// buildDocx writes a minimal valid .docx with the given body XML and page
// header paragraph.
func buildDocx(t *testing.T, body, header string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document ` + wordNS + `><w:body>` + body + `</w:body></w:document>`,
	}
	if header != "" {
		parts["word/header1.xml"] = `<?xml version="1.0" encoding="UTF-8"?><w:hdr ` + wordNS + `><w:p><w:r><w:t>` + header + `</w:t></w:r></w:p></w:hdr>`
	}
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "word/header1.xml"} {
		if parts[name] == "" {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tc(paras ...string) string {
	var b strings.Builder
	b.WriteString("<w:tc>")
	for _, p := range paras {
		b.WriteString("<w:p><w:r><w:t xml:space=\"preserve\">" + strings.ReplaceAll(p, "&", "&amp;") + "</w:t></w:r></w:p>")
	}
	b.WriteString("</w:tc>")
	return b.String()
}

func tr(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }

var headerRow = tr(tc("Recommendation"), tc("Position"), tc("Full list of themes"))

// TestRowRejected checks that a row naming an unknown State is rejected with
// its location and the value, and that the other rows still import.
func TestRowRejected(t *testing.T) {
	body := `<w:tbl>` + headerRow +
		tr(`<w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>Theme: A12 Acceptance of international norms</w:t></w:r></w:p></w:tc>`) +
		tr(tc("12.1 Ratify the OP-CAT (Atlantis);", "Source of position: A/HRC/99/1/Add.1"), tc("Supported"), tc("A12 Acceptance of international norms")) +
		tr(tc("12.2 Ratify the ICCPR (France, Spain);"), tc("Noted"), tc("A12 Acceptance of international norms", "Affected persons:", "- general")) +
		`</w:tbl>`
	data := buildDocx(t, body, "UPR of Norway (3rd Cycle – 33rd session) Thematic list of recommendations")
	in, err := extract.NewInput("made.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := New().Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 || len(res.Rejected) != 1 {
		t.Fatalf("got %d records, %d rejected; want 1, 1", len(res.Records), len(res.Rejected))
	}
	rj := res.Rejected[0]
	if rj.File != "made.docx" || rj.Row != 3 || rj.Field != "recommending states" || !strings.Contains(rj.Msg, `"Atlantis"`) {
		t.Errorf("rejection = %+v", rj)
	}
	r := res.Records[0]
	if r.CountryISO3 != "NOR" || r.Session != 33 || r.Cycle != 3 || r.Paragraph != "12.2" || r.Text != "Ratify the ICCPR" ||
		!reflect.DeepEqual(r.RecommendingStates, []string{"FRA", "ESP"}) || r.Response != models.ResponseNoted ||
		r.Sources[0].Locator != "table 1 row 4" || r.Heading != "A12 Acceptance of international norms" {
		t.Errorf("record = %+v", r)
	}
}

// TestSessionOnly checks that the cycle is derived when only the session is
// named, and that a title without either leaves a warning.
func TestSessionOnly(t *testing.T) {
	body := `<w:tbl>` + headerRow + tr(tc("5.1 Ratify the ICCPR (France);"), tc("Supported"), tc("A12 Acceptance of international norms")) + `</w:tbl>`
	for _, h := range []struct {
		header         string
		cycle, session int
		warnings       int
	}{
		{"UPR of Chile - 18th session", 2, 18, 0},
		{"UPR of Chile", 0, 0, 2},
	} {
		in, _ := extract.NewInput("s.docx", buildDocx(t, body, h.header))
		res, err := New().Import(context.Background(), in, extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Records[0]
		if r.CountryISO3 != "CHL" || r.Cycle != h.cycle || r.Session != h.session || len(res.Warnings) != h.warnings {
			t.Errorf("%q: cycle %d session %d warnings %q", h.header, r.Cycle, r.Session, res.Warnings)
		}
	}
}

func TestBadInput(t *testing.T) {
	real, err := os.ReadFile(filepath.Join("testdata", "UPR20__Slovenia_ThematicListRecommendations_E.docx"))
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)
	noDocument := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("xl/workbook.xml")
		w.Write([]byte("<workbook/>"))
		zw.Close()
		return buf.Bytes()
	}()
	// Flip bytes inside the compressed body of the real file: the zip
	// directory still reads, the deflate stream or its checksum does not.
	corrupt := append([]byte(nil), real...)
	for i := len(corrupt) / 3; i < len(corrupt)/3+64; i++ {
		corrupt[i] ^= 0xff
	}
	tableless := buildDocx(t, `<w:p><w:r><w:t>Thematic list of recommendations</w:t></w:r></w:p><w:tbl>`+
		tr(tc("Name"), tc("Date"))+tr(tc("Ratify CAT"), tc("2014"))+`</w:tbl>`, "")
	noState := buildDocx(t, `<w:tbl>`+headerRow+tr(tc("1.1 Ratify CAT (France);"), tc("Supported"), tc("A12"))+`</w:tbl>`, "Thematic list")
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"truncated docx", real[:len(real)/2], "zip"},
		{"corrupt docx", corrupt, "word/document.xml"},
		{"zip without word/document.xml", noDocument, "no word/document.xml"},
		{"docx without a recommendations table", tableless, "no table of recommendations found"},
		{"no State under review", noState, "names no State under review"},
		{"random bytes", random, "not a .docx"},
		{"html page", []byte("<!DOCTYPE html><html><body>Not found</body></html>"), "HTML page"},
		{"malformed xml", buildDocx(t, `<w:tbl><w:tr><w:tc><w:p>`, ""), "parse word/document.xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, err := extract.NewInput("bad.docx", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			res, err := New().Import(context.Background(), in, extract.Options{})
			if err == nil {
				t.Fatalf("no error; got %d records", len(res.Records))
			}
			if !strings.Contains(err.Error(), "bad.docx") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name the file and %q", err, tc.want)
			}
			if models.CodeOf(err) != models.ExitBadInput {
				t.Errorf("exit code %d, want %d", models.CodeOf(err), models.ExitBadInput)
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		if _, err := extract.NewInput("bad.docx", nil); err == nil {
			t.Fatal("empty input accepted")
		}
		res, err := New().Import(context.Background(), &extract.Input{Path: "bad.docx", Name: "bad.docx"}, extract.Options{})
		if err == nil || !strings.Contains(err.Error(), "bad.docx") {
			t.Fatalf("empty data: res %v, err %v", res, err)
		}
	})
}

// TestHeadingsOutsideTables covers a layout whose theme headings are
// paragraphs between tables, the later tables repeating no header row.
func TestHeadingsOutsideTables(t *testing.T) {
	row := func(p, states string) string {
		return tr(tc(p+" Ratify the ICCPR ("+states+");"), tc("Supported"), tc("D1 Civil & political rights", "Affected persons:", "- general"))
	}
	body := `<w:p><w:r><w:t>UPR of Ghana – Second Cycle</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>Theme: A12 Acceptance of international norms</w:t></w:r></w:p>` +
		`<w:tbl>` + headerRow + row("1.1", "Chile") + `</w:tbl>` +
		`<w:p><w:r><w:t>Theme: D1 Civil &amp; political rights</w:t></w:r></w:p>` +
		`<w:tbl>` + row("1.2", "Peru") + row("1.3", "Cuba") + `</w:tbl>`
	in, _ := extract.NewInput("h.docx", buildDocx(t, body, ""))
	res, err := New().Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Records {
		got = append(got, r.Paragraph+" "+r.RecommendingStates[0]+" "+r.Heading+" "+r.Sources[0].Locator)
	}
	want := []string{
		"1.1 CHL A12 Acceptance of international norms table 1 row 2",
		"1.2 PER D1 Civil & political rights table 2 row 1",
		"1.3 CUB D1 Civil & political rights table 2 row 2",
	}
	if !reflect.DeepEqual(got, want) || res.Records[0].CountryISO3 != "GHA" || res.Records[0].Cycle != 2 {
		t.Errorf("got %q (country %s, cycle %d), want %q", got, res.Records[0].CountryISO3, res.Records[0].Cycle, want)
	}
}

func TestCountryOption(t *testing.T) {
	body := `<w:tbl>` + headerRow + tr(tc("1.1 Ratify CAT (France);"), tc("Supported"), tc("A12")) + `</w:tbl>`
	in, _ := extract.NewInput("c.docx", buildDocx(t, body, "Thematic list"))
	res, err := New().Import(context.Background(), in, extract.Options{Country: "Slovenia"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Records[0].CountryISO3; got != "SVN" {
		t.Errorf("country = %s, want SVN", got)
	}
}

func TestCancelled(t *testing.T) {
	in, err := extract.ReadInput(filepath.Join("testdata", "Matrix_recommendations_2013.docx"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Import(ctx, in, extract.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestImport2025Layout reads the layout OHCHR adopted in 2025 (fourth
// cycle): recommendation and States in one cell, the source of the position
// inside the position cell, "Groups of Persons:" in the themes cell and
// the SDGs in a column of their own.
func TestImport2025Layout(t *testing.T) {
	const file = "ThematicList_2025_layout.docx"
	res := importFile(t, filepath.Join("testdata", file))
	if len(res.Records) != 7 || len(res.Rejected) != 0 || len(res.Warnings) != 0 {
		t.Fatalf("got %d records, %d rejected (%v), warnings %q; want 7, 0, none", len(res.Records), len(res.Rejected), res.Rejected, res.Warnings)
	}
	for _, r := range res.Records {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", r.Sources[0].Locator, err)
		}
		if r.CountryISO3 != "AUT" || r.Cycle != 4 || r.Session != 48 || r.Symbol != "A/HRC/59/15" {
			t.Errorf("%s: review = %s cycle %d session %d %s, want AUT 4 48 A/HRC/59/15", r.Paragraph, r.CountryISO3, r.Cycle, r.Session, r.Symbol)
		}
	}
	want := []wantRow{
		{para: "48.1", locator: "table 1 row 3",
			text:   "Ratify the Optional Protocol to the International Covenant on Economic, Social and Cultural Rights",
			states: []string{"PRT"}, posRaw: "Supported", response: models.ResponseSupported,
			sourceID: "A/HRC/59/15/Add.1 - Para.3", heading: "A12 Acceptance of international norms",
			themes: []string{"A12 Acceptance of international norms", "E1 Economic, social & cultural rights - general measures of implementation"},
			sdgs:   []string{"SDG 16 - peace, justice and strong institutions"},
			pers:   []string{"general"}},
		{para: "48.2", locator: "table 1 row 4",
			text:   "Consider ratifying the International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families",
			states: []string{"LKA", "BOL"}, posRaw: "Noted", response: models.ResponseNoted,
			sourceID: "A/HRC/59/15/Add.1 - Para.4", heading: "A12 Acceptance of international norms",
			themes: []string{"A12 Acceptance of international norms", "G4 Migrants"},
			sdgs:   []string{"SDG 8 - decent work and economic growth", "SDG 10 - inequality"},
			pers:   []string{"migrants"}},
		{para: "48.3", locator: "table 1 row 5",
			text:   "Accede to the 1954 Convention relating to the Status of Stateless Persons (Côte d'Ivoire); Accede to the 1961 Convention on the Reduction of Statelessness",
			states: []string{"CIV", "BRA", "MEX"}, posRaw: "Supported", response: models.ResponseSupported,
			sourceID: "A/HRC/59/15/Add.1 - Para.3", heading: "A12 Acceptance of international norms",
			themes: []string{"A12 Acceptance of international norms", "F13 Stateless persons"},
			sdgs:   []string{"SDG 16 - peace, justice and strong institutions"},
			pers:   []string{"stateless persons", "children"}},
		{para: "48.11", locator: "table 1 row 8",
			text:   "Step up efforts to combat hate speech and racially motivated violence, in particular against persons of African descent",
			states: []string{"GHA"}, posRaw: "Supported", response: models.ResponseSupported,
			sourceID: "A/HRC/59/15/Add.1 - Para.3", heading: "B31 Equality & non-discrimination",
			themes: []string{"B31 Equality & non-discrimination", "B32 Racial discrimination"},
			pers:   []string{"people of African descent"}},
		{para: "48.20", locator: "table 1 row 10",
			text:   "Strengthen the identification of victims of trafficking in persons, in particular women and girls, and ensure their access to protection and assistance",
			states: []string{"PHL"}, posRaw: "Supported", response: models.ResponseSupported,
			sourceID: "A/HRC/59/15/Add.1 - Para.3", heading: "D27 Prohibition of slavery, trafficking",
			themes: []string{"D27 Prohibition of slavery, trafficking", "B8 Human rights & counter-terrorism"},
			sdgs:   []string{"SDG 5 - gender equality and women's empowerment", "SDG 8 - decent work and economic growth", "SDG 16 - peace, justice and strong institutions"},
			pers:   []string{"women", "girls"}},
	}
	got := byParagraph(res.Records)
	for _, w := range want {
		r, ok := got[w.para]
		if !ok {
			t.Errorf("paragraph %s missing", w.para)
			continue
		}
		checks := []struct {
			name      string
			got, want any
		}{
			{"locator", r.Sources[0].Locator, w.locator},
			{"text", r.Text, w.text},
			{"states", r.RecommendingStates, w.states},
			{"position", r.ResponseRaw, w.posRaw},
			{"response", r.Response, w.response},
			{"source of position", r.Sources[0].SourceID, w.sourceID},
			{"heading", r.Heading, w.heading},
			{"themes", labelValues(r, models.SchemeUHRITheme), w.themes},
			{"sdgs", labelValues(r, models.SchemeUHRISDG), w.sdgs},
			{"groups of persons", labelValues(r, models.SchemeAffectedPersons), w.pers},
		}
		for _, c := range checks {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("%s %s = %#v, want %#v", w.para, c.name, c.got, c.want)
			}
		}
	}
	in, err := extract.ReadInput(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	if s := New().Sniff(in); s != 95 {
		t.Errorf("Sniff = %d, want 95", s)
	}
}

// TestHeaderByMeaning checks that retitled columns are read by what their
// titles say, and that a recognisable table with a column nmirf does not
// know imports with a warning naming that column.
func TestHeaderByMeaning(t *testing.T) {
	row := tr(tc("7.1 Ratify the ICCPR (Chile);"), tc("Accepted", "Source of the position:", "A/HRC/70/9/Add.1"),
		tc("D1 Civil & political rights", "Affected groups of persons:", "- general"), tc("Under way"), tc("SDG 16"))
	body := `<w:tbl>` + tr(tc("Recommendations received"), tc("Response of the State"), tc("Human rights issues"),
		tc("Budget line"), tc("Sustainable Development Goals")) + row + `</w:tbl>`
	in, _ := extract.NewInput("m.docx", buildDocx(t, body, "UPR of Peru (5th Cycle – 62nd session)"))
	res, err := New().Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("%d records, want 1", len(res.Records))
	}
	r := res.Records[0]
	if r.Text != "Ratify the ICCPR" || r.ResponseRaw != "Accepted" || r.Response != models.ResponseSupported ||
		r.Sources[0].SourceID != "A/HRC/70/9/Add.1" || r.Symbol != "A/HRC/70/9" ||
		!reflect.DeepEqual(labelValues(r, models.SchemeUHRITheme), []string{"D1 Civil & political rights"}) ||
		!reflect.DeepEqual(labelValues(r, models.SchemeUHRISDG), []string{"SDG 16"}) ||
		!reflect.DeepEqual(labelValues(r, models.SchemeAffectedPersons), []string{"general"}) {
		t.Errorf("record = %+v", r)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `"Budget line"`) || !strings.Contains(res.Warnings[0], "m.docx") {
		t.Errorf("warnings = %q, want one naming the file and the column \"Budget line\"", res.Warnings)
	}
}

// TestOwnColumnsForNumberAndSource reads a layout that gives the paragraph
// number and the source of the position columns of their own.
func TestOwnColumnsForNumberAndSource(t *testing.T) {
	body := `<w:tbl>` + tr(tc("No."), tc("Recommendation"), tc("Recommending State"), tc("Position"), tc("Source of position"), tc("Themes")) +
		tr(tc("150.7"), tc("Ratify the OP-CAT"), tc("Chile"), tc("Supported"), tc("A/HRC/61/3/Add.1 - Para.5"), tc("A12 Acceptance of international norms")) +
		`</w:tbl>`
	in, _ := extract.NewInput("n.docx", buildDocx(t, body, "UPR of Peru (4th Cycle – 50th session)"))
	res, err := New().Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 || len(res.Warnings) != 0 {
		t.Fatalf("%d records, warnings %q; want 1, none", len(res.Records), res.Warnings)
	}
	r := res.Records[0]
	if r.Paragraph != "150.7" || r.Text != "Ratify the OP-CAT" || !reflect.DeepEqual(r.RecommendingStates, []string{"CHL"}) ||
		r.ResponseRaw != "Supported" || r.Sources[0].SourceID != "A/HRC/61/3/Add.1 - Para.5" || r.Symbol != "A/HRC/61/3" {
		t.Errorf("record = %+v", r)
	}
}

// TestFrenchSpanishLists reads thematic lists in French and Spanish: the
// header words, the review in the page header, positions, the source of the
// position, themes with their "ODD"/"ODS" lines and affected persons, and
// States named in French or Spanish.
func TestFrenchSpanishLists(t *testing.T) {
	tests := []struct {
		name, header string
		titles       []string
		row          []string
		source       string
		wantText     string
		wantStates   []string
		wantRaw      string
		wantResponse string
		country      string
		session      int
		cycle        int
		sdg, pers    string
	}{
		{name: "fr.docx", header: "EPU du Pérou (4e cycle – 50e session)",
			titles:   []string{"Recommandation", "Position", "Thèmes", "ODD"},
			row:      []string{"150.7 Ratifier le Protocole facultatif se rapportant à la Convention contre la torture (Chili) (États-Unis d'Amérique);", "Acceptée", "Source de la position : A/HRC/61/3/Add.1 - Para.5"},
			wantText: "Ratifier le Protocole facultatif se rapportant à la Convention contre la torture", wantStates: []string{"CHL", "USA"},
			wantRaw: "Acceptée", wantResponse: models.ResponseSupported, source: "A/HRC/61/3/Add.1 - Para.5",
			country: "PER", session: 50, cycle: 4, sdg: "ODD 16", pers: "Personnes concernées :"},
		{name: "es.docx", header: "EPU de España (4.º ciclo – 49.º período de sesiones)",
			titles:   []string{"Recomendación", "Posición", "Temas", "ODS"},
			row:      []string{"150.8 Ratificar el Protocolo Facultativo de la Convención contra la Tortura (Côte d'Ivoire) (Estados Unidos de América);", "Anotada", "Fuente de la posición: A/HRC/61/3/Add.1 - Para.6"},
			wantText: "Ratificar el Protocolo Facultativo de la Convención contra la Tortura", wantStates: []string{"CIV", "USA"},
			wantRaw: "Anotada", wantResponse: models.ResponseNoted, source: "A/HRC/61/3/Add.1 - Para.6",
			country: "ESP", session: 49, cycle: 4, sdg: "ODS 16", pers: "Personas afectadas:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := tr(tc(tt.titles[0]), tc(tt.titles[1]), tc(tt.titles[2]), tc(tt.titles[3]))
			row := tr(tc(tt.row[0]), tc(tt.row[1], tt.row[2]), tc("A12 Acceptance of international norms", tt.pers, "- general"), tc(tt.sdg))
			in, _ := extract.NewInput(tt.name, buildDocx(t, `<w:tbl>`+head+row+`</w:tbl>`, tt.header))
			if s := New().Sniff(in); s != 95 {
				t.Errorf("Sniff = %d, want 95", s)
			}
			res, err := New().Import(context.Background(), in, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Records) != 1 || len(res.Warnings) != 0 || len(res.Rejected) != 0 {
				t.Fatalf("%d records, warnings %q, rejected %v; want 1, none, none", len(res.Records), res.Warnings, res.Rejected)
			}
			r := res.Records[0]
			checks := []struct {
				name      string
				got, want any
			}{
				{"text", r.Text, tt.wantText},
				{"states", r.RecommendingStates, tt.wantStates},
				{"position", r.ResponseRaw, tt.wantRaw},
				{"response", r.Response, tt.wantResponse},
				{"source of position", r.Sources[0].SourceID, tt.source},
				{"country", r.CountryISO3, tt.country},
				{"session", r.Session, tt.session},
				{"cycle", r.Cycle, tt.cycle},
				{"themes", labelValues(r, models.SchemeUHRITheme), []string{"A12 Acceptance of international norms"}},
				{"sdgs", labelValues(r, models.SchemeUHRISDG), []string{tt.sdg}},
				{"groups of persons", labelValues(r, models.SchemeAffectedPersons), []string{"general"}},
			}
			for _, c := range checks {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
				}
			}
		})
	}
}
