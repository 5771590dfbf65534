//go:build ignore

// Command gen trains nmirf's default models from the shared real data and
// writes them to data/models (`make models`). Same inputs give the same bytes.
//
//	go run ./internal/modelgen/gen/main.go -shared ../shared/data
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/nmirf/nmirf/internal/atomicfile"
	"github.com/nmirf/nmirf/internal/modelgen"
	"github.com/nmirf/nmirf/models"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	shared := fs.String("shared", "../shared/data", "the shared real data folder")
	framework := fs.String("framework", "data/sdg/global-indicator-framework-2025.csv", "the SDG framework CSV")
	out := fs.String("out", "data/models", "where to write the .nmm files")
	tasks := fs.String("tasks", strings.Join([]string{models.TaskUPRInfoIssues, models.TaskUHRIThemes, models.TaskSDG}, ","), "tasks to train, comma-separated")
	noUPR := fs.Bool("uhri-without-upr", false, "train the UHRI themes model without the UPR Info recommendations labelled through their issues (to measure what they add)")
	jrc := fs.String("sdg-jrc-terms", "", `add the EU JRC SDG term matrix to the SDG model's training texts: "texts" (each target's and goal's terms a text of its own) or "queries" (each target's terms added to its Aurora query), to measure what it adds`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	tx, err := modelgen.EmbeddedTaxonomy()
	if err != nil {
		return err
	}
	in := modelgen.Inputs{Shared: *shared, SDGFramework: *framework, Taxonomy: tx, UHRIWithoutUPR: *noUPR, SDGJRCTerms: *jrc}
	for _, task := range strings.Split(*tasks, ",") {
		m, rep, err := modelgen.Train(ctx, task, in)
		if err != nil {
			return err
		}
		path := filepath.Join(*out, task+".nmm")
		var n int64
		if err := atomicfile.Write(path, func(w io.Writer) error {
			n, err = m.WriteTo(w)
			return err
		}); err != nil {
			return err
		}
		fmt.Printf("%s: %s, %.1f MB, trained and measured in %s\n", path, m.ModelID, float64(n)/(1<<20), rep.Took.Round(1e9))
		for _, l := range rep.Lines {
			fmt.Println("  " + l)
		}
	}
	return nil
}
