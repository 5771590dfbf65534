package report

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nmirf/nmirf/load"
)

// FollowupOptions select what a follow-up report covers.
type FollowupOptions struct {
	Country     string    // ISO3, or "" for every country
	Entity      string    // lead or supporting entity code, or "" for all
	Body        string    // UPR, CCPR, …: only that body, with a draft of the follow-up section of the next report to it
	StaleMonths int       // no update for longer than this is listed; 0 means load.DefaultStaleMonths
	Now         time.Time // the report date: overdue and stale are counted from it. Zero means time.Now()
	Names       Names     // country names; nil shows codes only
}

// Statuses are the follow-up statuses in the order reports show them;
// no_update is a recommendation of which no update was ever received.
var Statuses = []string{"not_started", "in_progress", "partially_implemented", "implemented", "not_applicable", "no_update"}

var statusPalette = []string{"#C62828", "#F2A900", "#26BDE2", "#2E7D32", "#9E9E9E", "#E0E0E0"}

// FollowupReport is where recommendations stand in their follow-up, read
// from followup_recommendations, followup_history and v_action_status.
type FollowupReport struct {
	Title       string
	Options     FollowupOptions
	Totals      map[string]int // per status, and "total", "actions", "overdue", "supported_no_action", "stale"
	ByCluster   table
	ByEntity    table
	ByMechanism table
	ByGoal      table
	History     stackChart
	Recs        table // one row per recommendation
	Actions     table
	Overdue     table
	NoAction    table
	Stale       table
	Draft       *BodyDraft
}

// BodyDraft is the follow-up section of a State's next report to a treaty
// body: the recommendations of its last concluding observations with the
// actions and updates since.
type BodyDraft struct {
	Body, Symbol, Date string
	Items              []DraftItem
}

// DraftItem is one recommendation of the concluding observations.
type DraftItem struct {
	RecID, Paragraph, Text, Status string
	Actions                        []string // "title (lead, target date, status)"
	Updates                        []DraftUpdate
}

// DraftUpdate is a status update received since the concluding observations.
type DraftUpdate struct {
	Date, Status, Text, Evidence, Entity string
}

// countryTitle is the country as a title names it, "" for all countries.
func (o FollowupOptions) countryTitle() string {
	if o.Country == "" {
		return ""
	}
	return countryLabel(o.Country, o.Names.name(o.Country))
}

// asOf formats the report date as a DuckDB date literal for macro calls,
// which take no bound parameters.
func asOf(t time.Time) string { return "DATE '" + t.Format("2006-01-02") + "'" }

// Followup reads the follow-up report from the warehouse views.
func Followup(ctx context.Context, db *sql.DB, o FollowupOptions) (*FollowupReport, error) {
	if o.StaleMonths <= 0 {
		o.StaleMonths = load.DefaultStaleMonths
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	o.Entity = strings.ToUpper(strings.TrimSpace(o.Entity))
	o.Body = strings.ToUpper(strings.TrimSpace(o.Body))
	r := &FollowupReport{Options: o, Totals: map[string]int{}}
	r.Title = "Follow-up of recommendations"
	for _, s := range []string{o.countryTitle(), o.Entity, o.Body} {
		if s != "" {
			r.Title += ": " + s
		}
	}
	recs := fmt.Sprintf(`(SELECT * FROM followup_recommendations(%d, as_of := %s)
		WHERE ($1 = '' OR country_iso3 = $1) AND ($2 = '' OR lead_entity = $2) AND ($3 = '' OR body = $3))`, o.StaleMonths, asOf(o.Now))
	args := []any{o.Country, o.Entity, o.Body}
	q := func(what, query string) (table, error) {
		t, err := queryTable(ctx, db, query, args...)
		if err != nil {
			return t, fmt.Errorf("follow-up report: %s: %w", what, err)
		}
		t.name = what
		return t, nil
	}
	counts := statusCounts()
	var err error
	tot, err := q("totals", `SELECT `+counts+`, count(*) FILTER (WHERE supported_no_action), count(*) FILTER (WHERE stale) FROM `+recs)
	if err != nil {
		return nil, err
	}
	for i, s := range append(append([]string{}, Statuses...), "total", "supported_no_action", "stale") {
		var n int
		fmt.Sscan(tot.rows[0][i], &n)
		r.Totals[s] = n
	}
	group := func(name, key, label string) (table, error) {
		t, err := q(name, `SELECT `+key+` AS k, `+counts+` FROM `+recs+` GROUP BY k ORDER BY k NULLS LAST`)
		if err != nil {
			return t, err
		}
		t.cols[0] = fcol(label)
		return t, nil
	}
	if r.ByCluster, err = group("by_cluster", `coalesce(cluster_label, '(not in a cluster)')`, "cluster"); err != nil {
		return nil, err
	}
	if r.ByEntity, err = group("by_entity", `coalesce(lead_entity, '(no lead entity)')`, "lead_entity"); err != nil {
		return nil, err
	}
	if r.ByMechanism, err = group("by_mechanism", `CASE WHEN mechanism = body THEN mechanism ELSE mechanism || ' ' || body END`, "mechanism_body"); err != nil {
		return nil, err
	}
	if r.ByGoal, err = q("by_goal", `SELECT coalesce('Goal ' || main_goal, '(no SDG link)') AS k, `+counts+` FROM `+recs+`
		GROUP BY k, main_goal ORDER BY TRY_CAST(main_goal AS INTEGER) NULLS LAST`); err != nil {
		return nil, err
	}
	r.ByGoal.cols[0] = fcol("sdg_goal")
	if r.Recs, err = q("recommendations", `SELECT rec_id, country_iso3, mechanism, body, coalesce(symbol, ''), coalesce(paragraph, ''),
		coalesce(strftime(date, '%Y-%m-%d'), ''), coalesce(response, ''), status, coalesce(strftime(status_date, '%Y-%m-%d'), ''),
		coalesce(lead_entity, ''), coalesce(lead_source, ''), coalesce(cluster_label, ''), coalesce(main_goal, ''),
		actions, overdue_actions, coalesce(strftime(next_target_date, '%Y-%m-%d'), ''), supported_no_action, stale,
		coalesce(update_text, ''), coalesce(evidence_url, ''), text
		FROM `+recs+` ORDER BY country_iso3, cluster_label NULLS LAST, rec_id`); err != nil {
		return nil, err
	}
	r.Recs.cols = fcols("rec_id", "country_iso3", "mechanism", "body", "symbol", "paragraph", "date", "response", "status",
		"status_date", "lead_entity", "lead_source", "cluster", "main_goal", "actions", "overdue_actions", "next_target_date",
		"supported_no_action", "stale", "latest_update", "evidence_url", "text")
	actions := fmt.Sprintf(`(SELECT a.*, a.target_date < %[1]s AND coalesce(a.status, 'not_started') NOT IN ('implemented', 'not_applicable') AS overdue_then,
		(SELECT count(DISTINCT ar.rec_id) FROM v_action_recommendations ar WHERE ar.action_id = a.action_id) AS recs,
		(SELECT string_agg(DISTINCT c.label, '; ' ORDER BY c.label) FROM v_action_recommendations ar
		 JOIN cluster_members cm ON cm.rec_id = ar.rec_id JOIN clusters c ON c.cluster_id = cm.cluster_id
		 WHERE ar.action_id = a.action_id) AS clusters
		FROM v_action_status a
		WHERE ($1 = '' OR a.country_iso3 = $1 OR EXISTS (SELECT 1 FROM v_action_recommendations ar JOIN recommendations r ON r.rec_id = ar.rec_id
		                                                WHERE ar.action_id = a.action_id AND r.country_iso3 = $1))
		  AND ($2 = '' OR a.lead_entity = $2 OR list_contains(a.supporting_entities, $2))
		  AND ($3 = '' OR EXISTS (SELECT 1 FROM v_action_recommendations ar JOIN recommendations r ON r.rec_id = ar.rec_id
		                          WHERE ar.action_id = a.action_id AND r.body = $3)))`, asOf(o.Now))
	actionCols := `SELECT action_id, title, coalesce(clusters, ''), coalesce(lead_entity, ''), coalesce(array_to_string(supporting_entities, ' '), ''),
		coalesce(strftime(start_date, '%Y-%m-%d'), ''), coalesce(strftime(target_date, '%Y-%m-%d'), ''),
		coalesce(status, 'not_started'), coalesce(strftime(status_date, '%Y-%m-%d'), ''), recs, overdue_then FROM ` + actions
	actionHeader := fcols("action_id", "title", "clusters", "lead_entity", "supporting_entities", "start_date", "target_date", "status", "status_date", "recommendations", "overdue")
	if r.Actions, err = q("actions", actionCols+` a ORDER BY target_date NULLS LAST, action_id`); err != nil {
		return nil, err
	}
	r.Actions.cols = actionHeader
	if r.Overdue, err = q("overdue_actions", actionCols+` a WHERE overdue_then ORDER BY target_date, action_id`); err != nil {
		return nil, err
	}
	r.Overdue.cols = actionHeader
	r.Totals["actions"], r.Totals["overdue"] = len(r.Actions.rows), len(r.Overdue.rows)
	listCols := `SELECT rec_id, country_iso3, CASE WHEN mechanism = body THEN mechanism ELSE mechanism || ' ' || body END, coalesce(strftime(date, '%Y-%m-%d'), ''), status,
		coalesce(strftime(status_date, '%Y-%m-%d'), ''), coalesce(lead_entity, ''), coalesce(cluster_label, ''), text FROM ` + recs
	listHeader := fcols("rec_id", "country_iso3", "mechanism_body", "date", "status", "latest_update", "lead_entity", "cluster", "text")
	if r.NoAction, err = q("supported_no_action", listCols+` WHERE supported_no_action ORDER BY country_iso3, cluster_label NULLS LAST, rec_id`); err != nil {
		return nil, err
	}
	r.NoAction.cols = listHeader
	if r.Stale, err = q("stale", listCols+` WHERE stale ORDER BY coalesce(status_date, date) NULLS FIRST, rec_id`); err != nil {
		return nil, err
	}
	r.Stale.cols = listHeader
	hist, err := q("history", fmt.Sprintf(`SELECT h.period, %s FROM followup_history(as_of := %s) h JOIN %s f ON f.rec_id = h.rec_id
		GROUP BY h.period, h.period_end ORDER BY h.period_end`, statusCounts5("h.status"), asOf(o.Now), recs))
	if err != nil {
		return nil, err
	}
	r.History = stackChart{label: "Recommendations by follow-up status at the end of each quarter", series: Statuses[:5], colours: statusPalette[:5]}
	for _, row := range hist.rows {
		r.History.periods = append(r.History.periods, row[0])
		vals := make([]int, 5)
		for i := range vals {
			fmt.Sscan(row[i+1], &vals[i])
		}
		r.History.values = append(r.History.values, vals)
	}
	if o.Body != "" {
		if r.Draft, err = readDraft(ctx, db, o); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// statusCounts counts the rows of each status, then all rows.
func statusCounts() string {
	var parts []string
	for _, s := range Statuses {
		parts = append(parts, fmt.Sprintf("count(*) FILTER (WHERE status = '%s') AS %s", s, s))
	}
	return strings.Join(parts, ", ") + ", count(*) AS total"
}

func statusCounts5(col string) string {
	var parts []string
	for _, s := range Statuses[:5] {
		parts = append(parts, fmt.Sprintf("count(*) FILTER (WHERE %s = '%s') AS %s", col, s, s))
	}
	return strings.Join(parts, ", ")
}

// queryTable runs a query and keeps every value as text, with the
// query's column names as header.
func queryTable(ctx context.Context, db *sql.DB, query string, args ...any) (table, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return table{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return table{}, err
	}
	t := table{cols: fcols(cols...)}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return t, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
			case []byte:
				row[i] = string(x)
			case time.Time:
				row[i] = x.Format("2006-01-02")
			case bool:
				row[i] = fmt.Sprint(x)
			default:
				row[i] = fmt.Sprint(x)
			}
		}
		t.rows = append(t.rows, row)
		if len(t.rows)%1024 == 0 && ctx.Err() != nil {
			return t, ctx.Err()
		}
	}
	return t, rows.Err()
}

// readDraft finds the body's last concluding observations on the country
// (the latest symbol by date) and reads, per recommendation, the actions
// that answer it and the updates dated since.
func readDraft(ctx context.Context, db *sql.DB, o FollowupOptions) (*BodyDraft, error) {
	d := &BodyDraft{Body: o.Body}
	var date sql.NullTime
	err := db.QueryRowContext(ctx, `SELECT coalesce(symbol, ''), max(date) FROM v_recommendations
		WHERE body = $1 AND ($2 = '' OR country_iso3 = $2) AND date IS NOT NULL
		GROUP BY symbol ORDER BY max(date) DESC, symbol DESC LIMIT 1`, o.Body, o.Country).Scan(&d.Symbol, &date)
	if err == sql.ErrNoRows {
		return d, nil
	}
	if err != nil {
		return nil, fmt.Errorf("follow-up report: last concluding observations of %s: %w", o.Body, err)
	}
	d.Date = date.Time.Format("2006-01-02")
	recs, err := queryTable(ctx, db, fmt.Sprintf(`SELECT rec_id, coalesce(paragraph, ''), text, status
		FROM followup_recommendations(%d, as_of := %s)
		WHERE body = $1 AND ($2 = '' OR country_iso3 = $2) AND coalesce(symbol, '') = $3 AND date = CAST($4 AS DATE)
		ORDER BY TRY_CAST(regexp_extract(paragraph, '\d+') AS INTEGER) NULLS LAST, paragraph, rec_id`, o.StaleMonths, asOf(o.Now)),
		o.Body, o.Country, d.Symbol, d.Date)
	if err != nil {
		return nil, fmt.Errorf("follow-up report: recommendations of %s: %w", d.Symbol, err)
	}
	for _, row := range recs.rows {
		it := DraftItem{RecID: row[0], Paragraph: row[1], Text: row[2], Status: row[3]}
		acts, err := queryTable(ctx, db, `SELECT a.title, coalesce(a.lead_entity, ''), coalesce(strftime(a.target_date, '%Y-%m-%d'), ''), coalesce(a.status, 'not_started')
			FROM v_action_recommendations ar JOIN v_action_status a ON a.action_id = ar.action_id
			WHERE ar.rec_id = $1 ORDER BY a.target_date NULLS LAST, a.action_id`, it.RecID)
		if err != nil {
			return nil, fmt.Errorf("follow-up report: actions of %s: %w", it.RecID, err)
		}
		for _, a := range acts.rows {
			it.Actions = append(it.Actions, fmt.Sprintf("%s (lead: %s; target date: %s; status: %s)", a[0], orNone(a[1]), orNone(a[2]), a[3]))
		}
		ups, err := queryTable(ctx, db, `SELECT strftime(status_date, '%Y-%m-%d'), status, coalesce(text, ''), coalesce(evidence_url, ''), coalesce(reporting_entity, '')
			FROM v_status_updates WHERE rec_id = $1 AND status_date >= CAST($2 AS DATE) AND status_date <= CAST($3 AS DATE)
			ORDER BY status_date, import_seq`, it.RecID, d.Date, o.Now.Format("2006-01-02"))
		if err != nil {
			return nil, fmt.Errorf("follow-up report: updates of %s: %w", it.RecID, err)
		}
		for _, u := range ups.rows {
			it.Updates = append(it.Updates, DraftUpdate{Date: u[0], Status: u[1], Text: u[2], Evidence: u[3], Entity: u[4]})
		}
		d.Items = append(d.Items, it)
	}
	return d, nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// short cuts a recommendation text for a table of a document; the CSV and
// XLSX keep it whole.
func short(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

func (r *FollowupReport) tables() []table {
	ts := []table{r.Recs, r.ByCluster, r.ByEntity, r.ByMechanism, r.ByGoal, r.History.table(), r.Actions, r.Overdue, r.NoAction, r.Stale}
	if r.Draft != nil {
		t := table{name: "draft", cols: fcols("paragraph", "rec_id", "status", "actions_taken", "updates_since", "text")}
		for _, it := range r.Draft.Items {
			var ups []string
			for _, u := range it.Updates {
				ups = append(ups, u.Date+" "+u.Status+": "+u.Text)
			}
			t.rows = append(t.rows, []string{it.Paragraph, it.RecID, it.Status, strings.Join(it.Actions, "; "), strings.Join(ups, "; "), it.Text})
		}
		ts = append(ts, t)
	}
	return ts
}

func shortTexts(t table, col, n int) table {
	out := table{name: t.name, cols: t.cols}
	for _, row := range t.rows {
		c := append([]string(nil), row...)
		c[col] = short(c[col], n)
		out.rows = append(out.rows, c)
	}
	return out
}

func (r *FollowupReport) document() *document {
	o := r.Options
	d := &document{title: r.Title, date: o.Now,
		source: "Made by nmirf from the warehouse views followup_recommendations, followup_history, v_action_status and v_action_recommendations."}
	d.meta = append(d.meta, "Country: "+countryLabel(o.Country, o.Names.name(o.Country)))
	if o.Entity != "" {
		d.meta = append(d.meta, "Entity: "+o.Entity)
	}
	if o.Body != "" {
		d.meta = append(d.meta, "Body: "+o.Body)
	}
	d.meta = append(d.meta, "Date: "+o.Now.Format("2 January 2006"), fmt.Sprintf("No update for more than %d months is listed", o.StaleMonths))
	t := r.Totals
	d.h2("Summary")
	d.list(
		[]Run{{Text: count(t["total"], "recommendation") + ": "}, {Text: fmt.Sprintf("%d implemented, %d partially implemented, %d in progress, %d not started, %d not applicable, %d with no update",
			t["implemented"], t["partially_implemented"], t["in_progress"], t["not_started"], t["not_applicable"], t["no_update"])}},
		[]Run{{Text: count(t["actions"], "action") + fmt.Sprintf(", of which %d overdue", t["overdue"]), Bold: t["overdue"] > 0}},
		[]Run{{Text: count(t["supported_no_action"], "supported recommendation") + " with no action"}},
		[]Run{{Text: count(t["stale"], "recommendation") + fmt.Sprintf(" with no update for more than %d months", o.StaleMonths)}},
	)
	d.h2("Status by cluster")
	d.emptyOr(r.ByCluster, "No recommendations.")
	d.h2("Status by lead entity")
	d.emptyOr(r.ByEntity, "No recommendations.")
	d.h2("Status by mechanism")
	d.emptyOr(r.ByMechanism, "No recommendations.")
	d.h2("Status by SDG goal")
	d.emptyOr(r.ByGoal, "No recommendations.")
	d.h2("Status over time")
	if len(r.History.periods) == 0 {
		d.text("No status update yet.")
	} else {
		d.text("Recommendations with at least one update, by the status they had at the end of each quarter.")
		d.chart(r.History)
	}
	d.h2("Actions and their target dates")
	d.emptyOr(r.Actions, "No actions.")
	d.h2("Overdue actions")
	d.emptyOr(r.Overdue, "No action is overdue.")
	d.h2("Supported recommendations with no action")
	d.emptyOr(shortTexts(r.NoAction, 8, 240), "Every supported recommendation has an action.")
	d.h2(fmt.Sprintf("No update for more than %d months", o.StaleMonths))
	d.emptyOr(shortTexts(r.Stale, 8, 240), "None.")
	if r.Draft != nil {
		r.Draft.write(d)
	}
	return d
}

func orElse(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// write adds the draft follow-up section: one subsection per paragraph of
// the concluding observations.
func (b *BodyDraft) write(d *document) {
	if b.Symbol == "" && len(b.Items) == 0 {
		d.h2("Follow-up to the concluding observations of " + b.Body)
		d.text("No dated concluding observations of " + b.Body + " in the warehouse.")
		return
	}
	d.h2(fmt.Sprintf("Follow-up to the concluding observations of %s (%s, %s)", b.Body, orElse(b.Symbol, "no symbol"), b.Date))
	d.text("Draft of the follow-up section of the State's next periodic report: each recommendation of the last concluding observations, with the actions taken and the updates received since " + b.Date + ".")
	for _, it := range b.Items {
		head := "Recommendation " + it.RecID
		if it.Paragraph != "" {
			head = "Paragraph " + it.Paragraph
		}
		d.h3(head)
		d.p(Run{Text: it.Text, Italic: true})
		d.p(Run{Text: "Current status: ", Bold: true}, Run{Text: strings.ReplaceAll(it.Status, "_", " ")})
		if len(it.Actions) == 0 {
			d.text("No action recorded.")
		} else {
			var items [][]Run
			for _, a := range it.Actions {
				items = append(items, []Run{{Text: "Action: "}, {Text: a}})
			}
			d.list(items...)
		}
		if len(it.Updates) == 0 {
			d.text("No update received since the concluding observations.")
			continue
		}
		var items [][]Run
		for _, u := range it.Updates {
			runs := []Run{{Text: u.Date + " (" + strings.ReplaceAll(u.Status, "_", " ") + ")", Bold: true}}
			if u.Entity != "" {
				runs = append(runs, Run{Text: ", " + u.Entity})
			}
			runs = append(runs, Run{Text: ": " + u.Text})
			if u.Evidence != "" {
				runs = append(runs, Run{Text: " Evidence: "}, Run{Text: u.Evidence, Link: u.Evidence})
			}
			items = append(items, runs)
		}
		d.list(items...)
	}
}

// WriteFollowupCSV writes one row per recommendation with its follow-up.
func WriteFollowupCSV(w io.Writer, r *FollowupReport) error { return writeCSV(w, r.Recs) }

// WriteFollowupXLSX writes every table of the report as a sheet.
func WriteFollowupXLSX(w io.Writer, r *FollowupReport) error { return writeXLSX(w, r.tables()) }

// WriteFollowupMarkdown writes the report as Markdown.
func WriteFollowupMarkdown(w io.Writer, r *FollowupReport) error {
	return r.document().writeMarkdown(w)
}

// WriteFollowupHTML writes the report as one self-contained HTML page.
func WriteFollowupHTML(w io.Writer, r *FollowupReport) error { return r.document().writeHTML(w) }

// WriteFollowupDocx writes the report as a Word document.
func WriteFollowupDocx(w io.Writer, r *FollowupReport) error { return r.document().writeDocx(w) }

// followupTitles are the titles readers see for the columns of the
// follow-up and parliament reports; CSV headers are the keys.
var followupTitles = map[string]string{
	"rec_id": "Recommendation", "country_iso3": "ISO3", "mechanism": "Mechanism", "body": "Body", "symbol": "Document",
	"paragraph": "Paragraph", "date": "Date", "response": "Response", "status": "Status", "status_date": "Status date",
	"lead_entity": "Lead entity", "lead_source": "Lead entity is", "cluster": "Cluster", "main_goal": "SDG goal",
	"actions": "Actions", "overdue_actions": "Overdue actions", "next_target_date": "Next target date",
	"supported_no_action": "Supported, no action", "stale": "No recent update", "latest_update": "Latest update",
	"evidence_url": "Evidence", "text": "Text", "mechanism_body": "Mechanism", "sdg_goal": "SDG goal", "total": "Total",
	"not_started": "Not started", "in_progress": "In progress", "partially_implemented": "Partially implemented",
	"implemented": "Implemented", "not_applicable": "Not applicable", "no_update": "No update", "period": "Quarter",
	"action_id": "Action", "title": "Title", "supporting_entities": "Supporting entities", "start_date": "Start date",
	"target_date": "Target date", "recommendations": "Recommendations", "overdue": "Overdue", "supported": "Supported",
	"updated_in_period": "Updated in the period", "in_progress_or_partial": "In progress or partially implemented",
	"with_overdue_action": "With an overdue action", "indicator": "Indicator", "series": "Series", "unit": "Unit",
	"first_year": "First year", "first_value": "First value", "latest_year": "Latest year", "latest_value": "Latest value",
	"clusters": "Clusters", "change": "Change", "updates_since": "Updates since", "actions_taken": "Actions",
}

var followupNumbers = map[string]bool{"total": true, "actions": true, "overdue_actions": true, "recommendations": true,
	"supported": true, "updated_in_period": true, "in_progress_or_partial": true, "with_overdue_action": true,
	"first_year": true, "latest_year": true, "first_value": true, "latest_value": true, "change": true}

// fcol is the column of a key: its title, a number or yes/no kind, and a
// wide wrapped column for texts.
func fcol(key string) column {
	c := column{key: key, title: followupTitles[key], width: 14}
	if c.title == "" {
		c.title = strings.ReplaceAll(key, "_", " ")
	}
	switch {
	case followupNumbers[key] || slices.Contains(Statuses, key) && key != "status":
		c.kind = numberCell
	case key == "supported_no_action" || key == "stale" || key == "overdue":
		c.kind = boolCell
	case key == "text" || key == "title" || key == "cluster" || key == "clusters" || key == "latest_update" || key == "actions_taken" || key == "updates_since":
		c.width, c.wrap = 50, true
	}
	return c
}

func fcols(keys ...string) []column {
	out := make([]column, len(keys))
	for i, k := range keys {
		out[i] = fcol(k)
	}
	return out
}

// count writes "1 recommendation", "2 recommendations".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return itoa(n) + " " + noun + "s"
}
