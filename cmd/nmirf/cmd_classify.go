package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

func init() { commands = append(commands, newClassifyCmd) }

func newClassifyCmd(g *globals) *cobra.Command {
	var (
		o          pipeline.ClassifyOptions
		modelFiles []string
		s          standalone
	)
	c := &cobra.Command{
		Use:   "classify",
		Short: "Assign UPR Info issues, UHRI themes and SDG goals and targets",
		Long: `Classify recommendations with the default models embedded in nmirf (or --model files).

In the warehouse (default): writes theme_assignments and sdg_assignments for the recommendations that
are new or whose text changed since they were last classified by the same model; a new model version
reclassifies everything, as does --all.

The SDG model's thresholds depend on the kind of text (recommendation, concern, national-report,
indicator, general): a recommendation's kind is the one its importer recorded; a standalone text's is
guessed from its wording ("Ratify …", "… (Mexico);", "The State party should …" read as
recommendations). --kind sets it for every text.

Standalone (--in FILE): classifies a CSV, XLSX or JSONL file of texts without any warehouse and writes
one record per input row, in input order, as JSONL or CSV to stdout (or --out).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			proj, err := embeddedProjection()
			if err != nil {
				return err
			}
			if o.Kind != "" && !classify.IsTextKind(o.Kind) {
				return models.UsageError("unknown --kind %q (%s)", o.Kind, strings.Join(classify.TextKinds, ", "))
			}
			o.Projection, s.proj = proj, proj
			if s.in != "" {
				s.top, s.evidence, s.kind = o.TopK, o.Evidence, o.Kind
				return s.run(cmd.Context(), g, func() ([]*classify.Model, error) { return loadModels(modelFiles) })
			}
			mods, err := loadModels(modelFiles)
			if err != nil {
				return err
			}
			o.Warehouse, o.DuckDBMemory, o.Version, o.Models = g.warehouse, g.duckdbMemory, version, mods
			run, err := pipeline.Classify(cmd.Context(), o)
			if run != nil && !g.quiet {
				fmt.Fprintf(g.stderr, "classify %s: %d recommendation(s) classified\n", run.RunID, run.Counts.Read)
				for _, in := range run.Inputs {
					fmt.Fprintf(g.stderr, "  %s: %d\n", in.Name, in.Records)
				}
			}
			return err
		},
	}
	f := c.Flags()
	f.StringSliceVar(&modelFiles, "model", nil, "model file(s) to use instead of the embedded defaults (repeatable)")
	f.BoolVar(&o.All, "all", false, "reclassify every recommendation, not only new or changed ones")
	f.IntVar(&o.TopK, "top", 0, "also give the next K best labels (marked fallback in the warehouse)")
	f.IntVar(&o.Evidence, "evidence", 5, "evidence terms per label")
	f.StringVar(&o.Kind, "kind", "", "treat every text as of this kind: "+strings.Join(classify.TextKinds, ", ")+" (default: its recorded kind, else guessed from its wording)")
	f.BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	f.StringVar(&s.in, "in", "", "classify this CSV, XLSX or JSONL file standalone (no warehouse)")
	f.StringVar(&s.textCol, "text-col", "text", "standalone: column or JSON field holding the text")
	f.StringVar(&s.idCol, "id-col", "", "standalone: column or JSON field holding an id (default: \"id\" if there is one, else the row number)")
	f.StringVar(&s.format, "format", "jsonl", "standalone output: jsonl or csv")
	f.StringVar(&s.out, "out", "", "standalone: write here instead of stdout")
	return changesWarehouse(c)
}
