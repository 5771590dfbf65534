package followup

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

func TestImpactOSSActions(t *testing.T) {
	b, err := os.ReadFile("testdata/impact-oss-actions.csv")
	if err != nil {
		t.Fatal(err)
	}
	in, _ := extract.NewInput("testdata/impact-oss-actions.csv", b)
	if s := (ImpactOSS{}).Sniff(in); s < 90 {
		t.Errorf("sniff %d", s)
	}
	if s := (Workbook{}).Sniff(in); s != 0 {
		t.Errorf("workbook sniff of a CSV: %d", s)
	}
	res, err := ImpactOSS{}.Import(context.Background(), in, extract.Options{Country: "United Kingdom"})
	if err != nil {
		t.Fatal(err)
	}
	fu := res.Followup
	if len(fu.Actions) != 2 {
		t.Fatalf("%d actions, want 2 (the formula row refused)", len(fu.Actions))
	}
	a := fu.Actions[1]
	if a.ActionID != "IMPACT-A-2" || a.Title != "Alternatives to immigration detention" || a.LeadEntity != "MOI" ||
		strings.Join(a.SupportingEntities, ",") != "MOJ" || a.TargetDate != "2025-06-30" || a.CountryISO3 != "GBR" ||
		strings.Join(a.RecRefs, ",") != "110.113,999.1" || !a.Public {
		t.Errorf("action 2 = %+v", a)
	}
	if len(fu.Entities) != 2 || fu.Entities[0] != (models.Entity{Code: "MOJ", Name: "Ministry of Justice", Kind: models.EntityMinistry}) {
		t.Errorf("entities %+v", fu.Entities)
	}
	if len(fu.Updates) != 2 || fu.Updates[0].Status != models.StatusInProgress || fu.Updates[0].Date != "2026-01-15" ||
		fu.Updates[1].Status != models.StatusImplemented || fu.Updates[1].ActionID != "IMPACT-A-2" || fu.Updates[1].StatusRaw != "Completed" {
		t.Errorf("updates %+v", fu.Updates)
	}
	if len(res.Rejected) != 1 || res.Rejected[0].Row != 6 || res.Rejected[0].Field != "description" || !strings.Contains(res.Rejected[0].Msg, "formula") {
		t.Errorf("rejected %+v", res.Rejected)
	}
}

func TestDataSheetColumnsByMeaning(t *testing.T) {
	for h, want := range map[string]int{
		"Recommendation id":                               colID,
		"Status (fill in)":                                colStatus,
		"Update: what was done (fill in)":                 colText,
		"Evidence link (fill in)":                         colEvidence,
		"Date of the update, YYYY-MM-DD (fill in)":        colDate,
		"Corrected themes, separated by ; (fill in)":      colThemes,
		"Corrected SDG targets, e.g. 5.2; 16.3 (fill in)": colTargets,
		"Lead entity, if not the proposed one (fill in)":  colLead,
		"Current status":                                  -1,
		"Latest update":                                   -1,
		"Proposed lead entity":                            -1,
	} {
		if got := role(h); got != want {
			t.Errorf("role(%q) = %d, want %d", h, got, want)
		}
	}
}

func TestDefaultResponsibility(t *testing.T) {
	r, err := ParseResponsibility("default", data.Responsibility())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range r.Entities {
		kinds[e.Kind]++
	}
	if kinds[models.EntityMinistry] != 7 || kinds[models.EntityNHRI] != 1 || kinds[models.EntityParliament] != 1 {
		t.Errorf("entity kinds %v", kinds)
	}
	find := func(scheme, label string) (models.ResponsibilityRule, bool) {
		for _, u := range r.Rules {
			if u.Scheme == scheme && u.Label == label {
				return u, true
			}
		}
		return models.ResponsibilityRule{}, false
	}
	if u, ok := find(models.RespUHRITheme, "Right to health"); !ok || u.Entity != "MOH" || u.Priority != 1 {
		t.Errorf("UHRI Right to health: %+v", u)
	}
	if u, ok := find(models.RespSDGGoal, "5"); !ok || u.Entity != "MOWGE" || u.Priority != 3 {
		t.Errorf("SDG 5: %+v", u)
	}
	own, err := ParseResponsibility("own.toml", []byte(`
order = ["sdg-goal"]
[[entity]]
code = "MOH"
name = "Ministry of Health"
kind = "ministry"
focal_point_name = "A. Focal"
focal_point_email = "focal@health.example"
deputy_name = "B. Deputy"
deputy_email = "deputy@health.example"
[[entity]]
code = "NPH"
name = "National Public Health Agency"
kind = "agency"
parent = "MOH"
[sdg-goal]
"3" = "NPH"
`))
	if err != nil {
		t.Fatal(err)
	}
	if e := own.Entities[0]; e.FocalPointEmail != "focal@health.example" || e.DeputyName != "B. Deputy" || own.Entities[1].Parent != "MOH" ||
		len(own.Rules) != 1 || own.Rules[0] != (models.ResponsibilityRule{Scheme: models.RespSDGGoal, Label: "3", Entity: "NPH", Priority: 1}) {
		t.Errorf("own mapping %+v", own)
	}
	for _, bad := range []string{
		"[[entity]]\ncode = \"X\"\nname = \"X\"\nkind = \"club\"\n",
		"[[entity]]\ncode = \"MOJ\"\nname = \"Justice\"\nkind = \"ministry\"\n[uhri-theme]\n\"Death penalty\" = \"MOI\"\n",
		"order = [\"uhri-theme\", \"colour\"]\n",
		"[[entity]]\ncode = \"MOJ\"\nname = \"Justice\"\nkind = \"ministry\"\nemail = \"x\"\n",
	} {
		if _, err := ParseResponsibility("bad.toml", []byte(bad)); err == nil || !strings.HasPrefix(err.Error(), "bad.toml: ") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}
