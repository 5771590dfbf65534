package classify

import (
	"context"
	"slices"

	"github.com/nmirf/nmirf/models"
)

// Example is one labelled text for training or evaluation.
type Example struct {
	Text   string
	Labels []string
	Group  string // what must not be split between training and test: a file, a document
	// Kind is the kind of text (KindRecommendation, …); "" when not known.
	Kind string
}

// TrainOptions are the hyper-parameters of nmirf train; zero values take
// the defaults tuned on UPR Info issues (see README).
type TrainOptions struct {
	C           float64
	NGram       int
	MinDF       int
	MaxFeatures int
	Folds       int
	Floor       float64
	Logistic    bool
	// Descriptions of labels, for labels with few or no examples.
	Descriptions map[string]string
}

// Params returns the vectoriser and multi-label settings o stands for.
func (o TrainOptions) Params() Params {
	if o.C == 0 {
		o.C = 1
	}
	if o.MinDF == 0 {
		o.MinDF = 2
	}
	vopt := Options{Tokenizer: TokenizerOptions{NGram: o.NGram}, Pruning: Pruning{MinDF: o.MinDF, MaxFeatures: o.MaxFeatures}}
	lopt := LinearOptions{C: o.C}
	if o.Logistic {
		lopt.Loss = Logistic
	}
	return Params{Vectorizer: vopt, MultiLabel: MultiLabelOptions{Linear: lopt, Folds: o.Folds, Floor: o.Floor, Descriptions: o.Descriptions}}
}

// TrainOptionsOf returns the options a model was trained with, to train
// its recipe again (cross-validation).
func TrainOptionsOf(p Params) TrainOptions {
	return TrainOptions{C: p.MultiLabel.Linear.C, NGram: p.Vectorizer.Tokenizer.NGram, MinDF: p.Vectorizer.Pruning.MinDF,
		MaxFeatures: p.Vectorizer.Pruning.MaxFeatures, Folds: p.MultiLabel.Folds, Floor: p.MultiLabel.Floor}
}

// Train fits a model of task on the examples with the settings p: the
// vectoriser, then the multi-label model on its vectors. metrics are those
// the caller measured for the header (may be nil).
func Train(ctx context.Context, task string, ex []Example, p Params, metrics map[string]float64) (*Model, error) {
	texts, labels := splitExamples(ex)
	vz, err := Fit(ctx, texts, p.Vectorizer)
	if err != nil {
		return nil, err
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		return nil, err
	}
	ml, err := TrainMultiLabel(ctx, vz, X, labels, p.MultiLabel)
	if err != nil {
		return nil, err
	}
	return NewModel(task, ml, DataHash(texts, labels), len(texts), p, metrics)
}

func splitExamples(ex []Example) ([]string, [][]string) {
	texts := make([]string, len(ex))
	labels := make([][]string, len(ex))
	for i, e := range ex {
		texts[i], labels[i] = e.Text, e.Labels
	}
	return texts, labels
}

// PredictLabels returns the labels m assigns to each text.
func PredictLabels(ctx context.Context, m *MultiLabel, texts []string) ([][]string, error) {
	X, err := m.Vectorizer().Transform(ctx, texts)
	if err != nil {
		return nil, err
	}
	preds, err := m.PredictMatrix(ctx, X, PredictOptions{})
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(preds))
	for i, p := range preds {
		for _, a := range p.Labels {
			out[i] = append(out[i], a.Label)
		}
	}
	return out, nil
}

// EvaluateModel scores m on labelled examples.
func EvaluateModel(ctx context.Context, m *Model, ex []Example) (Metrics, error) {
	texts, gold := splitExamples(ex)
	pred, err := PredictLabels(ctx, m.MultiLabel, texts)
	if err != nil {
		return Metrics{}, err
	}
	return Score(gold, pred, m.Labels)
}

// Score compares predicted with gold label lists. Labels are those known
// (a model's, in its order) plus any the lists add; a label repeated in one
// list counts once.
func Score(gold, pred [][]string, known []string) (Metrics, error) {
	index := map[string]int{}
	labels := slices.Clone(known)
	for i, l := range labels {
		index[l] = i
	}
	ids := func(ls []string) []int {
		var out []int
		for _, l := range ls {
			k, ok := index[l]
			if !ok {
				k = len(labels)
				index[l] = k
				labels = append(labels, l)
			}
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		return out
	}
	g := make([][]int, len(gold))
	p := make([][]int, len(pred))
	for i := range gold {
		g[i], p[i] = ids(gold[i]), ids(pred[i])
	}
	return Evaluate(labels, g, p)
}

// CrossValidate trains on K−1 folds and predicts the held-out one, K times,
// and scores the pooled held-out predictions. Folds follow Example.Group
// when there are at least K groups, so that no file is both trained and
// tested on.
func CrossValidate(ctx context.Context, task string, ex []Example, p Params, k int) (Metrics, error) {
	groups := map[string]bool{}
	gs := make([]string, len(ex))
	for i, e := range ex {
		groups[e.Group] = true
		gs[i] = e.Group
	}
	var folds [][]int
	var err error
	if len(groups) >= k {
		folds, err = GroupKFold(gs, k)
	} else {
		folds, err = KFold(len(ex), k, 1)
	}
	if err != nil {
		return Metrics{}, models.UsageError("cross-validation: %v", err)
	}
	var gold, pred [][]string
	for _, fold := range folds {
		train := make([]Example, 0, len(ex)-len(fold))
		for _, i := range Complement(len(ex), fold) {
			train = append(train, ex[i])
		}
		m, err := Train(ctx, task, train, p, nil)
		if err != nil {
			return Metrics{}, err
		}
		test := make([]string, len(fold))
		for j, i := range fold {
			test[j] = ex[i].Text
			gold = append(gold, ex[i].Labels)
		}
		got, err := PredictLabels(ctx, m.MultiLabel, test)
		if err != nil {
			return Metrics{}, err
		}
		pred = append(pred, got...)
	}
	return Score(gold, pred, nil)
}
