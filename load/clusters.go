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
	return w.clusterInputs(ctx, countries, "r.country_iso3", "")
}

// UnclusteredInputs is ClusterInputs for the recommendations that are in
// no cluster yet.
func (w *Warehouse) UnclusteredInputs(ctx context.Context, countries []string) (map[string][]ClusterRec, error) {
	return w.clusterInputs(ctx, countries, "r.country_iso3", "AND rec_id NOT IN (SELECT rec_id FROM cluster_members)")
}

// ClusterMemberInputs reads the members of the given clusters of the
// given countries as ClusterInputs does, by cluster id.
func (w *Warehouse) ClusterMemberInputs(ctx context.Context, countries, clusterIDs []string) (map[string][]ClusterRec, error) {
	if len(clusterIDs) == 0 {
		return map[string][]ClusterRec{}, nil
	}
	return w.clusterInputs(ctx, countries, "prev.cluster_id", "AND rec_id IN (SELECT rec_id FROM cluster_members WHERE cluster_id IN (SELECT c FROM temp.cluster_input_clusters))", clusterIDs...)
}

// clusterInputs reads the recommendations of the countries that filter
// (SQL on the rows of v_recommendations) keeps, by the value of key; ids
// fill the temporary table cluster_input_clusters for the filter.
func (w *Warehouse) clusterInputs(ctx context.Context, countries []string, key, filter string, ids ...string) (map[string][]ClusterRec, error) {
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := stringTable(ctx, conn, "cluster_input_countries", "c", countries); err != nil {
		return nil, err
	}
	if err := stringTable(ctx, conn, "cluster_input_clusters", "c", ids); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, `
		WITH recs AS (
			SELECT rec_id, country_iso3, text, mechanism, body, date FROM v_recommendations
			WHERE kind = 'recommendation' AND country_iso3 IN (SELECT c FROM temp.cluster_input_countries) `+filter+`),
		th AS (
			SELECT rec_id, list(label ORDER BY scheme DESC, rank) AS labels FROM theme_assignments
			WHERE NOT fallback AND label <> 'unclassified' AND rec_id IN (SELECT rec_id FROM recs) GROUP BY rec_id),
		tg AS (
			SELECT rec_id, list(target ORDER BY rank) AS targets FROM sdg_assignments
			WHERE target IS NOT NULL AND NOT fallback AND rec_id IN (SELECT rec_id FROM recs) GROUP BY rec_id),
		prev AS (
			SELECT rec_id, min(cluster_id) AS cluster_id, arg_min(similarity, cluster_id) AS similarity FROM cluster_members
			WHERE rec_id IN (SELECT rec_id FROM recs) GROUP BY rec_id)
		SELECT `+key+`, r.rec_id, r.text, r.mechanism, r.body, coalesce(CAST(r.date AS VARCHAR), ''),
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
		var by string
		if err := rows.Scan(&by, &c.RecID, &c.Text, &c.Mechanism, &c.Body, &c.Date, (*StringList)(&c.Themes), (*StringList)(&c.Targets), &c.Previous, &c.PreviousSimilarity); err != nil {
			return nil, err
		}
		c.Mechanism, c.Body, c.Date = one(c.Mechanism), one(c.Body), one(c.Date)
		for _, ls := range [][]string{c.Themes, c.Targets} {
			for i, l := range ls {
				ls[i] = one(l)
			}
		}
		out[by] = append(out[by], c)
	}
	// Each country's records by rec_id, sorted here rather than by the
	// query, which would hold every row of the result to sort it.
	for _, recs := range out {
		slices.SortFunc(recs, func(a, b ClusterRec) int { return strings.Compare(a.RecID, b.RecID) })
	}
	return out, rows.Err()
}

// ClusterGroup is one existing cluster as a run that only adds
// recommendations to its country needs it: its size and the sum its
// vectoriser made of its members (nil when there is none, or another
// vectoriser made it).
type ClusterGroup struct {
	ClusterID string
	Size      int
	Sum       []byte
}

// ClusterState is what a run needs to place a country's new
// recommendations against its clusters without reading their members.
type ClusterState struct {
	Groups []ClusterGroup // by cluster id
	Recs   int            // the country's recommendations (kind recommendation)
	Fresh  int            // of them, those in no cluster
	// Whole: every recommendation of the country is either in no cluster
	// or in exactly one of the country's clusters; every cluster holds as
	// many of them as its size, no other member, and has a sum of the
	// vectoriser asked for. Otherwise the country must be clustered from
	// all its recommendations.
	Whole bool
}

// ClusterStates reads the clusters of the given countries with the sums
// vectoriser made of them, and checks that they are whole (see
// ClusterState).
func (w *Warehouse) ClusterStates(ctx context.Context, countries []string, vectoriser string) (map[string]*ClusterState, error) {
	out := map[string]*ClusterState{}
	if len(countries) == 0 {
		return out, nil
	}
	conn, err := w.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	for _, c := range countries {
		out[c] = &ClusterState{Whole: true}
	}
	if err := stringTable(ctx, conn, "cluster_state_countries", "c", countries); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, `
		SELECT r.country_iso3, count(*), count(DISTINCT r.rec_id), count(*) FILTER (m.rec_id IS NULL),
			count(*) FILTER (m.rec_id IS NOT NULL AND (c.cluster_id IS NULL OR c.country_iso3 <> r.country_iso3))
		FROM v_recommendations r LEFT JOIN cluster_members m USING (rec_id) LEFT JOIN clusters c ON c.cluster_id = m.cluster_id
		WHERE r.kind = 'recommendation' AND r.country_iso3 IN (SELECT c FROM temp.cluster_state_countries)
		GROUP BY 1`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var country string
		var n, distinct, fresh, stray int
		if err := rows.Scan(&country, &n, &distinct, &fresh, &stray); err != nil {
			rows.Close()
			return nil, err
		}
		s := out[country]
		s.Recs, s.Fresh = distinct, fresh
		s.Whole = n == distinct && stray == 0
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	rows, err = conn.QueryContext(ctx, `
		WITH cl AS (
			SELECT cluster_id, country_iso3, size FROM clusters WHERE country_iso3 IN (SELECT c FROM temp.cluster_state_countries)),
		mem AS (
			SELECT m.cluster_id, count(*) AS n, count(r.rec_id) AS present
			FROM cluster_members m JOIN cl USING (cluster_id)
			LEFT JOIN v_recommendations r ON r.rec_id = m.rec_id AND r.kind = 'recommendation' AND r.country_iso3 = cl.country_iso3
			GROUP BY m.cluster_id)
		SELECT cl.country_iso3, cl.cluster_id, cl.size, coalesce(mem.n, 0), coalesce(mem.present, 0),
			CASE WHEN v.vectoriser = ? THEN v.sum END
		FROM cl LEFT JOIN mem USING (cluster_id) LEFT JOIN cluster_vectors v USING (cluster_id)
		ORDER BY cl.cluster_id`, vectoriser)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	clustered := map[string]int{}
	for rows.Next() {
		var country string
		var g ClusterGroup
		var size int32
		var n, present int
		if err := rows.Scan(&country, &g.ClusterID, &size, &n, &present, &g.Sum); err != nil {
			return nil, err
		}
		g.Size = int(size)
		s := out[country]
		if g.Sum == nil || n != g.Size || present != g.Size || len(s.Groups) > 0 && s.Groups[len(s.Groups)-1].ClusterID == g.ClusterID {
			s.Whole = false
		}
		clustered[country] += present
		s.Groups = append(s.Groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for c, s := range out {
		if clustered[c] != s.Recs-s.Fresh {
			s.Whole = false
		}
		if !s.Whole {
			s.Groups = nil
		}
	}
	return out, nil
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
	if err := stringTable(ctx, conn, "cluster_description_countries", "c", countries); err != nil {
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
	return w.WriteClusterChanges(ctx, run, ClusterChanges{Countries: countries, Parts: []ClusterPart{{Clusters: clusters, Members: members}}})
}

// ClusterVector is a cluster's row of cluster_vectors.
type ClusterVector struct {
	ClusterID, Country, Vectoriser string
	Sum                            []byte
}

// ClusterChanges is what a clustering run writes: the clusters, members
// and vectors of its parts (one a country, say: not copied into one list)
// replace those of Countries and those of the clusters Replaced (by id).
type ClusterChanges struct {
	Countries []string
	Replaced  []string
	Parts     []ClusterPart
}

// ClusterPart is a part of what a clustering run writes.
type ClusterPart struct {
	Clusters []models.Cluster
	Members  []models.ClusterMember
	Vectors  []ClusterVector
}

// eachOf counts the rows of the parts that n gives and returns a function
// that gives, for the rows asked in order 0, 1, …, each row's part and
// its position in it.
func eachOf(parts []ClusterPart, n func(*ClusterPart) int) (int, func(i int) (*ClusterPart, int)) {
	total := 0
	for k := range parts {
		total += n(&parts[k])
	}
	k, start := 0, 0
	return total, func(i int) (*ClusterPart, int) {
		for i-start >= n(&parts[k]) {
			start += n(&parts[k])
			k++
		}
		return &parts[k], i - start
	}
}

// WriteClusterChanges replaces the clusters of the given countries and
// the given clusters, in one transaction with the run row.
func (w *Warehouse) WriteClusterChanges(ctx context.Context, run *models.Run, ch ClusterChanges) error {
	return w.inTx(ctx, run, func(conn *sql.Conn) error {
		if err := stringTable(ctx, conn, "cluster_countries", "c", ch.Countries); err != nil {
			return err
		}
		if err := stringTable(ctx, conn, "cluster_replaced", "c", ch.Replaced); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM cluster_members WHERE cluster_id IN (SELECT cluster_id FROM clusters WHERE country_iso3 IN (SELECT c FROM temp.cluster_countries))
				OR cluster_id IN (SELECT c FROM temp.cluster_replaced)`,
			`DELETE FROM clusters WHERE country_iso3 IN (SELECT c FROM temp.cluster_countries) OR cluster_id IN (SELECT c FROM temp.cluster_replaced)`,
			`DELETE FROM cluster_vectors WHERE country_iso3 IN (SELECT c FROM temp.cluster_countries) OR cluster_id IN (SELECT c FROM temp.cluster_replaced)`,
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("replace clusters: %w", err)
			}
		}
		// Row by row into the appender: the rows of a UHRI-scale run, held
		// all at once as values, would cost more memory than the clusters.
		n, at := eachOf(ch.Parts, func(p *ClusterPart) int { return len(p.Clusters) })
		if err := appendEach(ctx, conn, "clusters", n, func(i int, r []driver.Value) []driver.Value {
			p, k := at(i)
			c := &p.Clusters[k]
			return append(r, c.ClusterID, c.CountryISO3, c.Label, anyList(c.TopTerms), nullStr(c.MainTheme), nullStr(c.MainSDGTarget),
				int32(c.Size), anyList(c.Mechanisms), anyList(c.Bodies), nullDate(c.FirstDate), nullDate(c.LastDate), run.RunID)
		}); err != nil {
			return fmt.Errorf("write clusters: %w", err)
		}
		n, at = eachOf(ch.Parts, func(p *ClusterPart) int { return len(p.Members) })
		if err := appendEach(ctx, conn, "cluster_members", n, func(i int, r []driver.Value) []driver.Value {
			p, k := at(i)
			m := &p.Members[k]
			return append(r, m.ClusterID, m.RecID, m.Similarity)
		}); err != nil {
			return fmt.Errorf("write cluster members: %w", err)
		}
		n, at = eachOf(ch.Parts, func(p *ClusterPart) int { return len(p.Vectors) })
		if err := appendEach(ctx, conn, "cluster_vectors", n, func(i int, r []driver.Value) []driver.Value {
			p, k := at(i)
			v := &p.Vectors[k]
			return append(r, v.ClusterID, v.Country, v.Vectoriser, v.Sum)
		}); err != nil {
			return fmt.Errorf("write cluster vectors: %w", err)
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
