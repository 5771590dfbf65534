package pipeline

import (
	"context"
	"io"
	"regexp"
	"strings"
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

// nameSuffix tells apart the files of reports of one kind and country
// that cover different things: followup-GBR-MOJ.docx, followup-GBR-CCPR.md,
// parliament-GBR-2025-01-01_2025-12-31.docx.
func (f FollowupReportOptions) nameSuffix(kind string) string {
	var s string
	switch kind {
	case "followup":
		for _, p := range []string{f.Entity, f.Body} {
			if p = safeName.ReplaceAllString(strings.ToUpper(strings.TrimSpace(p)), ""); p != "" {
				s += "-" + p
			}
		}
	case "parliament":
		if !f.From.IsZero() && !f.To.IsZero() {
			s = "-" + f.From.Format("2006-01-02") + "_" + f.To.Format("2006-01-02")
		}
	}
	return s
}

// safeName keeps an entity or body code fit for a file name.
var safeName = regexp.MustCompile(`[^A-Z0-9_-]`)

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
