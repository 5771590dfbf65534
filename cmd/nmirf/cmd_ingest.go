package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/pipeline"
)

func init() { commands = append(commands, newIngestCmd) }

func newIngestCmd(g *globals) *cobra.Command {
	var o pipeline.IngestOptions
	c := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Import recommendation files into the warehouse",
		Long: `Import files (or every file under folders) into the warehouse. The format of each file is
detected from its content; --format names it instead. Known formats: ` + strings.Join(formats.Names(), ", ") + `.

Importing the same file twice adds nothing; the same recommendation from two sources becomes one
recommendation with both sources and both sets of labels. A file that cannot be read fails the whole
batch and leaves the warehouse as it was; rejected rows are listed and the good ones imported (exit 3).

Symbolic links are followed (a link back to a folder already read is left out); hidden files, .md files
and files matching --exclude are left out, and the summary counts them. Paths with no file to import
are an error (exit 65): nothing is written and no run is recorded.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Paths = args
			o.Warehouse, o.DuckDBMemory = g.warehouse, g.duckdbMemory
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
	f.StringSliceVar(&o.Exclude, "exclude", nil, "glob of files under the folders not to read (name, path below the folder, or full path); repeatable")
	f.BoolVar(&o.Force, "force", false, "re-read files that were already imported unchanged")
	f.BoolVar(&o.KeepGoing, "keep-going", false, "skip unreadable files (reported, exit 3) instead of failing the batch")
	f.BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	return changesWarehouse(c)
}
