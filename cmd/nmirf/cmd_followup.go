package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/extract/followup"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

func init() { commands = append(commands, newFollowupCmd) }

func newFollowupCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "followup", Short: "Send recommendations to the responsible entities for review and read their updates back"}
	c.AddCommand(changesWarehouse(newFollowupExportCmd(g)), changesWarehouse(newFollowupImportCmd(g)))
	return c
}

// loadResponsibility reads the responsibility mapping file, or the
// embedded default when path is "".
func loadResponsibility(path string) (*models.Responsibility, error) {
	if path == "" {
		return followup.ParseResponsibility("default", data.Responsibility())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, models.UsageError("read responsibility mapping: %v", err)
	}
	r, err := followup.ParseResponsibility(path, b)
	if err != nil {
		return nil, models.UsageError("%v", err)
	}
	return r, nil
}

func newFollowupExportCmd(g *globals) *cobra.Command {
	var (
		o       pipeline.FollowupExportOptions
		country string
		resp    string
	)
	c := &cobra.Command{
		Use:   "export [--country ISO3] [--entity CODE] --out DIR",
		Short: "Write one review workbook per responsible entity, and one for the secretariat",
		Long: `Write an .xlsx workbook per entity leading at least one recommendation (the lead entity is the one
confirmed in a returned workbook, else the one the responsibility mapping proposes from the
recommendation's labels), and followup[-ISO3]-SECRETARIAT.xlsx with every recommendation. Each lists
the recommendations grouped by cluster with their themes, SDG targets, proposed lead and current status,
and empty columns to fill in: status (a drop-down list), update, evidence link, date, corrected themes,
SDG targets and lead entity. Identifier columns are locked; a hidden sheet records the warehouse, the
export and the rows, so that 'nmirf followup import' (or 'nmirf ingest') can check the returned file.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if country != "" {
				cs, err := isoCodes([]string{country})
				if err != nil {
					return err
				}
				o.Country = cs[0]
			}
			r, err := loadResponsibility(resp)
			if err != nil {
				return err
			}
			o.Responsibility, o.Warehouse, o.DuckDBMemory, o.Version = r, g.warehouse, g.duckdbMemory, version
			run, err := pipeline.FollowupExport(cmd.Context(), o)
			if run != nil && !g.quiet {
				for _, in := range run.Inputs {
					fmt.Fprintf(g.stderr, "%s: %d recommendations\n", in.Path, in.Records)
				}
			}
			return err
		},
	}
	f := c.Flags()
	f.StringVar(&country, "country", "", "only this country's recommendations (name or ISO3)")
	f.StringVar(&o.Entity, "entity", "", "only this entity's workbook (its code, e.g. MOJ; SECRETARIAT for everything)")
	f.StringVar(&o.Out, "out", "", "folder to write the workbooks to")
	f.StringVar(&o.Language, "lang", "", "show each recommendation in this language where a version in it was imported (fr, es; default: as imported, English first)")
	f.StringVar(&resp, "responsibility", envOr("NMIRF_RESPONSIBILITY", ""), "responsibility mapping (TOML: entities and lead rules); default: the embedded generic government [env NMIRF_RESPONSIBILITY]")
	f.BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	return c
}

func newFollowupImportCmd(g *globals) *cobra.Command {
	var (
		o       pipeline.FollowupImportOptions
		resp    string
		country string
	)
	c := &cobra.Command{
		Use:   "import PATH...",
		Short: "Read returned review workbooks and other follow-up files",
		Long: `Read returned review workbooks (and, like 'nmirf ingest', any other input). New status updates are
appended to the history, corrections are stored as reviewed labels (they override the model in every view
and report), lead entities are confirmed. Importing the same file twice adds nothing. A cell edited where
it must not be (an id, a status outside the list, a date in the future) rejects its row, reported with
file, sheet, row and column; the good rows are imported and the exit code is 3. A workbook from another
warehouse is refused. An update older than one already stored is kept too, and listed as a warning.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := loadResponsibility(resp)
			if err != nil {
				return err
			}
			if country != "" {
				cs, err := isoCodes([]string{country})
				if err != nil {
					return err
				}
				o.Country = cs[0]
			}
			o.Paths, o.Responsibility, o.Warehouse, o.DuckDBMemory, o.Version, o.Importers = args, r, g.warehouse, g.duckdbMemory, version, formats.All()
			run, err := pipeline.FollowupImport(cmd.Context(), o)
			printRunSummary(g, run)
			if run != nil && !g.quiet {
				fmt.Fprintf(g.stderr, "  %d status update(s) and %d reviewed label set(s) added\n", run.Counts.Updates, run.Counts.Reviews)
			}
			return err
		},
	}
	f := c.Flags()
	f.StringVar(&o.Format, "format", "auto", "input format: auto or an importer name (see nmirf ingest --help)")
	f.StringVar(&o.Mapping, "mapping", "", "mapping file (TOML or YAML) for --format mapped")
	f.StringVar(&country, "country", "", "State whose recommendations an IMPACT OSS export's references (paragraph numbers) point to (name or ISO3)")
	f.StringVar(&resp, "responsibility", envOr("NMIRF_RESPONSIBILITY", ""), "responsibility mapping (TOML); default: the embedded generic government [env NMIRF_RESPONSIBILITY]")
	f.BoolVar(&o.Force, "force", false, "re-read files that were already imported unchanged")
	f.BoolVar(&o.Wait, "wait", false, "wait for another run on the same warehouse to finish instead of exiting with code 4")
	return c
}

// followupOptions adds the batch's follow-up imports: the configured files,
// then the embedded sample workbook, which was exported from another
// warehouse built from the same sample and is accepted as such.
func followupOptions(cfg *config, o *pipeline.BatchOptions) error {
	fc := cfg.Followup
	if len(fc.Paths) == 0 && !fc.Sample {
		return nil
	}
	r, err := loadResponsibility(fc.Responsibility)
	if err != nil {
		return err
	}
	if len(fc.Paths) > 0 {
		o.Followup = append(o.Followup, pipeline.FollowupImportOptions{Paths: fc.Paths, Responsibility: r, Importers: formats.All()})
	}
	if fc.Sample {
		ins, err := inputs([]data.SampleFile{data.SampleFollowup()})
		if err != nil {
			return err
		}
		o.Followup = append(o.Followup, pipeline.FollowupImportOptions{Inputs: ins, Responsibility: r, AcceptOtherWarehouse: true, Importers: formats.All()})
	}
	return nil
}
