package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/report"
	"github.com/nmirf/nmirf/pipeline"
)

func init() { commands = append(commands, newReportCmd) }

// reportCommands are report subcommands that are not a report kind of
// load/report (a site of many pages): each adds itself from its own file.
var reportCommands []func(*globals) *cobra.Command

// newReportCmd has a subcommand per report kind of load/report's registry,
// with its formats, and the reportCommands.
func newReportCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "report", Short: "Gap, cluster, follow-up and parliament reports for report writers"}
	for _, k := range report.Kinds() {
		if k.OwnCommand {
			continue
		}
		var (
			o         pipeline.ReportOptions
			countries []string
			format    string
			wait      bool
		)
		kind, formats := k.Name, k.Formats()
		sub := &cobra.Command{
			Use:   kind + " [--country ISO3] --format FORMAT [--out PATH]",
			Short: k.Short,
			Args:  usageArgs(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				var err error
				if o.Countries, err = isoCodes(countries); err != nil {
					return err
				}
				o.Kind, o.Formats, o.Now, o.Warehouse = kind, strings.Split(format, ","), time.Now(), g.warehouse
				if o.Out == "" {
					o.Out = g.warehouse + "/reports"
				}
				w, err := openForReport(cmd, g, wait)
				if err != nil {
					return err
				}
				defer w.Close()
				paths, err := pipeline.WriteReports(cmd.Context(), w, o)
				for _, p := range paths {
					fmt.Fprintln(g.stdout, p)
				}
				return err
			},
		}
		sub.Flags().StringSliceVar(&countries, "country", nil, "country (name or ISO3; repeatable); default: all")
		sub.Flags().StringVar(&format, "format", formats[0], "output format(s), comma-separated: "+strings.Join(formats, ", "))
		sub.Flags().StringVar(&o.Out, "out", "", "output folder, or a file for one report of one format (default: WAREHOUSE/reports)")
		sub.Flags().BoolVar(&wait, "wait", false, "first wait for a run in progress on the warehouse to finish, to report what it publishes")
		if k.StaleYears {
			sub.Flags().IntVar(&o.StaleYears, "stale-years", load.DefaultStaleYears, "indicator data older than this many years is flagged stale")
		}
		c.AddCommand(sub)
	}
	for _, newCmd := range reportCommands {
		c.AddCommand(newCmd(g))
	}
	return c
}

// openForReport opens the published copy of the warehouse for a report,
// after waiting for a run in progress to publish when wait is set, with the
// DuckDB memory limit resolved for this command.
func openForReport(cmd *cobra.Command, g *globals, wait bool) (*load.Warehouse, error) {
	if wait {
		if err := pipeline.WaitForWriter(cmd.Context(), g.warehouse); err != nil {
			return nil, err
		}
	}
	return load.OpenReadOnly(cmd.Context(), g.warehouse, load.MemoryLimit(g.duckdbMemory))
}
