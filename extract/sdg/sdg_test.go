package sdg

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/internal/shared"
)

// framework2025 is the copy of the UNSD annex shipped with nmirf.
var framework2025 = filepath.Join(shared.Root(), "data", "sdg", "global-indicator-framework-2025.csv")

func parseFile(t *testing.T, path string) *Framework {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := Parse(fh)
	if err != nil {
		t.Fatalf("Parse %s: %v", path, err)
	}
	return f
}

// TestParse2025Counts: the annex lists 251 indicator rows under 169 targets.
// Twelve indicators are listed under two or three targets (16 extra listings,
// each repeat carries the same UNSD code, e.g. C200303 for 1.5.1, 11.5.1 and
// 13.1.1), so 251 - 16 = 235 distinct indicators.
func TestParse2025Counts(t *testing.T) {
	f := parseFile(t, framework2025)
	if len(f.Goals) != 17 || len(f.Targets) != 169 || len(f.Indicators) != 251 || len(f.Links) != 251 {
		t.Fatalf("got %d goals, %d targets, %d indicators, %d links; want 17, 169, 251, 251",
			len(f.Goals), len(f.Targets), len(f.Indicators), len(f.Links))
	}
	if got := f.UniqueIndicators(); got != 235 {
		t.Errorf("UniqueIndicators = %d, want 235", got)
	}
	perGoal := map[string]int{}
	for _, tg := range f.Targets {
		perGoal[tg.Goal]++
	}
	if perGoal["17"] != 19 || perGoal["1"] != 7 || perGoal["14"] != 10 {
		t.Errorf("targets per goal 1/14/17 = %d/%d/%d, want 7/10/19", perGoal["1"], perGoal["14"], perGoal["17"])
	}
	for _, ind := range f.Indicators {
		if ind.UNSDCode == "" || !strings.HasPrefix(ind.Code, ind.Target+".") {
			t.Errorf("indicator %+v: missing UNSD code or wrong target", ind)
		}
	}
	for _, l := range f.Links {
		if !strings.HasPrefix(l.Indicator, l.Target+".") {
			t.Errorf("link %+v: indicator listed under another target", l)
		}
	}
}

func TestParse2025Repeated(t *testing.T) {
	f := parseFile(t, framework2025)
	want := [][]string{
		{"1.5.1", "11.5.1", "13.1.1"}, {"1.5.2", "11.5.2"}, {"1.5.3", "11.b.1", "13.1.2"},
		{"1.5.4", "11.b.2", "13.1.3"}, {"4.7.1", "12.8.1", "13.3.1"}, {"7.b.1", "12.a.1"},
		{"8.4.1", "12.2.1"}, {"8.4.2", "12.2.2"}, {"10.3.1", "16.b.1"}, {"10.6.1", "16.8.1"},
		{"15.7.1", "15.c.1"}, {"15.a.1", "15.b.1"},
	}
	if got := f.Repeated(); !reflect.DeepEqual(got, want) {
		t.Errorf("Repeated =\n%v\nwant\n%v", got, want)
	}
	// The repeats carry the same title once cleaned, even where one copy has
	// a no-break space (10.3.1 "human rights\u00a0law").
	a, _ := f.Indicator("10.3.1")
	b, _ := f.Indicator("16.b.1")
	if a.Title != b.Title || a.UNSDCode != "C200204" {
		t.Errorf("10.3.1 %q (%s) vs 16.b.1 %q", a.Title, a.UNSDCode, b.Title)
	}
}

func TestParse2025Titles(t *testing.T) {
	f := parseFile(t, framework2025)
	goals := map[string]string{}
	for _, g := range f.Goals {
		goals[g.Code] = g.Title
	}
	tests := []struct{ kind, code, want string }{
		// footnote 3 glued to the last word
		{"goal", "13", "Take urgent action to combat climate change and its impacts"},
		{"goal", "5", "Achieve gender equality and empower all women and girls"},
		{"target", "14.6", "By 2020, prohibit certain forms of fisheries subsidies which contribute to overcapacity and overfishing, eliminate subsidies that contribute to illegal, unreported and unregulated fishing and refrain from introducing new such subsidies, recognizing that appropriate and effective special and differential treatment for developing and least developed countries should be an integral part of the World Trade Organization fisheries subsidies negotiation"},
		// "$1.25" and "2030" are real numbers
		{"target", "1.1", "By 2030, eradicate extreme poverty for all people everywhere, currently measured as people living on less than $1.25 a day"},
		{"target", "17.2", "Developed countries to implement fully their official development assistance commitments, including the commitment by many developed countries to achieve the target of 0.7 per cent of gross national income for official development assistance (ODA/GNI) to developing countries and 0.15 to 0.20 per cent of ODA/GNI to least developed countries; ODA providers are encouraged to consider setting a target to provide at least 0.20 per cent of ODA/GNI to least developed countries"},
		// footnote 4 glued to "speed"
		{"indicator", "17.6.1", "Fixed broadband subscriptions per 100 inhabitants, by speed"},
		{"indicator", "1.5.1", "Number of deaths, missing persons and directly affected persons attributed to disasters per 100,000 population"},
		{"indicator", "11.6.2", "Annual mean levels of fine particulate matter (e.g. PM2.5 and PM10) in cities (population weighted)"},
		{"indicator", "9.4.1", "CO2 emission per unit of value added"},
		{"indicator", "3.2.1", "Under-5 mortality rate"},
		{"indicator", "1.a.1", "Total official development assistance grants that focus on poverty reduction as a share of the recipient country's gross national income"},
		{"indicator", "15.9.1", "(a) Number of countries that have established national targets in accordance with or similar to Kunming-Montreal Global Biodiversity Framework Target 14 in their national biodiversity strategy and action plans and the progress reported towards these targets; and (b) integration of biodiversity into national accounting and reporting systems, defined as implementation of the System of Environmental-Economic Accounting"},
		{"indicator", "1.5.3", "Number of countries that adopt and implement national disaster risk reduction strategies in line with the Sendai Framework for Disaster Risk Reduction 2015–2030"},
	}
	for _, tt := range tests {
		var got string
		switch tt.kind {
		case "goal":
			got = goals[tt.code]
		case "target":
			tg, _ := f.Target(tt.code)
			got = tg.Title
		case "indicator":
			ind, _ := f.Indicator(tt.code)
			got = ind.Title
		}
		if got != tt.want {
			t.Errorf("%s %s title\n got %q\nwant %q", tt.kind, tt.code, got, tt.want)
		}
	}
}

func TestCleanTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Take urgent action to combat climate change and its impacts3", "Take urgent action to combat climate change and its impacts"},
		{"Redistributive impact of fiscal policy2", "Redistributive impact of fiscal policy"},
		{"Fixed broadband subscriptions per 100 inhabitants, by speed4", "Fixed broadband subscriptions per 100 inhabitants, by speed"},
		{"CO2 emission per unit of value added", "CO2 emission per unit of value added"},
		{"fine particulate matter (e.g. PM2.5 and PM10)", "fine particulate matter (e.g. PM2.5 and PM10)"},
		{"Water use per km2 of land", "Water use per km2 of land"},
		{"Target 14 of the Framework 2015–2030", "Target 14 of the Framework 2015–2030"},
		{"less than $1.25 a day,\u00a0per 100,000", "less than $1.25 a day, per 100,000"},
	}
	for _, tt := range tests {
		if got := CleanTitle(tt.in); got != tt.want {
			t.Errorf("CleanTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseBad(t *testing.T) {
	dup, err := os.ReadFile("testdata/broken-goal-twice.csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, in, wantErr string }{
		{"empty", "", "file is empty"},
		{"bom only", "\xef\xbb\xbf\r\n", "file is empty"},
		{"not a framework", "a,b,c\n1,2,3\n", "found 0 goals"},
		{"goal twice", string(dup), "line 4: goal 1 listed twice"},
		{"indicator before target", ",Goal 1. End poverty,,\n,,1.1.1 Proportion,C010101\n", "indicator 1.1.1 before any target"},
		{"target outside goal", ",Goal 1. End poverty,,\n,2.1 End hunger,2.1.1 Prevalence,C020101\n", "target 2.1 outside goal"},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.wantErr)
		}
	}
}

// TestCompare2023 documents what the 2025 comprehensive review changed
// against the 2023 refinement: three indicators added, none removed (at the
// level of codes), 19 reworded, of which three (3.b.3, 4.6.1, 15.9.1) are
// new indicators under an old code and got a new UNSD code.
func TestCompare2023(t *testing.T) {
	old := parseFile(t, shared.Path(t, "sdg-framework/unsd-2023/Global Indicator Framework after 2023 refinement.English.A.RES.71.313 Annex.csv"))
	if len(old.Goals) != 17 || len(old.Targets) != 169 || len(old.Indicators) != 248 || old.UniqueIndicators() != 232 {
		t.Fatalf("2023: %d goals, %d targets, %d indicators, %d unique; want 17, 169, 248, 232",
			len(old.Goals), len(old.Targets), len(old.Indicators), old.UniqueIndicators())
	}
	// 2023 carries footnote 2 on "fiscal policy2".
	if ind, _ := old.Indicator("10.4.2"); ind.Title != "Redistributive impact of fiscal policy" {
		t.Errorf("2023 10.4.2 = %q", ind.Title)
	}
	f := parseFile(t, framework2025)
	d := f.Compare(old)
	want := Diff{
		Added:   []string{"2.2.4", "8.9.2", "11.c.1"},
		Removed: nil,
		Retitled: []string{"1.a.1", "2.5.2", "3.b.3", "4.6.1", "4.b.1", "7.b.1", "9.3.1", "10.4.2", "10.b.1",
			"11.7.2", "12.a.1", "15.9.1", "16.1.3", "16.3.1", "17.4.1", "17.6.1", "17.7.1", "17.9.1", "17.18.1"},
		Recoded: []string{"3.b.3", "4.6.1", "15.9.1"},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Compare =\n%+v\nwant\n%+v", d, want)
	}
	t.Logf("2025 review vs 2023: added %v; reworded %v; UNSD code changed %v; targets reworded %v",
		d.Added, d.Retitled, d.Recoded, d.TargetsRetitled)
	for _, c := range d.Recoded {
		o, _ := old.Indicator(c)
		n, _ := f.Indicator(c)
		t.Logf("  %s: %s %q -> %s %q", c, o.UNSDCode, o.Title, n.UNSDCode, n.Title)
	}
}
