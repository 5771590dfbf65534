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
		{models.TaskSDG, girls, []string{"4", "5"}, "swisstext_goal_mean_accuracy", 0.80, ""},
		{models.TaskSDG, marital, []string{"5", "5.2"}, "ohchr_china2018_goal_micro_f1", 0.60, ""},
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

func TestOpenUnknown(t *testing.T) {
	if _, err := Open("no-such-task"); err == nil || !strings.Contains(err.Error(), "no-such-task") {
		t.Errorf("Open(no-such-task) = %v, want an error naming it", err)
	}
}
