package classify

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/nmirf/nmirf/models"
)

func TestScore(t *testing.T) {
	// A label repeated in a list counts once; known labels come first in
	// the per-label table, in their order, and one nobody used is listed
	// but not scored.
	gold := [][]string{{"a", "a"}, {"b"}}
	pred := [][]string{{"a"}, {"a"}}
	m, err := Score(gold, pred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.MicroP != 0.5 || m.MicroR != 0.5 {
		t.Errorf("micro P %v R %v, want 0.5 and 0.5", m.MicroP, m.MicroR)
	}
	withKnown, err := Score(gold, pred, []string{"c", "a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	if m.PerLabel[0].Label != "a" || m.PerLabel[0].Support != 1 {
		t.Errorf("label a: %+v, want support 1", m.PerLabel[0])
	}
	var order []string
	for _, l := range withKnown.PerLabel {
		order = append(order, l.Label)
	}
	if !slices.Equal(order, []string{"c", "a", "b"}) || withKnown.MicroF != m.MicroF || withKnown.MacroF != m.MacroF {
		t.Errorf("with known labels: table %q, micro-F1 %v macro-F1 %v; want c, a, b and %v, %v", order, withKnown.MicroF, withKnown.MacroF, m.MicroF, m.MacroF)
	}
}

func TestTrainOptionsDefaults(t *testing.T) {
	p := TrainOptions{NGram: 2, Logistic: true}.Params()
	if p.MultiLabel.Linear.C != 1 || p.Vectorizer.Pruning.MinDF != 2 || p.Vectorizer.Tokenizer.NGram != 2 || p.MultiLabel.Linear.Loss != Logistic {
		t.Errorf("Params of defaults = %+v", p)
	}
	o := TrainOptions{C: 0.5, NGram: 1, MinDF: 3, MaxFeatures: 100, Folds: 4, Floor: 0.2}
	if got := TrainOptionsOf(o.Params()); !reflect.DeepEqual(got, o) {
		t.Errorf("TrainOptionsOf(Params) = %+v, want %+v", got, o)
	}
}

// Train, EvaluateModel and CrossValidate on the real UPR Info sample: the
// model recognises the issues of texts it was trained on, and the model id
// depends on the data only (same data, same id).
func TestTrainAndEvaluate(t *testing.T) {
	var ex []Example
	for _, d := range sampleUPR(t) {
		ex = append(ex, Example{Text: d.Text, Labels: d.Issues, Group: d.Country})
	}
	ctx := context.Background()
	p := TrainOptions{Folds: 3}.Params()
	m, err := Train(ctx, models.TaskUPRInfoIssues, ex, p, map[string]float64{"note": 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Task != models.TaskUPRInfoIssues || m.Docs != len(ex) || m.Metrics["note"] != 1 || !slices.Contains(m.Labels, "Death penalty") {
		t.Errorf("model header %+v", m.ModelHeader)
	}
	again, err := Train(ctx, models.TaskUPRInfoIssues, ex, p, map[string]float64{"note": 1})
	if err != nil {
		t.Fatal(err)
	}
	if again.ModelID != m.ModelID {
		t.Errorf("same data gave model ids %s and %s", m.ModelID, again.ModelID)
	}
	self, err := EvaluateModel(ctx, m, ex)
	if err != nil {
		t.Fatal(err)
	}
	cv, err := CrossValidate(ctx, models.TaskUPRInfoIssues, ex, p, 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d texts: on training data micro-F1 %.3f, 3-fold %.3f", len(ex), self.MicroF, cv.MicroF)
	if self.Docs != len(ex) || cv.Docs != len(ex) || self.MicroF < 0.8 || cv.MicroF < 0.4 || cv.MicroF >= self.MicroF {
		t.Errorf("micro-F1 on training data %.3f over %d, cross-validated %.3f over %d", self.MicroF, self.Docs, cv.MicroF, cv.Docs)
	}
	if _, err := CrossValidate(ctx, models.TaskUPRInfoIssues, ex[:2], p, 3); err == nil {
		t.Error("3 folds of 2 texts: no error")
	}
}

// An SDG prediction becomes target rows and one goal row per goal, the goal
// taking the best score of its targets; ranks run within each scheme.
func TestSDGRows(t *testing.T) {
	rows := sdgRows([]models.Assignment{
		{Scheme: models.SchemeSDGTarget, Label: "16.3", Score: 0.9},
		{Scheme: models.SchemeSDGTarget, Label: "16.1", Score: 0.95, Fallback: true},
		{Scheme: models.SchemeSDGTarget, Label: "5", Score: 0.4},
		{Scheme: models.SchemeSDGTarget, Label: "5.2", Score: 0.6},
	})
	var got []string
	for _, r := range rows {
		got = append(got, r.Scheme+" "+r.Label)
	}
	want := []string{"sdg-target 16.3", "sdg-goal 16", "sdg-target 16.1", "sdg-goal 5", "sdg-target 5.2"}
	if !slices.Equal(got, want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	if rows[1].Score != 0.95 || rows[1].Fallback || rows[3].Score != 0.6 {
		t.Errorf("goal 16: %.2f fallback %v; goal 5: %.2f", rows[1].Score, rows[1].Fallback, rows[3].Score)
	}
}
