package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

func newSQLCmd(g *globals) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   `sql "SELECT …"`,
		Short: "Run a read-only SQL query against the warehouse",
		Long: `Run one SQL query against the warehouse database (read-only) and print the result as a
table, CSV or JSON. Tables: recommendations, recommendation_sources, source_labels, input_files,
ingest_errors, runs (see docs/SCHEMA.md).`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "csv", "json":
			default:
				return models.UsageError("unknown --format %q (table, csv, json)", format)
			}
			w, err := load.OpenReadOnly(cmd.Context(), g.warehouse)
			if err != nil {
				return err
			}
			defer w.Close()
			res, err := w.Query(cmd.Context(), args[0])
			if err != nil {
				return &models.Error{Code: models.ExitUsage, Msg: "query failed", Err: cleanDuckErr(err)}
			}
			return res.Write(g.stdout, format)
		},
	}
	c.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return c
}

// cleanDuckErr keeps DuckDB's message but drops its multi-line context dump.
func cleanDuckErr(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "\n\nLINE"); i > 0 {
		msg = msg[:i]
	}
	return &models.Error{Code: models.ExitUsage, Msg: strings.TrimSpace(msg)}
}
