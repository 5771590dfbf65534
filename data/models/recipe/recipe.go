package recipe

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract/training"
	"github.com/nmirf/nmirf/models"
)

// Report is what training a task measured.
type Report struct {
	Task    string
	Metrics map[string]float64 // saved in the model header
	Lines   []string           // human-readable account, for MODELS.md
	Took    time.Duration
}

func (r *Report) logf(format string, a ...any) { r.Lines = append(r.Lines, fmt.Sprintf(format, a...)) }

// setting is the vectoriser and classifier of one task.
type setting struct {
	vo classify.Options
	mo classify.MultiLabelOptions
}

// fit trains a model on examples.
func fit(ctx context.Context, ex []training.Example, s setting) (*classify.MultiLabel, error) {
	texts, labels := split(ex)
	vz, err := classify.Fit(ctx, texts, s.vo)
	if err != nil {
		return nil, err
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		return nil, err
	}
	return classify.TrainMultiLabel(ctx, vz, X, labels, s.mo)
}

func split(ex []training.Example) ([]string, [][]string) {
	texts := make([]string, len(ex))
	labels := make([][]string, len(ex))
	for i, e := range ex {
		texts[i], labels[i] = e.Text, e.Labels
	}
	return texts, labels
}

// predict returns the labels m assigns to each text, passed through post
// (nil keeps them).
func predict(ctx context.Context, m *classify.MultiLabel, texts []string, post func([]string) []string) ([][]string, error) {
	X, err := m.Vectorizer().Transform(ctx, texts)
	if err != nil {
		return nil, err
	}
	preds, err := m.PredictMatrix(ctx, X, classify.PredictOptions{})
	if err != nil {
		return nil, err
	}
	out := make([][]string, len(preds))
	for i, p := range preds {
		for _, a := range p.Labels {
			out[i] = append(out[i], a.Label)
		}
		if post != nil {
			out[i] = post(out[i])
		}
	}
	return out, nil
}

// evaluate scores predicted against gold label lists with classify.Evaluate.
func evaluate(gold, pred [][]string) (classify.Metrics, error) {
	index := map[string]int{}
	var labels []string
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
	return classify.Evaluate(labels, g, p)
}

// finish wraps the trained MultiLabel as a Model with its header.
func finish(task string, m *classify.MultiLabel, ex []training.Example, s setting, rep *Report) (*classify.Model, error) {
	texts, labels := split(ex)
	return classify.NewModel(task, m, classify.DataHash(texts, labels), len(ex),
		classify.Params{Vectorizer: s.vo, MultiLabel: s.mo}, rep.Metrics)
}

// Inputs locates the data the models are trained on.
type Inputs struct {
	Shared       string // the shared real data folder (../shared/data)
	SDGFramework string // the framework CSV shipped in data/sdg
}

// Train trains the default model of task (models.TaskUPRInfoIssues,
// TaskUHRIThemes or TaskSDG) from the shared data folder, measuring it as
// described in data/models/MODELS.md.
func Train(ctx context.Context, task string, in Inputs) (*classify.Model, *Report, error) {
	start := time.Now()
	rep := &Report{Task: task, Metrics: map[string]float64{}}
	var m *classify.Model
	var err error
	switch task {
	case models.TaskUPRInfoIssues:
		m, err = uprInfoIssues(ctx, in, rep)
	case models.TaskUHRIThemes:
		m, err = uhriThemes(ctx, in, rep)
	case models.TaskSDG:
		m, err = sdgModel(ctx, in, rep)
	default:
		return nil, nil, fmt.Errorf("train default model: unknown task %q", task)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("train default model %s: %w", task, err)
	}
	rep.Took = time.Since(start)
	return m, rep, nil
}

// --- UPR Info issues ---

var uprSetting = setting{
	vo: classify.Options{Pruning: classify.Pruning{MinDF: 2, MaxFeatures: 60000}},
	mo: classify.MultiLabelOptions{Linear: classify.LinearOptions{C: 1}, Floor: 0.1},
}

// UPRInfoSet reads the UPR Info exports of the shared data.
func UPRInfoSet(ctx context.Context, shared string) ([]training.Example, error) {
	set, err := training.UPRInfo(ctx, filepath.Join(shared, "upr-info"))
	if err != nil {
		return nil, err
	}
	if len(set.Rejected) > 0 {
		return nil, fmt.Errorf("upr-info: %d rows rejected, first %v", len(set.Rejected), set.Rejected[0])
	}
	return set.Examples, nil
}

// UPRSessionSplit measures the UPR setting trained on sessions ≤ last and
// tested on the later ones.
func UPRSessionSplit(ctx context.Context, ex []training.Example, last int) (classify.Metrics, error) {
	var train, test []training.Example
	for _, e := range ex {
		if e.Session <= last {
			train = append(train, e)
		} else {
			test = append(test, e)
		}
	}
	m, err := fit(ctx, train, uprSetting)
	if err != nil {
		return classify.Metrics{}, err
	}
	texts, gold := split(test)
	pred, err := predict(ctx, m, texts, nil)
	if err != nil {
		return classify.Metrics{}, err
	}
	return evaluate(gold, pred)
}

func uprInfoIssues(ctx context.Context, in Inputs, rep *Report) (*classify.Model, error) {
	ex, err := UPRInfoSet(ctx, in.Shared)
	if err != nil {
		return nil, err
	}
	met, err := UPRSessionSplit(ctx, ex, 12)
	if err != nil {
		return nil, err
	}
	rep.Metrics["sessions_1_12_to_13_16_micro_f1"] = round(met.MicroF)
	rep.Metrics["sessions_1_12_to_13_16_macro_f1"] = round(met.MacroF)
	rep.logf("UPR Info issues: trained on sessions 1–12, tested on 13–16 (%d texts): micro-F1 %.3f (P %.3f R %.3f), macro-F1 %.3f",
		met.Docs, met.MicroF, met.MicroP, met.MicroR, met.MacroF)
	m, err := fit(ctx, ex, uprSetting)
	if err != nil {
		return nil, err
	}
	rep.logf("shipped model: sessions 1–16, %d texts, %d labels, %d terms", len(ex), len(m.Labels), m.Vectorizer().Len())
	return finish(models.TaskUPRInfoIssues, m, ex, uprSetting, rep)
}

func round(x float64) float64 { return float64(int(x*10000+0.5)) / 10000 }

// normText is the key that tells the same text in two sets.
func normText(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), " ")
}
