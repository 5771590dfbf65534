package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/pipeline"
)

func init() { commands = append(commands, newReportCmd) }

func newReportCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "report", Short: "Gap reports and cluster tables for report writers"}
	for _, kind := range []string{"gaps", "clusters"} {
		var (
			o         pipeline.ReportOptions
			countries []string
			format    string
			wait      bool
		)
		short := "Per SDG target: recommendations, clusters, indicator coverage and flags"
		if kind == "clusters" {
			short = "The cluster table with member recommendations"
		}
		sub := &cobra.Command{
			Use:   kind + " [--country ISO3] --format FORMAT [--out PATH]",
			Short: short,
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
				if wait {
					if err := pipeline.WaitForWriter(cmd.Context(), g.warehouse); err != nil {
						return err
					}
				}
				w, err := load.OpenReadOnly(cmd.Context(), g.warehouse, load.MemoryLimit(g.duckdbMemory))
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
		def := "html"
		if kind == "clusters" {
			def = "csv"
		}
		sub.Flags().StringSliceVar(&countries, "country", nil, "country (name or ISO3; repeatable); default: all")
		sub.Flags().StringVar(&format, "format", def, "output format(s), comma-separated: "+map[string]string{"gaps": "html, md, csv, xlsx", "clusters": "csv, xlsx, md"}[kind])
		sub.Flags().StringVar(&o.Out, "out", "", "output folder, or a file for one report of one format (default: WAREHOUSE/reports)")
		sub.Flags().BoolVar(&wait, "wait", false, "first wait for a run in progress on the warehouse to finish, to report what it publishes")
		if kind == "gaps" {
			sub.Flags().IntVar(&o.StaleYears, "stale-years", load.DefaultStaleYears, "indicator data older than this many years is flagged stale")
		}
		c.AddCommand(sub)
	}
	return c
}
