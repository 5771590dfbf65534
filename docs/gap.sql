-- gap.sql: per SDG target, recommendations to GBR and the latest year of GBR indicator data
WITH recs AS (
  SELECT a.target, count(DISTINCT a.rec_id) AS recommendations,
         count(DISTINCT CASE WHEN r.response = 'supported' THEN a.rec_id END) AS supported
  FROM sdg_assignments a JOIN recommendations r ON r.rec_id = a.rec_id
  -- a paragraph imported in English and in another language counts once: leave out
  -- the other-language row when its English version is there (same paragraph, session or symbol)
  LEFT JOIN recommendations e ON r.language <> 'en' AND e.language = 'en'
   AND e.country_iso3 = r.country_iso3 AND e.body = r.body AND e.kind = r.kind AND e.paragraph = r.paragraph
   AND (e.upr_session = r.upr_session
        OR (e.upr_session IS NULL AND r.upr_session IS NULL AND upper(e.symbol) = upper(r.symbol)))
  WHERE r.country_iso3 = 'GBR' AND a.target IS NOT NULL AND NOT a.fallback AND e.rec_id IS NULL
  GROUP BY a.target),
data AS (
  SELECT it.target, max(o.year_end) AS latest_year, count(DISTINCT o.indicator_code) AS indicators_with_data
  FROM indicator_observations o JOIN sdg_indicator_targets it ON it.indicator = o.indicator_code
  WHERE o.country_iso3 = 'GBR'
  GROUP BY it.target)
SELECT t.code AS target, t.title, coalesce(recs.recommendations, 0) AS recommendations, recs.supported,
       data.indicators_with_data, data.latest_year
FROM sdg_targets t LEFT JOIN recs ON recs.target = t.code LEFT JOIN data ON data.target = t.code
WHERE recs.recommendations > 0
ORDER BY recommendations DESC
