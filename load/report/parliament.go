package report

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/nmirf/nmirf/load"
)

// ParliamentOptions select the country and period of a progress report to
// parliament.
type ParliamentOptions struct {
	Country  string
	From, To time.Time // both days included
	Now      time.Time // the report's date
	Names    Names     // country names; nil shows codes only
}

// ParliamentReport is the periodic progress report to parliament (MGF
// para 4 g): by cluster, what was recommended, what was done in the
// period, what is overdue at its end, and the trend of the indicators of
// the SDG targets the cluster's recommendations are linked to.
type ParliamentReport struct {
	Title    string
	Options  ParliamentOptions
	Totals   map[string]int // recommendations, updates, updated, implemented, overdue
	Clusters table          // every cluster, with its counts
	Sections []ClusterProgress
}

// ClusterProgress is the section of one cluster with activity in the
// period or an overdue action at its end.
type ClusterProgress struct {
	Label           string
	Recommendations int
	Mechanisms      string
	Statuses        string // "3 implemented, 1 in progress"
	Recommended     []string
	More            int // recommendations not listed
	Done            []PeriodUpdate
	Overdue         []string
	Trend           table
}

// PeriodUpdate is a status update dated in the period.
type PeriodUpdate struct {
	Date, Subject, Status, Entity, Text, Evidence string
}

const recommendedShown = 5

// Parliament reads the report from the warehouse views.
func Parliament(ctx context.Context, db *sql.DB, o ParliamentOptions) (*ParliamentReport, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	if o.To.Before(o.From) {
		return nil, fmt.Errorf("parliament report: the period ends (%s) before it starts (%s)", o.To.Format("2006-01-02"), o.From.Format("2006-01-02"))
	}
	from, to := o.From.Format("2006-01-02"), o.To.Format("2006-01-02")
	r := &ParliamentReport{Options: o, Totals: map[string]int{},
		Title: fmt.Sprintf("Progress report to parliament: %s, %s to %s", countryLabel(o.Country, o.Names.name(o.Country)), from, to)}
	// recs: each recommendation of the country with its cluster, its status
	// at the end of the period and its actions overdue then.
	recs := fmt.Sprintf(`(SELECT f.rec_id, f.mechanism, f.body, f.response, f.text, f.date, coalesce(f.cluster_id, '') AS cluster_id,
		coalesce(f.cluster_label, '(not in a cluster)') AS cluster_label, f.overdue_actions,
		coalesce(s.status, 'no_update') AS status_then
		FROM followup_recommendations(%d, as_of := DATE '%s') f
		LEFT JOIN followup_status_at(DATE '%s') s ON s.rec_id = f.rec_id
		WHERE f.country_iso3 = $1)`, load.DefaultStaleMonths, to, to)
	period := `status_date BETWEEN CAST($2 AS DATE) AND CAST($3 AS DATE)`
	tot, err := queryTable(ctx, db, `SELECT count(*),
		(SELECT count(*) FROM v_status_updates u JOIN `+recs+` x ON x.rec_id = u.rec_id WHERE u.`+period+`),
		(SELECT count(DISTINCT u.rec_id) FROM v_status_updates u JOIN `+recs+` x ON x.rec_id = u.rec_id WHERE u.`+period+`),
		count(*) FILTER (WHERE status_then = 'implemented'),
		count(*) FILTER (WHERE overdue_actions > 0)
		FROM `+recs, o.Country, from, to)
	if err != nil {
		return nil, fmt.Errorf("parliament report: totals: %w", err)
	}
	for i, k := range []string{"recommendations", "updates", "updated", "implemented", "with_overdue_action"} {
		r.Totals[k], _ = strconv.Atoi(tot.rows[0][i])
	}
	r.Clusters, err = queryTable(ctx, db, `SELECT x.cluster_label AS cluster, count(*) AS recommendations,
		count(*) FILTER (WHERE x.response = 'supported') AS supported,
		count(DISTINCT u.rec_id) AS updated_in_period,
		count(*) FILTER (WHERE x.status_then = 'implemented') AS implemented,
		count(*) FILTER (WHERE x.status_then IN ('in_progress', 'partially_implemented')) AS in_progress_or_partial,
		count(*) FILTER (WHERE x.overdue_actions > 0) AS with_overdue_action
		FROM `+recs+` x
		LEFT JOIN (SELECT DISTINCT rec_id FROM v_status_updates WHERE `+period+`) u ON u.rec_id = x.rec_id
		GROUP BY x.cluster_id, x.cluster_label
		ORDER BY x.cluster_id = '', count(DISTINCT u.rec_id) DESC, count(*) DESC, x.cluster_label`, o.Country, from, to)
	if err != nil {
		return nil, fmt.Errorf("parliament report: clusters: %w", err)
	}
	r.Clusters.name = "clusters"
	active, err := queryTable(ctx, db, `SELECT x.cluster_id, x.cluster_label, count(*), string_agg(DISTINCT CASE WHEN x.mechanism = x.body THEN x.mechanism ELSE x.mechanism || ' ' || x.body END, ', ' ORDER BY CASE WHEN x.mechanism = x.body THEN x.mechanism ELSE x.mechanism || ' ' || x.body END)
		FROM `+recs+` x
		WHERE x.cluster_id IN (SELECT y.cluster_id FROM `+recs+` y
		                       WHERE y.overdue_actions > 0 OR y.rec_id IN (SELECT rec_id FROM v_status_updates WHERE `+period+`)
		                          OR y.rec_id IN (SELECT ar.rec_id FROM v_action_recommendations ar JOIN status_updates s ON s.action_id = ar.action_id WHERE s.`+period+`))
		GROUP BY x.cluster_id, x.cluster_label
		ORDER BY x.cluster_id = '', count(*) DESC, x.cluster_label`, o.Country, from, to)
	if err != nil {
		return nil, fmt.Errorf("parliament report: clusters with activity: %w", err)
	}
	for _, a := range active.rows {
		s, err := readClusterProgress(ctx, db, recs, a, o.Country, from, to, o.To.Year())
		if err != nil {
			return nil, err
		}
		r.Sections = append(r.Sections, s)
	}
	return r, nil
}

func readClusterProgress(ctx context.Context, db *sql.DB, recs string, a []string, country, from, to string, toYear int) (ClusterProgress, error) {
	s := ClusterProgress{Label: a[1], Mechanisms: a[3]}
	s.Recommendations, _ = strconv.Atoi(a[2])
	args := []any{country, from, to, a[0]}
	fail := func(what string, err error) (ClusterProgress, error) {
		return s, fmt.Errorf("parliament report: cluster %s: %s: %w", a[1], what, err)
	}
	// $2 and $3 are bound in recs' sibling queries; DuckDB needs every
	// numbered parameter used, so each query below names them all.
	inCluster := `x.cluster_id = $4 AND CAST($2 AS DATE) <= CAST($3 AS DATE)`
	st, err := queryTable(ctx, db, `SELECT status_then, count(*) FROM `+recs+` x WHERE `+inCluster+`
		GROUP BY status_then ORDER BY count(*) DESC, status_then`, args...)
	if err != nil {
		return fail("statuses", err)
	}
	var parts []string
	for _, row := range st.rows {
		parts = append(parts, row[1]+" "+strings.ReplaceAll(row[0], "_", " "))
	}
	s.Statuses = strings.Join(parts, ", ")
	rec, err := queryTable(ctx, db, fmt.Sprintf(`SELECT x.text FROM `+recs+` x WHERE `+inCluster+`
		ORDER BY x.date DESC NULLS LAST, x.rec_id LIMIT %d`, recommendedShown), args...)
	if err != nil {
		return fail("recommendations", err)
	}
	for _, row := range rec.rows {
		s.Recommended = append(s.Recommended, short(row[0], 300))
	}
	s.More = s.Recommendations - len(s.Recommended)
	done, err := queryTable(ctx, db, `SELECT strftime(u.status_date, '%Y-%m-%d'), coalesce(x.rec_id, 'action ' || a.title), u.status,
		coalesce(u.reporting_entity, ''), coalesce(u.text, ''), coalesce(u.evidence_url, '')
		FROM v_status_updates u
		LEFT JOIN `+recs+` x ON x.rec_id = u.rec_id
		LEFT JOIN v_action_status a ON a.action_id = u.action_id
		WHERE u.status_date BETWEEN CAST($2 AS DATE) AND CAST($3 AS DATE)
		  AND (x.cluster_id = $4 OR u.action_id IN (SELECT ar.action_id FROM v_action_recommendations ar JOIN `+recs+` y ON y.rec_id = ar.rec_id WHERE y.cluster_id = $4))
		ORDER BY u.status_date, u.import_seq`, args...)
	if err != nil {
		return fail("updates", err)
	}
	for _, row := range done.rows {
		s.Done = append(s.Done, PeriodUpdate{Date: row[0], Subject: row[1], Status: row[2], Entity: row[3], Text: row[4], Evidence: row[5]})
	}
	over, err := queryTable(ctx, db, `SELECT DISTINCT a.title, coalesce(a.lead_entity, ''), strftime(a.target_date, '%Y-%m-%d'), coalesce(a.status, 'not_started'), a.target_date
		FROM v_action_status a JOIN v_action_recommendations ar ON ar.action_id = a.action_id JOIN `+recs+` x ON x.rec_id = ar.rec_id
		WHERE `+inCluster+` AND a.target_date < CAST($3 AS DATE) AND coalesce(a.status, 'not_started') NOT IN ('implemented', 'not_applicable')
		ORDER BY a.target_date, a.title`, args...)
	if err != nil {
		return fail("overdue actions", err)
	}
	for _, row := range over.rows {
		s.Overdue = append(s.Overdue, fmt.Sprintf("%s (lead: %s; target date: %s; status: %s)", row[0], orNone(row[1]), row[2], strings.ReplaceAll(row[3], "_", " ")))
	}
	s.Trend, err = queryTable(ctx, db, fmt.Sprintf(`SELECT DISTINCT t.indicator_code AS indicator, t.series_code AS series, t.unit,
		t.first_year, round(t.first_value, 2) AS first_value, t.latest_year, round(t.latest_value, 2) AS latest_value,
		round(t.latest_value - t.first_value, 2) AS change
		FROM indicator_trend(%d) t
		JOIN sdg_indicator_targets it ON it.indicator = t.indicator
		WHERE t.country_iso3 = $1 AND it.target IN (
		    SELECT l.target FROM v_sdg_labels l JOIN `+recs+` x ON x.rec_id = l.rec_id WHERE `+inCluster+` AND l.target IS NOT NULL)
		ORDER BY t.indicator_code, t.series_code, t.unit`, toYear), args...)
	if err != nil {
		return fail("indicator trend", err)
	}
	s.Trend.name = "trend"
	return s, nil
}

func (r *ParliamentReport) document() *document {
	o := r.Options
	d := &document{title: r.Title, date: o.Now,
		source: "Made by nmirf from the warehouse views followup_recommendations, followup_status_at, v_action_status, v_action_recommendations, v_sdg_labels and indicator_trend."}
	d.meta = []string{"Country: " + countryLabel(o.Country, o.Names.name(o.Country)), "Period: " + o.From.Format("2 January 2006") + " to " + o.To.Format("2 January 2006"), "Date: " + o.Now.Format("2 January 2006")}
	t := r.Totals
	d.h2("Summary")
	d.list(
		[]Run{{Text: count(t["recommendations"], "recommendation") + " followed up"}},
		[]Run{{Text: count(t["updates"], "status update") + " received in the period, on " + count(t["updated"], "recommendation")}},
		[]Run{{Text: count(t["implemented"], "recommendation") + " implemented at the end of the period"}},
		[]Run{{Text: count(t["with_overdue_action"], "recommendation") + " with an overdue action at the end of the period", Bold: t["with_overdue_action"] > 0}},
	)
	d.h2("Clusters")
	d.emptyOr(r.Clusters, "No recommendations.")
	d.h2("Progress by cluster")
	if len(r.Sections) == 0 {
		d.text("No update was received in the period and no action is overdue.")
	}
	for _, s := range r.Sections {
		d.h3(s.Label)
		d.text(fmt.Sprintf("%s (%s). Status at the end of the period: %s.", count(s.Recommendations, "recommendation"), s.Mechanisms, s.Statuses))
		d.p(Run{Text: "What was recommended", Bold: true})
		var items [][]Run
		for _, t := range s.Recommended {
			items = append(items, []Run{{Text: t}})
		}
		d.list(items...)
		if s.More > 0 {
			d.text(fmt.Sprintf("And %d more recommendations in this cluster.", s.More))
		}
		d.p(Run{Text: "What was done in the period", Bold: true})
		if len(s.Done) == 0 {
			d.text("No update received in the period.")
		} else {
			items = nil
			for _, u := range s.Done {
				runs := []Run{{Text: u.Date + " (" + strings.ReplaceAll(u.Status, "_", " ") + ")", Bold: true}}
				if u.Entity != "" {
					runs = append(runs, Run{Text: ", " + u.Entity})
				}
				runs = append(runs, Run{Text: ": " + orElse(u.Text, "no text") + " [" + u.Subject + "]"})
				if u.Evidence != "" {
					runs = append(runs, Run{Text: " Evidence: "}, Run{Text: u.Evidence, Link: u.Evidence})
				}
				items = append(items, runs)
			}
			d.list(items...)
		}
		d.p(Run{Text: "Overdue at the end of the period", Bold: true})
		if len(s.Overdue) == 0 {
			d.text("No action is overdue.")
		} else {
			items = nil
			for _, a := range s.Overdue {
				items = append(items, []Run{{Text: a}})
			}
			d.list(items...)
		}
		d.p(Run{Text: "Indicator trend of the linked SDG targets", Bold: true})
		d.emptyOr(s.Trend, "No indicator data for the linked SDG targets.")
	}
	return d
}

// WriteParliamentDocx writes the report as a Word document, the format
// report writers edit.
func WriteParliamentDocx(w io.Writer, r *ParliamentReport) error { return r.document().writeDocx(w) }

// WriteParliamentHTML writes the report as one self-contained HTML page.
func WriteParliamentHTML(w io.Writer, r *ParliamentReport) error { return r.document().writeHTML(w) }

// WriteParliamentMarkdown writes the report as Markdown.
func WriteParliamentMarkdown(w io.Writer, r *ParliamentReport) error {
	return r.document().writeMarkdown(w)
}
