package pipeline

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

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
	Followup   FollowupReportOptions // the followup and parliament kinds
}

var reportFormats = map[string][]string{
	"gaps":     {"html", "md", "csv", "xlsx"},
	"clusters": {"csv", "xlsx", "md"},
}

// WriteReports writes the reports and returns their paths. Each file is
// written beside its final name and renamed into place, so a reader never
// sees half a report.
func WriteReports(ctx context.Context, w *load.Warehouse, o ReportOptions) ([]string, error) {
	allowed, ok := reportFormats[o.Kind]
	if !ok {
		return nil, models.UsageError("unknown report %q (gaps, clusters, followup, parliament)", o.Kind)
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
		} else {
			countries = []string{""}
		}
	}
	single := len(countries) == 1 && len(o.Formats) == 1 && filepath.Ext(o.Out) != ""
	var paths []string
	for _, c := range countries {
		// One report per country, read once and written in every format.
		writers, err := reportWriters(ctx, w, o, c)
		if err != nil {
			return nil, err
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
	return paths, nil
}

// reportWriters reads a country's report once and returns a writer for
// each format of its kind.
func reportWriters(ctx context.Context, w *load.Warehouse, o ReportOptions, country string) (map[string]func(io.Writer) error, error) {
	if fw, ok := followupReportWriters[o.Kind]; ok {
		return fw(ctx, w, o, country)
	}
	if o.Kind == "clusters" {
		r, err := report.Clusters(ctx, w.DB(), country)
		if err != nil {
			return nil, err
		}
		return map[string]func(io.Writer) error{
			"csv":  func(out io.Writer) error { return report.WriteClustersCSV(out, r) },
			"xlsx": func(out io.Writer) error { return report.WriteClustersXLSX(out, r) },
			"md":   func(out io.Writer) error { return report.WriteClustersMarkdown(out, r) },
		}, nil
	}
	r, err := report.Gaps(ctx, w.DB(), report.Options{Country: country, StaleYears: o.StaleYears, Now: o.Now})
	if err != nil {
		return nil, err
	}
	return map[string]func(io.Writer) error{
		"html": func(out io.Writer) error { return report.WriteHTML(out, r) },
		"csv":  func(out io.Writer) error { return report.WriteCSV(out, r) },
		"xlsx": func(out io.Writer) error { return report.WriteXLSX(out, r) },
		"md":   func(out io.Writer) error { return report.WriteMarkdown(out, r) },
	}, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
