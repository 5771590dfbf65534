package modelgen

import (
	"slices"
	"testing"
)

// TestUPRIssueTargets: a keyword rule's target replaces the issue's default
// target of the same goal; targets of other goals and other issues stay.
func TestUPRIssueTargets(t *testing.T) {
	tx, err := EmbeddedTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		issues []string
		text   string
		want   []string
	}{
		// Shaped on UPR Info recommendations.
		{[]string{"Women's rights"}, "Take further measures to combat violence against women", []string{"5.2"}},
		{[]string{"Women's rights"}, "Continue to promote gender equality", []string{"5.1"}},
		{[]string{"Labour"}, "Take measures to eliminate forced labour", []string{"8.7"}},
		{[]string{"Labour"}, "Improve working conditions", []string{"8.5", "8.8"}},
		{[]string{"Right to education"}, "Ensure equal access to education for Roma children", []string{"4.5"}},
		{[]string{"Poverty"}, "Strengthen social protection for the poorest", []string{"1.3"}},
		// Another goal's default stays (10.2 beside 4.5).
		{[]string{"Disabilities"}, "Ensure inclusive education for children with disabilities", []string{"4.5", "10.2"}},
		// Defaults of several goals without any keyword: all stay.
		{[]string{"Trafficking"}, "Combat trafficking in persons", []string{"5.2", "8.7", "16.2"}},
		// Women's rights' 5.1 gives way to its own 5.2 of violence; Trafficking's
		// targets stay.
		{[]string{"Trafficking", "Women's rights"}, "Protect women victims of trafficking and violence", []string{"5.2", "8.7", "16.2"}},
		// Another issue's target of the same goal stays: Justice's 16.3
		// beside the 16.2 of violence against children.
		{[]string{"Justice", "Rights of the Child"}, "Ensure access to justice for child victims of violence", []string{"16.2", "16.3"}},
		{[]string{"Women's rights", "Justice"}, "Ensure access to justice for women", []string{"5.1", "16.3"}},
		{[]string{"Development"}, "Increase official development assistance to 0.7 per cent", []string{"1.2", "17", "17.2"}},
		// A keyword rule naming a default target too keeps it: climate →
		// 13.1 and 13.2; 15.1, another goal, stays.
		{[]string{"Environment"}, "Adopt a climate change adaptation plan", []string{"13.1", "13.2", "15.1"}},
		{[]string{"No such issue"}, "Anything", nil},
	} {
		if got := uprIssueTargets(tx, tt.issues, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("%v %q: %v, want %v", tt.issues, tt.text, got, tt.want)
		}
	}
}
