package classify

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

// TestBatchGolden classifies the golden sample with a Batch of the three
// default models (one shared tokenisation, texts spread over the cores) and
// compares its output with the same golden file as TestDefaultModelsGolden.
func TestBatchGolden(t *testing.T) {
	mods := loadDefaultModels(t)
	ids, texts := goldenSample(t)
	b := NewBatch(multiLabels(mods)...)
	if len(b.groups) != 1 {
		t.Fatalf("the default models share one tokeniser setup, but the batch has %d term groups", len(b.groups))
	}
	res, err := b.Classify(context.Background(), texts, goldenOpts)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for i, r := range res {
		for k, m := range mods {
			formatPrediction(&sb, ids[i], m, r.Predictions[k])
		}
	}
	if got, want := sb.String(), perModelGolden(t); got != want {
		t.Error("the batch's output differs from the models' own, one text at a time")
	}
	if !*update { // TestDefaultModelsGolden rewrites the file
		checkGolden(t, "default-models.golden", sb.String())
	}
}

// knownShare is how pipeline's standalone classification judges that the
// models know too few of a text's words: the best share over the models.
func knownShare(text string, mods []*MultiLabel) float64 {
	best := 0.0
	for _, m := range mods {
		toks := m.Vectorizer().Tokenizer().Tokens(text)
		if len(toks) == 0 {
			continue
		}
		known := 0
		for _, tk := range toks {
			if m.Vectorizer().Index(tk) >= 0 {
				known++
			}
		}
		best = max(best, float64(known)/float64(len(toks)))
	}
	return best
}

// TestBatchMatchesEachModel checks that a Batch gives exactly (to the last
// bit, evidence included) what each model gives alone, with models of
// different tokeniser setups mixed in (a unigram model trained on the UPR
// Info sample between the defaults), and that KnownShare and
// ReadableEvidence agree with the per-model computations.
func TestBatchMatchesEachModel(t *testing.T) {
	defaults := multiLabels(loadDefaultModels(t))
	docs := sampleUPR(t)
	texts, ys := splitUPR(docs, func(d uprDoc) bool { return d.Session <= 12 })
	ctx := context.Background()
	vz, err := Fit(ctx, texts, Options{Tokenizer: TokenizerOptions{NGram: 1}, Pruning: Pruning{MinDF: 2}})
	if err != nil {
		t.Fatal(err)
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		t.Fatal(err)
	}
	uni, err := TrainMultiLabel(ctx, vz, X, ys, MultiLabelOptions{Descriptions: businessDesc})
	if err != nil {
		t.Fatal(err)
	}
	mods := []*MultiLabel{defaults[0], uni, defaults[1], defaults[2]}
	b := NewBatch(mods...)
	if len(b.groups) != 2 {
		t.Fatalf("%d term groups, expected 2 (bigram and unigram tokenisers)", len(b.groups))
	}
	_, sample := goldenSample(t)
	sample = append(sample, "Ratify OP-CAT.", "Qwertz zyxwv.", "Le Comité recommande à l'État partie de ratifier la Convention.")
	for _, opt := range []PredictOptions{{}, {TopK: 3, Evidence: 5}, {Evidence: 2, ReadableEvidence: true}} {
		res, err := b.Classify(ctx, sample, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != len(sample) {
			t.Fatalf("%d results for %d texts", len(res), len(sample))
		}
		plain := opt
		plain.ReadableEvidence = false
		for i, text := range sample {
			for k, m := range mods {
				want := m.PredictText(text, plain)
				if opt.ReadableEvidence {
					for j := range want.Labels {
						want.Labels[j].Evidence = m.Vectorizer().Readable(want.Labels[j].Evidence)
					}
				}
				if got := res[i].Predictions[k]; !reflect.DeepEqual(got, want) {
					t.Fatalf("%+v text %d model %d:\n batch %+v\n alone %+v", opt, i, k, got, want)
				}
			}
			if got, want := res[i].KnownShare, knownShare(text, mods); math.Abs(got-want) > 1e-12 {
				t.Errorf("text %d: known share %v, expected %v", i, got, want)
			}
			if one := b.ClassifyText(text, opt); !reflect.DeepEqual(one, res[i]) {
				t.Errorf("text %d: ClassifyText %+v, Classify %+v", i, one, res[i])
			}
		}
	}
	// The sample must hold texts the models know well and ones they do not.
	res, _ := b.Classify(ctx, sample, PredictOptions{})
	if res[0].KnownShare < 0.5 || res[len(res)-2].KnownShare != 0 {
		t.Errorf("known shares %v (first text) and %v (Qwertz zyxwv.): the sample does not cover both", res[0].KnownShare, res[len(res)-2].KnownShare)
	}
}

// TestBatchRowsWithoutUnitOrder checks that the path for vocabularies not
// in the byte order of their terms (each row sorted by column, as
// appendIDs does) gives what the shared sort of units gives, which the
// default models take.
func TestBatchRowsWithoutUnitOrder(t *testing.T) {
	b := NewBatch(multiLabels(loadDefaultModels(t))...)
	if !b.groups[0].ordered {
		t.Fatal("the default models' vocabularies are in byte order, but the batch does not see it")
	}
	_, sample := goldenSample(t)
	opt := PredictOptions{TopK: 2, Evidence: 5}
	want, err := b.Classify(context.Background(), sample, opt)
	if err != nil {
		t.Fatal(err)
	}
	b.groups[0].ordered = false
	got, err := b.Classify(context.Background(), sample, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("rows sorted by column give other predictions than the units sorted once")
	}
}

// TestBatchScoresBitForBit compares the scores of every label (the values
// thresholds are applied to) with those of the scoring before the
// description cosines were batched, on the golden sample.
func TestBatchScoresBitForBit(t *testing.T) {
	mods := multiLabels(loadDefaultModels(t))
	_, sample := goldenSample(t)
	for _, m := range mods {
		for i, text := range sample {
			x := m.Vectorizer().Vector(text)
			got, want := m.Scores(x), legacyScores(m, x)
			for l := range want {
				if math.Float64bits(got[l]) != math.Float64bits(want[l]) {
					t.Fatalf("text %d label %q: score %v, before %v", i, m.Labels[l], got[l], want[l])
				}
			}
		}
	}
}

func TestBatchCancelled(t *testing.T) {
	mods := multiLabels(loadDefaultModels(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := NewBatch(mods...).Classify(ctx, []string{"Ratify OP-CAT."}, PredictOptions{})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("cancelled context: %d results, error %v", len(res), err)
	}
	if res, err := NewBatch(mods...).Classify(context.Background(), nil, PredictOptions{}); err != nil || len(res) != 0 {
		t.Fatalf("no texts: %v, %v", res, err)
	}
}

// cancelAfter is a context whose Err reports cancellation from its n-th call on.
type cancelAfter struct {
	context.Context
	n, calls atomic.Int32
}

func (c *cancelAfter) Err() error {
	if c.calls.Add(1) >= c.n.Load() {
		return context.Canceled
	}
	return nil
}

// TestBatchCancelledMidway cancels a run over 40 chunks after a few have
// been handed out: Classify stops and returns the error, not partial results.
func TestBatchCancelledMidway(t *testing.T) {
	mods := multiLabels(loadDefaultModels(t))
	_, sample := goldenSample(t)
	var texts []string
	for len(texts) < 40*batchChunk {
		texts = append(texts, sample...)
	}
	ctx := &cancelAfter{Context: context.Background()}
	ctx.n.Store(4)
	res, err := NewBatch(mods...).Classify(ctx, texts, PredictOptions{})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("cancelled midway: %d results, error %v", len(res), err)
	}
	if calls := ctx.calls.Load(); calls > 10 {
		t.Errorf("Err called %d times: the workers went on after the cancellation", calls)
	}
}

// TestBatchReadsKindOnlyWhenItMatters checks the shortcut a Batch takes for
// a model calibrated by kind (the SDG model): the texts whose scores the
// kindBand says decide alike for every kind do get the same prediction
// whatever kind is given, the others are left to DetectKind, both happen on
// real texts, and either way the Batch gives what PredictText gives.
func TestBatchReadsKindOnlyWhenItMatters(t *testing.T) {
	mods := multiLabels(loadDefaultModels(t))
	b := NewBatch(mods...)
	sdg := -1
	for i, m := range mods {
		if m.KindThreshold != nil {
			sdg = i
		}
	}
	if sdg < 0 {
		t.Fatal("no default model is calibrated by kind")
	}
	m := mods[sdg]
	_, texts := goldenSample(t)
	texts = append(texts,
		// CCPR/C/NAM/CO/2 paras 7 and 8, A/HRC/WG.6/20/SVN/1 para 34, SDG indicator 5.3.1.
		"The Committee is concerned that the Office of the Ombudsman is insufficiently resourced (art. 2).",
		"The State party should increase resources allocated to the Office of the Ombudsman to ensure that it can adequately fulfil its mandate. It is furthermore encouraged to adopt the proposed amendments to the Ombudsman Act (Act No. 7 of 1990).",
		"The Government has adopted the Commitment to citizens to improve the situation in the judiciary, signed by the presidents of the courts.",
		"Proportion of women aged 20-24 years who were married or in a union before age 15 and before age 18")
	opt := PredictOptions{Evidence: 5}
	res, err := b.Classify(context.Background(), texts, opt)
	if err != nil {
		t.Fatal(err)
	}
	decided, left := 0, 0
	for i, text := range texts {
		x := m.Vectorizer().Vector(text)
		if x.Len() == 0 {
			continue
		}
		if b.bands[sdg].decides(m, m.Scores(x)) {
			decided++
			for _, kind := range TextKinds[1:] {
				o := opt
				o.Kind = kind
				if got, want := m.Predict(x, o), m.Predict(x, PredictOptions{Evidence: 5, Kind: TextKinds[0]}); !reflect.DeepEqual(got, want) {
					t.Errorf("text %d: the scores decide alike for every kind, but %s gives %+v and %s %+v", i, kind, got, TextKinds[0], want)
				}
			}
		} else {
			left++
		}
		if got, want := res[i].Predictions[sdg], m.PredictText(text, opt); !reflect.DeepEqual(got, want) {
			t.Errorf("text %d: batch %+v, PredictText %+v", i, got, want)
		}
	}
	if decided < 10 || left < 10 {
		t.Errorf("%d texts decided by their scores, %d left to DetectKind: the sample does not exercise both", decided, left)
	}
}

// TestScoresAfterLazyScoring checks that full scores computed in a buffer
// that lazy scoring of another text used before decide as they decide in a
// fresh buffer: nothing left out of the earlier text is resolved into them.
func TestScoresAfterLazyScoring(t *testing.T) {
	mods := multiLabels(loadDefaultModels(t))
	_, texts := goldenSample(t)
	for _, m := range mods {
		var buf scoreBuf
		for i, text := range texts {
			x := m.Vectorizer().Vector(text)
			if x.Len() == 0 {
				continue
			}
			opt := PredictOptions{Evidence: 5}
			if i%2 == 0 {
				m.predict(x, opt, &buf) // lazy: leaves most labels out
				continue
			}
			got := m.decide(m.scores(x, &buf), x, opt, &buf)
			if want := m.Predict(x, opt); !reflect.DeepEqual(got, want) {
				t.Fatalf("text %d: after lazy scoring of text %d, %+v; alone %+v", i, i-1, got, want)
			}
		}
	}
}
