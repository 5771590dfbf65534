package pipeline

import (
	"context"
	"io"
	"time"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/report"
	"github.com/nmirf/nmirf/models"
)

// FollowupReportOptions are the options of the followup and parliament
// report kinds.
type FollowupReportOptions struct {
	Entity      string    // followup: lead or supporting entity code
	Body        string    // followup: one body, with a draft of the follow-up section of the next report to it
	StaleMonths int       // followup: no update for longer than this is listed
	From, To    time.Time // parliament: the period reported on, both days included
}

func init() {
	reportFormats["followup"] = []string{"html", "md", "csv", "xlsx", "docx"}
	reportFormats["parliament"] = []string{"docx", "html", "md"}
}

type reportWriterFunc func(ctx context.Context, w *load.Warehouse, o ReportOptions, country string) (map[string]func(io.Writer) error, error)

// followupReportWriters read the report of a kind once and return its
// writer per format.
var followupReportWriters = map[string]reportWriterFunc{
	"followup": func(ctx context.Context, w *load.Warehouse, o ReportOptions, country string) (map[string]func(io.Writer) error, error) {
		r, err := report.Followup(ctx, w.DB(), report.FollowupOptions{Country: country, Entity: o.Followup.Entity, Body: o.Followup.Body,
			StaleMonths: o.Followup.StaleMonths, Now: o.Now})
		if err != nil {
			return nil, err
		}
		return map[string]func(io.Writer) error{
			"html": func(out io.Writer) error { return report.WriteFollowupHTML(out, r) },
			"md":   func(out io.Writer) error { return report.WriteFollowupMarkdown(out, r) },
			"csv":  func(out io.Writer) error { return report.WriteFollowupCSV(out, r) },
			"xlsx": func(out io.Writer) error { return report.WriteFollowupXLSX(out, r) },
			"docx": func(out io.Writer) error { return report.WriteFollowupDocx(out, r) },
		}, nil
	},
	"parliament": func(ctx context.Context, w *load.Warehouse, o ReportOptions, country string) (map[string]func(io.Writer) error, error) {
		if country == "" {
			return nil, models.UsageError("report parliament needs --country")
		}
		if o.Followup.From.IsZero() || o.Followup.To.IsZero() {
			return nil, models.UsageError("report parliament needs --period FROM..TO")
		}
		r, err := report.Parliament(ctx, w.DB(), report.ParliamentOptions{Country: country, From: o.Followup.From, To: o.Followup.To, Now: o.Now})
		if err != nil {
			return nil, err
		}
		return map[string]func(io.Writer) error{
			"docx": func(out io.Writer) error { return report.WriteParliamentDocx(out, r) },
			"html": func(out io.Writer) error { return report.WriteParliamentHTML(out, r) },
			"md":   func(out io.Writer) error { return report.WriteParliamentMarkdown(out, r) },
		}, nil
	},
}
