package site

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Label is a theme or SDG target/goal assigned to a recommendation.
type Label struct {
	Code     string
	Score    float64
	Evidence []string
	Fallback bool
	Reviewed bool // set by a reviewer (v_theme_labels, v_sdg_labels), not the model
}

// Update is one public status update.
type Update struct {
	Status, Date, Text, Entity string
}

// Rec is a recommendation as the site shows it.
type Rec struct {
	ID, Text, Lang, Mechanism, Body, Symbol, Paragraph, Date, Response string
	Session                                                            int
	Themes, SDGs                                                       []Label
	Clusters                                                           []string
	Lead                                                               string
	History                                                            []Update // oldest first
	Review                                                             string   // review key
	// Versions are the same recommendation in other languages (the same
	// paragraph of a report imported in each), counted once: under the
	// English one when there is one.
	Versions []Version
	fp       string    // fingerprint of all the site shows of it
	csv      []byte    // its row of the pages' CSV files, made when first needed
	csvOnce  sync.Once // (languages render at the same time)
}

// csvRow is the recommendation's row of the pages' CSV files.
func (r *Rec) csvRow() []byte {
	r.csvOnce.Do(func() { r.csv = csvBytes(nil, [][]string{recRow(r)}) })
	return r.csv
}

// Version is a recommendation's text in another language.
type Version struct{ ID, Lang, Text, Review string }

// Status is the latest public status, "" when none.
func (r *Rec) Status() string {
	if len(r.History) == 0 {
		return ""
	}
	return r.History[len(r.History)-1].Status
}

// Cluster is a group of the same ask across mechanisms.
type Cluster struct {
	ID, Label, MainTheme, MainTarget string
	Recs                             []string
}

// Action is a public action of the follow-up plan.
type Action struct {
	ID, Title, Description, Lead, TargetDate string
	Recs                                     []string
	History                                  []Update
	fp                                       string
}

// Entity is a responsible entity.
type Entity struct{ Code, Name, Kind string }

// Point is one value of an indicator series.
type Point struct {
	Year  int
	Value float64
}

// Series is an indicator's national totals over time.
type Series struct {
	Indicator, Code, Unit string
	Points                []Point
}

// Country is everything the site of one country shows.
type Country struct {
	ISO3       string
	Name       string
	RunID      string
	RunDate    string
	Recs       []*Rec
	ByID       map[string]*Rec
	Clusters   []*Cluster
	Goals      map[string]string // code -> English title
	Targets    map[string]string
	TargetGoal map[string]string
	Indicators map[string]string   // indicator code -> English title
	TargetInds map[string][]string // target -> indicators
	Series     map[string][]Series // indicator -> series
	Followup   bool                // the warehouse has follow-up tables
	Entities   map[string]Entity
	Actions    []*Action
	Models     []Model

	// keys of the data pages share, for the incremental build
	globalKey, allKey, clustersKey, actionsKey string
	slugs                                      sync.Map          // id -> slug(id)
	alias                                      map[string]string // translation rec_id -> its English rec_id
	pageKeys                                   sync.Map          // page path -> key of the data it shows
}

// Model is a classification model's id and task.
type Model struct{ ID, Task string }

func tableExists(ctx context.Context, db *sql.DB, name string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, name).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}

func columnExists(ctx context.Context, db *sql.DB, table, col string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?`, table, col).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look for column %s.%s: %w", table, col, err)
	}
	return n > 0, nil
}

// query runs q and calls scan for each row.
func query(ctx context.Context, db *sql.DB, what, q string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

func strList(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Load reads a country's public data from the warehouse. Rows not marked
// public are filtered in the queries, so they never reach memory.
func Load(ctx context.Context, db *sql.DB, iso3 string) (*Country, error) {
	c := &Country{ISO3: iso3, ByID: map[string]*Rec{}, Goals: map[string]string{}, Targets: map[string]string{},
		TargetGoal: map[string]string{}, Indicators: map[string]string{}, TargetInds: map[string][]string{},
		Series: map[string][]Series{}, Entities: map[string]Entity{}}
	langCol := "NULL"
	for _, col := range []string{"lang", "language"} {
		ok, err := columnExists(ctx, db, "recommendations", col)
		if err != nil {
			return nil, err
		}
		if ok {
			langCol = col
			break
		}
	}
	err := query(ctx, db, "recommendations", `
SELECT rec_id, text, coalesce(`+langCol+`, ''), mechanism, body, coalesce(symbol, ''), coalesce(paragraph, ''),
       coalesce(strftime(date, '%Y-%m-%d'), ''), coalesce(response, ''), coalesce(upr_session, 0), coalesce(country_name, '')
FROM recommendations WHERE country_iso3 = ? ORDER BY date NULLS LAST, body, symbol, rec_id`, func(rows *sql.Rows) error {
		r := &Rec{}
		if err := rows.Scan(&r.ID, &r.Text, &r.Lang, &r.Mechanism, &r.Body, &r.Symbol, &r.Paragraph, &r.Date, &r.Response, &r.Session, &c.Name); err != nil {
			return err
		}
		if r.Lang == "" {
			r.Lang = "en"
		}
		r.Review = reviewKey(r)
		c.Recs = append(c.Recs, r)
		c.ByID[r.ID] = r
		return nil
	}, iso3)
	if err != nil {
		return nil, err
	}
	if len(c.Recs) == 0 {
		return nil, fmt.Errorf("the warehouse has no recommendations for %s", iso3)
	}
	if c.Name == "" {
		c.Name = iso3
	}
	// Labels are those of v_theme_labels and v_sdg_labels: a reviewed set
	// (v_reviewed_labels) replaces the model's labels of its scheme. The
	// same rule is written here over the tables, with the model's evidence
	// terms: read through those views, a 30,000-recommendation country took
	// minutes instead of a second.
	themes, sdgs := `
WITH rv AS (SELECT rec_id, labels FROM v_reviewed_labels WHERE scheme = 'uhri-theme'),
     mine AS (SELECT rec_id FROM recommendations WHERE country_iso3 = ?)
SELECT t.rec_id, t.label, t.score, t.evidence, t.fallback, false AS reviewed, t.rank
FROM theme_assignments t SEMI JOIN mine USING (rec_id) ANTI JOIN rv USING (rec_id)
WHERE t.scheme = 'uhri-theme' AND t.label <> 'unclassified'
UNION ALL
SELECT rv.rec_id, l.label, 0, NULL, false, true, CAST(l.rank AS INTEGER)
FROM rv SEMI JOIN mine USING (rec_id), unnest(rv.labels) WITH ORDINALITY AS l(label, rank)
ORDER BY 1, 6 DESC, 7`, `
WITH rv AS (SELECT rec_id, labels FROM v_reviewed_labels WHERE scheme = 'sdg-target'),
     mine AS (SELECT rec_id FROM recommendations WHERE country_iso3 = ?)
SELECT a.rec_id, a.goal, coalesce(a.target, ''), a.score, a.evidence, a.fallback, false AS reviewed, a.rank
FROM sdg_assignments a SEMI JOIN mine USING (rec_id) ANTI JOIN rv USING (rec_id)
WHERE a.goal <> 'unclassified'
UNION ALL
SELECT rv.rec_id, split_part(l.target, '.', 1), l.target, 0, NULL, false, true, CAST(l.rank AS INTEGER)
FROM rv SEMI JOIN mine USING (rec_id), unnest(rv.labels) WITH ORDINALITY AS l(target, rank)
ORDER BY 1, 7 DESC, 8`
	if ok, err := tableExists(ctx, db, "v_reviewed_labels"); err != nil {
		return nil, err
	} else if !ok { // a warehouse from before the follow-up tables
		themes, sdgs = `
SELECT t.rec_id, t.label, t.score, t.evidence, t.fallback, false, t.rank FROM theme_assignments t JOIN recommendations r ON r.rec_id = t.rec_id
WHERE r.country_iso3 = ? AND t.scheme = 'uhri-theme' AND t.label <> 'unclassified' ORDER BY t.rec_id, t.rank`, `
SELECT a.rec_id, a.goal, coalesce(a.target, ''), a.score, a.evidence, a.fallback, false, a.rank FROM sdg_assignments a JOIN recommendations r ON r.rec_id = a.rec_id
WHERE r.country_iso3 = ? AND a.goal <> 'unclassified' ORDER BY a.rec_id, a.rank`
	}
	err = query(ctx, db, "theme labels", themes, func(rows *sql.Rows) error {
		var id string
		var l Label
		var ev, rank any
		if err := rows.Scan(&id, &l.Code, &l.Score, &ev, &l.Fallback, &l.Reviewed, &rank); err != nil {
			return err
		}
		l.Evidence = strList(ev)
		if r := c.ByID[id]; r != nil {
			r.Themes = append(r.Themes, l)
		}
		return nil
	}, iso3)
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, "SDG labels", sdgs, func(rows *sql.Rows) error {
		var id, goal, target string
		var l Label
		var ev, rank any
		if err := rows.Scan(&id, &goal, &target, &l.Score, &ev, &l.Fallback, &l.Reviewed, &rank); err != nil {
			return err
		}
		l.Code, l.Evidence = target, strList(ev)
		if target == "" {
			l.Code = goal
		}
		if r := c.ByID[id]; r != nil {
			r.SDGs = append(r.SDGs, l)
		}
		return nil
	}, iso3)
	if err != nil {
		return nil, err
	}
	if err := c.loadTranslations(ctx, db); err != nil {
		return nil, err
	}
	err = query(ctx, db, "clusters", `
SELECT c.cluster_id, c.label, coalesce(c.main_theme, ''), coalesce(c.main_sdg_target, ''), list(m.rec_id ORDER BY m.similarity DESC, m.rec_id)
FROM clusters c JOIN cluster_members m ON m.cluster_id = c.cluster_id
WHERE c.country_iso3 = ? GROUP BY ALL ORDER BY count(*) DESC, c.cluster_id`, func(rows *sql.Rows) error {
		cl := &Cluster{}
		var ids any
		if err := rows.Scan(&cl.ID, &cl.Label, &cl.MainTheme, &cl.MainTarget, &ids); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, id := range strList(ids) {
			// A translation counts as its English recommendation, once.
			if r := c.rec(id); r != nil && !seen[r.ID] {
				seen[r.ID] = true
				cl.Recs = append(cl.Recs, r.ID)
				r.Clusters = append(r.Clusters, cl.ID)
			}
		}
		c.Clusters = append(c.Clusters, cl)
		return nil
	}, iso3)
	if err != nil {
		return nil, err
	}
	if err := c.loadSDG(ctx, db); err != nil {
		return nil, err
	}
	if err := c.loadFollowup(ctx, db); err != nil {
		return nil, err
	}
	err = query(ctx, db, "runs", `SELECT run_id, strftime(coalesce(finished_at, started_at), '%Y-%m-%d') FROM runs
WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1`, func(rows *sql.Rows) error { return rows.Scan(&c.RunID, &c.RunDate) })
	if err != nil {
		return nil, err
	}
	err = query(ctx, db, "models", `SELECT model_id, task FROM models ORDER BY task, model_id`, func(rows *sql.Rows) error {
		var m Model
		err := rows.Scan(&m.ID, &m.Task)
		c.Models = append(c.Models, m)
		return err
	})
	return c, err
}

func (c *Country) loadSDG(ctx context.Context, db *sql.DB) error {
	if err := query(ctx, db, "SDG goals", `SELECT code, title FROM sdg_goals`, func(rows *sql.Rows) error {
		var k, v string
		err := rows.Scan(&k, &v)
		c.Goals[k] = v
		return err
	}); err != nil {
		return err
	}
	if err := query(ctx, db, "SDG targets", `SELECT code, goal, title FROM sdg_targets`, func(rows *sql.Rows) error {
		var k, g, v string
		err := rows.Scan(&k, &g, &v)
		c.Targets[k], c.TargetGoal[k] = v, g
		return err
	}); err != nil {
		return err
	}
	if err := query(ctx, db, "SDG indicators", `SELECT code, title FROM sdg_indicators`, func(rows *sql.Rows) error {
		var k, v string
		err := rows.Scan(&k, &v)
		c.Indicators[k] = v
		return err
	}); err != nil {
		return err
	}
	if err := query(ctx, db, "SDG indicator targets", `SELECT indicator, target FROM sdg_indicator_targets ORDER BY indicator`, func(rows *sql.Rows) error {
		var i, t string
		err := rows.Scan(&i, &t)
		c.TargetInds[t] = append(c.TargetInds[t], i)
		return err
	}); err != nil {
		return err
	}
	// National totals, one series per indicator code and unit; national
	// sub-indicators (16.3.2.1) count for their global indicator.
	return query(ctx, db, "indicator observations", `
SELECT regexp_extract(indicator_code, '^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}') AS ind, indicator_code, coalesce(unit, ''),
       list({'y': year_end, 'v': v} ORDER BY year_end)
FROM (SELECT indicator_code, unit, year_end, avg(value) AS v FROM indicator_observations
      WHERE country_iso3 = ? AND is_total AND value IS NOT NULL GROUP BY ALL)
GROUP BY ALL ORDER BY ind, indicator_code, 3`, func(rows *sql.Rows) error {
		var s Series
		var pts any
		if err := rows.Scan(&s.Indicator, &s.Code, &s.Unit, &pts); err != nil {
			return err
		}
		l, _ := pts.([]any)
		for _, p := range l {
			m, _ := p.(map[string]any)
			y, _ := m["y"].(int32)
			v, _ := m["v"].(float64)
			s.Points = append(s.Points, Point{int(y), v})
		}
		if s.Indicator != "" && len(s.Points) > 0 {
			c.Series[s.Indicator] = append(c.Series[s.Indicator], s)
		}
		return nil
	}, c.ISO3)
}

// loadFollowup reads entities, lead entities, public actions and public
// status updates when the warehouse has the follow-up tables.
func (c *Country) loadFollowup(ctx context.Context, db *sql.DB) error {
	for _, t := range []string{"entities", "actions", "action_links", "status_updates"} {
		ok, err := tableExists(ctx, db, t)
		if err != nil || !ok {
			return err
		}
	}
	c.Followup = true
	if err := query(ctx, db, "entities", `SELECT entity_code, any_value(name ORDER BY run_id DESC), any_value(kind ORDER BY run_id DESC) FROM entities GROUP BY entity_code`, func(rows *sql.Rows) error {
		var e Entity
		err := rows.Scan(&e.Code, &e.Name, &e.Kind)
		c.Entities[e.Code] = e
		return err
	}); err != nil {
		return err
	}
	if ok, err := tableExists(ctx, db, "v_responsibility"); err != nil {
		return err
	} else if ok {
		if err := query(ctx, db, "lead entities", `SELECT rec_id, lead_entity FROM v_responsibility WHERE country_iso3 = ? AND lead_entity IS NOT NULL`, func(rows *sql.Rows) error {
			var id, e string
			if err := rows.Scan(&id, &e); err != nil {
				return err
			}
			if r := c.rec(id); r != nil && (r.Lead == "" || r.ID == id) {
				r.Lead = e
			}
			return nil
		}, c.ISO3); err != nil {
			return err
		}
	}
	acts := map[string]*Action{}
	if err := query(ctx, db, "actions", `
SELECT action_id, title, coalesce(description, ''), coalesce(lead_entity, ''), coalesce(strftime(target_date, '%Y-%m-%d'), '')
FROM actions WHERE public AND (country_iso3 = ? OR country_iso3 IS NULL)
QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY imported_at DESC, run_id DESC) = 1
ORDER BY action_id`, func(rows *sql.Rows) error {
		a := &Action{}
		if err := rows.Scan(&a.ID, &a.Title, &a.Description, &a.Lead, &a.TargetDate); err != nil {
			return err
		}
		acts[a.ID] = a
		c.Actions = append(c.Actions, a)
		return nil
	}, c.ISO3); err != nil {
		return err
	}
	clusters := map[string]*Cluster{}
	for _, cl := range c.Clusters {
		clusters[cl.ID] = cl
	}
	if err := query(ctx, db, "action links", `SELECT action_id, coalesce(rec_id, ''), coalesce(cluster_id, '') FROM action_links`, func(rows *sql.Rows) error {
		var a, r, cl string
		if err := rows.Scan(&a, &r, &cl); err != nil {
			return err
		}
		act := acts[a]
		if act == nil {
			return nil
		}
		if rec := c.rec(r); rec != nil {
			act.Recs = append(act.Recs, rec.ID)
		}
		if k := clusters[cl]; k != nil {
			act.Recs = append(act.Recs, k.Recs...)
		}
		return nil
	}); err != nil {
		return err
	}
	for _, a := range c.Actions {
		a.Recs = uniq(a.Recs)
	}
	// Only public updates are read: a private one never reaches the site.
	return query(ctx, db, "status updates", `
SELECT coalesce(rec_id, ''), coalesce(action_id, ''), status, strftime(status_date, '%Y-%m-%d'), coalesce(text, ''), coalesce(reporting_entity, '')
FROM status_updates WHERE public ORDER BY status_date, import_seq`, func(rows *sql.Rows) error {
		var rid, aid string
		var u Update
		if err := rows.Scan(&rid, &aid, &u.Status, &u.Date, &u.Text, &u.Entity); err != nil {
			return err
		}
		if r := c.rec(rid); r != nil {
			r.History = append(r.History, u)
		}
		if a := acts[aid]; a != nil {
			a.History = append(a.History, u)
		}
		return nil
	})
}

func uniq(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// loadTranslations folds each recommendation that is a translation of an
// English one (recommendation_translations: the same paragraph of the same
// report in another language) into that English one, as one of its
// Versions: the site counts the recommendation once and shows each
// language's page its own version.
func (c *Country) loadTranslations(ctx context.Context, db *sql.DB) error {
	c.alias = map[string]string{}
	ok, err := tableExists(ctx, db, "recommendation_translations")
	if err != nil || !ok {
		return err
	}
	err = query(ctx, db, "recommendation translations", `
SELECT t.rec_id, t.translation_rec_id FROM recommendation_translations t JOIN recommendations r ON r.rec_id = t.rec_id
WHERE r.country_iso3 = ? ORDER BY t.translation_rec_id, t.rec_id`, func(rows *sql.Rows) error {
		var en, tr string
		if err := rows.Scan(&en, &tr); err != nil {
			return err
		}
		canon, v := c.ByID[en], c.ByID[tr]
		if canon == nil || v == nil || en == tr || c.alias[tr] != "" || c.alias[en] != "" {
			return nil // already folded (a paragraph matching two English ones keeps the first)
		}
		for _, have := range canon.Versions {
			if have.Lang == v.Lang {
				return nil // one version per language
			}
		}
		canon.Versions = append(canon.Versions, Version{ID: v.ID, Lang: v.Lang, Text: v.Text, Review: v.Review})
		c.alias[tr] = en
		return nil
	}, c.ISO3)
	if err != nil || len(c.alias) == 0 {
		return err
	}
	kept := c.Recs[:0]
	for _, r := range c.Recs {
		if _, folded := c.alias[r.ID]; folded {
			delete(c.ByID, r.ID)
			continue
		}
		kept = append(kept, r)
	}
	c.Recs = kept
	return nil
}

// rec is the recommendation id names, or the one it is a translation of.
func (c *Country) rec(id string) *Rec {
	if en, ok := c.alias[id]; ok {
		id = en
	}
	return c.ByID[id]
}

// reviewKey names the review or document a recommendation comes from: the
// document symbol, else the UPR session, else the body and year.
func reviewKey(r *Rec) string {
	switch {
	case r.Symbol != "":
		return r.Symbol
	case r.Session > 0:
		return fmt.Sprintf("%s session %d", r.Body, r.Session)
	case len(r.Date) >= 4:
		return r.Body + " " + r.Date[:4]
	}
	return r.Body
}

// goalOf is the goal of a target or goal code.
func goalOf(code string) string {
	g, _, _ := strings.Cut(code, ".")
	return g
}
