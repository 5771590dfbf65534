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
