package classify

import (
	"slices"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/data/taxonomy"
	"github.com/nmirf/nmirf/models"
)

// embedded is the taxonomy shipped in data/taxonomy.
func embedded(t *testing.T) *Taxonomy {
	t.Helper()
	tx, err := ParseTaxonomy(TaxonomyTables{UHRIThemes: taxonomy.UHRIThemes, UHRIOldTo2026: taxonomy.UHRIOldTo2026,
		UPRIssueToSDG: taxonomy.UPRIssueToSDG, UPRIssueToUHRI: taxonomy.UPRIssueToUHRI})
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

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
	tx := embedded(t)
	for _, tt := range tests {
		if got := tx.MapUHRITheme(tt.old); !slices.Equal(got, tt.want) {
			t.Errorf("MapUHRITheme(%q) = %q, want %q", tt.old, got, tt.want)
		}
	}
}

func TestUHRIThemes(t *testing.T) {
	tx := embedded(t)
	themes := tx.UHRIThemes()
	if len(themes) != 100 {
		t.Fatalf("%d themes, want the 100 of the UHRI 2026 vocabulary", len(themes))
	}
	if themes[0].Name != "Reservations" || themes[99].Name != "Universal or cross-cutting issues" {
		t.Errorf("first and last themes %q, %q", themes[0].Name, themes[99].Name)
	}
	d := tx.UHRIThemeDescriptions()
	if got := d["Death penalty"]; got != "Death penalty. Death penalty: abolish capital punishment, establish a moratorium on executions, commute death sentences, ratify the Second Optional Protocol to the ICCPR." {
		t.Errorf("description of Death penalty = %q", got)
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
	tx := embedded(t)
	for _, tt := range tests {
		if got := tx.UPRIssueSDG(tt.issue, tt.text); !slices.Equal(got, tt.want) {
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
	tx := embedded(t)
	for _, tt := range tests {
		if got := tx.UPRIssueUHRI(tt.issue, tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("UPRIssueUHRI(%q, %q) = %q, want %q", tt.issue, tt.text, got, tt.want)
		}
	}
}

func TestTaskLabels(t *testing.T) {
	tx := embedded(t)
	tests := []struct {
		task, label string
		want        []string
	}{
		{models.TaskUHRIThemes, "12.4. Death penalty", []string{"Death penalty"}},
		{models.TaskSDG, "S16 SDG 16 - peace, justice and strong institutions", []string{"16"}},
		{models.TaskSDG, "8.7 - End modern slavery, trafficking and child labour", []string{"8.7"}},
		{models.TaskSDG, "S Sustainable Development Goal implementation", nil},
		{models.TaskUPRInfoIssues, "Death penalty", []string{"Death penalty"}},
	}
	for _, tt := range tests {
		if got := tx.TaskLabels(tt.task, tt.label); !slices.Equal(got, tt.want) {
			t.Errorf("TaskLabels(%s, %q) = %q, want %q", tt.task, tt.label, got, tt.want)
		}
	}
}

// A broken table is refused with its name and line, not half read.
func TestParseTaxonomyErrors(t *testing.T) {
	good := TaxonomyTables{UHRIThemes: taxonomy.UHRIThemes, UHRIOldTo2026: taxonomy.UHRIOldTo2026,
		UPRIssueToSDG: taxonomy.UPRIssueToSDG, UPRIssueToUHRI: taxonomy.UPRIssueToUHRI}
	bad := good
	bad.UPRIssueToSDG = []byte("issue,keywords,sdg,note\nDeath penalty,,16.1,\nTrafficking,,Goal 8,\n")
	if _, err := ParseTaxonomy(bad); err == nil || !strings.Contains(err.Error(), "upr-issue-to-sdg.csv line 3") || !strings.Contains(err.Error(), `"Goal"`) {
		t.Errorf("bad SDG code: %v", err)
	}
	bad = good
	bad.UPRIssueToUHRI = []byte("issue,keywords,themes_2026,note\nOther,,No such theme,\n")
	if _, err := ParseTaxonomy(bad); err == nil || !strings.Contains(err.Error(), "upr-issue-to-uhri.csv line 2") || !strings.Contains(err.Error(), "no 2026 theme") {
		t.Errorf("unknown theme: %v", err)
	}
	bad = good
	bad.UHRIThemes = []byte("name,description\n")
	if _, err := ParseTaxonomy(bad); err == nil || !strings.Contains(err.Error(), "uhri-themes.csv: header") {
		t.Errorf("wrong header: %v", err)
	}
}
