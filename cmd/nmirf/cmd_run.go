package main

import (
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/pipeline"
)

func init() { commands = append(commands, newRunCmd) }

func newRunCmd(g *globals) *cobra.Command {
	var (
		cfgPath string
		wait    bool
		all     bool
	)
	c := &cobra.Command{
		Use:   "run [--config nmirf.toml]",
		Short: "Run the batch job: fetch, ingest, classify, cluster, indicators, reports, publish, site",
		Long: `Run the whole batch job against the warehouse under one lock, as a nightly job would. Without
--config it uses the embedded default configuration: the United Kingdom's sample recommendations (UPR
Info export and both Working Group reports) and indicator data shipped in the binary.

Unchanged input files are skipped, only new or changed recommendations are classified (all of them when
a model changes), cluster ids stay stable, and the Parquet snapshot is published once at the end.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cfgPath)
			if err != nil {
				return err
			}
			o, err := batchOptions(cfg, g, cmd.Flags().Changed("warehouse"))
			if err != nil {
				return err
			}
			o.Wait = wait
			o.ReclassAll = o.ReclassAll || all
			o.Progress = newProgress(g)
			cfg.Warehouse = o.Warehouse
			o.Config = cfg
			run, err := pipeline.RunBatch(cmd.Context(), o)
			printRunSummary(g, run)
			if err != nil {
				return err
			}
			return runSite(cmd, g, cfg)
		},
	}
	c.Flags().StringVar(&cfgPath, "config", envOr("NMIRF_CONFIG", ""), "configuration file (TOML); default: the embedded sample job [env NMIRF_CONFIG]")
	c.Flags().BoolVar(&wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	c.Flags().BoolVar(&all, "reclassify", false, "reclassify every recommendation")
	return changesWarehouse(c)
}

// batchOptions turns the resolved configuration into pipeline options.
func batchOptions(cfg *config, g *globals, warehouseFlag bool) (pipeline.BatchOptions, error) {
	o := pipeline.BatchOptions{Warehouse: g.warehouse, DuckDBMemory: g.duckdbMemory, Version: version}
	if cfg.Warehouse != "" && !warehouseFlag && envOr("NMIRF_WAREHOUSE", "") == "" {
		o.Warehouse = cfg.Warehouse
	}
	g.warehouse = o.Warehouse
	in := cfg.Ingest
	o.Ingest = pipeline.IngestOptions{Paths: in.Paths, Exclude: in.Exclude, Format: in.Format, Mapping: in.Mapping, Country: in.Country, KeepGoing: in.KeepGoing, Importers: formats.All()}
	if in.Sample {
		files, err := data.Sample()
		if err != nil {
			return o, err
		}
		ins, err := inputs(files)
		if err != nil {
			return o, err
		}
		o.Ingest.Inputs = ins
	}
	if !cfg.Classify.Skip {
		mods, err := loadModels(cfg.Classify.Models)
		if err != nil {
			return o, err
		}
		o.Models, o.ReclassAll = mods, cfg.Classify.All
		if o.Projection, err = embeddedProjection(); err != nil {
			return o, err
		}
	}
	o.ClusterThreshold = cfg.Cluster.Threshold
	o.Indicators, o.IndicatorExclude = cfg.Indicators.Paths, cfg.Indicators.Exclude
	if cfg.Indicators.Country != "" {
		cs, err := isoCodes([]string{cfg.Indicators.Country})
		if err != nil {
			return o, err
		}
		o.IndicatorCountry = cs[0]
	}
	if cfg.Indicators.Sample {
		files, err := data.SampleIndicators()
		if err != nil {
			return o, err
		}
		if o.IndicatorInputs, err = inputs(files); err != nil {
			return o, err
		}
		o.IndicatorDataset = "open-sdg-uk"
		if o.IndicatorCountry == "" {
			o.IndicatorCountry = "GBR"
		}
	}
	if err := followupOptions(cfg, &o); err != nil {
		return o, err
	}
	for _, r := range cfg.Reports {
		cs, err := isoCodes(r.Countries)
		if err != nil {
			return o, err
		}
		out := r.Out
		if out != "" && !filepath.IsAbs(out) {
			out = filepath.Join(o.Warehouse, out) // reports stay with the warehouse they describe
		}
		o.Reports = append(o.Reports, pipeline.ReportOptions{Kind: r.Kind, Countries: cs, Formats: r.Formats, Out: out, StaleYears: r.StaleYears})
	}
	stages, err := cfg.buildStages(g)
	if err != nil {
		return o, err
	}
	o.Stages = stages
	fetch, err := cfg.Fetch.fetcher(g)
	if err != nil {
		return o, err
	}
	o.Fetch = fetch
	return o, nil
}

func inputs(files []data.SampleFile) ([]*extract.Input, error) {
	var out []*extract.Input
	for _, f := range files {
		in, err := extract.NewInput("embedded:"+f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}
