package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

func init() {
	reportCommands = append(reportCommands,
		func(g *globals) *cobra.Command { return newFollowupReportCmds(g)[0] },
		func(g *globals) *cobra.Command { return newFollowupReportCmds(g)[1] })
}

// newFollowupReportCmds are the report kinds of the follow-up: where
// recommendations stand, and the periodic report to parliament.
func newFollowupReportCmds(g *globals) []*cobra.Command {
	var (
		o         pipeline.ReportOptions
		countries []string
		format    string
		wait      bool
	)
	fu := &cobra.Command{
		Use:   "followup [--country ISO3] [--entity CODE] [--body BODY] --format FORMAT [--out PATH]",
		Short: "Where recommendations stand: status by cluster, entity, mechanism and SDG goal; actions, overdue, stale",
		Long: `Per cluster and per lead entity: recommendations by follow-up status, actions and their target dates,
overdue actions, supported recommendations with no action, recommendations with no update for more than
--stale-months, status by mechanism and by SDG goal, and the status over time. With --body (CCPR, CEDAW, …)
the report covers that body only and ends with a draft of the follow-up section of the State's next report
to it: each recommendation of its last concluding observations with the actions and updates since.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runFollowupReport(cmd, g, "followup", &o, countries, format, wait)
		},
	}
	fu.Flags().StringSliceVar(&countries, "country", nil, "country (name or ISO3; repeatable); default: one report over all countries")
	fu.Flags().StringVar(&o.Followup.Entity, "entity", "", "only recommendations led by, and actions led or supported by, this entity code")
	fu.Flags().StringVar(&o.Followup.Body, "body", "", "only this body's recommendations (UPR, CCPR, …), with a draft of the follow-up section of the next report to it")
	fu.Flags().IntVar(&o.Followup.StaleMonths, "stale-months", load.DefaultStaleMonths, "list recommendations with no update for more than this many months")
	fu.Flags().StringVar(&format, "format", "html", "output format(s), comma-separated: html, md, csv, xlsx, docx")
	fu.Flags().StringVar(&o.Out, "out", "", "output folder, or a file for one report of one format (default: WAREHOUSE/reports)")
	fu.Flags().BoolVar(&wait, "wait", false, "first wait for a run in progress on the warehouse to finish, to report what it publishes")

	var (
		po         pipeline.ReportOptions
		pCountries []string
		pFormat    string
		pPeriod    string
		pWait      bool
	)
	parl := &cobra.Command{
		Use:   "parliament --country ISO3 --period FROM..TO --format docx|html|md [--out PATH]",
		Short: "The periodic progress report to parliament: by cluster, what was recommended, done, overdue; indicator trends",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(pCountries) == 0 {
				return models.UsageError("report parliament needs --country")
			}
			var err error
			if po.Followup.From, po.Followup.To, err = parsePeriod(pPeriod); err != nil {
				return err
			}
			return runFollowupReport(cmd, g, "parliament", &po, pCountries, pFormat, pWait)
		},
	}
	parl.Flags().StringSliceVar(&pCountries, "country", nil, "country (name or ISO3; repeatable)")
	parl.Flags().StringVar(&pPeriod, "period", "", "the period reported on: FROM..TO, each YYYY-MM-DD, YYYY-MM or YYYY (2025-01..2025-12)")
	parl.Flags().StringVar(&pFormat, "format", "docx", "output format(s), comma-separated: docx, html, md")
	parl.Flags().StringVar(&po.Out, "out", "", "output folder, or a file for one report of one format (default: WAREHOUSE/reports)")
	parl.Flags().BoolVar(&pWait, "wait", false, "first wait for a run in progress on the warehouse to finish, to report what it publishes")
	return []*cobra.Command{fu, parl}
}

func runFollowupReport(cmd *cobra.Command, g *globals, kind string, o *pipeline.ReportOptions, countries []string, format string, wait bool) error {
	var err error
	if o.Countries, err = isoCodes(countries); err != nil {
		return err
	}
	o.Kind, o.Formats, o.Now = kind, strings.Split(format, ","), time.Now()
	if o.Out == "" {
		o.Out = g.warehouse + "/reports"
	}
	w, err := openForReport(cmd, g, wait)
	if err != nil {
		return err
	}
	defer w.Close()
	paths, err := pipeline.WriteReports(cmd.Context(), w, *o)
	for _, p := range paths {
		fmt.Fprintln(g.stdout, p)
	}
	return err
}

// parsePeriod reads FROM..TO; a month or a year stands for its first day
// as FROM and its last day as TO.
func parsePeriod(s string) (time.Time, time.Time, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		return time.Time{}, time.Time{}, models.UsageError("--period %q: want FROM..TO, e.g. 2025-01-01..2025-12-31", s)
	}
	from, _, err := periodDay(a)
	if err != nil {
		return time.Time{}, time.Time{}, models.UsageError("--period %q: start: %v", s, err)
	}
	_, to, err := periodDay(b)
	if err != nil {
		return time.Time{}, time.Time{}, models.UsageError("--period %q: end: %v", s, err)
	}
	if to.Before(from) {
		return time.Time{}, time.Time{}, models.UsageError("--period %q ends before it starts", s)
	}
	return from, to, nil
}

// periodDay reads YYYY-MM-DD, YYYY-MM or YYYY as its first and last day.
func periodDay(s string) (time.Time, time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range []struct {
		layout string
		years  int
		months int
		days   int
	}{{"2006-01-02", 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}} {
		if t, err := time.Parse(l.layout, s); err == nil {
			return t, t.AddDate(l.years, l.months, l.days-1), nil
		}
	}
	return time.Time{}, time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", s)
}
