package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

func newIngestCmd(g *globals) *cobra.Command {
	var o pipeline.IngestOptions
	c := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Import recommendation files into the warehouse",
		Long: `Import files (or every file under folders) into the warehouse. The format of each file is
detected from its content; --format names it instead. Known formats: ` + strings.Join(formats.Names(), ", ") + `.

Importing the same file twice adds nothing; the same recommendation from two sources becomes one
recommendation with both sources and both sets of labels. A file that cannot be read fails the whole
batch and leaves the warehouse as it was; rejected rows are listed and the good ones imported (exit 3).`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			o.Warehouse = g.warehouse
			o.Version = version
			o.Importers = formats.All()
			run, err := pipeline.Ingest(cmd.Context(), o)
			printRunSummary(g, run)
			return err
		},
	}
	f := c.Flags()
	f.StringVar(&o.Format, "format", "auto", "input format: auto or one of "+strings.Join(formats.Names(), ", "))
	f.StringVar(&o.Mapping, "mapping", "", "mapping file (TOML or YAML) for --format mapped")
	f.StringVar(&o.Country, "country", "", "State under review to assume when a file does not name it (name or ISO3)")
	f.BoolVar(&o.Force, "force", false, "re-read files that were already imported unchanged")
	f.BoolVar(&o.KeepGoing, "keep-going", false, "skip unreadable files (reported, exit 3) instead of failing the batch")
	f.BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	return c
}

// printRunSummary writes the short human summary of an ingest to stderr.
func printRunSummary(g *globals, run *models.Run) {
	if run == nil || g.quiet {
		return
	}
	c := run.Counts
	skipped := 0
	for _, in := range run.Inputs {
		if in.Skipped {
			skipped++
		}
	}
	fmt.Fprintf(g.stderr, "%s %s: %d file(s) read, %d unchanged skipped; %d records -> %d distinct; %d new, %d merged, %d unchanged, %d rejected; %d recommendations in %s\n",
		run.Command, run.RunID, len(run.Inputs)-skipped, skipped, c.Read, c.Distinct, c.New, c.Merged, c.Unchanged, c.Rejected, c.Total, g.warehouse)
	for _, w := range run.Warnings {
		fmt.Fprintln(g.stderr, "  warning:", w)
	}
}
