package classify

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

func sampleModel(t *testing.T) (*Model, []byte) {
	t.Helper()
	ml, docs := trainSample(t)
	texts, ys := splitUPR(docs, func(d uprDoc) bool { return d.Session <= 12 })
	m, err := NewModel("upr-info-issues", ml, DataHash(texts, ys), len(texts),
		Params{Vectorizer: Options{Tokenizer: TokenizerOptions{NGram: 2}}, MultiLabel: MultiLabelOptions{Folds: 3}},
		map[string]float64{"micro_f1": 0.747})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return m, b.Bytes()
}

func TestModelRoundTrip(t *testing.T) {
	m, data := sampleModel(t)
	if !strings.HasPrefix(m.ModelID, "upr-info-issues-") || len(m.ModelID) != len("upr-info-issues-")+12 {
		t.Errorf("model id %q", m.ModelID)
	}
	got, err := ReadModel(bytes.NewReader(data), "upr-info-issues")
	if err != nil {
		t.Fatal(err)
	}
	if got.ModelID != m.ModelID || got.Docs != 854 || got.Metrics["micro_f1"] != 0.747 || len(got.DataHash) != 64 {
		t.Errorf("header: id %s docs %d metrics %v hash %q", got.ModelID, got.Docs, got.Metrics, got.DataHash)
	}
	if !slices.Equal(got.Labels, m.Labels) || !slices.Equal(got.Threshold, m.Threshold) || got.Params.MultiLabel.Folds != 3 {
		t.Error("labels, thresholds or parameters differ after reading")
	}
	for _, text := range []string{"Abolish the death penalty.",
		"Ensure that business enterprises respect human rights and exercise human rights due diligence.",
		"Strengthen the national human rights institution in line with the Paris Principles."} {
		a, b := m.Scores(m.Vectorizer().Vector(text)), got.Scores(got.Vectorizer().Vector(text))
		if !slices.Equal(a, b) {
			t.Errorf("%q: scores differ after reading:\n%v\n%v", text, a, b)
		}
	}
	var again bytes.Buffer
	if _, err := got.WriteTo(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), data) {
		t.Error("writing a read model gives other bytes")
	}
}

func TestModelBadFiles(t *testing.T) {
	_, data := sampleModel(t)
	version := slices.Clone(data)
	version[len(fileMagic)] = 9
	flipped := slices.Clone(data)
	flipped[len(data)/2] ^= 1
	tests := []struct {
		name string
		data []byte
		task string
		want string
	}{
		{"empty", nil, "", "truncated after 0 bytes"},
		{"magic only", data[:len(fileMagic)], "", "truncated"},
		{"half", data[:len(data)/2], "upr-info-issues", "truncated"},
		{"no checksum", data[:len(data)-2], "upr-info-issues", "truncated"},
		{"version", version, "upr-info-issues", "model format version 9, this build reads 1"},
		{"other task", data, "sdg", `is for task "upr-info-issues", expected "sdg"`},
		{"corrupted", flipped, "upr-info-issues", "corrupted"},
		{"vectorizer file", func() []byte { b, _ := sampleVZ(t).MarshalBinary(); return b }(), "", `no "nmirf model" header`},
	}
	for _, tc := range tests {
		_, err := ReadModel(bytes.NewReader(tc.data), tc.task)
		if err == nil || !errors.Is(err, ErrBadModel) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want ErrBadModel saying %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadModel(bytes.NewReader(data), ""); err != nil {
		t.Errorf("any task: %v", err)
	}
}

func sampleVZ(t *testing.T) *Vectorizer { return fitTiny(t, Pruning{}) }

func TestNewModelTask(t *testing.T) {
	ml, _ := trainSample(t)
	for _, task := range []string{"", "upr info", "a/b"} {
		if _, err := NewModel(task, ml, "", 0, Params{}, nil); err == nil {
			t.Errorf("task %q: no error", task)
		}
	}
}
