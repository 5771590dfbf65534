package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

func newRunCmd(g *globals) *cobra.Command {
	var (
		cfgPath string
		wait    bool
		all     bool
	)
	c := &cobra.Command{
		Use:   "run [--config nmirf.toml]",
		Short: "Run the batch job: fetch, ingest, classify, cluster, indicators, reports, publish",
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
			return err
		},
	}
	c.Flags().StringVar(&cfgPath, "config", envOr("NMIRF_CONFIG", ""), "configuration file (TOML); default: the embedded sample job [env NMIRF_CONFIG]")
	c.Flags().BoolVar(&wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	c.Flags().BoolVar(&all, "reclassify", false, "reclassify every recommendation")
	return c
}

// batchOptions turns the resolved configuration into pipeline options.
func batchOptions(cfg *config, g *globals, warehouseFlag bool) (pipeline.BatchOptions, error) {
	o := pipeline.BatchOptions{Warehouse: g.warehouse, Version: version}
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

// printRunSummary writes the short human summary of a run to stderr: what
// it did, then its notes, warnings and rejected rows grouped by kind, each
// kind once with its count and first instance. The full lists are in the
// run's manifest and the log.
func printRunSummary(g *globals, run *models.Run) {
	if run == nil || g.quiet {
		return
	}
	g.summarized = true
	c := run.Counts
	skipped := 0
	for _, in := range run.Inputs {
		if in.Skipped {
			skipped++
		}
	}
	switch {
	case run.Status == "failed" || run.Status == pipeline.StatusInterrupted:
		var done []string
		for _, st := range run.Stages {
			done = append(done, st.Name)
		}
		kept := "no stage committed"
		if len(done) > 0 {
			kept = "committed: " + strings.Join(done, ", ")
		}
		held := ""
		if c.Total >= 0 {
			held = fmt.Sprintf("; the database holds %d recommendations", c.Total)
		}
		snapshot := "the published Parquet snapshot in " + g.warehouse + " is the previous one"
		if _, err := os.Lstat(filepath.Join(g.warehouse, load.ParquetLink)); err != nil {
			snapshot = "no Parquet snapshot is published in " + g.warehouse + " yet"
		}
		fmt.Fprintf(g.stderr, "%s %s: %s; %s%s; %s\n", run.Command, run.RunID, run.Status, kept, held, snapshot)
	case run.Command == "indicators import":
		fmt.Fprintf(g.stderr, "indicators %s: %s; %d observations read, %d rejected\n", run.RunID, run.Status, c.Read, c.Rejected)
	default:
		fmt.Fprintf(g.stderr, "%s %s: %s; %d records -> %d distinct; %d new, %d merged, %d unchanged, %d rejected; %d recommendations in %s\n",
			run.Command, run.RunID, run.Status, c.Read, c.Distinct, c.New, c.Merged, c.Unchanged, c.Rejected, c.Total, g.warehouse)
	}
	if skipped > 0 {
		fmt.Fprintf(g.stderr, "  %d unchanged input file(s) skipped\n", skipped)
	}
	for _, st := range run.Stages {
		fmt.Fprintf(g.stderr, "  %-10s %6.2fs\n", st.Name, st.Seconds)
	}
	more := false
	for i, gr := range groupByKind(run.Warnings) {
		if i == 10 {
			more = true
			break
		}
		if gr.n == 1 {
			fmt.Fprintln(g.stderr, "  warning:", gr.first)
		} else {
			fmt.Fprintf(g.stderr, "  warning ×%d: %s (first: %s)\n", gr.n, gr.kind, gr.where)
		}
	}
	var files, rows []string
	for _, r := range run.Rejected {
		if r.Row == 0 && r.Field == "" && strings.HasPrefix(r.Msg, "file not imported: ") {
			files = append(files, r.File+": "+strings.TrimPrefix(r.Msg, "file not imported: "))
		} else {
			rows = append(rows, r.Error())
		}
	}
	for i, f := range files {
		if i == 10 {
			fmt.Fprintf(g.stderr, "  … %d more files not imported\n", len(files)-i)
			more = true
			break
		}
		fmt.Fprintf(g.stderr, "  not imported: %s (to stop trying, add it to the exclude list in the config)\n", f)
	}
	for i, gr := range groupByKind(rows) {
		if i == 10 {
			more = true
			break
		}
		if gr.n == 1 {
			fmt.Fprintln(g.stderr, "  rejected:", gr.first)
		} else {
			fmt.Fprintf(g.stderr, "  rejected ×%d: %s (first: %s)\n", gr.n, gr.kind, gr.where)
		}
	}
	if more || len(run.Warnings)+len(rows) > 10 {
		fmt.Fprintf(g.stderr, "  the full lists: %s (and the ingest_errors table, the log in %s)\n",
			filepath.Join(g.warehouse, "runs", run.RunID+".json"), filepath.Join(g.warehouse, "logs"))
	}
}

type group struct {
	kind  string // the message without what varies
	first string // the first message of the kind, whole
	where string // where the first one is: its file and row, or the message
	n     int
}

// groupByKind groups messages by kind, most frequent first, first seen
// first among equals.
func groupByKind(msgs []string) []group {
	var out []group
	at := map[string]int{}
	for _, m := range msgs {
		k, where := warningKind(m)
		if i, ok := at[k]; ok {
			out[i].n++
			continue
		}
		at[k] = len(out)
		out = append(out, group{kind: k, first: m, where: where, n: 1})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].n > out[j].n })
	return out
}

var (
	quotedRe = regexp.MustCompile(`"[^"]*"|'[^']*'`)
	numberRe = regexp.MustCompile(`\d+(?:[.,]\d+)*`)
)

// warningKind splits a message into its kind, without what varies from one
// instance to the next (the leading file names and locations, quoted
// values, numbers), and where it is (the leading locations, or the whole
// message when it has none). "a.csv: row 12: no date" and "b.csv: row 40:
// no date" are one kind.
func warningKind(msg string) (kind, where string) {
	rest := msg
	for {
		head, tail, ok := strings.Cut(rest, ": ")
		if !ok || !looksLikeLocation(head) {
			break
		}
		rest = tail
	}
	where = strings.TrimSuffix(strings.TrimSuffix(msg, rest), ": ")
	if where == "" {
		where = msg
	}
	rest = numberRe.ReplaceAllString(quotedRe.ReplaceAllString(rest, "…"), "N")
	// A list of instances ("row N by row N; row N by row N; … N more") is
	// one kind whatever its length.
	var parts []string
	for _, p := range strings.Split(rest, "; ") {
		if strings.HasPrefix(p, "… N more") || len(parts) > 0 && parts[len(parts)-1] == p {
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; "), where
}

// looksLikeLocation tells a file name, path or row reference at the head
// of a message from the words of the message.
func looksLikeLocation(s string) bool {
	if strings.ContainsAny(s, `/\`) || strings.HasPrefix(s, "embedded:") {
		return true
	}
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	// "upr.csv", "upr.csv row 3 field \"From\"" (a rejected row)
	if ext := filepath.Ext(f[0]); len(ext) > 1 && len(ext) <= 5 && (len(f) == 1 || f[1] == "row" || f[1] == "field" || f[1] == "sheet") {
		return true
	}
	return len(f) == 2 && (f[0] == "row" || f[0] == "line" || f[0] == "paragraph" || f[0] == "sheet")
}
