package classify

import (
	"slices"
	"testing"
)

func TestMapUHRITheme(t *testing.T) {
	tests := []struct {
		old  string
		want []string
	}{
		// Letter scheme, as the China and Egypt thematic lists write it.
		{"A12 Acceptance of international norms", []string{"Ratification of & accession to international instruments"}},
		{"D25 Prohibition of torture and cruel, inhuman or degrading treatment", []string{"Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)"}},
		{"D29 Domestic violence", []string{"Violence against women"}},
		{"A6 Context, statistics, budget, civil society", []string{"Data collection & research", "Budget & resources (for human rights implementation)", "Cooperation & consultation with civil society"}},
		{"G1 Members of minorities", []string{"Racial discrimination", "Equality & non-discrimination"}},
		{"E41 Right to health - General", []string{"Right to health"}},
		// Numbered scheme, as the Slovenia 2014 list writes it; dashes and "&" vary.
		{"12.4. Death penalty", []string{"Death penalty"}},
		{"13.1. Liberty & security – general", []string{"Liberty & security of the person"}},
		{"16. Right to an effective remedy, impunity", []string{"Access to justice & remedy", "Rule of law & impunity"}},
		{"30.1. Children: definition, general principles, protection", []string{"Children: definition; general principles; protection"}},
		// By name without a code, and by code with an unlisted wording.
		{"Freedom of association", []string{"Freedom of association"}},
		{"D43 freedom of opinion & expression", []string{"Freedom of opinion and expression & access to information"}},
		{"D23 Capital punishment", []string{"Death penalty"}},
		// A label already in the 2026 vocabulary maps to itself.
		{"Human rights & climate change", []string{"Human rights & climate change"}},
		{"National Preventive Mechanism (NPM)", []string{"National Preventive Mechanism (NPM)"}},
		// Unknown.
		{"Z9 Something else", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := MapUHRITheme(tt.old); !slices.Equal(got, tt.want) {
			t.Errorf("MapUHRITheme(%q) = %q, want %q", tt.old, got, tt.want)
		}
	}
}

func TestUHRIThemes(t *testing.T) {
	themes := UHRIThemes()
	if len(themes) != 100 {
		t.Fatalf("%d themes, want the 100 of the UHRI 2026 vocabulary", len(themes))
	}
	if themes[0].Name != "Reservations" || themes[99].Name != "Universal or cross-cutting issues" {
		t.Errorf("first and last themes %q, %q", themes[0].Name, themes[99].Name)
	}
	d := UHRIThemeDescriptions()
	if got := d["Death penalty"]; got != "Death penalty. Death penalty: abolish capital punishment, establish a moratorium on executions, commute death sentences, ratify the Second Optional Protocol to the ICCPR." {
		t.Errorf("description of Death penalty = %q", got)
	}
	// Every old-scheme row maps to known themes (checked when parsed).
	if _, err := loadTaxonomies(); err != nil {
		t.Fatal(err)
	}
}

func TestUPRIssueSDG(t *testing.T) {
	tests := []struct {
		issue, text string
		want        []string
	}{
		{"Right to education", "Ensure access to education for all children.", []string{"4.1"}},
		{"Right to education", "Guarantee girls' access to secondary education in rural areas.", []string{"4.1", "4.5"}},
		{"Women's rights", "Strengthen measures to combat domestic violence against women.", []string{"5.1", "5.2"}},
		{"Death penalty", "Abolish the death penalty.", []string{"16.1"}},
		{"NHRI", "Establish a national human rights institution in line with the Paris Principles.", []string{"16.a"}},
		{"Trafficking", "Combat trafficking in persons.", []string{"5.2", "8.7", "16.2"}},
		{"General", "Continue its efforts.", nil},
		{"No such issue", "Text.", nil},
	}
	for _, tt := range tests {
		if got := UPRIssueSDG(tt.issue, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("UPRIssueSDG(%q, %q) = %q, want %q", tt.issue, tt.text, got, tt.want)
		}
	}
}

func TestUPRIssueUHRI(t *testing.T) {
	tests := []struct {
		issue, text string
		want        []string
	}{
		{"Torture and other CID treatment", "Ratify the OP-CAT.", []string{"National Preventive Mechanism (NPM)", "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)"}},
		{"International instruments", "Ratify the CRPD.", []string{"Ratification of & accession to international instruments"}},
		{"Women's rights", "Combat violence against women.", []string{"Discrimination against women", "Violence against women"}},
		{"Other", "Anything.", nil},
	}
	for _, tt := range tests {
		if got := UPRIssueUHRI(tt.issue, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("UPRIssueUHRI(%q, %q) = %q, want %q", tt.issue, tt.text, got, tt.want)
		}
	}
}

func TestSDGCodes(t *testing.T) {
	got := WithSDGGoals([]string{"16.a", "5.2", "16.10", "16.2", "4"})
	if want := []string{"4", "5", "5.2", "16", "16.2", "16.10", "16.a"}; !slices.Equal(got, want) {
		t.Errorf("WithSDGGoals = %q, want %q", got, want)
	}
	if SDGGoalOf("17.19") != "17" || SDGGoalOf("3") != "3" || !IsSDGTarget("5.a") || IsSDGTarget("5") {
		t.Error("SDGGoalOf / IsSDGTarget")
	}
}
