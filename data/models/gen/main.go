//go:build ignore

// Command gen trains nmirf's default models from the shared real data and
// writes them to data/models (`make models`). Same inputs give the same bytes.
//
//	go run ./data/models/gen/main.go -shared ../shared/data
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/nmirf/nmirf/data/models/recipe"
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
	if err := fs.Parse(args); err != nil {
		return err
	}
	in := recipe.Inputs{Shared: *shared, SDGFramework: *framework}
	for _, task := range strings.Split(*tasks, ",") {
		m, rep, err := recipe.Train(ctx, task, in)
		if err != nil {
			return err
		}
		path := filepath.Join(*out, task+".nmm")
		tmp := path + ".tmp"
		f, err := os.Create(tmp)
		if err != nil {
			return err
		}
		n, err := m.WriteTo(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
		fmt.Printf("%s: %s, %.1f MB, trained and measured in %s\n", path, m.ModelID, float64(n)/(1<<20), rep.Took.Round(1e9))
		for _, l := range rep.Lines {
			fmt.Println("  " + l)
		}
	}
	return nil
}
