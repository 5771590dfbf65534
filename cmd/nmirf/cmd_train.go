package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/internal/atomicfile"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// exampleFlags are the flags train and eval share for reading labelled texts.
type exampleFlags struct {
	in        []string
	src       pipeline.ExampleSource
	reviewed  bool   // add the labels corrected in returned review workbooks
	warehouse string // where those are
}

func (e *exampleFlags) register(c *cobra.Command) {
	f := c.Flags()
	f.StringSliceVar(&e.in, "in", nil, "labelled input files or folders (repeatable); without --text-col the format is detected and the source labels of the task's scheme are used")
	f.StringVar(&e.src.TextCol, "text-col", "", "column holding the text (CSV/XLSX)")
	f.StringVar(&e.src.LabelsCol, "labels-col", "labels", "column holding the labels (with --text-col)")
	f.StringVar(&e.src.Sep, "sep", ";", "separator between labels in --labels-col")
	f.BoolVar(&e.reviewed, "reviewed", false, "also use the labels people corrected in returned review workbooks (the warehouse's v_training_labels)")
}

// load reads the labelled texts of the inputs for task.
func (e *exampleFlags) load(cmd *cobra.Command, task string) ([]classify.Example, error) {
	tx, err := embeddedTaxonomy()
	if err != nil {
		return nil, err
	}
	e.src.Importers, e.src.Taxonomy = formats.All(), tx
	var out []classify.Example
	if len(e.in) > 0 || !e.reviewed {
		if out, err = pipeline.LoadExamples(cmd.Context(), e.in, task, e.src); err != nil {
			return nil, err
		}
	}
	if e.reviewed {
		rev, err := pipeline.ReviewedExamples(cmd.Context(), e.warehouse, task, tx)
		if err != nil {
			return nil, err
		}
		if len(rev) == 0 && len(out) == 0 {
			return nil, models.UsageError("no reviewed labels of %s in %s", task, e.warehouse)
		}
		out = append(out, rev...)
	}
	return out, nil
}

func newTrainCmd(g *globals) *cobra.Command {
	var (
		ex      exampleFlags
		task    string
		out     string
		o       classify.TrainOptions
		cvFolds int
	)
	c := &cobra.Command{
		Use:   "train --task issues|uhri-themes|sdg --in FILE... --out MODEL",
		Short: "Train a classification model from labelled texts",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			tk, err := models.ParseTask(task)
			if err != nil {
				return err
			}
			t := tk.Name
			if len(ex.in) == 0 && !ex.reviewed || out == "" {
				return models.UsageError("train needs --in (or --reviewed) and --out")
			}
			ex.warehouse = g.warehouse
			examples, err := ex.load(cmd, t)
			if err != nil {
				return err
			}
			m, err := classify.Train(cmd.Context(), t, examples, o.Params(), nil)
			if err != nil {
				return err
			}
			if err := atomicfile.Write(out, func(w io.Writer) error {
				_, err := m.WriteTo(w)
				return err
			}); err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "trained %s on %d texts, %d labels -> %s\n", m.ModelID, len(examples), len(m.Labels), out)
			if cvFolds > 1 {
				met, err := classify.CrossValidate(cmd.Context(), t, examples, o.Params(), cvFolds)
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
			if model == "" || len(ex.in) == 0 && !ex.reviewed {
				return models.UsageError("eval needs --model and --in (or --reviewed)")
			}
			ex.warehouse = g.warehouse
			m, err := readModelFile(model, "")
			if err != nil {
				return err
			}
			examples, err := ex.load(cmd, m.Task)
			if err != nil {
				return err
			}
			met, err := classify.EvaluateModel(cmd.Context(), m, examples)
			if folds > 1 {
				met, err = classify.CrossValidate(cmd.Context(), m.Task, examples, classify.TrainOptionsOf(m.Params).Params(), folds)
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
