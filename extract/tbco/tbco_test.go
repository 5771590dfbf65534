package tbco

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
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
	paragraph, kind, heading, start, end string
}

// The counts were made by reading each text, section C ("Principal
// matters of concern and recommendations") and section D:
//
//   - DNK: paragraphs 5–38 alternate concern (17, odd) and recommendation
//     (17, even); 30 has sub-paragraphs (a)–(b) and 32 (a)–(e), each with a
//     lead-in that says more than "The State party should:", so the
//     recommendations give 15 + (1+2) + (1+5) = 24 records. Section D:
//     39–41 ask something of the State, 42 (list of issues, word limit)
//     does not: 3. Total 17 + 24 + 3 = 44.
//   - NAM: paragraphs 5–44, 20 concerns (odd); recommendations 10 (lead-in
//   - a–d), 12 (lead-in + a, b, c, e: the document has no (d)), 16
//     (lead-in + a–d), 22 (lead-in + a–c), 24 (bare lead-in, a–f) and 15
//     plain ones: 5+5+5+4+6+15 = 40. Section D: 45–47. Total 63.
//   - PRY: paragraphs 4–45, 21 concerns (even); recommendations: 9 plain
//     (5, 7, 9, 11, 17, 21, 23, 39, 41), bare "The State party should:"
//     lists 13 (3), 15 (3), 19 (4), 25 (5), 27 (4), 29 (2), 31 (2), 33 (5),
//     35 (3), 37 (4), 43 (2), and 45 (lead-in + a–e = 6): 9 + 37 + 6 = 52.
//     Section D: 46–48. Total 76.
//   - USA (2014 layout): paragraphs 4–25 are 22 numbered concerns, each
//     followed by its unnumbered recommendation: 4 (a–e), 5, 6, 7 (lead-in
//   - a–c), 8 (a–e + "The Committee also encourages …" after the list),
//     9 (lead-in + a–f), 10 (lead-in + a–b), 11 (a–c), 12–18 (7), 19
//     (lead-in + a–c), 20, 21, 22 (a–e), 23–25: 5+1+1+4+6+7+3+3+7+4+2+5+3
//     = 51. The closing paragraphs 26–28 have no section heading: 3.
//     Total 22 + 51 + 3 = 76.
func TestImportRealTexts(t *testing.T) {
	tests := []struct {
		file                  string
		total, concerns       int
		symbol, country, date string
		samples               []sample
	}{
		{"CCPR_C_DNK_CO_6.txt", 44, 17, "CCPR/C/DNK/CO/6", "DNK", "2016-08-15", []sample{
			{"5", models.KindConcern, "Incorporation of the Covenant in the domestic legal order",
				"The Committee notes that the State party does not intend to incorporate", "not be in full accordance with the Covenant (art. 2)."},
			{"27", models.KindConcern, "Counter-terrorism and surveillance activities",
				"The Committee is concerned that the application of some of the measures", "(c) the possibility of revoking the citizenship of persons with dual nationality (arts. 2, 9, 13, 17 and 26)."},
			{"30(b)", models.KindRecommendation, "Trafficking in persons",
				"Ensuring that cases of trafficking are promptly and thoroughly investigated", "consider revising the conditions for granting residence permits to victims of trafficking."},
			// glued to its heading on one line in the text
			{"36", models.KindRecommendation, "Family reunification",
				"The State party should consider reducing the duration of residence", "to obtain family reunification, in compliance with the Covenant."},
			{"40", models.KindRecommendation, "Dissemination of information relating to the Covenant",
				"In accordance with rule 71, paragraph 5, of the Committee's rules of procedure, the State party is requested", "(rights of aliens, including migrants, refugees and asylum seekers) above."},
		}},
		{"CCPR_C_NAM_CO_2.txt", 63, 20, "CCPR/C/NAM/CO/2", "NAM", "2016-04-22", []sample{
			{"10", models.KindRecommendation, "Non-discrimination",
				"The State party should conduct extensive education", "both children and adults, to eliminate all forms of discrimination."},
			// pdftotext put "laws;" above the start of the sub-paragraph
			{"12(a)", models.KindRecommendation, "Discrimination against women",
				"Cooperate with traditional leaders to abolish discriminatory customary laws", "customary laws"},
			{"21", models.KindConcern, "Prohibition of torture and ill-treatment",
				"The Committee is concerned at reports of torture", "acts of torture and illtreatment (arts. 2, 7, 10 and 26)."},
			{"24(f)", models.KindRecommendation, "Torture, violence, including sexual violence against women, and the right to life",
				"Ensure that police, prosecutors and judges are adequately trained", "to ensure that perpetrators are prosecuted and punished."},
		}},
		{"CCPR_C_PRY_CO_4.txt", 76, 21, "CCPR/C/PRY/CO/4", "PRY", "2019-08-20", []sample{
			{"13(c)", models.KindRecommendation, "Human rights violations during the period of the dictatorship",
				"Accelerate the search for missing persons", "financial resources necessary for this purpose are provided."},
			// no heading of its own: the one above paragraph 26 carries on
			{"28", models.KindConcern, "Persons deprived of their liberty and detention conditions",
				"The Committee is concerned about the high percentage of persons in pretrial detention", "in particular in police stations (arts. 9 and 14)."},
			// cut by a page break between "including by expanding training programmes for law" and "enforcement"
			{"15(b)", models.KindRecommendation, "Non-discrimination",
				"Guarantee comprehensive protection against discrimination", "training programmes for law enforcement and security officers and awareness-raising campaigns promoting tolerance and respect for diversity"},
			{"45", models.KindRecommendation, "Indigenous peoples",
				"The State party should continue its efforts to ensure the promotion", "and, in particular, should"},
		}},
		{"CCPR_C_USA_CO_4.txt", 76, 22, "CCPR/C/USA/CO/4", "USA", "2014-04-23", []sample{
			// page number "2" glued to the last line of the page
			{"4(d)", models.KindRecommendation, "Applicability of the Covenant at national level",
				"Strengthen and expand existing mechanisms", "principles relating to the status of national institutions for the promotion and protection of human rights (the Paris Principles) (General Assembly resolution 48/134, annex)."},
			{"5", models.KindConcern, "Accountability for past human rights violations",
				"The Committee is concerned at the limited number of investigations", "barriers to accountability and redress for victims (arts. 2, 6, 7, 9, 10 and 14)."},
			{"5", models.KindRecommendation, "Accountability for past human rights violations",
				"The State party should ensure that all cases of unlawful killing", "report of the Senate Special Committee on Intelligence into the CIA secret detention programme."},
			{"8", models.KindRecommendation, "Death penalty",
				"The Committee also encourages the State party to consider acceding to the Second Optional Protocol", "on the occasion of the 25th anniversary of the Protocol."},
			{"22(e)", models.KindRecommendation, "National Security Agency surveillance",
				"Ensure that affected persons have access to effective remedies in cases of abuse.", "in cases of abuse."},
			{"23", models.KindConcern, "Juvenile justice and life imprisonment without parole",
				"While noting with satisfaction the Supreme Court decisions", "(arts. 7, 9, 10, 14, 15 and 24)."},
			{"26", models.KindRecommendation, "",
				"The State party should widely disseminate the Covenant", "civil society and non-governmental organizations operating in the country, as well as the general public."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := importFile(t, filepath.Join("testdata", tt.file))
			if len(res.Records) != tt.total {
				t.Errorf("got %d records, want %d", len(res.Records), tt.total)
			}
			if len(res.Rejected) != 0 || len(res.Warnings) != 0 {
				t.Errorf("rejected %v, warnings %v", res.Rejected, res.Warnings)
			}
			concerns := 0
			for _, r := range res.Records {
				if r.Kind == models.KindConcern {
					concerns++
				}
				if err := r.Validate(); err != nil {
					t.Errorf("paragraph %s: %v", r.Paragraph, err)
				}
				if r.Symbol != tt.symbol || r.CountryISO3 != tt.country || r.Date != tt.date || r.Body != "CCPR" || r.Mechanism != models.MechanismTB {
					t.Errorf("paragraph %s: symbol %q country %q date %q body %q mechanism %q", r.Paragraph, r.Symbol, r.CountryISO3, r.Date, r.Body, r.Mechanism)
				}
				if len(r.Sources) != 1 || r.Sources[0].Locator != "paragraph "+r.Paragraph || r.Sources[0].Format != Name {
					t.Errorf("paragraph %s: sources %+v", r.Paragraph, r.Sources)
				}
				for _, junk := range []string{tt.symbol, "GE.1", "Adopted by the Committee"} {
					if strings.Contains(r.Text, junk) {
						t.Errorf("paragraph %s: page furniture %q left in the text: %q", r.Paragraph, junk, r.Text)
					}
				}
			}
			if concerns != tt.concerns {
				t.Errorf("got %d concerns, want %d", concerns, tt.concerns)
			}
			for _, s := range tt.samples {
				r := find(res.Records, s.paragraph, s.kind)
				if r == nil {
					t.Errorf("no %s record for paragraph %s", s.kind, s.paragraph)
					continue
				}
				if r.Heading != s.heading || !strings.HasPrefix(r.Text, s.start) || !strings.HasSuffix(r.Text, s.end) {
					t.Errorf("paragraph %s %s:\n got heading %q text %q\nwant heading %q text %q … %q", s.paragraph, s.kind, r.Heading, r.Text, s.heading, s.start, s.end)
				}
			}
		})
	}
}

// TestRepairs checks text pdftotext damaged inside a concern: "(b)
// workers;" stood above "Reports that … rape sex" (CCPR/C/NAM/CO/2 para. 21).
func TestRepairs(t *testing.T) {
	r := find(importFile(t, "testdata/CCPR_C_NAM_CO_2.txt").Records, "21", models.KindConcern)
	want := "(b) Reports that members of the police force regularly detain and rape sex workers; (c) The lack"
	if r == nil || !strings.Contains(r.Text, want) {
		t.Errorf("paragraph 21 does not hold %q: %+v", want, r)
	}
}

func find(recs []models.Recommendation, paragraph, kind string) *models.Recommendation {
	for i := range recs {
		if recs[i].Paragraph == paragraph && recs[i].Kind == kind {
			return &recs[i]
		}
	}
	return nil
}

// TestFormatsAgree checks that the HTML (UTF-16) and .docx fixtures, made
// from paragraphs 1–12 of CCPR/C/NAM/CO/2, give the records the pdftotext
// text gives for those paragraphs: 16 records (5–9, 10 with a–d, 11, 12
// with a, b, c, e).
func TestFormatsAgree(t *testing.T) {
	var want []models.Recommendation
	for _, r := range importFile(t, "testdata/CCPR_C_NAM_CO_2.txt").Records {
		if n := strings.TrimRight(strings.Split(r.Paragraph, "(")[0], " "); len(n) == 1 || n <= "12" && len(n) == 2 {
			want = append(want, r)
		}
	}
	if len(want) != 16 {
		t.Fatalf("text gives %d records for paragraphs 1–12, want 16", len(want))
	}
	for _, f := range []string{"co-nam-excerpt.html", "co-nam-excerpt.docx"} {
		t.Run(f, func(t *testing.T) {
			in, err := extract.ReadInput(filepath.Join("testdata", f))
			if err != nil {
				t.Fatal(err)
			}
			if got := (Importer{}).Sniff(in); got != 95 {
				t.Errorf("Sniff = %d, want 95", got)
			}
			got := importFile(t, filepath.Join("testdata", f)).Records
			if len(got) != len(want) {
				t.Fatalf("got %d records, want %d", len(got), len(want))
			}
			for i := range got {
				g, w := got[i], want[i]
				if g.Paragraph != w.Paragraph || g.Kind != w.Kind || g.Heading != w.Heading || g.Text != w.Text ||
					g.Symbol != w.Symbol || g.Date != w.Date || g.CountryISO3 != w.CountryISO3 || g.Body != w.Body {
					t.Errorf("record %d:\n got %s %s [%s] %q\nwant %s %s [%s] %q", i, g.Paragraph, g.Kind, g.Heading, g.Text, w.Paragraph, w.Kind, w.Heading, w.Text)
				}
			}
		})
	}
}

func TestSniff(t *testing.T) {
	upr, err := os.ReadFile(shared.Path(t, "upr-documents-slovenia/cycle2/g1414064.txt"))
	if err != nil {
		t.Fatal(err)
	}
	co, err := os.ReadFile("testdata/CCPR_C_DNK_CO_6.txt")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"concluding observations", co, 95},
		{"UPR compilation", upr, 0},
		{"symbol without the title", []byte("CCPR/C/DNK/CO/6\nSummary record of the 3267th meeting\n"), 20},
		{"binary", []byte{0, 1, 2, 3, 0, 0, 0, 7, 8, 9}, 0},
		{"pdf", []byte("%PDF-1.5\n..."), 0},
	}
	for _, tt := range tests {
		in, err := extract.NewInput(tt.name, tt.data)
		if err != nil {
			t.Fatal(err)
		}
		if got := (Importer{}).Sniff(in); got != tt.want {
			t.Errorf("%s: Sniff = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	co, err := os.ReadFile("testdata/CCPR_C_DNK_CO_6.txt")
	if err != nil {
		t.Fatal(err)
	}
	var noDoc bytes.Buffer
	zw := zip.NewWriter(&noDoc)
	w, _ := zw.Create("xl/workbook.xml")
	w.Write([]byte("<workbook/>"))
	zw.Close()
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"no symbol", []byte("Human Rights Committee\nConcluding observations on the sixth periodic report of Denmark\n1. The Committee considered …\n"), "no concluding observations symbol"},
		{"not a CO", []byte("CCPR/C/DNK/CO/6\nSummary record of the 3267th meeting\n"), `does not say "Concluding observations"`},
		{"unknown State", bytes.ReplaceAll(bytes.ReplaceAll(co, []byte("DNK"), []byte("XXX")), []byte("Denmark"), []byte("Atlantis")), "cannot tell the State party"},
		{"no section of concerns", co[:bytes.Index(co, []byte("C. Principal matters"))], "no numbered paragraphs under a section of concerns"},
		{"binary", []byte{0, 1, 2, 3, 0, 0, 0, 7, 8, 9, 0, 0}, "binary"},
		{"white space", []byte(" \n\n \t\n"), "no text"},
		{"truncated docx", []byte("PK\x03\x04\x14\x00\x00\x00"), "unreadable .docx"},
		{"zip without document", noDoc.Bytes(), "no word/document.xml"},
		{"pdf", []byte("%PDF-1.5\n%âãÏÓ\n"), "pdf data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := extract.NewInput("bad/"+tt.name+".txt", tt.data)
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
			if !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "bad/"+tt.name+".txt") {
				t.Errorf("error %q does not name the file and say %q", err, tt.msg)
			}
		})
	}
	if _, err := extract.NewInput("empty.txt", nil); err == nil {
		t.Error("an empty file was accepted")
	}
}

func TestCancelled(t *testing.T) {
	in, err := extract.ReadInput("testdata/CCPR_C_USA_CO_4.txt")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Importer{}).Import(ctx, in, extract.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestSharedTexts imports every text of the shared folder; they must match
// the copies in testdata.
func TestSharedTexts(t *testing.T) {
	dir := shared.Path(t, "tb-concluding-observations")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) != 4 {
		t.Fatalf("found %d texts (%v), want 4", len(files), err)
	}
	for _, f := range files {
		a, b := importFile(t, f), importFile(t, filepath.Join("testdata", filepath.Base(f)))
		if len(a.Records) != len(b.Records) {
			t.Errorf("%s: %d records, testdata copy %d", f, len(a.Records), len(b.Records))
		}
	}
}

func TestSplitNumbers(t *testing.T) {
	tests := []struct {
		name, in string
		last     int
		prefix   string
		nums     []int
	}{
		{"heading glued", "Family reunification 35. The Committee is concerned (art. 23). 36. The State party should consider", 34, "Family reunification", []int{35, 36}},
		{"sub-paragraphs then a paragraph", "(k) The Education Sector Policy (2008). 4. The Committee welcomes", 3, "(k) The Education Sector Policy (2008).", []int{4}},
		{"an act number is no paragraph", "(Act No. 7. The Office", 6, "(Act No. 7. The Office", nil},
		{"only the number expected", "18. The State party should, by 2020. 25. Ensure", 17, "", []int{18}},
	}
	for _, tt := range tests {
		p := &parser{last: tt.last}
		prefix, out := p.splitNumbers(tt.in)
		var nums []int
		for _, o := range out {
			nums = append(nums, o.num)
		}
		if prefix != tt.prefix || len(nums) != len(tt.nums) {
			t.Errorf("%s: got prefix %q numbers %v, want %q %v", tt.name, prefix, nums, tt.prefix, tt.nums)
			continue
		}
		for i := range nums {
			if nums[i] != tt.nums[i] {
				t.Errorf("%s: got numbers %v, want %v", tt.name, nums, tt.nums)
			}
		}
	}
}

// TestDocxHeadIsTheDocumentsHead: Sniff reads the head of a .docx alone
// first; it must be the head the whole document gives, for concluding
// observations and for the matrices that are not, and Sniff's score must
// not depend on it.
func TestDocxHeadIsTheDocumentsHead(t *testing.T) {
	for _, path := range []string{
		filepath.Join("testdata", "co-nam-excerpt.docx"),
		filepath.Join("..", "matrix", "testdata", "Matrix_recommendations_2018.docx"),
		filepath.Join("..", "matrix", "testdata", "UPR20__Slovenia_ThematicListRecommendations_E.docx"),
	} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in, err := extract.NewInput(filepath.Base(path), data)
		if err != nil {
			t.Fatal(err)
		}
		head, err := docxHead(in)
		if err != nil {
			t.Fatal(err)
		}
		whole, _ := extract.NewInput(filepath.Base(path), data)
		doc, err := readDocument(whole)
		if err != nil {
			t.Fatal(err)
		}
		if head != doc.head || len(head) == 0 {
			t.Errorf("%s: head of %d bytes, the whole document's %d", path, len(head), len(doc.head))
		}
	}
	data, err := os.ReadFile(filepath.Join("testdata", "co-nam-excerpt.docx"))
	if err != nil {
		t.Fatal(err)
	}
	in, _ := extract.NewInput("co-nam-excerpt.docx", data)
	if got := (Importer{}).Sniff(in); got != 95 {
		t.Errorf("Sniff(co-nam-excerpt.docx) = %d, want 95", got)
	}
	// The marker found across two windows of the stream.
	hay := bytes.Repeat([]byte("x"), 256<<10-5)
	hay = append(hay, []byte("Concluding Observations")...)
	if !streamHasMarker(bytes.NewReader(hay)) || streamHasMarker(bytes.NewReader(hay[:len(hay)-1])) {
		t.Error("marker across windows: not found, or found when cut")
	}
}
