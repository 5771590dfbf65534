package defaultmodels

import (
	"slices"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/models"
)

func load(t *testing.T, task string) *classify.Model {
	t.Helper()
	r, err := Open(task)
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.ReadModel(r, task)
	if err != nil {
		t.Fatalf("read default model %s: %v", task, err)
	}
	return m
}

// Real recommendations from the UPR Info export (see MODELS.md): Cameroon
// session 4, Guinea session 8, Zambia session 14, Tonga session 15.
const (
	opcat     = "Accede to OP-CAT and establish a national preventive mechanism provided by the Protocol"
	girls     = "Ensure that girls and women have equal access to education at all levels, and ensure the retention of girls in school"
	death     = "Abolish the death penalty"
	marital   = "Adopt a specific domestic violence legislation to criminalize rape in marriage"
	noWordsOf = "Xyzzy qwerty."
)

func TestDefaultModels(t *testing.T) {
	tests := []struct {
		task    string
		text    string
		want    []string // each must be assigned
		metric  string   // a header metric and its floor
		floor   float64
		evident string // a readable evidence term of the first wanted label
	}{
		{models.TaskUPRInfoIssues, opcat, []string{"Torture and other CID treatment", "International instruments"}, "sessions_1_12_to_13_16_micro_f1", 0.88, "OP-CAT"},
		{models.TaskUPRInfoIssues, girls, []string{"Right to education", "Women's rights"}, "sessions_1_12_to_13_16_macro_f1", 0.80, "education"},
		{models.TaskUPRInfoIssues, death, []string{"Death penalty"}, "", 0, "death penalty"},
		{models.TaskUHRIThemes, opcat, []string{"Ratification of & accession to international instruments"}, "group_cv_documents_micro_f1", 0.60, ""},
		{models.TaskUHRIThemes, death, []string{"Death penalty"}, "", 0, "death penalty"},
		{models.TaskUHRIThemes, marital, []string{"Violence against women"}, "", 0, "violence"},
		// A recommendation gets one goal, the best (OHCHR's practice).
		{models.TaskSDG, girls, []string{"4"}, "swisstext_general_goal_balanced_accuracy", 0.75, ""},
		{models.TaskSDG, marital, []string{"5", "5.2"}, "ohchr_china2018_recommendation_goal_micro_f1", 0.72, ""},
		{models.TaskSDG, death, []string{"16"}, "", 0, ""},
	}
	for _, tt := range tests {
		m := load(t, tt.task)
		p := m.PredictText(tt.text, classify.PredictOptions{Evidence: 5})
		var got []string
		for _, a := range p.Labels {
			got = append(got, a.Label)
		}
		if tt.task == models.TaskSDG {
			got = models.WithSDGGoals(got) // a target implies its goal
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: %q got %q, want %q among them", tt.task, tt.text, got, w)
			}
		}
		if tt.evident != "" {
			i := slices.IndexFunc(p.Labels, func(a classify.Assigned) bool { return a.Label == tt.want[0] })
			if i >= 0 {
				ev := m.Vectorizer().Readable(p.Labels[i].Evidence)
				if !slices.Contains(ev, strings.ToLower(tt.evident)) && !slices.Contains(ev, tt.evident) {
					t.Errorf("%s: %q → %s: readable evidence %q, want %q in it", tt.task, tt.text, tt.want[0], ev, tt.evident)
				}
			}
		}
		if tt.metric != "" {
			if v, ok := m.Metrics[tt.metric]; !ok || v < tt.floor {
				t.Errorf("%s: header metric %s = %v (present %v), want ≥ %.2f", tt.task, tt.metric, v, ok, tt.floor)
			}
		}
		if p := m.PredictText(noWordsOf, classify.PredictOptions{}); !p.Unclassified {
			t.Errorf("%s: a text of unknown words got %+v, want unclassified", tt.task, p.Labels)
		}
	}
}

// The SDG model's thresholds depend on the kind of text: the same words
// as general text get every goal they touch, as a recommendation two at
// most.
func TestDefaultSDGKinds(t *testing.T) {
	m := load(t, models.TaskSDG)
	for _, kind := range classify.TextKinds {
		if len(m.KindThreshold[kind]) != len(m.Labels) {
			t.Errorf("kind %s: %d thresholds for %d labels", kind, len(m.KindThreshold[kind]), len(m.Labels))
		}
	}
	goals := func(kind string) []string {
		var out []string
		for _, a := range m.PredictText(girls, classify.PredictOptions{Kind: kind}).Labels {
			if !models.IsSDGTarget(a.Label) {
				out = append(out, a.Label)
			}
		}
		return models.WithSDGGoals(out)
	}
	// A recommendation gets at most two goals, the second only when the
	// model is clearly sure of it (girls' education: 4 and 5, as OHCHR's
	// index tags such recommendations).
	if g := goals(classify.KindRecommendation); !slices.Equal(g, []string{"4", "5"}) || m.KindMaxGroups[classify.KindRecommendation] != 2 {
		t.Errorf("as a recommendation: goals %v (at most %d), want [4 5] (at most 2)", g, m.KindMaxGroups[classify.KindRecommendation])
	}
	if g := goals(classify.KindGeneral); !slices.Contains(g, "4") || !slices.Contains(g, "5") {
		t.Errorf("as general text: goals %v, want 4 and 5", g)
	}
	if got := m.PredictText(girls, classify.PredictOptions{}).Labels; len(got) == 0 || got[0].Label != "4" && got[0].Label != "4.5" {
		t.Errorf("kind guessed from the wording: %v", got)
	}
}

func TestOpenUnknown(t *testing.T) {
	if _, err := Open("no-such-task"); err == nil || !strings.Contains(err.Error(), "no-such-task") {
		t.Errorf("Open(no-such-task) = %v, want an error naming it", err)
	}
}
