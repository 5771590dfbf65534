package load

import "fmt"

// DefaultStaleMonths is how long a recommendation may go without a status
// update before the follow-up report lists it.
const DefaultStaleMonths = 12

// The follow-up report views read the follow-up views (followup_views.go)
// and gap_targets, which views.go creates before them, and say, per
// recommendation (not per language version), what the follow-up and
// parliament reports count. The report date and the staleness limit are
// macro arguments, so a report of a past date counts as it would have then.
var followupReportViews = []view{
	{"followup_recommendations", followupRecommendationsMacro, 5},
	{"v_followup_recommendations", `CREATE OR REPLACE VIEW v_followup_recommendations AS SELECT * FROM followup_recommendations(12)`, 5},
	{"followup_history", followupHistoryMacro, 5},
	{"v_target_followup", targetFollowupView, 5},
	{"v_gap_targets", gapTargetsFollowupView, 5},
	{"followup_status_at", followupStatusAtMacro, 5},
	{"indicator_trend", indicatorTrendMacro, 0},
	{"v_indicator_trend", `CREATE OR REPLACE VIEW v_indicator_trend AS SELECT * FROM indicator_trend(9999)`, 0},
}

// followupRecommendationsMacro has one row per recommendation: its current
// status ('no_update' when none was ever received), lead entity, cluster,
// first SDG goal, the actions that answer it and how many of them are
// overdue on the report date, and two flags: supported_no_action and stale
// (neither implemented nor not applicable, and no update, or no date of
// its own when never updated, within stale_months before the report date).
const followupRecommendationsMacro = `
CREATE OR REPLACE MACRO followup_recommendations(stale_months, as_of := NULL) AS TABLE
WITH
day AS (SELECT coalesce(CAST(as_of AS DATE), current_date) AS d),
cluster_labels AS (SELECT cluster_id, any_value(label) AS label FROM clusters GROUP BY cluster_id),
rec_cluster AS (SELECT rec_id, min(cluster_id) AS cluster_id FROM cluster_members GROUP BY rec_id),
acts AS (
    SELECT ar.rec_id,
           count(DISTINCT a.action_id) AS actions,
           count(DISTINCT a.action_id) FILTER (WHERE a.target_date < (SELECT d FROM day)
               AND coalesce(a.status, 'not_started') NOT IN ('implemented', 'not_applicable')) AS overdue_actions,
           min(a.target_date) FILTER (WHERE coalesce(a.status, 'not_started') NOT IN ('implemented', 'not_applicable')) AS next_target_date
    FROM v_action_recommendations ar JOIN v_action_status a ON a.action_id = ar.action_id
    GROUP BY ar.rec_id
),
goals AS (
    SELECT rec_id, first(goal ORDER BY rank, TRY_CAST(goal AS INTEGER)) AS main_goal
    FROM v_sdg_labels WHERE goal <> 'unclassified' GROUP BY rec_id
)
SELECT r.rec_id, r.country_iso3, r.mechanism, r.body, r.symbol, r.paragraph, r.date, r.response, r.text,
       coalesce(f.status, 'no_update') AS status, f.status_date, f.update_text, f.evidence_url, f.reporting_entity,
       f.updates,
       p.lead_entity, p.lead_source,
       rc.cluster_id, cl.label AS cluster_label,
       g.main_goal,
       coalesce(a.actions, 0) AS actions,
       coalesce(a.overdue_actions, 0) AS overdue_actions,
       a.next_target_date,
       coalesce(r.response = 'supported' AND coalesce(a.actions, 0) = 0, false) AS supported_no_action,
       coalesce(f.status, 'no_update') NOT IN ('implemented', 'not_applicable')
           AND coalesce(f.status_date, r.date, DATE '1900-01-01') < (SELECT d FROM day) - to_months(CAST(stale_months AS INTEGER)) AS stale
FROM v_recommendations r
JOIN v_followup_status f ON f.rec_id = r.rec_id
LEFT JOIN v_responsibility p ON p.rec_id = r.rec_id
LEFT JOIN rec_cluster rc ON rc.rec_id = r.rec_id
LEFT JOIN cluster_labels cl ON cl.cluster_id = rc.cluster_id
LEFT JOIN goals g ON g.rec_id = r.rec_id
LEFT JOIN acts a ON a.rec_id = r.rec_id
`

// followupHistoryMacro has, for the end of each quarter from the first
// status update to the report date, the status each recommendation had
// then (its latest update dated on or before that day). Recommendations
// not yet updated at a quarter's end have no row for it.
const followupHistoryMacro = `
CREATE OR REPLACE MACRO followup_history(as_of := NULL) AS TABLE
WITH
day AS (SELECT coalesce(CAST(as_of AS DATE), current_date) AS d),
ups AS (SELECT rec_id, status, status_date, import_seq FROM v_status_updates WHERE rec_id IS NOT NULL AND status_date <= (SELECT d FROM day)),
quarters AS (
    SELECT CAST(q AS DATE) AS quarter_start, CAST(q + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS period_end
    FROM range(CAST(date_trunc('quarter', (SELECT min(status_date) FROM ups)) AS TIMESTAMP),
               CAST((SELECT d FROM day) AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 3 MONTH) AS t(q)
)
SELECT q.period_end,
       strftime(q.quarter_start, '%Y') || '-Q' || CAST(quarter(q.quarter_start) AS VARCHAR) AS period,
       u.rec_id, u.status
FROM quarters q JOIN ups u ON u.status_date <= q.period_end
QUALIFY row_number() OVER (PARTITION BY q.period_end, u.rec_id ORDER BY u.status_date DESC, u.import_seq DESC) = 1
`

// targetFollowupView has per country and SDG scope (a target, or a goal
// for goal-level links, as in gap_targets) the follow-up status of the
// recommendations linked to it, so that a target reads "supported, no
// action, no indicator data" beside v_gap_targets.
const targetFollowupView = `
CREATE OR REPLACE VIEW v_target_followup AS
WITH links AS (
    SELECT DISTINCT coalesce(l.target, l.goal) AS scope, l.rec_id
    FROM v_sdg_labels l WHERE l.goal <> 'unclassified'
),
c AS (
    SELECT f.country_iso3, l.scope,
           count(*)                                                         AS recommendations,
           count(*) FILTER (WHERE f.status = 'no_update')                   AS no_update,
           count(*) FILTER (WHERE f.status = 'not_started')                 AS not_started,
           count(*) FILTER (WHERE f.status = 'in_progress')                 AS in_progress,
           count(*) FILTER (WHERE f.status = 'partially_implemented')       AS partially_implemented,
           count(*) FILTER (WHERE f.status = 'implemented')                 AS implemented,
           count(*) FILTER (WHERE f.status = 'not_applicable')              AS not_applicable,
           count(*) FILTER (WHERE f.actions > 0)                            AS with_action,
           count(*) FILTER (WHERE f.supported_no_action)                    AS supported_no_action,
           count(*) FILTER (WHERE f.overdue_actions > 0)                    AS with_overdue_action
    FROM links l JOIN v_followup_recommendations f ON f.rec_id = l.rec_id
    GROUP BY f.country_iso3, l.scope
)
SELECT c.*,
       concat_ws('; ',
           CASE WHEN supported_no_action > 0 THEN CAST(supported_no_action AS VARCHAR) || ' supported, no action' END,
           CASE WHEN with_overdue_action > 0 THEN CAST(with_overdue_action AS VARCHAR) || ' with an overdue action' END,
           CASE WHEN implemented > 0 THEN CAST(implemented AS VARCHAR) || ' implemented' END,
           CASE WHEN partially_implemented > 0 THEN CAST(partially_implemented AS VARCHAR) || ' partially implemented' END,
           CASE WHEN in_progress > 0 THEN CAST(in_progress AS VARCHAR) || ' in progress' END,
           CASE WHEN not_started > 0 THEN CAST(not_started AS VARCHAR) || ' not started' END,
           CASE WHEN not_applicable > 0 THEN CAST(not_applicable AS VARCHAR) || ' not applicable' END,
           CASE WHEN no_update > 0 THEN CAST(no_update AS VARCHAR) || ' no update' END) AS followup
FROM c
`

// gapTargetsFollowupView is v_gap_targets: the rows of gap_targets
// (views.go) with the follow-up of each target's recommendations beside
// its data gaps.
var gapTargetsFollowupView = fmt.Sprintf(`
CREATE OR REPLACE VIEW v_gap_targets AS
SELECT g.*,
       coalesce(f.followup, '')              AS followup,
       coalesce(f.with_action, 0)            AS with_action,
       coalesce(f.supported_no_action, 0)    AS supported_no_action,
       coalesce(f.with_overdue_action, 0)    AS with_overdue_action
FROM gap_targets(%d) g
LEFT JOIN v_target_followup f ON f.country_iso3 = g.country_iso3 AND f.scope = coalesce(g.target, g.goal)
`, DefaultStaleYears)

// followupStatusAtMacro is the status each recommendation had on a day:
// its latest update dated on or before it.
const followupStatusAtMacro = `
CREATE OR REPLACE MACRO followup_status_at(day) AS TABLE
SELECT rec_id, status, status_date
FROM v_status_updates
WHERE rec_id IS NOT NULL AND status_date <= CAST(day AS DATE)
QUALIFY row_number() OVER (PARTITION BY rec_id ORDER BY status_date DESC, import_seq DESC) = 1
`

// indicatorTrendMacro has, per country and indicator series, the first and
// the latest yearly value of the national totals up to a year (several
// total rows of one year, e.g. from two datasets, are averaged). National
// sub-indicators (16.3.2.1) are listed under their global indicator.
const indicatorTrendMacro = `
CREATE OR REPLACE MACRO indicator_trend(to_year) AS TABLE
WITH yearly AS (
    SELECT country_iso3,
           regexp_extract(indicator_code, '^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}') AS indicator,
           indicator_code, coalesce(series_code, '') AS series_code, coalesce(unit, '') AS unit,
           year_end AS year, avg(value) AS value
    FROM indicator_observations
    WHERE country_iso3 IS NOT NULL AND is_total AND value IS NOT NULL AND year_end <= to_year
    GROUP BY ALL
)
SELECT country_iso3, indicator, indicator_code, series_code, unit,
       min(year) AS first_year, arg_min(value, year) AS first_value,
       max(year) AS latest_year, arg_max(value, year) AS latest_value,
       count(*) AS years
FROM yearly
WHERE indicator <> ''
GROUP BY ALL
`
