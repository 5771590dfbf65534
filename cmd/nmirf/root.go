package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// globals are the options every command shares.
type globals struct {
	warehouse string
	quiet     bool
	// summarized: the command printed its run summary, rejected rows
	// included, so the error need not list them again.
	summarized bool
	stdout     io.Writer
	stderr     io.Writer
}

// Run executes the command line and returns the process exit code. It is the
// one place where errors become exit codes and messages.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globals{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "nmirf",
		Short: "Import, classify and report UN human rights recommendations",
		Long: `nmirf collects the recommendations a State receives from the UN human rights mechanisms
(UPR, treaty bodies, special procedures) into one DuckDB + Parquet warehouse, with provenance.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetContext(ctx)
	root.PersistentFlags().StringVar(&g.warehouse, "warehouse", envOr("NMIRF_WAREHOUSE", "out"),
		"warehouse folder (database nmirf.duckdb and Parquet snapshot) [env NMIRF_WAREHOUSE]")
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "print only errors")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return models.UsageError("%v (see %s --help)", err, c.CommandPath())
	})
	root.AddCommand(newRunCmd(g), newIngestCmd(g), newClassifyCmd(g), newClusterCmd(g), newIndicatorsCmd(g), newReportCmd(g), newFetchCmd(g), newTrainCmd(g), newEvalCmd(g), newSQLCmd(g), newFollowupCmd(g), newVersionCmd(g))

	closeLog := func() {}
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		closeLog = openLog(g, cmd.Name())
		return nil
	}
	err := root.Execute()
	closeLog()
	if err != nil && ctx.Err() != nil {
		var ie *pipeline.InterruptedError
		if errors.As(err, &ie) {
			fmt.Fprintln(stderr, "nmirf:", ie.Error())
		} else {
			fmt.Fprintln(stderr, "nmirf: interrupted; nothing half-written, the warehouse is as it was before this command")
		}
		return int(models.ExitCancelled)
	}
	code := models.CodeOf(err)
	if err != nil {
		var inc *models.IncompleteError
		if errors.As(err, &inc) {
			fmt.Fprintf(stderr, "nmirf: %v\n", err)
			for i, r := range inc.Rejected {
				if g.summarized {
					break
				}
				if i == 20 {
					fmt.Fprintf(stderr, "  … and %d more (see the ingest_errors table)\n", len(inc.Rejected)-i)
					break
				}
				fmt.Fprintf(stderr, "  %v\n", r)
			}
		} else if isUnknownCommand(err) {
			fmt.Fprintf(stderr, "nmirf: %v\n", err)
			code = models.ExitUsage
		} else {
			fmt.Fprintf(stderr, "nmirf: %v\n", err)
		}
	}
	return int(code)
}

func isUnknownCommand(err error) bool {
	var e *models.Error
	if errors.As(err, &e) {
		return false
	}
	return strings.HasPrefix(err.Error(), "unknown command ")
}

// usageArgs makes a cobra argument check fail with a usage error (exit 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return models.UsageError("%s: %v (see %s --help)", cmd.CommandPath(), err, cmd.CommandPath())
		}
		return nil
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the nmirf version",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(g.stdout, "nmirf", version)
			return err
		},
	}
}
