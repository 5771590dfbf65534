package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/pipeline"
)

func newRunCmd(g *globals) *cobra.Command {
	var o pipeline.IngestOptions
	c := &cobra.Command{
		Use:   "run",
		Short: "Run the batch job (on the embedded sample data when no input is configured)",
		Long: `Run the whole batch job against the warehouse. Without inputs it uses the sample data embedded
in the binary: the United Kingdom's first two UPR reviews from the UPR Info export and the Working
Group reports, so that a fresh install shows what nmirf does.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			files, err := data.Sample()
			if err != nil {
				return fmt.Errorf("read embedded sample: %w", err)
			}
			for _, f := range files {
				in, err := extract.NewInput("embedded:"+f.Name, f.Data)
				if err != nil {
					return err
				}
				o.Inputs = append(o.Inputs, in)
			}
			o.Warehouse = g.warehouse
			o.Version = version
			o.Importers = formats.All()
			run, err := pipeline.Ingest(cmd.Context(), o)
			printRunSummary(g, run)
			return err
		},
	}
	c.Flags().BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	return c
}
