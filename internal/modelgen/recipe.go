package modelgen

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/data/taxonomy"
	"github.com/nmirf/nmirf/internal/modelgen/corpus"
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

// examples turns corpus examples into classify's.
func examples(ex []corpus.Example) []classify.Example {
	out := make([]classify.Example, len(ex))
	for i, e := range ex {
		out[i] = classify.Example{Text: e.Text, Labels: e.Labels, Group: e.Group, Kind: e.Kind}
	}
	return out
}

// fit trains a model on examples with the settings p.
func fit(ctx context.Context, task string, ex []corpus.Example, p classify.Params, metrics map[string]float64) (*classify.Model, error) {
	return classify.Train(ctx, task, examples(ex), p, metrics)
}

// predict returns the labels m assigns to the texts of ex, passed through
// post (nil keeps them), and the examples' own labels.
func predict(ctx context.Context, m *classify.Model, ex []corpus.Example, post func([]string) []string) (pred, gold [][]string, err error) {
	texts := make([]string, len(ex))
	for i, e := range ex {
		texts[i] = e.Text
		gold = append(gold, e.Labels)
	}
	pred, err = classify.PredictLabels(ctx, m.MultiLabel, texts)
	if err != nil {
		return nil, nil, err
	}
	if post != nil {
		for i := range pred {
			pred[i] = post(pred[i])
		}
	}
	return pred, gold, nil
}

// Inputs locates the data the models are trained on, and says how.
type Inputs struct {
	Shared       string // the shared real data folder (../shared/data)
	SDGFramework string // the framework CSV shipped in data/sdg
	// Taxonomy maps labels between vocabularies (EmbeddedTaxonomy).
	Taxonomy *classify.Taxonomy
	// UHRIWithoutUPR leaves the UPR Info recommendations, labelled through
	// data/taxonomy/upr-issue-to-uhri.csv, out of the UHRI themes model's
	// training texts, to measure what they add.
	UHRIWithoutUPR bool
	// SDGJRCTerms adds the EU JRC SDG term matrix to the SDG model's
	// training texts, JRCAsTexts or JRCInQueries ("" leaves it out, as the
	// shipped recipe does), to measure what it adds.
	SDGJRCTerms string
}

// EmbeddedTaxonomy is the taxonomy of data/taxonomy, as the binary has it.
func EmbeddedTaxonomy() (*classify.Taxonomy, error) {
	return classify.ParseTaxonomy(classify.TaxonomyTables{UHRIThemes: taxonomy.UHRIThemes, UHRIOldTo2026: taxonomy.UHRIOldTo2026,
		UPRIssueToSDG: taxonomy.UPRIssueToSDG, UPRIssueToUHRI: taxonomy.UPRIssueToUHRI})
}

// Train trains the default model of task (models.TaskUPRInfoIssues,
// TaskUHRIThemes or TaskSDG) from the shared data folder, measuring it as
// described in data/models/MODELS.md.
func Train(ctx context.Context, task string, in Inputs) (*classify.Model, *Report, error) {
	start := time.Now()
	rep := &Report{Task: task, Metrics: map[string]float64{}}
	if in.Taxonomy == nil {
		return nil, nil, fmt.Errorf("train default model %s: no taxonomy", task)
	}
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

var uprSetting = classify.Params{
	Vectorizer: classify.Options{Pruning: classify.Pruning{MinDF: 2, MaxFeatures: 60000}},
	MultiLabel: classify.MultiLabelOptions{Linear: classify.LinearOptions{C: 1}, Floor: 0.1},
}

// UPRInfoSet reads the UPR Info exports of the shared data.
func UPRInfoSet(ctx context.Context, shared string) ([]corpus.Example, error) {
	set, err := corpus.UPRInfo(ctx, filepath.Join(shared, "upr-info"))
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
func UPRSessionSplit(ctx context.Context, ex []corpus.Example, last int) (classify.Metrics, error) {
	var train, test []corpus.Example
	for _, e := range ex {
		if e.Session <= last {
			train = append(train, e)
		} else {
			test = append(test, e)
		}
	}
	m, err := fit(ctx, models.TaskUPRInfoIssues, train, uprSetting, nil)
	if err != nil {
		return classify.Metrics{}, err
	}
	pred, gold, err := predict(ctx, m, test, nil)
	if err != nil {
		return classify.Metrics{}, err
	}
	return classify.Score(gold, pred, nil)
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
	m, err := fit(ctx, models.TaskUPRInfoIssues, ex, uprSetting, rep.Metrics)
	if err != nil {
		return nil, err
	}
	rep.logf("shipped model: sessions 1–16, %d texts, %d labels, %d terms", len(ex), len(m.Labels), m.Vectorizer().Len())
	return m, nil
}

func round(x float64) float64 { return float64(int(x*10000+0.5)) / 10000 }

// normText is the key that tells the same text in two sets.
func normText(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), " ")
}
