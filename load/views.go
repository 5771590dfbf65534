package load

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// DefaultStaleYears is how old the latest observation of a target may be
// before v_gap_targets calls the target's data stale.
const DefaultStaleYears = 5

// view is a view or macro CreateViews (re)creates. Views are not
// migrations: a view holds no data, so a newer nmirf may replace it freely.
// since is the schema version whose tables or columns it reads, when not
// the first.
type view struct {
	name, sql string
	since     int
}

// views are created in this order, each after those it reads: the
// recommendations to count, the follow-up views (followup_views.go), the
// gap_targets macro and v_cluster_summary, then the follow-up report views
// (followup_views_report.go), v_gap_targets among them: gap_targets with
// the follow-up of each target. Package variables are initialised
// in dependency order, whatever the file.
var views = slices.Concat(recommendationViews, followupViews, []view{
	{"gap_targets", gapTargetsMacro, 5},
	{"cluster_summary", clusterSummaryMacro, 5},
	{"v_cluster_summary", `CREATE OR REPLACE VIEW v_cluster_summary AS SELECT * FROM cluster_summary()`, 5},
}, followupReportViews)

// recommendationViews say which rows of recommendations are
// recommendations and which are versions of one in another language
// (recommendation_translations, migration 5). Every count of
// recommendations reads v_recommendations, so a paragraph imported in
// English and in French counts once; an update, action link or review
// given to the French version counts for the recommendation.
// Views that leave rows out write an anti join, not NOT EXISTS: DuckDB
// runs the correlated form through the translation join again for every
// row, which made the follow-up and parliament reports several times
// slower.
var recommendationViews = []view{
	{"v_translation_of", `
CREATE OR REPLACE VIEW v_translation_of AS
SELECT translation_rec_id, min(rec_id) AS original_rec_id FROM recommendation_translations GROUP BY translation_rec_id
`, 5},
	{"v_recommendation_versions", `
CREATE OR REPLACE VIEW v_recommendation_versions AS
SELECT r.rec_id, coalesce(t.original_rec_id, r.rec_id) AS original_rec_id, t.original_rec_id IS NOT NULL AS is_translation
FROM recommendations r LEFT JOIN v_translation_of t ON t.translation_rec_id = r.rec_id
`, 5},
	{"v_recommendations", `
CREATE OR REPLACE VIEW v_recommendations AS
SELECT r.* FROM recommendations r
ANTI JOIN recommendation_translations t ON t.translation_rec_id = r.rec_id
`, 5},
	// The same update given to two versions of a recommendation (a tracking
	// sheet naming paragraph 83.2 reaches the English and the French one)
	// is one update.
	{"v_status_updates", `
CREATE OR REPLACE VIEW v_status_updates AS
SELECT u.* REPLACE (coalesce(v.original_rec_id, u.rec_id) AS rec_id), u.rec_id AS reported_rec_id
FROM status_updates u LEFT JOIN v_translation_of v ON v.translation_rec_id = u.rec_id
QUALIFY row_number() OVER (PARTITION BY coalesce(v.original_rec_id, u.rec_id), u.action_id, u.status, u.status_date, u.text,
                                        u.evidence_url, u.reporting_entity ORDER BY u.import_seq, u.update_id) = 1
`, 5},
}

// RegisterView adds a view (or macro) for CreateViews to create after the
// others: a report kind defines the views its readers query in its own
// file (func init() { load.RegisterView(...) }). sql is a CREATE OR
// REPLACE statement.
func RegisterView(name, sql string) {
	views = append(views, view{name: name, sql: sql})
}

// CreateViews creates or replaces the reporting views: v_recommendations
// and the follow-up views, the table macro gap_targets(stale_years,
// as_of_year := this year), v_gap_targets, v_cluster_summary, the
// follow-up report views and those report kinds registered.
//
// A view of a later schema version is created once the database has it: a
// database of an older schema, as a test of an upgrade writes one, does
// not have the tables it reads.
func CreateViews(ctx context.Context, db *sql.DB) error {
	version := len(migrations)
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		version = len(migrations) // a database nmirf did not migrate: every view
	}
	for _, v := range views {
		if v.since > version {
			continue
		}
		if _, err := db.ExecContext(ctx, v.sql); err != nil {
			return fmt.Errorf("create view %s: %w", v.name, err)
		}
	}
	return nil
}

// gapTargetsMacro has one row per country and SDG "scope": a target, or a
// goal as a whole (target NULL) for recommendations that a source or model
// assigned only to a goal. A target appears when the country has
// recommendations linked to it or data on one of its indicators; a goal
// only when it has goal-level recommendations, since every goal with data
// would otherwise repeat its targets.
//
// Expected disaggregations come from the wording of the target and its
// indicators ("by sex, age and disability"); when the wording names none,
// the framework's general rule applies (A/RES/71/313: disaggregated "by
// income, sex, age, race, ethnicity, migratory status, disability and
// geographic location"), of which the five that statistics offices publish
// as columns are expected.
//
// duplicated_across_mechanisms means that two or more different bodies made
// recommendations linked to the scope: the UPR, each treaty body (CRC and
// CEDAW are two) and each special procedure mandate count as one body each;
// bodies lists them. The number or size of clusters plays no part.
//
// country (an ISO3 code) keeps the rows of one country; the links are
// then read for that country only (a filter on the result is applied
// after every country's links are counted: measured 1.7× slower for one
// country of 90,000 recommendations).
const gapTargetsMacro = `
CREATE OR REPLACE MACRO gap_targets(stale_years, as_of_year := NULL, country := NULL) AS TABLE
WITH
dim_words(ord, dim, wording, column_name) AS (
    VALUES (1, 'sex',        '\b(sex|gender)\b',                    '(sex|gender)'),
           (2, 'age',        '\b(age|ages|aged|age group)\b',       '(^|[^a-z])age'),
           (3, 'disability', 'disabilit',                           'disab'),
           (4, 'location',   '(urban|rural|geographic|location)',   '(urban|rural|location|geograph)'),
           (5, 'income',     '(income|wealth|quintile)',            '(income|wealth|quintile|quantile)')
),
scopes AS (
    SELECT code AS scope, goal, code AS target, title FROM sdg_targets
    UNION ALL
    SELECT code, code, NULL, title FROM sdg_goals
),
-- An indicator counts for the targets it is listed under and for their goals.
scope_indicators AS (
    SELECT target AS scope, indicator FROM sdg_indicator_targets
    UNION
    SELECT t.goal, it.indicator
    FROM sdg_indicator_targets it JOIN sdg_targets t ON t.code = it.target
),
scope_indicator_counts AS (
    SELECT scope, count(*) AS indicators FROM scope_indicators GROUP BY scope
),
wording AS (
    SELECT s.scope, lower(s.title || ' ' || coalesce(string_agg(i.title, ' '), '')) AS txt
    FROM scopes s
    LEFT JOIN scope_indicators si ON si.scope = s.scope
    LEFT JOIN sdg_indicators i ON i.code = si.indicator
    GROUP BY s.scope, s.title
),
expected AS (
    SELECT w.scope,
           coalesce(list(d.dim ORDER BY d.ord) FILTER (WHERE regexp_matches(w.txt, d.wording)),
                    (SELECT list(dim ORDER BY ord) FROM dim_words)) AS dims
    FROM wording w CROSS JOIN dim_words d
    GROUP BY w.scope
),
-- National sub-indicators (16.3.2.1) count for their global indicator.
obs AS (
    SELECT country_iso3,
           regexp_extract(indicator_code, '^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}') AS indicator,
           year_end,
           dimensions
    FROM indicator_observations
    WHERE country_iso3 IS NOT NULL AND (country IS NULL OR country_iso3 = country)
),
obs_dims AS (
    SELECT DISTINCT o.country_iso3, o.indicator,
           coalesce((SELECT d.dim FROM dim_words d
                     WHERE regexp_matches(lower(k.key), d.column_name)
                     ORDER BY d.ord LIMIT 1), lower(k.key)) AS dim
    FROM obs o, unnest(json_keys(o.dimensions)) AS k(key)
),
scope_data AS (
    SELECT o.country_iso3, si.scope,
           count(DISTINCT o.indicator) AS indicators_with_data,
           max(o.year_end) AS latest_year
    FROM obs o JOIN scope_indicators si ON si.indicator = o.indicator
    GROUP BY o.country_iso3, si.scope
),
scope_dims AS (
    SELECT od.country_iso3, si.scope, list(DISTINCT od.dim ORDER BY od.dim) AS dims
    FROM obs_dims od JOIN scope_indicators si ON si.indicator = od.indicator
    GROUP BY od.country_iso3, si.scope
),
-- One row per recommendation and scope it is linked to: its SDG labels as
-- reports read them (a reviewed set replaces the model's), translations
-- left out (they carry the labels of their recommendation).
links AS (
    SELECT r.country_iso3, coalesce(a.target, a.goal) AS scope, r.rec_id,
           any_value(r.mechanism) AS mechanism,
           any_value(r.body) AS body,
           any_value(r.response) AS response,
           bool_and(a.fallback) AS fallback_only
    FROM v_sdg_labels a JOIN v_recommendations r ON r.rec_id = a.rec_id
    WHERE a.goal <> 'unclassified' AND (country IS NULL OR r.country_iso3 = country)
    GROUP BY r.country_iso3, coalesce(a.target, a.goal), r.rec_id
),
scope_recs AS (
    SELECT country_iso3, scope,
           count(*)                                        AS recommendations,
           count(*) FILTER (WHERE mechanism = 'UPR')       AS upr,
           count(*) FILTER (WHERE mechanism = 'TB')        AS tb,
           count(*) FILTER (WHERE mechanism = 'SP')        AS sp,
           count(*) FILTER (WHERE response = 'supported')  AS supported,
           count(*) FILTER (WHERE response = 'noted')      AS noted,
           count(*) FILTER (WHERE fallback_only)           AS fallback_only,
           count(DISTINCT body)                            AS n_bodies,
           list(DISTINCT body ORDER BY body)               AS bodies
    FROM links
    GROUP BY country_iso3, scope
),
scope_clusters AS (
    SELECT l.country_iso3, l.scope, count(DISTINCT cm.cluster_id) AS clusters
    FROM links l
    JOIN cluster_members cm ON cm.rec_id = l.rec_id
    GROUP BY l.country_iso3, l.scope
),
unclassified AS (
    SELECT r.country_iso3, count(*) AS n
    FROM v_recommendations r
    ANTI JOIN (SELECT rec_id FROM v_sdg_labels WHERE goal <> 'unclassified') a ON a.rec_id = r.rec_id
    WHERE country IS NULL OR r.country_iso3 = country
    GROUP BY r.country_iso3
),
keys AS (
    SELECT country_iso3, scope FROM scope_recs
    UNION
    SELECT d.country_iso3, d.scope
    FROM scope_data d JOIN scopes s ON s.scope = d.scope
    WHERE s.target IS NOT NULL
),
as_of AS (
    SELECT coalesce(as_of_year, year(current_date)) AS year
)
SELECT k.country_iso3,
       s.goal,
       s.target,
       s.title                                   AS target_title,
       coalesce(r.recommendations, 0)            AS recommendations,
       coalesce(r.upr, 0)                        AS upr,
       coalesce(r.tb, 0)                         AS tb,
       coalesce(r.sp, 0)                         AS sp,
       coalesce(r.supported, 0)                  AS supported,
       coalesce(r.noted, 0)                      AS noted,
       coalesce(r.fallback_only, 0)              AS fallback_only,
       coalesce(c.clusters, 0)                   AS clusters,
       coalesce(ic.indicators, 0)                AS indicators,
       coalesce(d.indicators_with_data, 0)       AS indicators_with_data,
       d.latest_year,
       coalesce(sd.dims, [])                     AS dims_available,
       e.dims                                    AS dims_expected,
       list_filter(e.dims, lambda x: NOT list_contains(coalesce(sd.dims, []), x)) AS dims_missing,
       coalesce(r.recommendations, 0) > 0 AND coalesce(d.indicators_with_data, 0) = 0 AS recommended_no_data,
       coalesce(d.latest_year < (SELECT year FROM as_of) - stale_years, false)           AS stale,
       coalesce(r.n_bodies, 0) >= 2                                                     AS duplicated_across_mechanisms,
       coalesce(u.n, 0)                          AS country_unclassified,
       coalesce(r.bodies, [])                    AS bodies
FROM keys k
JOIN scopes s ON s.scope = k.scope
LEFT JOIN scope_recs r ON r.country_iso3 = k.country_iso3 AND r.scope = k.scope
LEFT JOIN scope_clusters c ON c.country_iso3 = k.country_iso3 AND c.scope = k.scope
LEFT JOIN scope_data d ON d.country_iso3 = k.country_iso3 AND d.scope = k.scope
LEFT JOIN scope_dims sd ON sd.country_iso3 = k.country_iso3 AND sd.scope = k.scope
LEFT JOIN scope_indicator_counts ic ON ic.scope = k.scope
LEFT JOIN expected e ON e.scope = k.scope
LEFT JOIN unclassified u ON u.country_iso3 = k.country_iso3
`

// clusterSummaryMacro computes a cluster's figures from its members (the
// recommendations, not their translations), so they stay right when
// members change; the stored main theme and target win over
// the members' most frequent first-ranked labels. example_text is the text
// of the member closest to the cluster's centre. It is the macro
// cluster_summary(country := NULL), which reads the members of one
// country's clusters only when given its ISO3 code, behind the view
// v_cluster_summary of every country.
const clusterSummaryMacro = `
CREATE OR REPLACE MACRO cluster_summary(country := NULL) AS TABLE
WITH
members AS (
    SELECT cm.cluster_id, cm.similarity, r.rec_id, r.text, r.mechanism, r.body, r.response, r.date
    FROM cluster_members cm JOIN v_recommendations r ON r.rec_id = cm.rec_id
    WHERE country IS NULL OR cm.cluster_id IN (SELECT cluster_id FROM clusters WHERE country_iso3 = country)
),
theme_votes AS (
    SELECT m.cluster_id, t.label, count(DISTINCT t.rec_id) AS n
    FROM members m JOIN v_theme_labels t ON t.rec_id = m.rec_id
    WHERE t.rank = 1 AND t.label <> 'unclassified'
    GROUP BY m.cluster_id, t.label
),
target_votes AS (
    SELECT m.cluster_id, a.target, count(DISTINCT a.rec_id) AS n
    FROM members m JOIN v_sdg_labels a ON a.rec_id = m.rec_id
    WHERE a.target IS NOT NULL
    GROUP BY m.cluster_id, a.target
),
top_theme AS (
    SELECT cluster_id, first(label ORDER BY n DESC, label) AS label FROM theme_votes GROUP BY cluster_id
),
top_target AS (
    SELECT cluster_id, first(target ORDER BY n DESC, target) AS target FROM target_votes GROUP BY cluster_id
)
SELECT c.cluster_id,
       c.country_iso3,
       c.label,
       count(m.rec_id)                                    AS size,
       list(DISTINCT m.mechanism ORDER BY m.mechanism) FILTER (WHERE m.rec_id IS NOT NULL) AS mechanisms,
       list(DISTINCT m.body ORDER BY m.body) FILTER (WHERE m.rec_id IS NOT NULL) AS bodies,
       count(*) FILTER (WHERE m.response = 'supported')   AS supported,
       count(*) FILTER (WHERE m.response = 'noted')       AS noted,
       coalesce(any_value(c.main_theme), any_value(tt.label))       AS main_theme,
       coalesce(any_value(c.main_sdg_target), any_value(tg.target)) AS main_target,
       min(m.date)                                        AS first_date,
       max(m.date)                                        AS last_date,
       list(m.rec_id ORDER BY m.similarity DESC, m.rec_id) FILTER (WHERE m.rec_id IS NOT NULL) AS rec_ids,
       first(m.text ORDER BY m.similarity DESC, m.rec_id)  AS example_text
FROM clusters c
LEFT JOIN members m ON m.cluster_id = c.cluster_id
LEFT JOIN top_theme tt ON tt.cluster_id = c.cluster_id
LEFT JOIN top_target tg ON tg.cluster_id = c.cluster_id
WHERE country IS NULL OR c.country_iso3 = country
GROUP BY c.cluster_id, c.country_iso3, c.label
`
