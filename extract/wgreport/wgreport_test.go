package wgreport

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/extracttest"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

func importPath(t testing.TB, path string) *extract.Result {
	t.Helper()
	return extracttest.Import(t, Importer{}, path)
}

type sample struct {
	paragraph, text, response string
	states                    []string
}

// The counts were made by reading each report's section and numbering its
// items by hand, independently of the importer:
//   - finland2008: paragraph 50 lists items 1–8 (8).
//   - bahamas2009: 52 (support) items 1–11, 53 (will be examined) 1–7,
//     54 (did not enjoy the support) 1–6: 11+7+6 = 24.
//   - belize2009: 67 (support) 1–36, 68 (will be examined) 1–10: 46.
//   - andorra2011: 83.1–83.24, 84.1–84.30, 85.1–85.2: 24+30+2 = 56.
//   - guyana2010: 68.1–68.26, 69.1–69.31, 70.1–70.55: 26+31+55 = 112
//     (the footnotes 1–3 printed between items are not items).
//   - zambia2012: 102.1–102.70, 103.1–103.54, 104.1: 70+54+1 = 125.
func TestImportReports(t *testing.T) {
	tests := []struct {
		file                  string
		n                     int
		responses             map[string]int
		country, symbol, date string
		session, cycle        int
		samples               []sample
	}{
		{file: "finland2008.txt", n: 8, responses: map[string]int{"supported": 8},
			country: "FIN", symbol: "A/HRC/8/24", date: "2008-05-23", session: 1, cycle: 1,
			samples: []sample{
				{"50.1", "To increase the focus, targeted efforts and effective measures regarding eliminating discrimination, and to make further efforts and measures to promote the rights of minorities, inter alia, ethnic minorities", "supported", []string{"NLD", "RUS"}},
				{"50.8", "To fully integrate a gender perspective into the follow-up process to the UPR review", "supported", []string{"SVN"}},
			}},
		{file: "bahamas2009.txt", n: 24, responses: map[string]int{"supported": 11, "pending": 7, "noted": 6},
			country: "BHS", symbol: "A/HRC/10/70", date: "2009-01-07", session: 3, cycle: 1,
			samples: []sample{
				{"52.1", "To complete its accession and to speedily ratify the International Covenant on Civil and Political Rights and the International Covenant on Economic, Social and Cultural Rights", "supported", []string{"DZA", "FRA", "NLD", "SVN", "ARG", "PAK"}},
				{"54.1", "To consider withdrawing its reservations to the Convention on the Elimination of All Forms of Discrimination against Women, in particular article 2", "noted", []string{"DZA"}},
			}},
		{file: "belize2009.txt", n: 46, responses: map[string]int{"supported": 36, "pending": 10},
			country: "BLZ", symbol: "A/HRC/12/4", date: "2009-06-04", session: 5, cycle: 1,
			samples: []sample{
				{"67.5", "Consider adhering to the Optional Protocols to ICESR and CPD as soon as possible; Consider adhering to the Optional Protocols to ICCPR and to CED", "supported", []string{"ARG", "MEX"}},
				{"67.6", "Accede to the Optional Protocol to the Convention against Torture and other Cruel, Inhuman or Degrading Treatment or Punishment (OP-CAT); consider its ratification", "supported", []string{"CZE", "GBR", "ARG"}},
			}},
		{file: "andorra2011.txt", n: 56, responses: map[string]int{"supported": 24, "pending": 30, "noted": 2},
			country: "AND", symbol: "A/HRC/16/8", date: "2011-01-04", session: 9, cycle: 1,
			samples: []sample{
				{"84.1", "Consider the ratification of the International Covenant on Economic, Social and Cultural Rights and the International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families", "pending", []string{"MEX"}},
				{"85.1", "Allow foreign residents to vote in local elections, and take all necessary measures to ensure the enjoyment by non-citizens of human rights in general", "noted", []string{"SWE"}},
			}},
		{file: "guyana2010.txt", n: 112, responses: map[string]int{"supported": 57, "pending": 55},
			country: "GUY", symbol: "A/HRC/WG.6/8/L.13", date: "2010-06-21", session: 8, cycle: 1,
			samples: []sample{
				// followed by a footnote body quoting another State's wording
				{"69.3", "Make an immediate commitment to holistic and wide-ranging reform of the security agencies and the criminal justice sector, underpinned by wide consultation and transparency", "supported", []string{"GBR"}},
				// "(Canada).3 70. The following ...": footnote digit glued on
				{"69.31", "Enhance freedom of expression through radio by enacting legislation that ensures the mechanism for impartial issuing of broadcasting licenses", "supported", []string{"CAN"}},
			}},
		{file: "zambia2012.txt", n: 125, responses: map[string]int{"supported": 70, "pending": 54, "noted": 1},
			country: "ZMB", symbol: "A/HRC/22/13", date: "2012-12-31", session: 14, cycle: 2,
			samples: []sample{
				{"103.54", "Adopt the necessary measures to guarantee easy and effective access to free birth registration", "pending", []string{"MEX"}},
				{"104.1", "Follow up on the recommendations by its National Aids Council, and include men having sex with other men in its HIV/AIDS policies", "noted", []string{"NLD"}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := importPath(t, filepath.Join("testdata", tt.file))
			if len(res.Rejected) != 0 {
				t.Errorf("rejected %v", res.Rejected)
			}
			if len(res.Records) != tt.n {
				t.Fatalf("got %d records, want %d", len(res.Records), tt.n)
			}
			got := map[string]int{}
			byPara := map[string]models.Recommendation{}
			for _, r := range res.Records {
				got[r.Response]++
				if _, dup := byPara[r.Paragraph]; dup {
					t.Errorf("paragraph %s twice", r.Paragraph)
				}
				byPara[r.Paragraph] = r
				if err := r.Validate(); err != nil {
					t.Errorf("paragraph %s: %v", r.Paragraph, err)
				}
				if r.CountryISO3 != tt.country || r.Symbol != tt.symbol || r.Date != tt.date || r.Session != tt.session || r.Cycle != tt.cycle {
					t.Errorf("paragraph %s: header %s %s %s session %d cycle %d, want %s %s %s %d %d", r.Paragraph,
						r.CountryISO3, r.Symbol, r.Date, r.Session, r.Cycle, tt.country, tt.symbol, tt.date, tt.session, tt.cycle)
				}
				if r.Mechanism != models.MechanismUPR || r.Body != "UPR" || r.Kind != models.KindRecommendation || r.ResponseRaw == "" {
					t.Errorf("paragraph %s: mechanism %q body %q kind %q response raw %q", r.Paragraph, r.Mechanism, r.Body, r.Kind, r.ResponseRaw)
				}
				if len(r.Sources) != 1 || r.Sources[0].Locator != "paragraph "+r.Paragraph || r.Sources[0].Format != Name ||
					r.Sources[0].File != tt.file || r.Sources[0].RawText == "" {
					t.Errorf("paragraph %s: source %+v", r.Paragraph, r.Sources)
				}
			}
			if !reflect.DeepEqual(got, tt.responses) {
				t.Errorf("responses %v, want %v", got, tt.responses)
			}
			for _, s := range tt.samples {
				r, ok := byPara[s.paragraph]
				if !ok {
					t.Errorf("no paragraph %s", s.paragraph)
					continue
				}
				if r.Text != s.text || r.Response != s.response || !reflect.DeepEqual(r.RecommendingStates, s.states) {
					t.Errorf("paragraph %s\n got %q %s %v\nwant %q %s %v", s.paragraph, r.Text, r.Response, r.RecommendingStates, s.text, s.response, s.states)
				}
			}
		})
	}
}

func TestLeadResponse(t *testing.T) {
	tests := []struct{ lead, want string }{
		{"95. The recommendations formulated during the interactive dialogue have been examined by Afghanistan and the recommendations listed below enjoy the support of Afghanistan:", models.ResponseSupported},
		{"The following recommendations will be examined by X which will provide responses in due time.", models.ResponsePending},
		{"The recommendations listed below will be further examined by Zambia and responses will be provided in due time", models.ResponsePending},
		{"The following recommendations did not enjoy the support of Yemen:", models.ResponseNoted},
		{"Brunei Darussalam notes the following recommendations and will provide appropriate responses in due time.", models.ResponsePending},
		{"Viet Nam noted the following recommendations and indicated that they pertain to measures which have been implemented", models.ResponseNoted},
		{"Finland considered the recommendations made during the interactive dialogue and listed below, and agrees to follow up on them:", models.ResponseSupported},
		{"In the course of the discussion, the following recommendations were made to Canada:", ""},
	}
	for _, tt := range tests {
		if got, raw, _ := leadResponse(tt.lead); got != tt.want || raw == "" || strings.HasSuffix(raw, ":") {
			t.Errorf("leadResponse(%q) = %q, %q; want %q", tt.lead, got, raw, tt.want)
		}
	}
}

// TestImportCorpus runs every Working Group report of the shared data. The
// total was counted by this importer and checked against the per-report
// hand counts above and the 30,261 recommendations UPR Info splits per State
// for sessions 1–16: one paragraph often carries several States.
func TestImportCorpus(t *testing.T) {
	dir := shared.Path(t, "upr-wg-reports")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) != 220 {
		t.Fatalf("found %d reports (%v), want 220", len(files), err)
	}
	total, rejected, notEnglish := 0, 0, 0
	unresolved := map[string]int{}
	for _, f := range files {
		res := importPath(t, f)
		if len(res.Records) == 0 {
			t.Errorf("%s: no recommendation", filepath.Base(f))
		}
		total += len(res.Records)
		rejected += len(res.Rejected)
		for _, r := range res.Records {
			if r.Language != "en" {
				notEnglish++
				if notEnglish <= 3 {
					t.Errorf("%s paragraph %s: language %q, want en", filepath.Base(f), r.Paragraph, r.Language)
				}
			}
		}
		for _, e := range res.Rejected {
			unresolved[e.Msg]++
		}
	}
	var msgs []string
	for m := range unresolved {
		msgs = append(msgs, m)
	}
	sort.Strings(msgs)
	t.Logf("%d reports: %d records, %d rejected", len(files), total, rejected)
	for _, m := range msgs {
		t.Logf("rejected: %s", m)
	}
	if total < 21000 || total > 21100 {
		t.Errorf("total %d records, want 21000–21100 (21,064 when last checked)", total)
	}
	if rejected > 5 {
		t.Errorf("%d records rejected, want at most 5", rejected)
	}
}

func TestImportBadInput(t *testing.T) {
	section := "Report of the Working Group on the Universal Periodic Review*\n\nBelize\n" +
		"II. CONCLUSIONS AND RECOMMENDATIONS\n67. The recommendations listed below enjoy the support of Belize:\n" +
		"1. Ratify CAT (France);\n2. Ratify CED (Narnia);\n3. Ratify OP-CAT (Spain).\n68. All conclusions and/or recommendations contained in the present report reflect the position of the submitting State(s)."
	tests := []struct {
		name, data, wantErr string
	}{
		{"binary", "Report of the Working Group on the Universal Periodic Review\x00\x01\x02\x03\x00\x00\x00\x00", "binary"},
		{"html", "<!DOCTYPE html><html><body>Working Group on the Universal Periodic Review</body></html>", "HTML"},
		{"zip", "PK\x03\x04 something", "zip"},
		{"white space", "  \n\n  ", "white space"},
		{"no section", "Report of the Working Group on the Universal Periodic Review*\n\nBelize\n1. The Working Group held its fifth session.", "no \"Conclusions and/or recommendations\" section"},
		{"no country", "Report of the Working Group on the Universal Periodic Review*\n\nAtlantis\n1. Nothing.", "State under review"},
		{"section without items", "Report of the Working Group on the Universal Periodic Review*\n\nBelize\nII. Conclusions and/or recommendations\n67. Belize will report later.", "no numbered recommendations"},
		{"one bad State", section, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &extract.Input{Path: "bad/" + tt.name + ".txt", Name: tt.name + ".txt", Data: []byte(tt.data)}
			res, err := Importer{}.Import(context.Background(), in, extract.Options{})
			if tt.wantErr != "" {
				var ue *models.Error
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), in.Path) || !errors.As(err, &ue) {
					t.Fatalf("err = %v, want an input error naming %s and saying %q", err, in.Path, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Records) != 2 || len(res.Rejected) != 1 {
				t.Fatalf("got %d records, %d rejected; want 2 and 1", len(res.Records), len(res.Rejected))
			}
			e := res.Rejected[0]
			if e.File != in.Path || e.Row != 2 || e.Field != "recommending states" || !strings.Contains(e.Msg, "Narnia") || !strings.Contains(e.Msg, "67.2") {
				t.Errorf("rejected %+v", e)
			}
			if r := res.Records[1]; r.Paragraph != "67.3" || r.Text != "Ratify OP-CAT" || r.CountryISO3 != "BLZ" || r.Response != models.ResponseSupported {
				t.Errorf("record %+v", r)
			}
		})
	}
}

func TestImportFallsBackToFileNameAndOption(t *testing.T) {
	body := "\nII. Conclusions and/or recommendations\n90. The following recommendations enjoy the support of the State:\n90.1. Ratify CAT (France);\n"
	for _, tt := range []struct {
		name, country, want string
	}{
		{"kyrgysztan2010.txt", "", "KGZ"}, // the file name's own typo
		{"report.txt", "Chile", "CHL"},
	} {
		in := &extract.Input{Path: tt.name, Name: tt.name, Data: []byte("Report of the Working Group on the Universal Periodic Review\n" + body)}
		res, err := Importer{}.Import(context.Background(), in, extract.Options{Country: tt.country})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) != 1 || res.Records[0].CountryISO3 != tt.want {
			t.Errorf("%s: records %+v, want country %s", tt.name, res.Records, tt.want)
		}
	}
}

func TestImportCancelled(t *testing.T) {
	in, err := extract.ReadInput(filepath.Join("testdata", "zambia2012.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Importer{}).Import(ctx, in, extract.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestSniff(t *testing.T) {
	report, err := extract.ReadInput(filepath.Join("testdata", "andorra2011.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   *extract.Input
		min  int
		max  int
	}{
		{"report", report, 80, 100},
		{"csv", &extract.Input{Data: []byte("To,Text,From\nFrance,Ratify CAT,Spain\n")}, 0, 0},
		{"html", &extract.Input{Data: []byte("<html><body>Working Group on the Universal Periodic Review</body></html>")}, 0, 0},
		{"title only", &extract.Input{Data: []byte("Report of the Working Group on the Universal Periodic Review\nFrance\n")}, 1, 50},
	}
	for _, tt := range tests {
		if got := (Importer{}).Sniff(tt.in); got < tt.min || got > tt.max {
			t.Errorf("%s: Sniff = %d, want %d–%d", tt.name, got, tt.min, tt.max)
		}
	}
}

func BenchmarkImportCorpus(b *testing.B) {
	files, err := filepath.Glob(filepath.Join(shared.Path(b, "upr-wg-reports"), "*.txt"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no reports: %v", err)
	}
	var ins []*extract.Input
	size := 0
	for _, f := range files {
		in, err := extract.ReadInput(f)
		if err != nil {
			b.Fatal(err)
		}
		ins = append(ins, in)
		size += len(in.Data)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range ins {
			if _, err := (Importer{}).Import(context.Background(), in, extract.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestImportFlattened reads the test reports with every line break turned
// into a space, as some text dumps of the reports come: the numbering, not
// the layout, must carry the parse.
func TestImportFlattened(t *testing.T) {
	for file, want := range map[string]int{"finland2008.txt": 8, "bahamas2009.txt": 24, "belize2009.txt": 46,
		"andorra2011.txt": 56, "guyana2010.txt": 112, "zambia2012.txt": 125} {
		in, err := extract.ReadInput(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(string(in.Data))
		in, err = extract.NewInput(in.Path, []byte(flat))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Importer{}.Import(context.Background(), in, extract.Options{})
		if err != nil {
			t.Errorf("%s flattened: %v", file, err)
			continue
		}
		if len(res.Records) != want || len(res.Rejected) != 0 {
			t.Errorf("%s flattened: %d records, %d rejected; want %d and 0", file, len(res.Records), len(res.Rejected), want)
		}
	}
}
