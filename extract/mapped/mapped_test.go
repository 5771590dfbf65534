package mapped

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

func run(t *testing.T, data, mapping string) (*extract.Result, error) {
	t.Helper()
	in, err := extract.ReadInput(data)
	if err != nil {
		t.Fatal(err)
	}
	return Importer{}.Import(context.Background(), in, extract.Options{MappingPath: mapping})
}

func labels(r models.Recommendation, scheme string) []string {
	var out []string
	for _, l := range r.Labels {
		if l.Scheme == scheme {
			out = append(out, l.Value)
		}
	}
	return out
}

type brief struct {
	Loc, Kind, ISO3 string
	Mech            models.Mechanism
	Body, Para      string
	Date, Symbol    string
	Themes, SDGs    []string
}

func briefOf(r models.Recommendation) brief {
	return brief{r.Sources[0].Locator, r.Kind, r.CountryISO3, r.Mechanism, r.Body, r.Paragraph, r.Date, r.Symbol,
		labels(r, models.SchemeUHRITheme), labels(r, models.SchemeUHRISDG)}
}

const torture = "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)"

// The CSV and the XLSX hold the same treaty-body list; the TOML and the YAML
// mapping must read them to the same records, the XLSX's rows one lower
// under its title row.
func TestTreatyBodyList(t *testing.T) {
	tests := []struct {
		data, mapping string
		offset        int // sheet rows above the CSV's lines
		rejectFields  []string
	}{
		{"testdata/ccpr-recommendations.csv", "testdata/ccpr-recommendations.toml", 0, []string{"State", "Type", "Recommendation"}},
		{"testdata/ccpr-recommendations.xlsx", "testdata/ccpr-recommendations.yaml", 1, []string{"State", "Type", "Recommendation"}},
	}
	for _, tt := range tests {
		t.Run(filepath.Ext(tt.data), func(t *testing.T) {
			res, err := run(t, tt.data, tt.mapping)
			if err != nil {
				t.Fatal(err)
			}
			loc := func(line int) string { return "row " + itoa(line+tt.offset) }
			want := []brief{
				{loc(2), "concern", "DNK", "TB", "CCPR", "9", "2016-08-15", "CCPR/C/DNK/CO/6", []string{"National Human Rights Institution (NHRI)"}, []string{"16.a"}},
				{loc(3), "recommendation", "DNK", "TB", "CCPR", "10", "2016-08-15", "CCPR/C/DNK/CO/6", []string{"National Human Rights Institution (NHRI)"}, []string{"16", "16.a"}},
				{loc(4), "recommendation", "DNK", "TB", "CCPR", "16", "2016-08-15", "CCPR/C/DNK/CO/6", []string{"Discrimination against women", "Participation of women in political & public life"}, []string{"5", "5.5"}},
				{loc(5), "recommendation", "DNK", "TB", "CCPR", "22", "2016-08-15", "CCPR/C/DNK/CO/6", []string{torture}, []string{"16.3"}},
				{loc(8), "recommendation", "NAM", "TB", "CCPR", "20", "2016-04-22", "CCPR/C/NAM/CO/2", []string{"Enforced disappearances", "Rule of law & impunity"}, []string{"16.3"}},
				{loc(9), "recommendation", "NAM", "TB", "CCPR", "32", "2016-04-22", "CCPR/C/NAM/CO/2", []string{"Access to justice & remedy"}, []string{"16.3"}},
				{loc(11), "recommendation", "PRY", "TB", "CCPR", "9", "2019-08-20", "CCPR/C/PRY/CO/4", []string{"National Human Rights Action Plans (or specific areas) / implementation plans"}, []string{"16.6", "16.7"}},
				{loc(12), "recommendation", "PRY", "TB", "CCPR", "39", "2019-08-20", "CCPR/C/PRY/CO/4", []string{"Right to participate in public affairs & right to vote"}, []string{"16.7"}},
				{loc(13), "concern", "USA", "TB", "CCPR", "18", "2014-04-23", "CCPR/C/USA/CO/4", []string{torture, "Right to health"}, []string{"3.4"}},
			}
			var got []brief
			for _, r := range res.Records {
				if err := r.Validate(); err != nil {
					t.Errorf("%s: %v", r.Sources[0].Locator, err)
				}
				got = append(got, briefOf(r))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("records:\n%+v\nwant\n%+v", got, want)
			}
			wantRej := []models.RowError{
				{File: tt.data, Row: 6 + tt.offset, Field: tt.rejectFields[0], Msg: `unknown country "Denmark/Greenland"`},
				{File: tt.data, Row: 7 + tt.offset, Field: tt.rejectFields[1], Msg: `kind "Positive aspect" is neither a recommendation nor a concern`},
				{File: tt.data, Row: 10 + tt.offset, Field: tt.rejectFields[2], Msg: "no text"},
			}
			if !reflect.DeepEqual(res.Rejected, wantRej) {
				t.Errorf("rejected:\n%+v\nwant\n%+v", res.Rejected, wantRej)
			}
			// The paragraph number written into the text is moved out of it.
			if p := res.Records[6]; !strings.HasPrefix(p.Text, "The State party should continue its efforts") {
				t.Errorf("text keeps its number: %q", p.Text)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestUPRTrackerWithDefaults(t *testing.T) {
	res, err := run(t, "testdata/upr-slovenia-tracker.csv", "testdata/upr-slovenia-tracker.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 0 || len(res.Warnings) != 0 {
		t.Errorf("rejected %v, warnings %v", res.Rejected, res.Warnings)
	}
	type upr struct {
		ID, ISO3, Para, Text, Response string
		States                         []string
		Themes                         []string
	}
	want := []upr{
		{"SVN-2-115.1", "SVN", "115.1", "Take further steps for the ratification of several international treaties in the field of human rights that were signed by Slovenia since the first UPR cycle", "supported", []string{"HRV"}, []string{"Ratification of & accession to international instruments"}},
		{"SVN-2-115.13", "SVN", "115.13", "Continue its efforts to ratify ICRMW", "noted", []string{"IDN"}, []string{"Ratification of & accession to international instruments"}},
		{"SVN-2-115.16", "SVN", "115.16", "Ratify the International Convention for the Protection of All Persons from Enforced Disappearance", "supported", []string{"BEL", "FRA", "TUN", "SLE", "ARG"}, []string{"Enforced disappearances", "Ratification of & accession to international instruments"}},
		{"SVN-2-115.75", "SVN", "115.75", "Guarantee the right of Roma people to adequate housing, water and sanitation, work, education, and security of tenure of their settlements", "supported", []string{"VEN"}, []string{"Equality & non-discrimination", "Racial discrimination", "Right to adequate housing", "Safe drinking water & sanitation"}},
		{"SVN-2-115.31", "SVN", "115.31", "Broaden the mandate of its equality bodies and increase their human and financial resources", "supported", []string{"AUS"}, []string{"Equality & non-discrimination"}},
	}
	var got []upr
	for _, r := range res.Records {
		if r.Mechanism != models.MechanismUPR || r.Body != "UPR" || r.Symbol != "A/HRC/28/15" || r.Date != "2014-12-10" {
			t.Errorf("%s: mechanism %q body %q symbol %q date %q", r.Sources[0].Locator, r.Mechanism, r.Body, r.Symbol, r.Date)
		}
		got = append(got, upr{r.Sources[0].SourceID, r.CountryISO3, r.Paragraph, r.Text, r.Response, r.RecommendingStates, labels(r, models.SchemeUHRITheme)})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("records:\n%+v\nwant\n%+v", got, want)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMappingErrors(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                []string
	}{
		{"unknown TOML key", "m.toml", "[columns]\ntext = \"Recommendation\"\ncountri = \"State\"\n[option]\nsheet = \"x\"\n",
			[]string{"unknown key(s)", "columns.countri", "option"}},
		{"unknown YAML key", "m.yaml", "columns:\n  text: Recommendation\n  bodies: Committee\n", []string{"bodies", "not found"}},
		{"neither TOML nor YAML", "m.json", `{"columns":{"text":"Recommendation"}}`, []string{"TOML (.toml) or YAML", `".json"`}},
		{"broken TOML", "m.toml", "[columns\ntext = 1\n", []string{"parse TOML"}},
		{"no text column", "m.yml", "columns:\n  country: State\n", []string{"columns.text is required"}},
		{"bad defaults", "m.toml", "[columns]\ntext = \"T\"\n[defaults]\ncountry = \"Atlantis\"\nmechanism = \"Court\"\nkind = \"praise\"\n",
			[]string{`defaults.country "Atlantis"`, `defaults.mechanism "Court"`, `defaults.kind "praise"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.file, tt.content)
			_, err := run(t, "testdata/ccpr-recommendations.csv", p)
			if err == nil {
				t.Fatal("no error")
			}
			if models.CodeOf(err) != models.ExitUsage {
				t.Errorf("exit code %d, want %d", models.CodeOf(err), models.ExitUsage)
			}
			for _, w := range append(tt.want, p) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
	if _, err := run(t, "testdata/ccpr-recommendations.csv", ""); models.CodeOf(err) != models.ExitUsage {
		t.Errorf("no mapping: got %v, want a usage error", err)
	}
}

func TestFileErrors(t *testing.T) {
	tests := []struct {
		name, data, mapping string
		want                []string
	}{
		{"mapped column missing", "testdata/ccpr-recommendations.csv", "testdata/upr-slovenia-tracker.toml",
			[]string{"testdata/upr-slovenia-tracker.toml", `recommending_states = "Recommending State(s)"`, `response = "Position"`, `id = "Ref"`, `labels.uhri-theme = "Theme(s)"`, `"Recommendation"`}},
		{"sheet missing", "testdata/ccpr-recommendations.xlsx", writeFile(t, "m.toml", "[columns]\ntext = \"Recommendation\"\n[options]\nsheet = \"Sheet9\"\n"),
			[]string{`no sheet "Sheet9"`, `"Recommendations"`}},
		{"duplicated header", writeFile(t, "dup.csv", "Ref;Recommendation;Recommending State(s);Position;Position\nSVN-1;Ratify CAT (Chile);Chile;Supported;Noted\n"),
			"testdata/upr-slovenia-tracker.toml", []string{`duplicated column header "Position" (columns 4 and 5)`, "response"}},
		{"unclosed quote", writeFile(t, "open.csv", "Ref;Recommendation;Recommending State(s);Position;Theme(s)\n"+
			"SVN-1;\"Ratify CAT (Chile);Chile;Supported;Torture\nSVN-2;Ratify OP-CAT (Peru);Peru;Supported;\"Torture\"\n"),
			"testdata/upr-slovenia-tracker.toml", []string{`row at line 2: the quoted field "Recommendation" runs over the line end into line 3`, "unclosed quote?"}},
		{"binary", writeFile(t, "x.csv", "\x00\x01\x02\x03binary"), "testdata/ccpr-recommendations.toml", []string{"not a CSV or XLSX table"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := run(t, tt.data, tt.mapping)
			if err == nil {
				t.Fatal("no error")
			}
			if models.CodeOf(err) != models.ExitBadInput {
				t.Errorf("exit code %d, want %d (%v)", models.CodeOf(err), models.ExitBadInput, err)
			}
			for _, w := range append(tt.want, tt.data) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %s", err, w)
				}
			}
		})
	}
}

// The OHCHR treaty body database's Indonesia document index is a list of
// documents, not of recommendations: a treaty-body mapping must say so by
// naming the columns it lacks, not import titles as recommendations.
func TestDocumentIndexIsNotAList(t *testing.T) {
	p := shared.Path(t, "tbinternet-samples/IDN_sources.csv")
	_, err := run(t, p, "testdata/ccpr-recommendations.toml")
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{`text = "Recommendation"`, `country = "State"`, `"titre"`, `"cote"`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %s", err, w)
		}
	}
}

func TestSniffIsZero(t *testing.T) {
	in, err := extract.ReadInput("testdata/ccpr-recommendations.csv")
	if err != nil {
		t.Fatal(err)
	}
	if s := (Importer{}).Sniff(in); s != 0 {
		t.Errorf("Sniff = %d, want 0", s)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in, _ := extract.ReadInput("testdata/ccpr-recommendations.csv")
	if _, err := (Importer{}).Import(ctx, in, extract.Options{MappingPath: "testdata/ccpr-recommendations.toml"}); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestTrackerFollowupColumns(t *testing.T) {
	res, err := run(t, "testdata/upr-slovenia-followup.csv", "testdata/upr-slovenia-followup.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 5 {
		t.Fatalf("%d recommendations, want all 5 (a bad status rejects the update only)", len(res.Records))
	}
	fu := res.Followup
	var got []string
	for _, u := range fu.Updates {
		got = append(got, fmt.Sprintf("%d %s %s %s %q", u.Source.Row, u.Status, u.Date, u.ReportingEntity, u.Text))
	}
	want := []string{
		`2 partially_implemented 2025-09-15 Ministry of Foreign Affairs "Two of the treaties ratified."`,
		`3 not_started 2025-03-01 MFA ""`,
		`4 implemented 2026-01-20 Ministry of Foreign Affairs "Instrument deposited."`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("updates:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if fu.Updates[0].RecID == "" || fu.Updates[0].RecID != fu.Reviews[0].RecID || fu.Updates[0].EvidenceURL != "https://example.org/ratification" {
		t.Errorf("update 1: %+v", fu.Updates[0])
	}
	if len(fu.Reviews) != 5 || fu.Reviews[3].Labels[0] != "Ministry of Labour and Social Affairs" || fu.Reviews[3].Scheme != models.ReviewLeadEntity {
		t.Errorf("lead entities %+v", fu.Reviews)
	}
	if len(fu.Actions) != 2 || fu.Actions[0].ActionID != fu.Actions[1].ActionID || fu.Actions[0].Title != "Ratification plan" {
		t.Errorf("actions %+v", fu.Actions)
	}
	var rej []string
	for _, e := range res.Rejected {
		rej = append(rej, e.Error())
	}
	wantRej := []string{
		`testdata/upr-slovenia-followup.csv row 5 field "Status": status "Somewhat" is not one of not_started, in_progress, partially_implemented, implemented, not_applicable (or fully/partially/not implemented)`,
		`testdata/upr-slovenia-followup.csv row 6 field "Updated": date 2099-01-01 is in the future`,
	}
	if strings.Join(rej, "\n") != strings.Join(wantRej, "\n") {
		t.Errorf("rejected:\n%s\nwant\n%s", strings.Join(rej, "\n"), strings.Join(wantRej, "\n"))
	}
}
