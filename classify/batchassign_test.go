package classify

import (
	"context"
	"reflect"
	"testing"
)

// TestBatchAssignmentsMatchAssign checks that a Batch's predictions turned
// into assignments (Model.Assignments, readable evidence) and its flags
// (BatchTextFlags) are exactly what Assign and TextFlags give for each
// default model, on the golden sample and on texts that get each flag.
func TestBatchAssignmentsMatchAssign(t *testing.T) {
	mods := loadDefaultModels(t)
	_, texts := goldenSample(t)
	texts = append(texts, "", "   ", "Qwertz zyxwv.", "Le Comité recommande à l'État partie de ratifier la Convention.")
	ctx := context.Background()
	for _, opt := range []PredictOptions{{Evidence: 5}, {TopK: 2, Evidence: 3}, {}} {
		res, err := NewBatch(multiLabels(mods)...).Classify(ctx, texts, PredictOptions{TopK: opt.TopK, Evidence: opt.Evidence, ReadableEvidence: true})
		if err != nil {
			t.Fatal(err)
		}
		flagged := map[string]int{}
		for k, m := range mods {
			want, err := Assign(ctx, m, texts, opt.TopK, opt.Evidence)
			if err != nil {
				t.Fatal(err)
			}
			for i := range texts {
				if got := m.Assignments(res[i].Predictions[k]); !reflect.DeepEqual(got, want[i]) {
					t.Fatalf("%+v model %s text %d:\n batch  %+v\n assign %+v", opt, m.Task, i, got, want[i])
				}
			}
		}
		for i, text := range texts {
			for _, notEnglish := range []bool{false, true} {
				got, want := BatchTextFlags(text, notEnglish, res[i]), TextFlags(text, notEnglish, mods)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("text %d %q: flags %q, TextFlags %q", i, text, got, want)
				}
				for _, f := range got {
					flagged[f]++
				}
			}
		}
		for _, f := range []string{FlagEmpty, FlagNotEnglish, FlagUnknownWords} {
			if flagged[f] == 0 {
				t.Errorf("no text got flag %s: the sample does not test it", f)
			}
		}
	}
}
