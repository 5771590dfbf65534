package classify

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// A model calibrated by kind keeps its per-kind thresholds through a save
// and a read, applies them to texts of that kind (given, or guessed by
// DetectKind), and a model file without them (written before they existed)
// still reads and predicts with its own thresholds.
func TestKindThresholds(t *testing.T) {
	m, old := sampleModel(t)
	if bytes.Contains(old, []byte("kind_thresholds")) {
		t.Fatal("a model without kind thresholds writes the field")
	}
	text := "Abolish the death penalty (Mexico);"
	if k := DetectKind(text); k != KindRecommendation {
		t.Fatalf("DetectKind(%q) = %q", text, k)
	}
	base := m.PredictText(text, PredictOptions{})
	if len(base.Labels) == 0 {
		t.Fatalf("no label for %q", text)
	}
	// Recommendations: every threshold out of reach; general text: all in reach.
	high, low := slices.Repeat([]float64{1.01}, len(m.Labels)), slices.Repeat([]float64{0.0}, len(m.Labels))
	m.KindThreshold = map[string][]float64{KindRecommendation: high, KindGeneral: low}
	cal, err := NewModel(m.Task, m.MultiLabel, m.DataHash, m.Docs, m.Params, m.Metrics)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := cal.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	got, err := ReadModel(bytes.NewReader(b.Bytes()), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"kind_thresholds"`) || got.ModelID == m.ModelID {
		t.Fatalf("kind thresholds not saved, or the model id (%s) does not change with them", got.ModelID)
	}
	if !slices.Equal(got.KindThreshold[KindRecommendation], high) || !slices.Equal(got.KindThreshold[KindGeneral], low) {
		t.Fatalf("kind thresholds after reading: %v", got.KindThreshold)
	}
	// Detected as a recommendation: nothing reaches a threshold, so only the
	// fallback (the best label) is assigned.
	if p := got.PredictText(text, PredictOptions{}); len(p.Labels) != 1 || p.Labels[0].Label != base.Labels[0].Label {
		t.Errorf("as a recommendation: %v, want only the fallback %s", p.Labels, base.Labels[0].Label)
	}
	// --kind general: every label with a score reaches the zero thresholds.
	if p := got.PredictText(text, PredictOptions{Kind: KindGeneral}); len(p.Labels) != len(got.Labels) {
		t.Errorf("as general text: %d labels, want all %d", len(p.Labels), len(got.Labels))
	}
	// A kind the model was not calibrated for uses its own thresholds.
	if p := got.PredictText(text, PredictOptions{Kind: KindIndicator}); !slices.Equal(labelsOf(p), labelsOf(base)) {
		t.Errorf("as indicator: %v, want the uncalibrated %v", labelsOf(p), labelsOf(base))
	}
	// Batch: per-text kinds, in order, equal to PredictText with that kind.
	res, err := NewBatch(got.MultiLabel).Classify(t.Context(), []string{text, text, text}, PredictOptions{Kinds: []string{KindGeneral, "", KindIndicator}})
	if err != nil {
		t.Fatal(err)
	}
	for i, kind := range []string{KindGeneral, "", KindIndicator} {
		want := got.PredictText(text, PredictOptions{Kind: kind})
		if !slices.Equal(labelsOf(res[i].Predictions[0]), labelsOf(want)) {
			t.Errorf("batch text %d (kind %q): %v, want %v", i, kind, labelsOf(res[i].Predictions[0]), labelsOf(want))
		}
	}
	// The old file reads as a model without kind thresholds.
	prev, err := ReadModel(bytes.NewReader(old), "")
	if err != nil || prev.KindThreshold != nil {
		t.Fatalf("old model file: %v, kind thresholds %v", err, prev.KindThreshold)
	}
	// A file whose kind thresholds do not fit its labels is refused.
	h := got.fileHeader()
	h.KindThreshold = map[string][]float64{KindGeneral: {0.5}}
	_, _, w, err := got.sections()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.multiLabel(got.Vectorizer(), w); err == nil || !strings.Contains(err.Error(), "1 general thresholds") {
		t.Errorf("kind thresholds shorter than the labels: error %v", err)
	}
}

// A kind's second SDG goal needs its margin over its threshold
// (KindGroupMargin), a kind's floor replaces the model's (KindFloor), and
// both survive a save and a read; other kinds keep the model's rules.
func TestKindGroupMarginAndFloor(t *testing.T) {
	labels := []string{"1", "1.2", "16", "16.3", "8"}
	m := &MultiLabel{Labels: labels, Threshold: slices.Repeat([]float64{0.5}, 5), Floor: 0.1,
		KindMaxGroups:   map[string]int{KindRecommendation: 2},
		KindGroupMargin: map[string]float64{KindRecommendation: 0.2},
		KindFloor:       map[string]float64{KindGeneral: 0.01}}
	rec := PredictOptions{Kind: KindRecommendation}
	// Goal 16 is 0.15 over its threshold: not enough for a second goal.
	s := []float64{0.8, 0.9, 0.65, 0.3, 0.6}
	if got := labelsOf(m.PredictScores(s, rec)); !slices.Equal(got, []string{"1.2", "1"}) {
		t.Errorf("second goal under the margin: %v, want [1.2 1]", got)
	}
	// 16.3 is 0.25 over: goal 16 is kept with its labels; goal 8 (third) is not.
	s[3] = 0.75
	if got := labelsOf(m.PredictScores(s, rec)); !slices.Equal(got, []string{"1.2", "1", "16.3", "16"}) {
		t.Errorf("second goal over the margin: %v, want [1.2 1 16.3 16]", got)
	}
	// Without a limit for the kind, no margin applies.
	if got := labelsOf(m.PredictScores(s, PredictOptions{Kind: KindGeneral})); len(got) != 5 {
		t.Errorf("general text: %v, want all five labels", got)
	}
	// Nothing reaches its threshold and the best score (0.05) is under the
	// model's floor: a recommendation gets nothing, general text its best.
	weak := []float64{0.02, 0.05, 0.01, 0.03, 0.04}
	if p := m.PredictScores(weak, rec); !p.Unclassified || len(p.Labels) != 0 {
		t.Errorf("weak recommendation: %v, want unclassified", labelsOf(p))
	}
	if got := labelsOf(m.PredictScores(weak, PredictOptions{Kind: KindGeneral})); !slices.Equal(got, []string{"1.2"}) {
		t.Errorf("weak general text: %v, want its best label [1.2]", got)
	}

	sm, _ := sampleModel(t)
	sm.KindMaxGroups = map[string]int{KindRecommendation: 2}
	sm.KindGroupMargin = map[string]float64{KindRecommendation: 0.15}
	sm.KindFloor = map[string]float64{KindGeneral: 0.001}
	cal, err := NewModel(sm.Task, sm.MultiLabel, sm.DataHash, sm.Docs, sm.Params, sm.Metrics)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := cal.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	got, err := ReadModel(bytes.NewReader(b.Bytes()), "")
	if err != nil {
		t.Fatal(err)
	}
	if got.KindGroupMargin[KindRecommendation] != 0.15 || got.KindFloor[KindGeneral] != 0.001 {
		t.Errorf("after reading: margins %v, floors %v", got.KindGroupMargin, got.KindFloor)
	}
}
