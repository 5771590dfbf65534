package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// exampleFlags are the flags train and eval share for reading labelled texts.
type exampleFlags struct {
	in  []string
	src pipeline.ExampleSource
}

func (e *exampleFlags) register(c *cobra.Command) {
	f := c.Flags()
	f.StringSliceVar(&e.in, "in", nil, "labelled input files or folders (repeatable); without --text-col the format is detected and the source labels of the task's scheme are used")
	f.StringVar(&e.src.TextCol, "text-col", "", "column holding the text (CSV/XLSX)")
	f.StringVar(&e.src.LabelsCol, "labels-col", "labels", "column holding the labels (with --text-col)")
	f.StringVar(&e.src.Sep, "sep", ";", "separator between labels in --labels-col")
}

func newTrainCmd(g *globals) *cobra.Command {
	var (
		ex      exampleFlags
		task    string
		out     string
		o       pipeline.TrainOptions
		cvFolds int
	)
	c := &cobra.Command{
		Use:   "train --task issues|uhri-themes|sdg --in FILE... --out MODEL",
		Short: "Train a classification model from labelled texts",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := taskName(task)
			if err != nil {
				return err
			}
			if len(ex.in) == 0 || out == "" {
				return models.UsageError("train needs --in and --out")
			}
			ex.src.Importers = formats.All()
			examples, err := pipeline.LoadExamples(cmd.Context(), ex.in, t, ex.src)
			if err != nil {
				return err
			}
			m, err := pipeline.Train(cmd.Context(), t, examples, o)
			if err != nil {
				return err
			}
			tmp, err := os.CreateTemp(filepath.Dir(out), ".nmirf-model-*")
			if err != nil {
				return err
			}
			defer os.Remove(tmp.Name())
			if _, err := m.WriteTo(tmp); err != nil {
				tmp.Close()
				return err
			}
			if err := tmp.Close(); err != nil {
				return err
			}
			if err := os.Rename(tmp.Name(), out); err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "trained %s on %d texts, %d labels -> %s\n", m.ModelID, len(examples), len(m.Labels), out)
			if cvFolds > 1 {
				met, err := pipeline.CrossValidate(cmd.Context(), t, examples, o, cvFolds)
				if err != nil {
					return err
				}
				fmt.Fprintf(g.stderr, "%d-fold cross-validation: micro-F1 %.3f, macro-F1 %.3f\n", cvFolds, met.MicroF, met.MacroF)
			}
			return nil
		},
	}
	ex.register(c)
	f := c.Flags()
	f.StringVar(&task, "task", "", "issues (UPR Info issues), uhri-themes or sdg")
	f.StringVar(&out, "out", "", "model file to write")
	f.Float64Var(&o.C, "c", 1, "regularisation: larger fits the training data more closely")
	f.IntVar(&o.NGram, "ngram", 2, "longest word n-gram")
	f.IntVar(&o.MinDF, "min-df", 2, "keep terms in at least this many texts")
	f.IntVar(&o.MaxFeatures, "max-features", 0, "keep at most this many terms (0: all)")
	f.IntVar(&o.Folds, "folds", 5, "cross-validation folds for score calibration and thresholds")
	f.Float64Var(&o.Floor, "floor", 0.1, "below this best score a text is unclassified")
	f.BoolVar(&o.Logistic, "logistic", false, "logistic regression instead of a linear SVM")
	f.IntVar(&cvFolds, "cv", 0, "also report K-fold cross-validated quality of this recipe")
	return c
}

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
			if model == "" || len(ex.in) == 0 {
				return models.UsageError("eval needs --model and --in")
			}
			m, err := readModelFile(model, "")
			if err != nil {
				return err
			}
			ex.src.Importers = formats.All()
			examples, err := pipeline.LoadExamples(cmd.Context(), ex.in, m.Task, ex.src)
			if err != nil {
				return err
			}
			met, err := pipeline.Evaluate(cmd.Context(), m, examples)
			if folds > 1 {
				p := m.Params
				met, err = pipeline.CrossValidate(cmd.Context(), m.Task, examples, pipeline.TrainOptions{
					C: p.MultiLabel.Linear.C, NGram: p.Vectorizer.Tokenizer.NGram, MinDF: p.Vectorizer.Pruning.MinDF,
					MaxFeatures: p.Vectorizer.Pruning.MaxFeatures, Folds: p.MultiLabel.Folds, Floor: p.MultiLabel.Floor,
				}, folds)
			}
			if err != nil {
				return err
			}
			return writeMetrics(g.stdout, format, m.ModelID, met)
		},
	}
	ex.register(c)
	c.Flags().StringVar(&model, "model", "", "model file")
	c.Flags().IntVar(&folds, "folds", 0, "cross-validate the model's recipe with K folds instead of scoring the model")
	c.Flags().StringVar(&format, "format", "table", "table or json")
	return c
}
