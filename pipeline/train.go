package pipeline

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// Example is one labelled text for training or evaluation.
type Example struct {
	Text   string
	Labels []string
	Group  string // file, for grouped cross-validation
}

// ExampleSource says where the labels of a file are: named columns of a
// table, or (TextCol empty) the source labels an importer finds.
type ExampleSource struct {
	TextCol, LabelsCol string
	Sep                string // label separator in LabelsCol; default ";"
	Importers          []extract.Importer
}

// schemeForTask is the source-label scheme that trains a task's model.
var schemeForTask = map[string]string{
	models.TaskUPRInfoIssues: models.SchemeUPRInfoIssue,
	models.TaskUHRIThemes:    models.SchemeUHRITheme,
	models.TaskSDG:           models.SchemeUHRISDG,
}

// LoadExamples reads labelled texts from files. Texts without a label are
// kept out: they would teach every label "no".
func LoadExamples(ctx context.Context, paths []string, task string, src ExampleSource) ([]Example, error) {
	files, err := expandPaths(paths)
	if err != nil {
		return nil, err
	}
	if src.Sep == "" {
		src.Sep = ";"
	}
	var out []Example
	for _, p := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		in, err := extract.ReadInput(p)
		if err != nil {
			return nil, err
		}
		var ex []Example
		if src.TextCol != "" {
			ex, err = tableExamples(in, src)
		} else {
			ex, err = importedExamples(ctx, in, task, src.Importers)
		}
		if err != nil {
			return nil, models.InputError(p, err)
		}
		out = append(out, ex...)
	}
	if len(out) == 0 {
		return nil, models.UsageError("no labelled texts found in %s", strings.Join(paths, ", "))
	}
	return out, nil
}

func tableExamples(in *extract.Input, src ExampleSource) ([]Example, error) {
	var t *extract.Table
	if extract.SniffKind(in.Data) == extract.KindZip {
		sheets, err := extract.ReadXLSX(in)
		if err != nil {
			return nil, err
		}
		t = &sheets[0].Table
	} else {
		var err error
		if t, _, err = extract.ReadCSV(in); err != nil {
			return nil, err
		}
	}
	tc, lc := t.Col(src.TextCol), t.Col(src.LabelsCol)
	if tc < 0 || lc < 0 {
		return nil, fmt.Errorf("needs columns %q and %q (has: %s)", src.TextCol, src.LabelsCol, strings.Join(t.Header, ", "))
	}
	var out []Example
	for _, r := range t.Rows {
		var labels []string
		for _, l := range strings.Split(r.Get(lc), src.Sep) {
			if l = strings.TrimSpace(l); l != "" {
				labels = append(labels, l)
			}
		}
		if strings.TrimSpace(r.Get(tc)) != "" && len(labels) > 0 {
			out = append(out, Example{Text: r.Get(tc), Labels: labels, Group: in.Name})
		}
	}
	return out, nil
}

func importedExamples(ctx context.Context, in *extract.Input, task string, imps []extract.Importer) ([]Example, error) {
	scheme, ok := schemeForTask[task]
	if !ok {
		return nil, fmt.Errorf("task %s has no source-label scheme; give --text-col and --labels-col", task)
	}
	imp := Detect(imps, in)
	if imp == nil {
		return nil, fmt.Errorf("cannot tell its format; give --text-col and --labels-col for a table")
	}
	res, err := safeImport(ctx, imp, in, extract.Options{})
	if err != nil {
		return nil, err
	}
	var out []Example
	for _, r := range res.Records {
		seen := map[string]bool{}
		var labels []string
		for _, l := range r.Labels {
			for _, v := range taskLabels(task, l) {
				if l.Scheme == scheme && !seen[v] {
					seen[v] = true
					labels = append(labels, v)
				}
			}
		}
		if len(labels) > 0 {
			sort.Strings(labels)
			out = append(out, Example{Text: r.Text, Labels: labels, Group: in.Name})
		}
	}
	return out, nil
}

// taskLabels turns a source label into the label set of a task: old UHRI
// theme codes become current theme names, SDG labels their target or goal
// code.
func taskLabels(task string, l models.Label) []string {
	switch task {
	case models.TaskUHRIThemes:
		return classify.MapUHRITheme(l.Value)
	case models.TaskSDG:
		if c := SDGCode(l.Value); c != "" {
			return []string{c}
		}
		return nil
	}
	return []string{l.Value}
}

var sdgCodeRe = regexp.MustCompile(`^(?:S\d{1,2}\s+SDG\s+|SDG\s*|Goal\s+)?(\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?)\b`)

// SDGCode returns the goal or target code an SDG label names: "16" for
// "S16 SDG 16 - peace, justice…" (OHCHR matrices), "8.7" for "8.7 - End
// modern slavery…" (UHRI), "5" for "5"; "" for a label naming no goal, such
// as "S Sustainable Development Goal implementation".
func SDGCode(label string) string {
	m := sdgCodeRe.FindStringSubmatch(strings.TrimSpace(label))
	if m == nil {
		return ""
	}
	code := m[1]
	goal := code
	if i := strings.IndexByte(code, '.'); i > 0 {
		goal = code[:i]
	}
	if n, err := strconv.Atoi(goal); err != nil || n < 1 || n > 17 {
		return ""
	}
	return code
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

// Train fits a model of task on the examples.
func Train(ctx context.Context, task string, ex []Example, o TrainOptions) (*classify.Model, error) {
	if o.C == 0 {
		o.C = 1
	}
	if o.MinDF == 0 {
		o.MinDF = 2
	}
	texts := make([]string, len(ex))
	labels := make([][]string, len(ex))
	for i, e := range ex {
		texts[i], labels[i] = e.Text, e.Labels
	}
	vopt := classify.Options{Tokenizer: classify.TokenizerOptions{NGram: o.NGram}, Pruning: classify.Pruning{MinDF: o.MinDF, MaxFeatures: o.MaxFeatures}}
	vz, err := classify.Fit(ctx, texts, vopt)
	if err != nil {
		return nil, err
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		return nil, err
	}
	lopt := classify.LinearOptions{C: o.C}
	if o.Logistic {
		lopt.Loss = classify.Logistic
	}
	mopt := classify.MultiLabelOptions{Linear: lopt, Folds: o.Folds, Floor: o.Floor, Descriptions: o.Descriptions}
	ml, err := classify.TrainMultiLabel(ctx, vz, X, labels, mopt)
	if err != nil {
		return nil, err
	}
	return classify.NewModel(task, ml, classify.DataHash(texts, labels), len(texts), classify.Params{Vectorizer: vopt, MultiLabel: mopt}, nil)
}

// Evaluate scores m on labelled examples.
func Evaluate(ctx context.Context, m *classify.Model, ex []Example) (classify.Metrics, error) {
	texts := make([]string, len(ex))
	for i, e := range ex {
		texts[i] = e.Text
	}
	X, err := m.Vectorizer().Transform(ctx, texts)
	if err != nil {
		return classify.Metrics{}, err
	}
	preds, err := m.PredictMatrix(ctx, X, classify.PredictOptions{})
	if err != nil {
		return classify.Metrics{}, err
	}
	return score(ex, preds, m.Labels)
}

// score compares predictions with the examples' labels. Labels are those
// given (a model's) plus any the examples or predictions add.
func score(ex []Example, preds []classify.Prediction, known []string) (classify.Metrics, error) {
	index := map[string]int{}
	labels := append([]string{}, known...)
	for i, l := range labels {
		index[l] = i
	}
	idx := func(l string) int {
		if i, ok := index[l]; ok {
			return i
		}
		index[l] = len(labels)
		labels = append(labels, l)
		return index[l]
	}
	gold := make([][]int, len(ex))
	pred := make([][]int, len(ex))
	for i := range ex {
		for _, l := range ex[i].Labels {
			gold[i] = append(gold[i], idx(l))
		}
		for _, a := range preds[i].Labels {
			pred[i] = append(pred[i], idx(a.Label))
		}
	}
	return classify.Evaluate(labels, gold, pred)
}

// CrossValidate trains on K−1 folds and predicts the held-out one, K times,
// and scores the pooled held-out predictions. Folds follow Example.Group
// when there are at least K groups, so that no file is both trained and
// tested on.
func CrossValidate(ctx context.Context, task string, ex []Example, o TrainOptions, k int) (classify.Metrics, error) {
	groups := map[string]bool{}
	gs := make([]string, len(ex))
	for i, e := range ex {
		groups[e.Group] = true
		gs[i] = e.Group
	}
	var folds [][]int
	var err error
	if len(groups) >= k {
		folds, err = classify.GroupKFold(gs, k)
	} else {
		folds, err = classify.KFold(len(ex), k, 1)
	}
	if err != nil {
		return classify.Metrics{}, models.UsageError("cross-validation: %v", err)
	}
	held := make([]Example, 0, len(ex))
	var preds []classify.Prediction
	for _, fold := range folds {
		train := make([]Example, 0, len(ex)-len(fold))
		for _, i := range classify.Complement(len(ex), fold) {
			train = append(train, ex[i])
		}
		m, err := Train(ctx, task, train, o)
		if err != nil {
			return classify.Metrics{}, err
		}
		test := make([]string, len(fold))
		for j, i := range fold {
			test[j] = ex[i].Text
			held = append(held, ex[i])
		}
		X, err := m.Vectorizer().Transform(ctx, test)
		if err != nil {
			return classify.Metrics{}, err
		}
		p, err := m.PredictMatrix(ctx, X, classify.PredictOptions{})
		if err != nil {
			return classify.Metrics{}, err
		}
		preds = append(preds, p...)
	}
	return score(held, preds, nil)
}
