package models

import (
	"slices"
	"testing"
)

func TestSDGCode(t *testing.T) {
	// Labels as the OHCHR matrices (China 2018), UHRI and the text sets write them.
	tests := map[string]string{
		"S16 SDG 16 - peace, justice and strong institutions": "16",
		"S05 SDG 5 - gender equality and women's empowerment": "5",
		"S16 - peace, justice and strong institutions":        "16",
		"S Sustainable Development Goal implementation":       "",
		"16.a": "16.a", "17.18": "17.18", "5": "5", "SDG 4": "4", "Goal 5": "5", "05": "5",
		"8.7 - End modern slavery, trafficking and child labour":       "8.7",
		"16.3 - Promote the rule of law and access to justice for all": "16.3",
		"8 - DECENT WORK AND ECONOMIC GROWTH":                          "8",
		"18":                                                           "", "S18 SDG 18": "", "": "", "A12 Acceptance of international norms": "",
	}
	for in, want := range tests {
		if got := SDGCode(in); got != want {
			t.Errorf("SDGCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSDGCodes(t *testing.T) {
	got := WithSDGGoals([]string{"16.a", "5.2", "16.10", "16.2", "4"})
	if want := []string{"4", "5", "5.2", "16", "16.2", "16.10", "16.a"}; !slices.Equal(got, want) {
		t.Errorf("WithSDGGoals = %q, want %q", got, want)
	}
	if got, want := SDGGoals([]string{"16.a", "5.2", "16.10", "4", "5"}), []string{"4", "5", "16"}; !slices.Equal(got, want) {
		t.Errorf("SDGGoals = %q, want %q", got, want)
	}
	if SDGGoalOf("17.19") != "17" || SDGGoalOf("3") != "3" || !IsSDGTarget("5.a") || IsSDGTarget("5") {
		t.Error("SDGGoalOf / IsSDGTarget")
	}
	for s, want := range map[string]bool{"5": true, "16.a": true, "16.10": true, "Goal 5": false, "5.": false, "": false} {
		if IsSDGCode(s) != want {
			t.Errorf("IsSDGCode(%q) = %v", s, !want)
		}
	}
}

func TestParseTask(t *testing.T) {
	for in, want := range map[string]string{"issues": TaskUPRInfoIssues, "UPR-INFO-ISSUES": TaskUPRInfoIssues,
		"themes": TaskUHRIThemes, "uhri-themes": TaskUHRIThemes, "sdg": TaskSDG, "SDGs": TaskSDG} {
		if got, err := ParseTask(in); err != nil || got.Name != want {
			t.Errorf("ParseTask(%q) = %q, %v; want %q", in, got.Name, err, want)
		}
	}
	if _, err := ParseTask("goals"); err == nil || err.Error() != `unknown task "goals" (issues, uhri-themes, sdg)` {
		t.Errorf("ParseTask(goals): %v", err)
	}
	if SchemeOf(TaskSDG) != SchemeSDGTarget || SchemeOf(TaskUHRIThemes) != SchemeUHRITheme || SchemeOf("custom") != "custom" {
		t.Error("SchemeOf")
	}
	if tk, _ := TaskOf(TaskSDG); tk.Table != TableSDGAssignments || tk.SourceScheme != SchemeUHRISDG {
		t.Errorf("TaskOf(sdg) = %+v", tk)
	}
}
