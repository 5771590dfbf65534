package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/nmirf/nmirf/models"
)

// ClusterRec is what clustering needs of one recommendation.
type ClusterRec struct {
	RecID, Text, Mechanism, Body, Date string
	Themes                             []string // assigned themes (UPR Info issues, then UHRI themes, each by rank), confident ones only
	Targets                            []string // assigned SDG targets, confident ones only
	Previous                           string   // cluster id it had, if any
	PreviousSimilarity                 float64  // its similarity to that cluster
}

// Countries lists the countries with recommendations.
func (w *Warehouse) Countries(ctx context.Context) ([]string, error) {
	rows, err := w.db.QueryContext(ctx, `SELECT DISTINCT country_iso3 FROM recommendations ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// StaleCountry is a country whose clusters no longer match its
// recommendations. OnlyNew is set when the only change is recommendations
// that have no cluster yet: the existing clusters can then be extended
// instead of recomputed.
type StaleCountry struct {
	Country string
	OnlyNew bool
}

// StaleClusterCountries lists the countries whose clusters no longer match
// their recommendations (v_recommendations: translations are not
// clustered): a recommendation without a cluster, or one changed or
// reclassified after its cluster was made, or a cluster whose members are
// gone.
func (w *Warehouse) StaleClusterCountries(ctx context.Context) ([]StaleCountry, error) {
	rows, err := w.db.QueryContext(ctx, `
		WITH labelled AS (
			SELECT rec_id, max(run_id) AS run_id FROM (
				SELECT rec_id, run_id FROM theme_assignments UNION ALL SELECT rec_id, run_id FROM sdg_assignments)
			GROUP BY rec_id),
		state AS (
			SELECT r.country_iso3 AS country,
				count(*) FILTER (c.cluster_id IS NULL) AS unclustered,
				count(*) FILTER (c.cluster_id IS NOT NULL AND (r.last_run_id > c.run_id OR l.run_id > c.run_id)) AS changed
			FROM v_recommendations r
			LEFT JOIN cluster_members m USING (rec_id)
			LEFT JOIN clusters c ON c.cluster_id = m.cluster_id
			LEFT JOIN labelled l USING (rec_id)
			WHERE r.kind = 'recommendation'
			GROUP BY ALL),
		orphaned AS (
			SELECT DISTINCT c.country_iso3 AS country FROM clusters c
			WHERE NOT EXISTS (SELECT 1 FROM cluster_members m JOIN v_recommendations r USING (rec_id) WHERE m.cluster_id = c.cluster_id))
		SELECT coalesce(s.country, o.country), coalesce(s.changed, 0) = 0 AND o.country IS NULL
		FROM state s FULL JOIN orphaned o ON o.country = s.country
		WHERE s.unclustered > 0 OR s.changed > 0 OR o.country IS NOT NULL
		ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StaleCountry
	for rows.Next() {
		var c StaleCountry
		if err := rows.Scan(&c.Country, &c.OnlyNew); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ClusterInputs reads the recommendations (kind recommendation; not their
// translations, which would only pair with their original) of the given
// countries with their assigned labels and previous cluster, by
// country, in one query: the label aggregation over the whole warehouse is
// done once, not once per country.
func (w *Warehouse) ClusterInputs(ctx context.Context, countries []string) (map[string][]ClusterRec, error) {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE cluster_input_countries (c VARCHAR)`); err != nil {
		return nil, err
	}
	cs := make([][]driver.Value, len(countries))
	for i, c := range countries {
		cs[i] = []driver.Value{c}
	}
	if err := appendRows(ctx, conn, "cluster_input_countries", cs); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, `
		WITH recs AS (
			SELECT rec_id, country_iso3, text, mechanism, body, date FROM v_recommendations
			WHERE kind = 'recommendation' AND country_iso3 IN (SELECT c FROM temp.cluster_input_countries)),
		th AS (
			SELECT rec_id, list(label ORDER BY scheme DESC, rank) AS labels FROM theme_assignments
			WHERE NOT fallback AND label <> 'unclassified' AND rec_id IN (SELECT rec_id FROM recs) GROUP BY rec_id),
		tg AS (
			SELECT rec_id, list(target ORDER BY rank) AS targets FROM sdg_assignments
			WHERE target IS NOT NULL AND NOT fallback AND rec_id IN (SELECT rec_id FROM recs) GROUP BY rec_id),
		prev AS (
			SELECT rec_id, min(cluster_id) AS cluster_id, arg_min(similarity, cluster_id) AS similarity FROM cluster_members
			WHERE rec_id IN (SELECT rec_id FROM recs) GROUP BY rec_id)
		SELECT r.country_iso3, r.rec_id, r.text, r.mechanism, r.body, coalesce(CAST(r.date AS VARCHAR), ''),
			th.labels, tg.targets, coalesce(prev.cluster_id, ''), coalesce(prev.similarity, 0)
		FROM recs r LEFT JOIN th USING (rec_id) LEFT JOIN tg USING (rec_id) LEFT JOIN prev USING (rec_id)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]ClusterRec{}
	// Labels, mechanisms, bodies and dates repeat across the rows: one copy
	// of each instead of one a row keeps a UHRI-scale read small.
	seen := map[string]string{}
	one := func(s string) string {
		if o, ok := seen[s]; ok {
			return o
		}
		seen[s] = s
		return s
	}
	for rows.Next() {
		var c ClusterRec
		var country string
		if err := rows.Scan(&country, &c.RecID, &c.Text, &c.Mechanism, &c.Body, &c.Date, (*StringList)(&c.Themes), (*StringList)(&c.Targets), &c.Previous, &c.PreviousSimilarity); err != nil {
			return nil, err
		}
		c.Mechanism, c.Body, c.Date = one(c.Mechanism), one(c.Body), one(c.Date)
		for _, ls := range [][]string{c.Themes, c.Targets} {
			for i, l := range ls {
				ls[i] = one(l)
			}
		}
		out[country] = append(out[country], c)
	}
	// Each country's records by rec_id, sorted here rather than by the
	// query, which would hold every row of the result to sort it.
	for _, recs := range out {
		slices.SortFunc(recs, func(a, b ClusterRec) int { return strings.Compare(a.RecID, b.RecID) })
	}
	return out, rows.Err()
}

// ClusterDescriptions reads the clusters of the given countries as they
// were written, by cluster id, for clustering runs that only add members
// to some of them.
func (w *Warehouse) ClusterDescriptions(ctx context.Context, countries []string) (map[string]models.Cluster, error) {
	out := map[string]models.Cluster{}
	if len(countries) == 0 {
		return out, nil
	}
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE cluster_description_countries (c VARCHAR)`); err != nil {
		return nil, err
	}
	cs := make([][]driver.Value, len(countries))
	for i, c := range countries {
		cs[i] = []driver.Value{c}
	}
	if err := appendRows(ctx, conn, "cluster_description_countries", cs); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, `
		SELECT cluster_id, country_iso3, label, top_terms, coalesce(main_theme, ''), coalesce(main_sdg_target, ''), size,
			mechanisms, bodies, coalesce(CAST(first_date AS VARCHAR), ''), coalesce(CAST(last_date AS VARCHAR), '')
		FROM clusters WHERE country_iso3 IN (SELECT c FROM temp.cluster_description_countries)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c models.Cluster
		var size int32
		if err := rows.Scan(&c.ClusterID, &c.CountryISO3, &c.Label, (*StringList)(&c.TopTerms), &c.MainTheme, &c.MainSDGTarget, &size,
			(*StringList)(&c.Mechanisms), (*StringList)(&c.Bodies), &c.FirstDate, &c.LastDate); err != nil {
			return nil, err
		}
		c.Size = int(size)
		out[c.ClusterID] = c
	}
	return out, rows.Err()
}

// StringList scans a DuckDB list of strings (VARCHAR[]) as a Go slice, so
// that lists travel as lists: joining them into one string with a separator
// and splitting it again breaks on any label that holds the separator.
// NULL scans as nil; NULL elements are dropped.
type StringList []string

// Scan implements sql.Scanner.
func (l *StringList) Scan(v any) error {
	*l = nil
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			switch s := e.(type) {
			case nil:
			case string:
				out = append(out, s)
			default:
				return fmt.Errorf("list element %v (%T) is not a string", e, e)
			}
		}
		*l = out
		return nil
	case []string:
		*l = append([]string(nil), x...)
		return nil
	}
	return fmt.Errorf("cannot read %T as a list of strings", v)
}

// WriteClusters replaces the clusters of the given countries, in one
// transaction with the run row.
func (w *Warehouse) WriteClusters(ctx context.Context, run *models.Run, countries []string, clusters []models.Cluster, members []models.ClusterMember) error {
	return w.inTx(ctx, run, func(conn *sql.Conn) error {
		if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE cluster_countries (c VARCHAR)`); err != nil {
			return err
		}
		var cs [][]driver.Value
		for _, c := range countries {
			cs = append(cs, []driver.Value{c})
		}
		if err := appendRows(ctx, conn, "cluster_countries", cs); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM cluster_members WHERE cluster_id IN (SELECT cluster_id FROM clusters WHERE country_iso3 IN (SELECT c FROM temp.cluster_countries))`,
			`DELETE FROM clusters WHERE country_iso3 IN (SELECT c FROM temp.cluster_countries)`,
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("replace clusters: %w", err)
			}
		}
		// Row by row into the appender: the rows of a UHRI-scale run, held
		// all at once as values, would cost more memory than the clusters.
		if err := appendEach(ctx, conn, "clusters", len(clusters), func(i int, r []driver.Value) []driver.Value {
			c := &clusters[i]
			return append(r, c.ClusterID, c.CountryISO3, c.Label, anyList(c.TopTerms), nullStr(c.MainTheme), nullStr(c.MainSDGTarget),
				int32(c.Size), anyList(c.Mechanisms), anyList(c.Bodies), nullDate(c.FirstDate), nullDate(c.LastDate), run.RunID)
		}); err != nil {
			return fmt.Errorf("write clusters: %w", err)
		}
		if err := appendEach(ctx, conn, "cluster_members", len(members), func(i int, r []driver.Value) []driver.Value {
			return append(r, members[i].ClusterID, members[i].RecID, members[i].Similarity)
		}); err != nil {
			return fmt.Errorf("write cluster members: %w", err)
		}
		return nil
	})
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// appendEach appends n rows to table, row i as row(i, buf[:0]) returns it,
// without holding them all (see appendRows).
func appendEach(ctx context.Context, conn *sql.Conn, table string, n int, row func(i int, buf []driver.Value) []driver.Value) error {
	if n == 0 {
		return nil
	}
	return conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return err
		}
		var buf []driver.Value
		for i := range n {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					a.Close()
					return err
				}
			}
			buf = row(i, buf[:0])
			if err := a.AppendRow(buf...); err != nil {
				a.Close()
				return fmt.Errorf("row %d: %w", i+1, err)
			}
		}
		return a.Close()
	})
}
