package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/models"
)

func init() { commands = append(commands, newEvalCmd) }

func newEvalCmd(g *globals) *cobra.Command {
	var (
		ex     exampleFlags
		model  string
		folds  int
		format string
		kind   string
	)
	c := &cobra.Command{
		Use:   "eval --model MODEL --in FILE... [--folds K]",
		Short: "Score a model on labelled texts: micro and macro P/R/F1 and a per-label table",
		Long: `Score a model on labelled texts. With --folds K, the model's training recipe is instead
cross-validated on the inputs (trained on K-1 parts, scored on the held-out one, K times).

Each text is scored as of its kind (recommendation, concern, national-report, indicator, general):
the kind its importer knows, else the one its wording suggests; --kind sets it for all texts. The
report gives precision and recall per kind and, for the SDG model, goal- and target-level figures.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" || len(ex.in) == 0 && !ex.reviewed {
				return models.UsageError("eval needs --model and --in (or --reviewed)")
			}
			if kind != "" && !classify.IsTextKind(kind) {
				return models.UsageError("unknown --kind %q (%s)", kind, strings.Join(classify.TextKinds, ", "))
			}
			ex.warehouse, ex.memory = g.warehouse, g.duckdbMemory
			m, err := readModelFile(model, "")
			if err != nil {
				return err
			}
			examples, err := ex.load(cmd, m.Task)
			if err != nil {
				return err
			}
			proj, err := embeddedProjection()
			if err != nil {
				return err
			}
			var ev classify.Evaluation
			var byLang []langMetrics
			if folds > 1 {
				ev.Metrics, err = classify.CrossValidate(cmd.Context(), m.Task, examples, classify.TrainOptionsOf(m.Params).Params(), folds)
			} else if ev, err = classify.EvaluateKinds(cmd.Context(), m, examples, kind, proj); err == nil {
				byLang, err = evalByLanguage(m, proj, ev)
			}
			if err != nil {
				return err
			}
			return writeLangMetrics(g.stdout, format, m.ModelID, ev, byLang)
		},
	}
	ex.register(c)
	c.Flags().StringVar(&model, "model", "", "model file")
	c.Flags().IntVar(&folds, "folds", 0, "cross-validate the model's recipe with K folds instead of scoring the model")
	c.Flags().StringVar(&format, "format", "table", "table or json")
	c.Flags().StringVar(&kind, "kind", "", "score every text as of this kind: "+strings.Join(classify.TextKinds, ", ")+" (default: each text's own)")
	return c
}

func writeMetrics(w io.Writer, format, modelID string, ev classify.Evaluation) error {
	m := ev.Metrics
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			ModelID string `json:"model_id"`
			classify.Evaluation
		}{modelID, ev})
	case "table", "":
	default:
		return models.UsageError("unknown --format %q (table, json)", format)
	}
	fmt.Fprintf(w, "model %s, %d texts\n", modelID, m.Docs)
	fmt.Fprintf(w, "micro  P %.3f  R %.3f  F1 %.3f\n", m.MicroP, m.MicroR, m.MicroF)
	fmt.Fprintf(w, "macro  P %.3f  R %.3f  F1 %.3f\n", m.MacroP, m.MacroR, m.MacroF)
	fmt.Fprintf(w, "subset accuracy %.3f\n\n", m.SubsetAccuracy)
	writeSDGLevels(w, ev)
	per := append([]classify.LabelMetrics{}, m.PerLabel...)
	sort.SliceStable(per, func(i, j int) bool { return per[i].Support > per[j].Support })
	fmt.Fprintf(w, "%-60s %7s %7s %6s %6s %6s\n", "label", "support", "predict", "P", "R", "F1")
	for _, l := range per {
		if l.Support == 0 && l.Predicted == 0 {
			continue
		}
		name := l.Label
		if len(name) > 60 {
			name = name[:59] + "…"
		}
		fmt.Fprintf(w, "%-60s %7d %7d %6.3f %6.3f %6.3f\n", name, l.Support, l.Predicted, l.P, l.R, l.F1)
	}
	return nil
}

// writeSDGLevels writes the SDG goal and target figures and the per-kind
// table of ev, when it has them.
func writeSDGLevels(w io.Writer, ev classify.Evaluation) {
	if g := ev.Goals; g != nil {
		fmt.Fprintf(w, "SDG goals    micro P %.3f  R %.3f  F1 %.3f  macro F1 %.3f  mean per-goal accuracy %.3f\n", g.MicroP, g.MicroR, g.MicroF, g.MacroF, ev.GoalAccuracy)
	}
	if t := ev.Targets; t != nil {
		fmt.Fprintf(w, "SDG targets  micro P %.3f  R %.3f  F1 %.3f  macro F1 %.3f  (%d texts with target labels)\n", t.MicroP, t.MicroR, t.MicroF, t.MacroF, ev.TargetTexts)
	}
	if len(ev.Kinds) == 0 {
		return
	}
	if ev.Goals != nil {
		fmt.Fprintf(w, "\n%-16s %6s %6s %6s %6s %9s   (SDG goals)\n", "kind", "texts", "P", "R", "F1", "goal acc")
	} else {
		fmt.Fprintf(w, "\n%-16s %6s %6s %6s %6s\n", "kind", "texts", "P", "R", "F1")
	}
	for _, k := range ev.Kinds {
		fmt.Fprintf(w, "%-16s %6d %6.3f %6.3f %6.3f", k.Kind, k.Texts, k.P, k.R, k.F1)
		if ev.Goals != nil {
			fmt.Fprintf(w, " %9.3f", k.GoalAccuracy)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}
