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
	Followup  FollowupReportOptions // the followup and parliament kinds
}

// ReportFormats lists the formats of a report kind, its default first, or
// nil for an unknown kind; the config file is checked against it before
// any work starts. The kinds and formats are report's registry.
func ReportFormats(kind string) []string {
	if k := report.KindOf(kind); k != nil {
		return k.Formats()
	}
	return nil
}

// WriteReports writes the reports and returns their paths. Each file is
// written beside its final name and renamed into place, so a reader never
// sees half a report. A report that would say nothing (no recommendations
// for the country, none classified, no clusters) is not written: the
// error says why and what to run, after the other reports are written.
func WriteReports(ctx context.Context, w *load.Warehouse, o ReportOptions) ([]string, error) {
	kind := report.KindOf(o.Kind)
	if kind == nil {
		return nil, models.UsageError("unknown report %q (%s)", o.Kind, strings.Join(report.KindNames(), ", "))
	}
	allowed := kind.Formats()
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
		if kind.EachCountry {
			var err error
			if countries, err = w.Countries(ctx); err != nil {
				return nil, err
			}
			if len(countries) == 0 {
				// No country: the report over all of them says why.
				countries = []string{""}
			}
		} else {
			countries = []string{""}
		}
	}
	single := len(countries) == 1 && len(o.Formats) == 1 && filepath.Ext(o.Out) != ""
	var paths, empty []string
	for _, c := range countries {
		// One report per country, read once and written in every format.
		r, err := kind.Read(ctx, w.DB(), report.Request{Country: c, StaleYears: o.StaleYears, Now: o.Now, RunID: o.RunID, Names: norm.CountryName,
			Entity: o.Followup.Entity, Body: o.Followup.Body, StaleMonths: o.Followup.StaleMonths, From: o.Followup.From, To: o.Followup.To})
		if report.IsUsage(err) {
			return nil, models.UsageError("%v", err)
		}
		if err != nil {
			return nil, err
		}
		if why := r.Empty(warehouseName(o.Warehouse)); why != "" {
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
				name += o.Followup.nameSuffix(o.Kind)
				path = filepath.Join(o.Out, name+"."+f)
			}
			write := kind.Writer(f)
			if err := atomicfile.Write(path, func(out io.Writer) error { return write(out, r) }); err != nil {
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

func warehouseName(dir string) string {
	if dir == "" {
		return "the warehouse"
	}
	return dir
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
