package models

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitTrailingStates(t *testing.T) {
	tests := []struct{ in, text, states string }{
		// Real Working Group report paragraphs (upr-wg-reports, upr-paragraphs).
		{"Ratify the remaining core international human rights treaties (Ukraine);", "Ratify the remaining core international human rights treaties", "Ukraine"},
		{"Consider ratifying OP-CAT (Bolivia (Plurinational State of));", "Consider ratifying OP-CAT", "Bolivia (Plurinational State of)"},
		{"Sign and ratify the OP-ICESCR (Spain, Portugal and Holy See).", "Sign and ratify the OP-ICESCR", "Spain, Portugal and Holy See"},
		{"Accede to the Optional Protocol (OP-CAT)", "Accede to the Optional Protocol (OP-CAT)", ""},
		{"Implement the national plan (2015-2020);", "Implement the national plan (2015-2020);", ""},
		{"Ratify the ICRMW", "Ratify the ICRMW", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		text, states := SplitTrailingStates(tt.in)
		if text != tt.text || states != tt.states {
			t.Errorf("SplitTrailingStates(%q) = %q, %q; want %q, %q", tt.in, text, states, tt.text, tt.states)
		}
	}
}

func TestSplitStateList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Spain, Portugal and Holy See", []string{"Spain", "Portugal", "Holy See"}},
		{"United Kingdom of Great Britain and Northern Ireland; Trinidad and Tobago", []string{"United Kingdom of Great Britain and Northern Ireland", "Trinidad and Tobago"}},
		{"Venezuela, Bolivarian Republic of, Cuba", []string{"Venezuela, Bolivarian Republic of", "Cuba"}},
	}
	for _, tt := range tests {
		if got := SplitStateList(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitStateList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRecIDIdentity(t *testing.T) {
	// The same real recommendation as the UPR Info export and the Working Group report write it.
	a := Recommendation{Kind: KindRecommendation, Text: "Consider ratifying the Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families.",
		CountryISO3: "GBR", Mechanism: MechanismUPR, Body: "UPR", Session: 1}
	b := a
	b.Text = "56.1 Consider ratifying the Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families (Egypt);"
	if RecID(&a) != RecID(&b) {
		t.Errorf("same recommendation from two sources got two ids")
	}
	early := a
	early.Text = "To consider ratifying the Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families;"
	if RecID(&a) != RecID(&early) {
		t.Errorf("infinitive form of the 2008 report got another id")
	}
	c := a
	c.Session = 13 // the same words in the next cycle are a new recommendation
	d := a
	d.CountryISO3 = "FRA"
	e := a
	e.Kind = KindConcern
	for _, o := range []Recommendation{c, d, e} {
		if RecID(&o) == RecID(&a) {
			t.Errorf("%+v shares the id of %+v", o, a)
		}
	}
	if id := RecID(&a); len(id) != 17 || !strings.HasPrefix(id, "R") {
		t.Errorf("id %q is not R + 16 hex digits", id)
	}
}

func TestCleanText(t *testing.T) {
	tests := map[string]string{
		"Ratify  OP-CAT\n(Spain)":                "Ratify OP-CAT (Spain)",
		" Women\u2019s rights\u00a0now ":         "Women's rights now",
		"Already clean text.":                    "Already clean text.",
		"Ensure l\u00e8se-majest\u00e9\u2003law": "Ensure lèse-majesté law",
	}
	for in, want := range tests {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMergeKeepsFirstAndUnionsTheRest(t *testing.T) {
	a := Recommendation{Paragraph: "", Response: ResponseSupported, RecommendingStates: []string{"ESP"},
		Sources: []Source{{Format: "upr-info-csv", FileSHA256: "1", Locator: "row 2"}},
		Labels:  []Label{{Scheme: SchemeUPRInfoIssue, Value: "Migrants", Source: "upr-info-csv"}}}
	b := Recommendation{Paragraph: "56.1", Response: ResponseNoted, RecommendingStates: []string{"EGY", "ESP"},
		Sources: []Source{{Format: "upr-wg-report", FileSHA256: "2", Locator: "paragraph 56.1"}, {Format: "upr-info-csv", FileSHA256: "1", Locator: "row 2"}},
		Labels:  []Label{{Scheme: SchemeUPRInfoIssue, Value: "Migrants", Source: "upr-info-csv"}}}
	a.Merge(b)
	if a.Paragraph != "56.1" || a.Response != ResponseSupported {
		t.Errorf("merge fields: paragraph %q response %q", a.Paragraph, a.Response)
	}
	if !reflect.DeepEqual(a.RecommendingStates, []string{"EGY", "ESP"}) || len(a.Sources) != 2 || len(a.Labels) != 1 {
		t.Errorf("merge unions: %+v", a)
	}
}

func TestFinalResponseSupersedesPending(t *testing.T) {
	// The 2012 UK Working Group report: "will examine"; the UPR Info export: "Accepted".
	wg := Recommendation{Response: ResponsePending, ResponseRaw: "The following recommendations will be examined by the United Kingdom"}
	wg.Merge(Recommendation{Response: ResponseSupported, ResponseRaw: "Accepted"})
	if wg.Response != ResponseSupported || wg.ResponseRaw != "Accepted" {
		t.Errorf("pending then supported gives %q (%q)", wg.Response, wg.ResponseRaw)
	}
	info := Recommendation{Response: ResponseNoted, ResponseRaw: "Noted"}
	info.Merge(Recommendation{Response: ResponsePending, ResponseRaw: "will examine"})
	if info.Response != ResponseNoted {
		t.Errorf("noted then pending gives %q", info.Response)
	}
}
