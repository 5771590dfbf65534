package uprdoc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/extracttest"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

func importFile(t *testing.T, path string) *extract.Result {
	t.Helper()
	return extracttest.Import(t, Importer{}, path)
}

type sample struct {
	locator, body, kind, symbol, paragraph, start string
}

func checkSamples(t *testing.T, recs []models.Recommendation, samples []sample) {
	t.Helper()
	for _, s := range samples {
		var seen []string
		ok := false
		for _, r := range recs {
			if r.Sources[0].Locator != s.locator || r.Kind != s.kind {
				continue
			}
			seen = append(seen, r.Body+" "+r.Symbol+" para "+r.Paragraph+" "+r.Text)
			ok = ok || r.Body == s.body && r.Symbol == s.symbol && r.Paragraph == s.paragraph && strings.HasPrefix(r.Text, s.start)
		}
		if !ok {
			t.Errorf("%s %s: want %s %s para %q %q…, got %q", s.locator, s.kind, s.body, s.symbol, s.paragraph, s.start, seen)
		}
	}
}

// TestSloveniaCompilation reads A/HRC/WG.6/20/SVN/2. Counted by reading
// its paragraphs 1–53, one record per statement of a treaty body or special
// procedure that recommends or is concerned, cut at note marks:
//
//	1: 3   2: 2   4: 2   5: 3   6: 1   9: 2  11: 3  12: 4  13: 1  14: 5
//	16: 2  17: 3  19: 2  20: 4  22: 2  23: 1  24: 2  25: 7  26: 3  27: 4
//	28: 2  29: 2  30: 3  31: 1  32: 3  34: 1  35: 1  38: 1  39: 2  40: 2
//	41: 2  42: 2  43: 1  44: 2  46: 3  47: 2  48: 2  49: 1  50: 1  51: 2
//	52: 1  53: 5                                                 = 98
//
// Paragraphs 3, 33 and 45 (UNESCO), 36–37 (ILO CEACR), 10, 18 and 21 (the
// State) and 7, 8 and 15 (welcomed, noted) give none. 28 of the 98 are
// concerns; 7 quote the independent expert on water and sanitation
// (paragraphs 13, 38, 40 twice, 50, 51 twice).
func TestSloveniaCompilation(t *testing.T) {
	res := importFile(t, "testdata/g1414064.txt")
	if len(res.Records) != 98 || len(res.Rejected) != 0 {
		t.Fatalf("got %d records, %d rejected (%v); want 98, 0", len(res.Records), len(res.Rejected), res.Rejected)
	}
	concerns, sp := 0, 0
	for _, r := range res.Records {
		if err := r.Validate(); err != nil {
			t.Errorf("%s: %v", r.Sources[0].Locator, err)
		}
		if r.CountryISO3 != "SVN" || r.Sources[0].Format != Name || r.Sources[0].File != "g1414064.txt" {
			t.Errorf("%s: country %q source %+v", r.Sources[0].Locator, r.CountryISO3, r.Sources[0])
		}
		if r.Kind == models.KindConcern {
			concerns++
		}
		if r.Mechanism == models.MechanismSP {
			sp++
			if r.Body != "IE" || r.Symbol != "A/HRC/18/33/Add.2" {
				t.Errorf("%s: special procedure %s %s", r.Sources[0].Locator, r.Body, r.Symbol)
			}
		} else if r.Mechanism != models.MechanismTB {
			t.Errorf("%s: mechanism %s", r.Sources[0].Locator, r.Mechanism)
		}
		// the symbol cited is the quoting body's own (CEDAW's letter in
		// note 93 cites no symbol)
		if r.Mechanism == models.MechanismTB && r.Symbol != "" && !strings.HasPrefix(r.Symbol, r.Body+"/") {
			t.Errorf("%s: %s quoted with %s", r.Sources[0].Locator, r.Body, r.Symbol)
		}
	}
	if concerns != 28 || sp != 7 {
		t.Errorf("got %d concerns and %d special-procedure records, want 28 and 7", concerns, sp)
	}
	checkSamples(t, res.Records, []sample{
		{"A/HRC/WG.6/20/SVN/2 paragraph 1 note 9", "CERD", models.KindRecommendation, "CERD/C/SVN/CO/6-7", "16",
			"In 2010, the Committee on the Elimination of Racial Discrimination (CERD) encouraged Slovenia to ratify ICRMW."},
		// "Ibid." in note 21 is the last document of note 20, CAT/C/SVN/CO/3
		{"A/HRC/WG.6/20/SVN/2 paragraph 5 note 21", "CAT", models.KindRecommendation, "CAT/C/SVN/CO/3", "11",
			"CAT urged Slovenia to provide this Office with adequate resources"},
		{"A/HRC/WG.6/20/SVN/2 paragraph 5 note 22", "CAT", models.KindRecommendation, "CAT/C/SVN/CO/3", "11",
			"to broaden its mandate to carry out investigations into allegations of torture and ill-treatment."},
		// one note for a concern and the recommendation after it
		{"A/HRC/WG.6/20/SVN/2 paragraph 14 note 49", "CAT", models.KindConcern, "CAT/C/SVN/CO/3", "18",
			`CAT was concerned about persistent discrimination against the "erased" persons`},
		{"A/HRC/WG.6/20/SVN/2 paragraph 14 note 49", "CAT", models.KindRecommendation, "CAT/C/SVN/CO/3", "18",
			"encouraged Slovenia to facilitate their full integration."},
		{"A/HRC/WG.6/20/SVN/2 paragraph 12 note 45", "CRC", models.KindConcern, "CRC/C/SVN/CO/3-4", "24",
			"CRC remained seriously concerned about persistent discrimination against Roma children."},
		{"A/HRC/WG.6/20/SVN/2 paragraph 25 note 71", "CRC", models.KindRecommendation, "CRC/C/SVN/CO/3-4", "45(a)",
			"(b) a comprehensive national strategy to prevent and address all forms of violence against children"},
		// a sentence without a note of its own shares the one before
		{"A/HRC/WG.6/20/SVN/2 paragraph 26 note 76", "CRC", models.KindRecommendation, "CRC/C/SVN/CO/3-4", "38",
			"CRC recommended that Slovenia explicitly prohibit in national legislation corporal punishment"},
		{"A/HRC/WG.6/20/SVN/2 paragraph 43 note 104", "CRC", models.KindRecommendation, "CRC/C/SVN/CO/3-4", "54",
			"Concerned that suicide was the second major cause of mortality among children aged 10-14 in Slovenia, CRC urged Slovenia"},
		{"A/HRC/WG.6/20/SVN/2 paragraph 51 note 114", "IE", models.KindRecommendation, "A/HRC/18/33/Add.2", "58(e)",
			"She also recommended that Slovenia provide security of tenure to all Roma communities"},
		{"A/HRC/WG.6/20/SVN/2 paragraph 35 note 93", "CEDAW", models.KindConcern, "", "",
			"CEDAW expressed regret that Slovenia had not taken steps"},
	})
}

// TestLegalSourcesJSON reads the Barbados compilation A/HRC/WG.6/29/BRB/2
// as a legal-sources JSON record (pdftotext without layout, the symbol cut
// to "A" and "/HRC/WG.6/29/BRB/2").
func TestLegalSourcesJSON(t *testing.T) {
	res := importFile(t, "testdata/record_0001.json")
	if len(res.Records) == 0 || len(res.Rejected) != 0 {
		t.Fatalf("got %d records, %d rejected", len(res.Records), len(res.Rejected))
	}
	for _, r := range res.Records {
		if r.CountryISO3 != "BRB" || (r.Body != "CRC" && r.Body != "CEDAW") {
			t.Errorf("%s: country %s body %s", r.Sources[0].Locator, r.CountryISO3, r.Body)
		}
	}
	checkSamples(t, res.Records, []sample{
		{"A/HRC/WG.6/29/BRB/2 paragraph 3 note 5", "CRC", models.KindRecommendation, "CRC/C/BRB/CO/2", "62",
			"The Committee on the Rights of the Child recommended that Barbados consider ratifying the Optional Protocols"},
		{"A/HRC/WG.6/29/BRB/2 paragraph 4 note 6", "CEDAW", models.KindConcern, "CEDAW/C/BRB/CO/5-8", "9",
			"The Committee on the Elimination of Discrimination against Women was concerned that the Office of the Attorney General"},
		{"A/HRC/WG.6/29/BRB/2 paragraph 17 note 29", "CEDAW", models.KindConcern, "CEDAW/C/BRB/CO/5-8", "37",
			"The same Committee was also concerned that the financial secrecy policies"},
	})
	// UNESCO's "It recommended" (paragraph 53) and the ILO Committee of
	// Experts' "It also requested" (paragraph 52, note 111) are not theirs.
	for _, r := range res.Records {
		if strings.Contains(r.Sources[0].Locator, "note 111") || strings.Contains(r.Sources[0].Locator, "note 115") {
			t.Errorf("%s attributed to %s: %q", r.Sources[0].Locator, r.Body, r.Text)
		}
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		file string
		want int
	}{
		{"testdata/g1414064.txt", 90},
		{"testdata/record_0001.json", 90},
		{"testdata/g0917825.txt", 0}, // a corrigendum
	}
	for _, tt := range tests {
		in, err := extract.ReadInput(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		if got := (Importer{}).Sniff(in); got != tt.want {
			t.Errorf("%s: Sniff = %d, want %d", tt.file, got, tt.want)
		}
	}
	// The other documents of a review are not compilations.
	dir := shared.Path(t, "upr-documents-slovenia")
	for _, f := range []string{"cycle2/g1413493.txt", "cycle2/g1409727.txt", "cycle2/g1423930.txt", "cycle1/g0916919.txt"} {
		in, err := extract.ReadInput(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if got := (Importer{}).Sniff(in); got != 0 {
			t.Errorf("%s: Sniff = %d, want 0", f, got)
		}
	}
	legal := shared.Path(t, "upr-documents-legal-sources")
	for f, want := range map[string]int{"record_0000.json": 0, "record_0002.json": 0, "record_0004.json": 90, "record_0007.json": 90} {
		in, err := extract.ReadInput(filepath.Join(legal, f))
		if err != nil {
			t.Fatal(err)
		}
		if got := (Importer{}).Sniff(in); got != want {
			t.Errorf("%s: Sniff = %d, want %d", f, got, want)
		}
	}
}

func TestBadInput(t *testing.T) {
	comp, err := os.ReadFile("testdata/g1414064.txt")
	if err != nil {
		t.Fatal(err)
	}
	corr, err := os.ReadFile("testdata/g0917825.txt")
	if err != nil {
		t.Fatal(err)
	}
	noNotes := []byte(strings.Replace(string(comp), "\nNotes\n", "\n", 1))
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"corrigendum", corr, "corrigendum"},
		{"no notes", noNotes, `no "Notes" section`},
		{"not a compilation", []byte("United Nations A/HRC/14/15\nReport of the Working Group on the Universal Periodic Review\nSlovenia\n"), "not a UPR compilation"},
		{"national report record", []byte(`{"symbol":"A/HRC/WG.6/29/BRB/1","doc_type":"national_report","text":"National report"}`), "national_report, not a UN compilation"},
		{"broken JSON", []byte(`{"symbol": "A/HRC/WG.6/29/BRB/2", "text": "Compil`), "read JSON record"},
		{"JSON without text", []byte(`{"symbol":"A/HRC/WG.6/29/BRB/2","doc_type":"un_compilation"}`), `no "text"`},
		{"binary", []byte{0, 1, 2, 3, 0, 0, 0, 7, 8, 9, 0, 0}, "binary"},
		{"white space", []byte(" \n\n"), "not a UPR compilation"},
		{"docx", []byte("PK\x03\x04\x14\x00"), "zip data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := extract.NewInput("bad/"+tt.name, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Importer{}.Import(context.Background(), in, extract.Options{})
			if err == nil {
				t.Fatalf("no error; %d records", len(res.Records))
			}
			var me *models.Error
			if !errors.As(err, &me) || me.Code != models.ExitBadInput {
				t.Errorf("error %v is not an input error", err)
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "bad/"+tt.name) {
				t.Errorf("error %q does not name the file and say %q", err, tt.msg)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	in, err := extract.ReadInput("testdata/g1414064.txt")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Importer{}).Import(ctx, in, extract.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestParseNotes(t *testing.T) {
	// Notes 20–24 of A/HRC/WG.6/20/SVN/2 as printed, number above text,
	// with a page number (13) between notes.
	lines := strings.Split(`        20
           CRC/C/SVN/CO/3-4, para. 19. See also CAT/C/SVN/CO/3, para. 11.
        21
           Ibid., para. 11. See also CRC/C/SVN/CO/3-4, para. 19.
13
        22
           CAT/C/SVN/CO/3para. 10.
        23
           Letter from CEDAW to the Permanent Mission of Slovenia, p. 2(b), available from
           http://tbinternet.ohchr.org/Treaties/CEDAW/Shared%20Documents/SVN/INT_CEDAW_FUL_SVN_11944_E.pdf.
        24
           Ibid., para. 13.`, "\n")
	// Number the lines as notes 20–24 by prefixing 19 empty notes.
	var pre []string
	for i := 1; i <= 19; i++ {
		pre = append(pre, "   "+strconv.Itoa(i)+" X")
	}
	notes := parseNotes(append(pre, lines...), func(string) bool { return false })
	want := map[int][]ref{
		20: {{"CRC/C/SVN/CO/3-4", "19"}, {"CAT/C/SVN/CO/3", "11"}},
		21: {{"CAT/C/SVN/CO/3", "11"}, {"CRC/C/SVN/CO/3-4", "19"}},
		22: {{"CAT/C/SVN/CO/3", "10"}},
		23: nil,
		24: nil, // "Ibid." after a note citing no symbol
	}
	for n, refs := range want {
		got := notes[n]
		if got == nil {
			t.Fatalf("note %d missing", n)
		}
		if len(got.refs) != len(refs) {
			t.Errorf("note %d: refs %v, want %v", n, got.refs, refs)
			continue
		}
		for i := range refs {
			if got.refs[i] != refs[i] {
				t.Errorf("note %d: refs %v, want %v", n, got.refs, refs)
			}
		}
	}
}

func TestSubjectOf(t *testing.T) {
	crc := speaker{models.MechanismTB, "CRC"}
	tests := []struct {
		text string
		want speaker
	}{
		{"In 2010, the Committee on the Elimination of Racial Discrimination (CERD) encouraged Slovenia", speaker{models.MechanismTB, "CERD"}},
		{"CRC however, regretted the continued absence", crc},
		{"It urged Slovenia to regularize", crc},
		{"and recommended that Slovenia ensure", crc},
		{"Concerned that suicide was the second major cause of mortality, CRC urged Slovenia", crc},
		{"The Committee on Economic, Social and Cultural Rights recommended that", speaker{models.MechanismTB, "CESCR"}},
		{"In 2011, the independent expert on water and sanitation recommended", speaker{models.MechanismSP, "IE"}},
		{"The Special Rapporteur on violence against women, its causes and consequences, recommended", speaker{models.MechanismSP, "SR"}},
		{"UNESCO strongly encouraged Slovenia", speaker{}},
		{"In 2013, as part of the reply to CERD recommendations issued in 2010, Slovenia stated", speaker{}},
		{"The United Nations country team noted that CRC recommended", speaker{}},
	}
	for _, tt := range tests {
		got, _, ok := subjectOf(tt.text, crc)
		if !ok || got != tt.want {
			t.Errorf("subjectOf(%q) = %v, %v; want %v", tt.text, got, ok, tt.want)
		}
	}
}
