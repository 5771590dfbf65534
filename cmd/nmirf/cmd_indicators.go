package main

import (
	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/pipeline"
)

func init() { commands = append(commands, newIndicatorsCmd) }

func newIndicatorsCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "indicators", Short: "SDG indicator data from statistics offices"}
	var o pipeline.IndicatorOptions
	imp := &cobra.Command{
		Use:   "import PATH...",
		Short: "Import SDG indicator data: Open SDG repositories or UN SDG Global Database exports",
		Long: `Import indicator data as statistics offices publish it: an Open SDG platform repository (a folder
with data/indicator_*.csv and meta/*.yml) or UN SDG Global Database exports (CSV or XLSX files), or a folder holding
them at any depth. Also loads the official SDG framework (2025 review). A file imported before with the
same content is skipped; a changed file replaces what it wrote before. A folder with no indicator data
below it is an error (exit 65).`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.Country != "" {
				cs, err := isoCodes([]string{o.Country})
				if err != nil {
					return err
				}
				o.Country = cs[0]
			}
			o.Paths, o.Warehouse, o.DuckDBMemory, o.Version = args, g.warehouse, g.duckdbMemory, version
			run, err := pipeline.ImportIndicators(cmd.Context(), o)
			printRunSummary(g, run)
			return err
		},
	}
	imp.Flags().StringVar(&o.Country, "country", "", "country of an Open SDG platform whose folder name does not tell (name or ISO3)")
	imp.Flags().StringSliceVar(&o.Exclude, "exclude", nil, "glob of data files not to read (name, path below the folder, or full path); repeatable")
	imp.Flags().BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	c.AddCommand(changesWarehouse(imp))
	return c
}
