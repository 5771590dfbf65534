package report

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nmirf/nmirf/load"
)

// Names gives the name a reader knows a country by, from its ISO3 code,
// or "" when it has none. The warehouse stores codes only.
type Names func(iso3 string) string

// Options select what a gap report covers.
type Options struct {
	Country    string    // ISO3 code, or "" for every country
	StaleYears int       // data older than this many years is stale; 0 means load.DefaultStaleYears
	Now        time.Time // the report date; staleness is counted from its year. Zero means time.Now()
	Names      Names     // country names; nil shows codes only
	// RunID is the run the report cites; "" means the latest run of the
	// runs table, counting a batch run as one (see LatestRun).
	RunID string
}

// name returns the country's name, or its code when names knows none.
func (n Names) name(iso3 string) string {
	if n != nil && iso3 != "" {
		if s := n(iso3); s != "" {
			return s
		}
	}
	return iso3
}

func orCode(name, code string) string {
	if name == "" {
		return code
	}
	return name
}

// GapReport is where recommendations and indicator data meet, per country
// and SDG target.
type GapReport struct {
	Title       string
	Country     string // "" for all countries
	CountryName string // the country's name, or its code
	Generated   time.Time
	RunID       string // the run the report cites, see Options.RunID
	StaleYears  int
	Targets     []TargetGap
	Goals       []GoalCount      // recommendations per goal, all 17 goals in order
	Clusters    []ClusterSummary // without members
	// Recommendations counts the recommendations (and concerns) of the
	// country, or of the warehouse for all countries.
	Recommendations int
	// Linked counts the distinct recommendations with at least one SDG link.
	Linked int
	// Unclassified counts, per country, recommendations with no SDG goal.
	Unclassified map[string]int

	names Names
}

// nameOf returns a country's name, or its code.
func (r *GapReport) nameOf(iso3 string) string { return r.names.name(iso3) }

// TargetGap is one row of v_gap_targets. Target is "" for a row that stands
// for a whole goal (recommendations assigned to the goal only).
type TargetGap struct {
	Country            string
	CountryName        string // the country's name, or its code
	Goal               string
	Target             string
	Title              string
	Recommendations    int
	UPR, TB, SP        int
	Supported, Noted   int
	FallbackOnly       int
	Clusters           int
	Indicators         int
	IndicatorsWithData int
	LatestYear         int // 0 when there is no data
	DimsAvailable      []string
	DimsExpected       []string
	DimsMissing        []string
	RecommendedNoData  bool
	Stale              bool
	Duplicated         bool     // two or more different bodies (see v_gap_targets)
	Bodies             []string // the bodies whose recommendations are linked to the row
	// Followup is the follow-up of the row's recommendations
	// (v_target_followup): "2 supported, no action; 1 in progress; 4 no update".
	Followup          string
	SupportedNoAction int // supported recommendations with no action
	OverdueAction     int // recommendations with an overdue action
}

// Scope is the target code, or "Goal N" for a goal-level row.
func (t TargetGap) Scope() string {
	if t.Target == "" {
		return "Goal " + t.Goal
	}
	return t.Target
}

// Status is the data availability of the row: "data", "stale" or "none".
func (t TargetGap) Status() string {
	switch {
	case t.IndicatorsWithData == 0:
		return "none"
	case t.Stale:
		return "stale"
	}
	return "data"
}

// Flags names the row's flags, in a fixed order.
func (t TargetGap) Flags() []string {
	var f []string
	if t.RecommendedNoData {
		f = append(f, "recommended, no data")
	}
	if t.Stale {
		f = append(f, "stale data")
	}
	if t.Duplicated {
		f = append(f, "duplicated across mechanisms ("+listText(t.Bodies)+")")
	}
	return f
}

// GoalCount is how many distinct recommendations are linked to a goal,
// through the goal itself or one of its targets.
type GoalCount struct {
	Goal            string
	Title           string
	Recommendations int
}

// ClusterSummary is one row of v_cluster_summary.
type ClusterSummary struct {
	ID          string
	Country     string
	CountryName string // the country's name, or its code
	Label       string
	Size        int
	Mechanisms  []string
	Bodies      []string
	Supported   int
	Noted       int
	MainTheme   string
	MainTarget  string
	FirstDate   string // YYYY-MM-DD or ""
	LastDate    string
	RecIDs      []string
	Example     string   // text of the member closest to the centre
	Members     []Member // filled by Clusters only
}

// Member is a recommendation of a cluster.
type Member struct {
	RecID     string
	Text      string
	Mechanism string
	Body      string
	Response  string
	Date      string
}

// ClusterReport lists a country's clusters with their member recommendations.
type ClusterReport struct {
	Country     string // "" for all countries
	CountryName string // the country's name, or its code
	Clusters    []ClusterSummary
	// Recommendations counts the country's recommendations (kind
	// recommendation), the ones clustering groups.
	Recommendations int
}

// ClusterOptions select what a cluster report covers.
type ClusterOptions struct {
	Country string // ISO3 code, or "" for every country
	Names   Names  // country names; nil shows codes only
}

// CountryLabel is the country the report covers, as a reader names it.
func (r *ClusterReport) CountryLabel() string { return countryLabel(r.Country, r.CountryName) }

// CountryLabel is the country the report covers, as a reader names it.
func (r *GapReport) CountryLabel() string { return countryLabel(r.Country, r.CountryName) }

func countryLabel(code, name string) string {
	switch {
	case code == "":
		return "all countries"
	case name == "" || name == code:
		return code
	}
	return name + " (" + code + ")"
}

// Gaps reads the gap report from the warehouse. The views must exist
// (load.CreateViews).
func Gaps(ctx context.Context, db *sql.DB, o Options) (*GapReport, error) {
	if o.StaleYears <= 0 {
		o.StaleYears = load.DefaultStaleYears
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	country := strings.ToUpper(strings.TrimSpace(o.Country))
	rep := &GapReport{Country: country, CountryName: o.Names.name(country), Generated: o.Now, StaleYears: o.StaleYears,
		Unclassified: map[string]int{}, RunID: o.RunID, names: o.Names}
	rep.Title = "SDG gap report"
	if country != "" {
		rep.Title += ": " + rep.CountryName
	}
	var err error
	if rep.RunID == "" {
		if rep.RunID, err = LatestRun(ctx, db); err != nil {
			return nil, fmt.Errorf("gap report: %w", err)
		}
	}
	if rep.Targets, err = readTargets(ctx, db, country, o.StaleYears, o.Now.Year()); err != nil {
		return nil, err
	}
	for i := range rep.Targets {
		rep.Targets[i].CountryName = o.Names.name(rep.Targets[i].Country)
	}
	if rep.Goals, err = readGoals(ctx, db, country); err != nil {
		return nil, err
	}
	if rep.Clusters, err = readClusters(ctx, db, country, o.Names); err != nil {
		return nil, err
	}
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM v_recommendations WHERE $1 = '' OR country_iso3 = $1`, country).Scan(&rep.Recommendations)
	if err != nil {
		return nil, fmt.Errorf("gap report: count recommendations: %w", err)
	}
	err = db.QueryRowContext(ctx, `SELECT count(DISTINCT r.rec_id) FROM v_recommendations r
		JOIN v_sdg_labels a ON a.rec_id = r.rec_id AND a.goal <> 'unclassified'
		WHERE $1 = '' OR r.country_iso3 = $1`, country).Scan(&rep.Linked)
	if err != nil {
		return nil, fmt.Errorf("gap report: count linked recommendations: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT r.country_iso3, count(*) FROM v_recommendations r
		WHERE ($1 = '' OR r.country_iso3 = $1)
		  AND r.rec_id NOT IN (SELECT rec_id FROM v_sdg_labels WHERE goal <> 'unclassified')
		GROUP BY r.country_iso3`, country)
	if err != nil {
		return nil, fmt.Errorf("gap report: count unclassified: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			return nil, fmt.Errorf("gap report: count unclassified: %w", err)
		}
		rep.Unclassified[c] = n
	}
	return rep, rows.Err()
}

// LatestRun returns the id of the latest run in the runs table, "" when
// there is none. A batch run (command "run") counts as one: the stages it
// ran record rows of their own, which start after the batch's row and end
// before it is recorded, so they are not cited in its place.
func LatestRun(ctx context.Context, db *sql.DB) (string, error) {
	var id string
	err := db.QueryRowContext(ctx, `
		WITH spans AS (
			SELECT run_id, started_at,
				coalesce(finished_at, started_at + to_seconds(1 + coalesce(
					(SELECT sum(CAST(s->>'seconds' AS DOUBLE)) FROM unnest(CAST(manifest->'stages' AS JSON[])) AS u(s)), 0))) AS ends
			FROM runs WHERE command = 'run')
		SELECT coalesce(max_by(r.run_id, r.started_at), '') FROM runs r
		WHERE r.command = 'run' OR NOT EXISTS (
			SELECT 1 FROM spans b WHERE b.run_id <> r.run_id AND r.started_at >= b.started_at AND r.started_at <= b.ends)`).Scan(&id)
	if err != nil {
		return "", fmt.Errorf("read latest run: %w", err)
	}
	return id, nil
}

// targetOrder sorts goals and targets as the framework lists them: 1.2
// before 1.10, numbered targets before lettered ones.
const targetOrder = `TRY_CAST(goal AS INTEGER), target IS NOT NULL,
	TRY_CAST(split_part(target, '.', 2) AS INTEGER) NULLS LAST, target`

func readTargets(ctx context.Context, db *sql.DB, country string, staleYears, asOf int) ([]TargetGap, error) {
	// The macro's arguments are formatted here: DuckDB does not bind
	// parameters inside a table macro call. The country is given to the
	// macro so that it reads that country's rows only.
	only := "NULL"
	if country != "" {
		only = sqlString(country)
	}
	q := fmt.Sprintf(`SELECT country_iso3, goal, coalesce(target, ''), target_title, recommendations, upr, tb, sp,
		supported, noted, fallback_only, clusters, indicators, indicators_with_data, coalesce(latest_year, 0),
		dims_available, dims_expected, dims_missing, recommended_no_data, stale, duplicated_across_mechanisms, bodies
		, coalesce(fu_text, ''), coalesce(fu_no_action, 0), coalesce(fu_overdue, 0)
		FROM gap_targets(%d, as_of_year := %d, country := %s)
		LEFT JOIN (SELECT country_iso3 AS fu_country, scope AS fu_scope, followup AS fu_text,
		                  supported_no_action AS fu_no_action, with_overdue_action AS fu_overdue FROM v_target_followup) fu
		       ON fu.fu_country = country_iso3 AND fu.fu_scope = coalesce(target, goal)
		WHERE $1 = '' OR country_iso3 = $1
		ORDER BY country_iso3, `+targetOrder, staleYears, asOf, only)
	rows, err := db.QueryContext(ctx, q, country)
	if err != nil {
		return nil, fmt.Errorf("gap report: read gap_targets: %w", err)
	}
	defer rows.Close()
	var out []TargetGap
	for rows.Next() {
		var t TargetGap
		if err := rows.Scan(&t.Country, &t.Goal, &t.Target, &t.Title, &t.Recommendations, &t.UPR, &t.TB, &t.SP,
			&t.Supported, &t.Noted, &t.FallbackOnly, &t.Clusters, &t.Indicators, &t.IndicatorsWithData, &t.LatestYear,
			(*load.StringList)(&t.DimsAvailable), (*load.StringList)(&t.DimsExpected), (*load.StringList)(&t.DimsMissing),
			&t.RecommendedNoData, &t.Stale, &t.Duplicated, (*load.StringList)(&t.Bodies),
			&t.Followup, &t.SupportedNoAction, &t.OverdueAction); err != nil {
			return nil, fmt.Errorf("gap report: read gap_targets: %w", err)
		}
		out = append(out, t)
		if len(out)%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return out, rows.Err()
}

func readGoals(ctx context.Context, db *sql.DB, country string) ([]GoalCount, error) {
	rows, err := db.QueryContext(ctx, `SELECT g.code, g.title, count(DISTINCT r.rec_id)
		FROM sdg_goals g
		LEFT JOIN v_sdg_labels a ON a.goal = g.code
		LEFT JOIN v_recommendations r ON r.rec_id = a.rec_id AND ($1 = '' OR r.country_iso3 = $1)
		GROUP BY g.code, g.title
		ORDER BY TRY_CAST(g.code AS INTEGER)`, country)
	if err != nil {
		return nil, fmt.Errorf("gap report: count recommendations per goal: %w", err)
	}
	defer rows.Close()
	var out []GoalCount
	for rows.Next() {
		var g GoalCount
		if err := rows.Scan(&g.Goal, &g.Title, &g.Recommendations); err != nil {
			return nil, fmt.Errorf("gap report: count recommendations per goal: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

func readClusters(ctx context.Context, db *sql.DB, country string, names Names) ([]ClusterSummary, error) {
	// v_cluster_summary, of one country's clusters only when one is asked
	// (the macro behind the view reads that country's members only).
	from := "cluster_summary()"
	if country != "" {
		from = "cluster_summary(country := " + sqlString(country) + ")"
	}
	rows, err := db.QueryContext(ctx, `SELECT cluster_id, country_iso3, label, size,
		mechanisms, bodies, supported, noted, coalesce(main_theme, ''), coalesce(main_target, ''),
		coalesce(strftime(first_date, '%Y-%m-%d'), ''), coalesce(strftime(last_date, '%Y-%m-%d'), ''),
		rec_ids, coalesce(example_text, '')
		FROM `+from+`
		WHERE $1 = '' OR country_iso3 = $1
		ORDER BY country_iso3, size DESC, cluster_id`, country)
	if err != nil {
		return nil, fmt.Errorf("read v_cluster_summary: %w", err)
	}
	defer rows.Close()
	var out []ClusterSummary
	for rows.Next() {
		var c ClusterSummary
		if err := rows.Scan(&c.ID, &c.Country, &c.Label, &c.Size, (*load.StringList)(&c.Mechanisms), (*load.StringList)(&c.Bodies),
			&c.Supported, &c.Noted, &c.MainTheme, &c.MainTarget, &c.FirstDate, &c.LastDate, (*load.StringList)(&c.RecIDs), &c.Example); err != nil {
			return nil, fmt.Errorf("read v_cluster_summary: %w", err)
		}
		c.CountryName = names.name(c.Country)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Clusters reads the clusters of a country ("" for all) with their member
// recommendations, most similar first.
func Clusters(ctx context.Context, db *sql.DB, o ClusterOptions) (*ClusterReport, error) {
	country := strings.ToUpper(strings.TrimSpace(o.Country))
	cs, err := readClusters(ctx, db, country, o.Names)
	if err != nil {
		return nil, err
	}
	rep := &ClusterReport{Country: country, CountryName: o.Names.name(country), Clusters: cs}
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM v_recommendations WHERE kind = 'recommendation' AND ($1 = '' OR country_iso3 = $1)`,
		country).Scan(&rep.Recommendations)
	if err != nil {
		return nil, fmt.Errorf("cluster report: count recommendations: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT cm.cluster_id, r.rec_id, r.text, r.mechanism, r.body,
		coalesce(r.response, ''), coalesce(strftime(r.date, '%Y-%m-%d'), '')
		FROM cluster_members cm
		JOIN clusters c ON c.cluster_id = cm.cluster_id
		JOIN recommendations r ON r.rec_id = cm.rec_id
		WHERE $1 = '' OR c.country_iso3 = $1`, country)
	if err != nil {
		return nil, fmt.Errorf("read cluster members: %w", err)
	}
	defer rows.Close()
	members := map[string]map[string]Member{}
	for rows.Next() {
		var cid string
		var m Member
		if err := rows.Scan(&cid, &m.RecID, &m.Text, &m.Mechanism, &m.Body, &m.Response, &m.Date); err != nil {
			return nil, fmt.Errorf("read cluster members: %w", err)
		}
		if members[cid] == nil {
			members[cid] = map[string]Member{}
		}
		members[cid][m.RecID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cluster members: %w", err)
	}
	for i := range cs {
		for _, id := range cs[i].RecIDs { // the view's order
			cs[i].Members = append(cs[i].Members, members[cs[i].ID][id])
		}
	}
	return rep, nil
}

// Countries lists the countries of the report's rows, sorted.
func (r *GapReport) Countries() []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range r.Targets {
		if !seen[t.Country] {
			seen[t.Country] = true
			out = append(out, t.Country)
		}
	}
	sort.Strings(out)
	return out
}

// Flagged returns the rows that carry at least one flag.
func (r *GapReport) Flagged() []TargetGap {
	var out []TargetGap
	for _, t := range r.Targets {
		if len(t.Flags()) > 0 {
			out = append(out, t)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// sqlString is s as an SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}
