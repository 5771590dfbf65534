package load

// The follow-up views are created with the others by CreateViews (views.go
// says in which order). They read the append-only tables of migration 4
// and say what is current: the latest status, the latest review of a label
// scheme, the lead entity. Reports read labels through v_theme_labels and
// v_sdg_labels so that a person's correction overrides the model
// everywhere. An update, action link or review given to a translation
// (v_translation_of, migration 5) counts for its recommendation:
// v_followup_status has one row per recommendation, not per language.
var followupViews = []view{
	{"v_reviewed_labels", `
CREATE OR REPLACE VIEW v_reviewed_labels AS
SELECT rec_id, scheme, labels, reviewer_entity, review_date, source_file, source_sheet, source_row, imported_at, run_id,
       count(*) OVER (PARTITION BY rec_id, scheme) AS reviews
FROM (SELECT l.* REPLACE (coalesce(v.original_rec_id, l.rec_id) AS rec_id)
      FROM reviewed_labels l LEFT JOIN v_translation_of v ON v.translation_rec_id = l.rec_id)
QUALIFY row_number() OVER (PARTITION BY rec_id, scheme
                           ORDER BY review_date DESC NULLS LAST, import_seq DESC) = 1
`, 5},
	{"v_theme_labels", `
CREATE OR REPLACE VIEW v_theme_labels AS
WITH rv AS (  -- a review holds for every version of its recommendation
    SELECT r.rec_id, r.scheme, r.labels FROM v_reviewed_labels r WHERE r.scheme IN ('uhri-theme', 'upr-info-issue')
    UNION ALL
    SELECT v.translation_rec_id, r.scheme, r.labels
    FROM v_reviewed_labels r JOIN v_translation_of v ON v.original_rec_id = r.rec_id
    WHERE r.scheme IN ('uhri-theme', 'upr-info-issue')
)
SELECT t.rec_id, t.scheme, t.label, t.score, t.rank, t.fallback, false AS reviewed, t.model_id
FROM theme_assignments t
ANTI JOIN rv ON rv.rec_id = t.rec_id AND rv.scheme = t.scheme
UNION ALL
SELECT rv.rec_id, rv.scheme, l.label, NULL::DOUBLE, CAST(l.rank AS INTEGER), false, true, NULL
FROM rv, unnest(rv.labels) WITH ORDINALITY AS l(label, rank)
`, 5},
	{"v_sdg_labels", `
CREATE OR REPLACE VIEW v_sdg_labels AS
WITH rv AS (  -- a review holds for every version of its recommendation
    SELECT r.rec_id, r.labels FROM v_reviewed_labels r WHERE r.scheme = 'sdg-target'
    UNION ALL
    SELECT v.translation_rec_id, r.labels
    FROM v_reviewed_labels r JOIN v_translation_of v ON v.original_rec_id = r.rec_id
    WHERE r.scheme = 'sdg-target'
)
SELECT a.rec_id, a.goal, a.target, a.score, a.rank, a.fallback, false AS reviewed, a.model_id
FROM sdg_assignments a
ANTI JOIN rv ON rv.rec_id = a.rec_id
UNION ALL
SELECT rv.rec_id, split_part(l.target, '.', 1), l.target, NULL::DOUBLE, CAST(l.rank AS INTEGER), false, true, NULL
FROM rv, unnest(rv.labels) WITH ORDINALITY AS l(target, rank)
`, 5},
	{"v_training_labels", `
CREATE OR REPLACE VIEW v_training_labels AS
SELECT r.rec_id, rec.text, CASE r.scheme WHEN 'sdg-target' THEN 'sdg' WHEN 'uhri-theme' THEN 'uhri-themes' ELSE 'upr-info-issues' END AS task,
       r.scheme, unnest(r.labels) AS label, r.review_date, r.source_file
FROM v_reviewed_labels r JOIN recommendations rec ON rec.rec_id = r.rec_id
WHERE r.scheme IN ('uhri-theme', 'upr-info-issue', 'sdg-target')
`, 5},
	{"v_followup_status", `
CREATE OR REPLACE VIEW v_followup_status AS
WITH latest AS (
    SELECT rec_id, status, status_raw, status_date, text, evidence_url, reporting_entity, public, source_file, source_sheet, source_row, imported_at,
           count(*) OVER (PARTITION BY rec_id) AS updates,
           min(status_date) OVER (PARTITION BY rec_id) AS first_update_date
    FROM v_status_updates
    WHERE rec_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY rec_id ORDER BY status_date DESC, import_seq DESC) = 1
)
SELECT r.rec_id, r.country_iso3, r.mechanism, r.body, r.response,
       l.status, l.status_date, l.text AS update_text, l.evidence_url, l.reporting_entity, l.public,
       coalesce(l.updates, 0) AS updates, l.first_update_date,
       l.source_file, l.source_sheet, l.source_row, l.imported_at
FROM v_recommendations r LEFT JOIN latest l ON l.rec_id = r.rec_id
`, 5},
	{"v_action_status", `
CREATE OR REPLACE VIEW v_action_status AS
WITH act AS (
    SELECT * FROM actions QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY imported_at DESC, run_id DESC) = 1
),
latest AS (
    SELECT action_id, status, status_date, text, evidence_url, reporting_entity,
           count(*) OVER (PARTITION BY action_id) AS updates
    FROM status_updates
    WHERE action_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY status_date DESC, import_seq DESC) = 1
)
SELECT a.action_id, a.country_iso3, a.title, a.description, a.lead_entity, a.supporting_entities, a.start_date, a.target_date,
       a.sdg_indicators, a.budget_line, a.outcome, a.public,
       l.status, l.status_date, l.text AS update_text, l.evidence_url, coalesce(l.updates, 0) AS updates,
       a.target_date < current_date AND coalesce(l.status, 'not_started') NOT IN ('implemented', 'not_applicable') AS overdue,
       (SELECT list(DISTINCT coalesce(v.original_rec_id, k.rec_id) ORDER BY coalesce(v.original_rec_id, k.rec_id))
        FROM action_links k LEFT JOIN v_translation_of v ON v.translation_rec_id = k.rec_id
        WHERE k.action_id = a.action_id AND k.rec_id IS NOT NULL) AS rec_ids,
       (SELECT list(DISTINCT k.cluster_id ORDER BY k.cluster_id) FROM action_links k WHERE k.action_id = a.action_id AND k.cluster_id IS NOT NULL) AS cluster_ids
FROM act a LEFT JOIN latest l ON l.action_id = a.action_id
`, 5},
	{"v_action_recommendations", `
CREATE OR REPLACE VIEW v_action_recommendations AS
SELECT DISTINCT k.action_id, coalesce(v.original_rec_id, k.rec_id, cm.rec_id) AS rec_id, k.cluster_id
FROM action_links k LEFT JOIN cluster_members cm ON cm.cluster_id = k.cluster_id
LEFT JOIN v_translation_of v ON v.translation_rec_id = coalesce(k.rec_id, cm.rec_id)
WHERE coalesce(k.rec_id, cm.rec_id) IS NOT NULL
`, 5},
	{"v_responsibility", `
CREATE OR REPLACE VIEW v_responsibility AS
WITH
labels AS (
    SELECT rec_id, scheme, label, 0 AS rank, NULL::DOUBLE AS score FROM source_labels
    WHERE scheme IN ('uhri-theme', 'upr-info-issue')
    UNION ALL
    SELECT rec_id, scheme, label, rank, score FROM v_theme_labels
    UNION ALL
    SELECT rec_id, 'sdg-goal', goal, rank, score FROM v_sdg_labels
),
candidates AS (
    SELECT l.rec_id, u.entity_code, u.scheme, l.label, u.priority, l.rank, l.score
    FROM labels l JOIN responsibility_rules u ON u.scheme = l.scheme AND lower(u.label) = lower(l.label)
),
proposed AS (
    SELECT rec_id, entity_code, scheme || ': ' || label AS basis
    FROM candidates
    QUALIFY row_number() OVER (PARTITION BY rec_id ORDER BY priority, rank, score DESC NULLS FIRST, entity_code) = 1
),
confirmed AS (
    SELECT rec_id, labels[1] AS entity_code, source_file, review_date
    FROM v_reviewed_labels WHERE scheme = 'lead-entity' AND len(labels) > 0
)
SELECT r.rec_id, r.country_iso3,
       p.entity_code AS proposed_lead,
       p.basis       AS proposed_basis,
       c.entity_code AS confirmed_lead,
       c.source_file AS confirmed_in,
       coalesce(c.entity_code, p.entity_code) AS lead_entity,
       CASE WHEN c.entity_code IS NOT NULL THEN 'confirmed' WHEN p.entity_code IS NOT NULL THEN 'proposed' END AS lead_source
FROM recommendations r
LEFT JOIN v_translation_of v ON v.translation_rec_id = r.rec_id
LEFT JOIN proposed p ON p.rec_id = r.rec_id
LEFT JOIN confirmed c ON c.rec_id = coalesce(v.original_rec_id, r.rec_id)
`, 5},
}
