package pipeline

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/internal/atomicfile"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/report"
	"github.com/nmirf/nmirf/models"
)

// ReportOptions say which reports to write where.
type ReportOptions struct {
	Kind       string   // gaps or clusters
	Countries  []string // ISO3 codes; empty: one report over all countries (gaps) or every country (clusters)
	Formats    []string // html, md, csv, xlsx (gaps); csv, xlsx, md (clusters)
	Out        string   // folder, or a file path when one report of one format is asked
	StaleYears int
	Now        time.Time
	// RunID is the run the reports cite; "" cites the latest run of the
	// warehouse. A batch run sets its own id: its row is recorded after
	// the reports are written.
	RunID string
	// Warehouse names the warehouse in messages ("" says "the warehouse").
	Warehouse string
}

var reportFormats = map[string][]string{
	"gaps":     {"html", "md", "csv", "xlsx"},
	"clusters": {"csv", "xlsx", "md"},
}

// WriteReports writes the reports and returns their paths. Each file is
// written beside its final name and renamed into place, so a reader never
// sees half a report. A report that would say nothing (no recommendations
// for the country, none classified, no clusters) is not written: the
// error says why and what to run, after the other reports are written.
func WriteReports(ctx context.Context, w *load.Warehouse, o ReportOptions) ([]string, error) {
	allowed, ok := reportFormats[o.Kind]
	if !ok {
		return nil, models.UsageError("unknown report %q (gaps, clusters)", o.Kind)
	}
	if len(o.Formats) == 0 {
		o.Formats = allowed[:1]
	}
	for _, f := range o.Formats {
		if !contains(allowed, f) {
			return nil, models.UsageError("report %s has no format %q (%s)", o.Kind, f, strings.Join(allowed, ", "))
		}
	}
	countries := o.Countries
	if len(countries) == 0 {
		if o.Kind == "clusters" {
			var err error
			if countries, err = w.Countries(ctx); err != nil {
				return nil, err
			}
			if len(countries) == 0 {
				return nil, &EmptyReportError{Reasons: []string{emptyClusters(&report.ClusterReport{}, warehouseName(o.Warehouse))}}
			}
		} else {
			countries = []string{""}
		}
	}
	single := len(countries) == 1 && len(o.Formats) == 1 && filepath.Ext(o.Out) != ""
	var paths, empty []string
	for _, c := range countries {
		// One report per country, read once and written in every format.
		writers, why, err := reportWriters(ctx, w, o, c)
		if err != nil {
			return nil, err
		}
		if why != "" {
			empty = append(empty, why)
			continue
		}
		for _, f := range o.Formats {
			path := o.Out
			if !single {
				name := o.Kind
				if c != "" {
					name += "-" + c
				}
				path = filepath.Join(o.Out, name+"."+f)
			}
			if err := atomicfile.Write(path, writers[f]); err != nil {
				return nil, fmt.Errorf("write %s: %w", path, err)
			}
			paths = append(paths, path)
		}
	}
	if len(empty) > 0 {
		return paths, &EmptyReportError{Reasons: empty}
	}
	return paths, nil
}

// EmptyReportError lists the reports not written because they would have
// said nothing, each with why and what to run. On its own (`nmirf report`)
// it ends the command with exit code 1; a batch run records it as a
// warning and publishes what it did.
type EmptyReportError struct {
	Reasons []string
}

func (e *EmptyReportError) Error() string { return strings.Join(e.Reasons, "; ") }

// Unwrap gives the exit code: nothing useful was produced.
func (e *EmptyReportError) Unwrap() error {
	return &models.Error{Code: models.ExitFailure, Msg: e.Error()}
}

// emptyGaps says why a gap report would be empty, and what to run, or ""
// when it has something to say. A report with indicator rows but no
// recommendation linked is written: it shows what data there is, and says
// how many recommendations have no SDG link.
func emptyGaps(r *report.GapReport, warehouse string) string {
	switch {
	case len(r.Targets) > 0:
		return ""
	case r.Recommendations == 0 && r.Country == "":
		return fmt.Sprintf("no gap report: no recommendations in %s: run `nmirf ingest PATH...` (or `nmirf run`) first", warehouse)
	case r.Recommendations == 0:
		return fmt.Sprintf("no gap report for %s: no recommendations for it in %s: run `nmirf ingest PATH...` with a source that covers it", r.CountryLabel(), warehouse)
	}
	return fmt.Sprintf("no gap report%s: none of the %d recommendations%s in %s is linked to an SDG goal or target, and there is no indicator data: run `nmirf classify` (its default models include the SDG model) first",
		forCountry(r.Country), r.Recommendations, forCountry(r.Country), warehouse)
}

// emptyClusters says why a cluster report would be empty, and what to
// run, or "" when it has clusters.
func emptyClusters(r *report.ClusterReport, warehouse string) string {
	switch {
	case len(r.Clusters) > 0:
		return ""
	case r.Recommendations == 0 && r.Country == "":
		return fmt.Sprintf("no cluster report: no recommendations in %s: run `nmirf ingest PATH...` (or `nmirf run`) first", warehouse)
	case r.Recommendations == 0:
		return fmt.Sprintf("no cluster report for %s: no recommendations for it in %s: run `nmirf ingest PATH...` with a source that covers it", r.CountryLabel(), warehouse)
	}
	return fmt.Sprintf("no cluster report%s: the %d recommendations%s in %s are not clustered: run `nmirf cluster` (after `nmirf classify`) first",
		forCountry(r.Country), r.Recommendations, forCountry(r.Country), warehouse)
}

func warehouseName(dir string) string {
	if dir == "" {
		return "the warehouse"
	}
	return dir
}

func forCountry(c string) string {
	if c == "" {
		return ""
	}
	return " for " + c
}

// reportWriters reads a country's report once and returns a writer for
// each format of its kind, or why the report would be empty.
func reportWriters(ctx context.Context, w *load.Warehouse, o ReportOptions, country string) (map[string]func(io.Writer) error, string, error) {
	where := warehouseName(o.Warehouse)
	if o.Kind == "clusters" {
		r, err := report.Clusters(ctx, w.DB(), report.ClusterOptions{Country: country, Names: norm.CountryName})
		if err != nil {
			return nil, "", err
		}
		if why := emptyClusters(r, where); why != "" {
			return nil, why, nil
		}
		return map[string]func(io.Writer) error{
			"csv":  func(out io.Writer) error { return report.WriteClustersCSV(out, r) },
			"xlsx": func(out io.Writer) error { return report.WriteClustersXLSX(out, r) },
			"md":   func(out io.Writer) error { return report.WriteClustersMarkdown(out, r) },
		}, "", nil
	}
	r, err := report.Gaps(ctx, w.DB(), report.Options{Country: country, StaleYears: o.StaleYears, Now: o.Now,
		Names: norm.CountryName, RunID: o.RunID})
	if err != nil {
		return nil, "", err
	}
	if why := emptyGaps(r, where); why != "" {
		return nil, why, nil
	}
	return map[string]func(io.Writer) error{
		"html": func(out io.Writer) error { return report.WriteHTML(out, r) },
		"csv":  func(out io.Writer) error { return report.WriteCSV(out, r) },
		"xlsx": func(out io.Writer) error { return report.WriteXLSX(out, r) },
		"md":   func(out io.Writer) error { return report.WriteMarkdown(out, r) },
	}, "", nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
