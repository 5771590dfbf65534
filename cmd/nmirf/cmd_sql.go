package main

import (
	"bufio"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// maxQueryBytes bounds a query read from a file or stdin.
const maxQueryBytes = 1 << 20

func init() { commands = append(commands, newSQLCmd) }

func newSQLCmd(g *globals) *cobra.Command {
	var (
		format     string
		file       string
		allowFiles bool
		wait       bool
	)
	c := &cobra.Command{
		Use:   `sql ["SELECT …" | -f FILE | -f -]`,
		Short: "Run a read-only SQL query against the warehouse",
		Long: `Run one SQL statement against the published, read-only copy of the warehouse database
(WAREHOUSE/nmirf.duckdb) and print the result as a table, CSV or JSON, row by row as it comes.
Tables: recommendations, recommendation_sources, source_labels, input_files, ingest_errors, runs
and the rest in docs/SCHEMA.md. The query comes from the argument, from a file (-f FILE) or from
stdin (-f -); a query that starts with a "--" comment must come from a file or stdin (or follow --).

The query can read the warehouse and nothing else: no files (read_csv, COPY … TO, EXPORT), no other
database (ATTACH), no extensions, no settings. --allow-files gives the full DuckDB instead: it reads
and writes any file your user can and attaches other databases. The database stays open read-only,
but with --allow-files a query can overwrite files, the warehouse's included.

It never waits for a run: it reads the copy the last run published (a run publishes a new copy when it
ends). --wait first waits for a run in progress to finish, to read what it publishes.

The table format sizes its columns by the first 1,000 rows (cells longer than 60 characters are cut);
a later, wider value widens its column from there on, and the count line says so. csv and json give
every value whole.`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "table", "csv", "json":
			default:
				return models.UsageError("unknown --format %q (table, csv, json)", format)
			}
			query, err := sqlQuery(cmd, args, file)
			if err != nil {
				return err
			}
			if wait {
				if err := pipeline.WaitForWriter(cmd.Context(), g.warehouse); err != nil {
					return err
				}
			}
			w, err := load.OpenPublished(cmd.Context(), g.warehouse, allowFiles, load.MemoryLimit(g.duckdbMemory))
			if err != nil {
				return err
			}
			defer w.Close()
			bw := bufio.NewWriterSize(g.stdout, 64<<10)
			out, err := load.NewRowWriter(bw, format)
			if err != nil {
				return err
			}
			_, err = w.Query(cmd.Context(), query, out)
			if ferr := bw.Flush(); err == nil {
				err = ferr
			}
			if err != nil {
				if cmd.Context().Err() != nil {
					return cmd.Context().Err()
				}
				if models.CodeOf(err) == models.ExitUsage {
					return err
				}
				return &models.Error{Code: models.ExitUsage, Msg: "query failed", Err: cleanDuckErr(err)}
			}
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	c.Flags().StringVarP(&file, "file", "f", "", "read the query from FILE (- for stdin)")
	c.Flags().BoolVar(&allowFiles, "allow-files", false, "let the query read and write files and attach databases (the full DuckDB)")
	c.Flags().BoolVar(&wait, "wait", false, "first wait for a run in progress on the warehouse to finish")
	c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if strings.HasPrefix(err.Error(), "unknown flag: --") && strings.ContainsAny(strings.TrimPrefix(err.Error(), "unknown flag: --"), " \n") {
			return models.UsageError(`the query starts with "--" and was taken for a flag: pass it with -f FILE, -f - (stdin), or after -- (nmirf sql -- "$(cat q.sql)")`)
		}
		return models.UsageError("%v (see %s --help)", err, c.CommandPath())
	})
	return c
}

// sqlQuery is the query of the argument, or of the file or stdin -f names.
func sqlQuery(cmd *cobra.Command, args []string, file string) (string, error) {
	switch {
	case file != "" && len(args) > 0:
		return "", models.UsageError("give the query as an argument or with -f, not both")
	case file == "" && len(args) == 0:
		return "", models.UsageError(`no query: nmirf sql "SELECT …", nmirf sql -f FILE or nmirf sql -f - (stdin)`)
	case file == "":
		return args[0], nil
	}
	var r io.Reader
	name := file
	if file == "-" {
		r, name = cmd.InOrStdin(), "stdin"
	} else {
		f, err := os.Open(file)
		if err != nil {
			return "", models.UsageError("read the query: %v", err)
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxQueryBytes+1))
	if err != nil {
		return "", models.UsageError("read the query from %s: %v", name, err)
	}
	if len(b) > maxQueryBytes {
		return "", models.UsageError("the query in %s is longer than %d bytes", name, maxQueryBytes)
	}
	return string(b), nil
}

// cleanDuckErr keeps DuckDB's message but drops its multi-line context dump.
func cleanDuckErr(err error) error {
	msg := err.Error()
	for _, dump := range []string{"\n\nLINE", "\n\nStack Trace"} {
		if i := strings.Index(msg, dump); i > 0 {
			msg = msg[:i]
		}
	}
	msg = strings.TrimSpace(msg)
	if strings.Contains(msg, "disabled by configuration") || strings.Contains(msg, "configuration has been locked") {
		msg += " (nmirf sql reads the warehouse and nothing else; --allow-files gives the full DuckDB)"
	}
	return &models.Error{Code: models.ExitUsage, Msg: msg}
}
