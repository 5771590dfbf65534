package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

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
	)
	c := &cobra.Command{
		Use:   "eval --model MODEL --in FILE... [--folds K]",
		Short: "Score a model on labelled texts: micro and macro P/R/F1 and a per-label table",
		Long: `Score a model on labelled texts. With --folds K, the model's training recipe is instead
cross-validated on the inputs (trained on K-1 parts, scored on the held-out one, K times).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if model == "" || len(ex.in) == 0 && !ex.reviewed {
				return models.UsageError("eval needs --model and --in (or --reviewed)")
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
			met, byLang, err := evalByLanguage(cmd.Context(), m, proj, examples)
			if folds > 1 {
				byLang = nil
				met, err = classify.CrossValidate(cmd.Context(), m.Task, examples, classify.TrainOptionsOf(m.Params).Params(), folds)
			}
			if err != nil {
				return err
			}
			return writeLangMetrics(g.stdout, format, m.ModelID, met, byLang)
		},
	}
	ex.register(c)
	c.Flags().StringVar(&model, "model", "", "model file")
	c.Flags().IntVar(&folds, "folds", 0, "cross-validate the model's recipe with K folds instead of scoring the model")
	c.Flags().StringVar(&format, "format", "table", "table or json")
	return c
}

func writeMetrics(w io.Writer, format, modelID string, m classify.Metrics) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			ModelID string `json:"model_id"`
			classify.Metrics
		}{modelID, m})
	case "table", "":
	default:
		return models.UsageError("unknown --format %q (table, json)", format)
	}
	fmt.Fprintf(w, "model %s, %d texts\n", modelID, m.Docs)
	fmt.Fprintf(w, "micro  P %.3f  R %.3f  F1 %.3f\n", m.MicroP, m.MicroR, m.MicroF)
	fmt.Fprintf(w, "macro  P %.3f  R %.3f  F1 %.3f\n", m.MacroP, m.MacroR, m.MacroF)
	fmt.Fprintf(w, "subset accuracy %.3f\n\n", m.SubsetAccuracy)
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
