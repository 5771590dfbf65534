package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/pipeline"
)

func init() { commands = append(commands, newClusterCmd) }

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
a cluster keeps its id across runs while it keeps most of its members. It also keeps the sum of each
cluster's vectors (cluster_vectors), with which the nightly run (nmirf run) places the new recommendations
of a country that only gained some, reading and rewriting only the clusters they join or make.`,
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
			o.Warehouse, o.DuckDBMemory, o.Version, o.Vectorizer = g.warehouse, g.duckdbMemory, version, mods[0].Vectorizer()
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
	return changesWarehouse(c)
}
