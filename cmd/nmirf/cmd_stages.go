package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

func newClusterCmd(g *globals) *cobra.Command {
	var (
		o         pipeline.ClusterOptions
		countries []string
		model     string
	)
	c := &cobra.Command{
		Use:   "cluster [--country ISO3]...",
		Short: "Group each country's recommendations that ask for the same thing, across mechanisms",
		Long: `Cluster recommendations per country by theme and objective, whichever mechanism made them, using
their TF-IDF vectors and assigned themes and SDG targets. Writes the clusters and cluster_members tables;
a cluster keeps its id across runs while it keeps most of its members.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var files []string
			if model != "" {
				files = []string{model}
			}
			mods, err := loadModels(files)
			if err != nil {
				return err
			}
			if o.Countries, err = isoCodes(countries); err != nil {
				return err
			}
			o.Warehouse, o.Version, o.Vectorizer = g.warehouse, version, mods[0].Vectorizer()
			run, err := pipeline.Cluster(cmd.Context(), o)
			if run != nil && !g.quiet {
				fmt.Fprintf(g.stderr, "cluster %s: %d recommendations in %d clusters\n", run.RunID, run.Counts.Read, run.Counts.Distinct)
			}
			return err
		},
	}
	c.Flags().StringSliceVar(&countries, "country", nil, "only these countries (name or ISO3; repeatable)")
	c.Flags().Float64Var(&o.Threshold, "threshold", 0, "similarity needed to join a cluster, in (0, 1] (0: the default, 0.3)")
	c.Flags().StringVar(&model, "model", "", "model whose vocabulary gives the vectors (default: the embedded UPR Info issues model)")
	c.Flags().BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	return c
}

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
			o.Paths, o.Warehouse, o.Version = args, g.warehouse, version
			run, err := pipeline.ImportIndicators(cmd.Context(), o)
			printRunSummary(g, run)
			return err
		},
	}
	imp.Flags().StringVar(&o.Country, "country", "", "country of an Open SDG platform whose folder name does not tell (name or ISO3)")
	imp.Flags().StringSliceVar(&o.Exclude, "exclude", nil, "glob of data files not to read (name, path below the folder, or full path); repeatable")
	imp.Flags().BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	c.AddCommand(imp)
	return c
}

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
				w, err := load.OpenReadOnly(cmd.Context(), g.warehouse)
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
	c.AddCommand(newSiteCmd(g))
	return c
}

// isoCodes resolves country names or codes given on the command line.
func isoCodes(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		iso, ok := norm.Country(n)
		if !ok {
			return nil, models.UsageError("unknown country %q", n)
		}
		out = append(out, iso)
	}
	return out, nil
}
