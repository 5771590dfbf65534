package load

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/models"
)

// themed is a warehouse holding the three UK recommendations of ukRecs
// with confident themes and SDG targets: rec 0 carries two UHRI themes and
// a UPR Info issue, the others one theme each, as classify writes them.
func themed(t *testing.T, dir string) (*Warehouse, []string) {
	t.Helper()
	ctx := context.Background()
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	recs := ukRecs("1-5.csv", "upr-info-csv")
	if err := w.Ingest(ctx, Batch{Run: newRun("r1"), Records: recs}); err != nil {
		t.Fatal(err)
	}
	ids := []string{recs[0].RecID, recs[1].RecID, recs[2].RecID}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO theme_assignments VALUES
			(?, 'uhri-theme', 'Migrants', 0.9, 1, false, 'm', NULL, 'x', 'r2'),
			(?, 'uhri-theme', 'International instruments', 0.8, 2, false, 'm', NULL, 'x', 'r2'),
			(?, 'upr-info-issue', 'Migrants', 0.7, 1, false, 'm', NULL, 'x', 'r2'),
			(?, 'uhri-theme', 'International instruments', 0.9, 1, false, 'm', NULL, 'x', 'r2'),
			(?, 'uhri-theme', 'International instruments', 0.9, 1, false, 'm', NULL, 'x', 'r2'),
			(?, 'uhri-theme', 'Children: definition', 0.3, 2, true, 'm', NULL, 'x', 'r2')`,
			[]any{ids[0], ids[0], ids[0], ids[1], ids[2], ids[2]}},
		{`INSERT INTO sdg_assignments VALUES
			(?, '10', '10.7', 0.9, 1, false, 'm', NULL, 'x', 'r2'),
			(?, '16', '16.a', 0.8, 2, false, 'm', NULL, 'x', 'r2'),
			(?, '16', '16.a', 0.9, 1, false, 'm', NULL, 'x', 'r2'),
			(?, '16', '16.2', 0.9, 1, false, 'm', NULL, 'x', 'r2')`,
			[]any{ids[0], ids[0], ids[1], ids[2]}},
	} {
		if _, err := w.DB().ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	return w, ids
}

// TestClusterInputsKeepLabelsApart: clustering reads each recommendation's
// labels as separate labels, so that the label overlap of two texts counts
// the labels they share.
func TestClusterInputsKeepLabelsApart(t *testing.T) {
	w, ids := themed(t, t.TempDir())
	defer w.Close()
	in, err := w.ClusterInputs(context.Background(), []string{"GBR"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ClusterRec{}
	for _, r := range in["GBR"] {
		got[r.RecID] = r
	}
	// upr-info-issue before uhri-theme, each by rank; fallback labels left out.
	want := map[string][2][]string{
		ids[0]: {{"Migrants", "Migrants", "International instruments"}, {"10.7", "16.a"}},
		ids[1]: {{"International instruments"}, {"16.a"}},
		ids[2]: {{"International instruments"}, {"16.2"}},
	}
	for id, w := range want {
		r := got[id]
		if !slices.Equal(r.Themes, w[0]) || !slices.Equal(r.Targets, w[1]) {
			t.Errorf("%s: themes %q targets %q, want %q and %q", id, r.Themes, r.Targets, w[0], w[1])
		}
	}
}

// TestMigrationRepairsStoredValues opens a warehouse written by a version
// that stored a cluster's main theme and target as one member's label list
// joined with the four characters \x1f, and indicator breakdowns as a JSON
// string holding JSON: after the upgrade a reader gets one label and
// dimensions->>'Sex' answers.
func TestMigrationRepairsStoredValues(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, ids := themed(t, dir)
	// The values below are what versions before the repair wrote, at schema
	// version 2; the upgrade on the next open runs migration 3 on them.
	// Later migrations add tables the views need, so the warehouse keeps
	// them and only the repair is run again.
	if _, err := w.DB().ExecContext(ctx, `DELETE FROM schema_migrations WHERE version > 2`); err != nil {
		t.Fatal(err)
	}
	all := migrations
	migrations = all[:3]
	defer func() { migrations = all }()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO clusters (cluster_id, country_iso3, label, main_theme, main_sdg_target, size, run_id) VALUES
			('C1', 'GBR', 'Consider ratifying the Convention…', 'Migrants\x1fInternational instruments\x1fMigrants', '10.7\x1f16.a', 3, 'r3'),
			('C2', 'GBR', 'One label only', 'Migrants', '10.7', 1, 'r3')`, nil},
		{`INSERT INTO cluster_members VALUES ('C1', ?, 1), ('C1', ?, 0.9), ('C1', ?, 0.8), ('C2', ?, 1)`, []any{ids[0], ids[1], ids[2], ids[0]}},
		{`INSERT INTO indicator_observations (indicator_code, country_iso3, year_start, year_end, value_raw, dimensions, is_total, dataset, file, run_id)
			VALUES ('16.1.1', 'GBR', 2019, 2019, '1.2', to_json('{"Sex":"Female","Age":"Under 1"}'), false, 'open-sdg-uk', 'indicator_16-1-1.csv', 'r4'),
			       ('16.1.1', 'GBR', 2019, 2019, '1.5', to_json('{}'), true, 'open-sdg-uk', 'indicator_16-1-1.csv', 'r4')`, nil},
	} {
		if _, err := w.DB().ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	var before string
	if err := w.DB().QueryRow(`SELECT min(json_type(dimensions)) FROM indicator_observations`).Scan(&before); err != nil || before != "VARCHAR" {
		t.Fatalf("old rows: json_type %q, err %v; the test must start from double-encoded rows", before, err)
	}
	w.Close()

	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var theme, target, sex string
	var objects int
	db := w.DB()
	if err := db.QueryRow(`SELECT main_theme, main_sdg_target FROM clusters WHERE cluster_id = 'C1'`).Scan(&theme, &target); err != nil {
		t.Fatal(err)
	}
	// International instruments: all three members; 16.a: two of three.
	if theme != "International instruments" || target != "16.a" {
		t.Errorf("C1 main theme %q, main target %q; want International instruments and 16.a", theme, target)
	}
	if err := db.QueryRow(`SELECT main_theme FROM clusters WHERE cluster_id = 'C2'`).Scan(&theme); err != nil || theme != "Migrants" {
		t.Errorf("C2 main theme %q (%v), want it left as it was", theme, err)
	}
	if n := count(t, w, `SELECT count(*) FROM clusters WHERE contains(main_theme, '\x1f') OR contains(main_sdg_target, '\x1f')`); n != 0 {
		t.Errorf("%d clusters still carry \\x1f", n)
	}
	if err := db.QueryRow(`SELECT dimensions->>'Sex' FROM indicator_observations WHERE NOT is_total`).Scan(&sex); err != nil || sex != "Female" {
		t.Errorf("dimensions->>'Sex' = %q (%v), want Female", sex, err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM indicator_observations WHERE json_type(dimensions) = 'OBJECT'`).Scan(&objects); err != nil || objects != 2 {
		t.Errorf("%d of 2 rows hold a JSON object (%v)", objects, err)
	}
}

// TestWriteObservationsStoresObjects: breakdowns written by the importer's
// path are JSON objects a query can open.
func TestWriteObservationsStoresObjects(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	v := 1.36
	obs := []models.Observation{
		{IndicatorCode: "16.1.1", CountryISO3: "GBR", YearStart: 2011, YearEnd: 2012, TimeRaw: "2011/12", Value: &v, ValueRaw: "1.364256480218281",
			Dimensions: map[string]string{"Age": "Under 1", "Sex": "Male"}, Dataset: "open-sdg-uk", File: "indicator_16-1-1.csv", Row: 2},
		{IndicatorCode: "16.1.1", CountryISO3: "GBR", YearStart: 2011, YearEnd: 2012, TimeRaw: "2011/12", Value: &v, ValueRaw: "1.1",
			IsTotal: true, Dataset: "open-sdg-uk", File: "indicator_16-1-1.csv", Row: 3},
	}
	run := &models.Run{RunID: "r-ind", Command: "indicators import", Version: "test", StartedAt: newRun("").StartedAt, Status: "ok"}
	if err := w.WriteObservations(ctx, run, []ObservationFile{{Dataset: "open-sdg-uk", File: "indicator_16-1-1.csv", SHA256: "x", Observations: obs}}); err != nil {
		t.Fatal(err)
	}
	rows, err := w.DB().Query(`SELECT json_type(dimensions), coalesce(dimensions->>'Sex', ''), coalesce(dimensions->>'Age', ''), CAST(dimensions AS VARCHAR)
		FROM indicator_observations ORDER BY row`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var typ, sex, age, raw string
		if err := rows.Scan(&typ, &sex, &age, &raw); err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Errorf("dimensions %q is no JSON object: %v", raw, err)
		}
		got = append(got, strings.Join([]string{typ, sex, age}, " "))
	}
	if want := []string{"OBJECT Male Under 1", "OBJECT  "}; !slices.Equal(got, want) {
		t.Errorf("dimensions read back %q, want %q", got, want)
	}
}

// TestClusterDescriptionsReadBackWhatWasWritten writes two clusters, one
// with every field set and one with the optional ones empty, and reads
// them back as clustering reuses them, with each member's similarity.
func TestClusterDescriptionsReadBackWhatWasWritten(t *testing.T) {
	ctx := context.Background()
	w, ids := themed(t, t.TempDir())
	defer w.Close()
	full := models.Cluster{ClusterID: "CGBR-1", CountryISO3: "GBR", Label: "Ratify the Convention on migrant workers",
		TopTerms: []string{"migrant workers", "ratify"}, MainTheme: "Migrants", MainSDGTarget: "10.7", Size: 2,
		Mechanisms: []string{"UPR"}, Bodies: []string{"CMW", "UPR"}, FirstDate: "2012-05-01", LastDate: "2017-11-10"}
	bare := models.Cluster{ClusterID: "CGBR-2", CountryISO3: "GBR", Label: "Another request", TopTerms: []string{}, Size: 1,
		Mechanisms: []string{}, Bodies: []string{}}
	members := []models.ClusterMember{{ClusterID: "CGBR-1", RecID: ids[0], Similarity: 0.9712345678901234},
		{ClusterID: "CGBR-1", RecID: ids[1], Similarity: 0.5}, {ClusterID: "CGBR-2", RecID: ids[2], Similarity: 1}}
	if err := w.WriteClusters(ctx, newRun("r9"), []string{"GBR"}, []models.Cluster{full, bare}, members); err != nil {
		t.Fatal(err)
	}
	got, err := w.ClusterDescriptions(ctx, []string{"GBR"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d clusters read back, want 2", len(got))
	}
	for _, want := range []models.Cluster{full, bare} {
		g := got[want.ClusterID]
		if g.ClusterID != want.ClusterID || g.CountryISO3 != want.CountryISO3 || g.Label != want.Label || g.MainTheme != want.MainTheme ||
			g.MainSDGTarget != want.MainSDGTarget || g.Size != want.Size || g.FirstDate != want.FirstDate || g.LastDate != want.LastDate ||
			!slices.Equal(g.TopTerms, want.TopTerms) || !slices.Equal(g.Mechanisms, want.Mechanisms) || !slices.Equal(g.Bodies, want.Bodies) {
			t.Errorf("read back %+v, wrote %+v", g, want)
		}
	}
	if other, err := w.ClusterDescriptions(ctx, []string{"FRA"}); err != nil || len(other) != 0 {
		t.Errorf("another country: %d clusters, %v", len(other), err)
	}
	in, err := w.ClusterInputs(ctx, []string{"GBR"})
	if err != nil {
		t.Fatal(err)
	}
	sim := map[string]float64{}
	for _, r := range in["GBR"] {
		sim[r.RecID] = r.PreviousSimilarity
	}
	for _, m := range members {
		if sim[m.RecID] != m.Similarity {
			t.Errorf("%s: previous similarity %v, want %v exactly", m.RecID, sim[m.RecID], m.Similarity)
		}
	}
}

// TestClusterStates: the clusters of a country read back with their sums
// as written, for a run that only adds recommendations; a country whose
// clusters are not whole (a sum of another vectoriser or none, a member
// gone, a recommendation in a cluster that no longer exists) is marked so,
// to be clustered from all its recommendations.
func TestClusterStates(t *testing.T) {
	ctx := context.Background()
	w, ids := themed(t, t.TempDir())
	defer w.Close()
	one := models.Cluster{ClusterID: "CGBR-1", CountryISO3: "GBR", Label: "Ratify", Size: 2}
	write := func(vectors []ClusterVector) {
		t.Helper()
		// In three parts, the first empty, the members split between the others.
		ch := ClusterChanges{Countries: []string{"GBR"}, Parts: []ClusterPart{{},
			{Clusters: []models.Cluster{one}, Members: []models.ClusterMember{{ClusterID: "CGBR-1", RecID: ids[0], Similarity: 0.9}}},
			{Members: []models.ClusterMember{{ClusterID: "CGBR-1", RecID: ids[1], Similarity: 0.8}}, Vectors: vectors}}}
		if err := w.WriteClusterChanges(ctx, newRun("r9"), ch); err != nil {
			t.Fatal(err)
		}
	}
	sum := []byte{1, 2, 3}
	write([]ClusterVector{{ClusterID: "CGBR-1", Country: "GBR", Vectoriser: "v1", Sum: sum}})
	state := func(vectoriser string) *ClusterState {
		t.Helper()
		st, err := w.ClusterStates(ctx, []string{"GBR", "FRA"}, vectoriser)
		if err != nil {
			t.Fatal(err)
		}
		if fra := st["FRA"]; fra == nil || !fra.Whole || fra.Recs != 0 || len(fra.Groups) != 0 {
			t.Errorf("a country with no recommendation: %+v", fra)
		}
		return st["GBR"]
	}
	st := state("v1")
	if !st.Whole || st.Recs != 3 || st.Fresh != 1 || len(st.Groups) != 1 || st.Groups[0].ClusterID != "CGBR-1" || st.Groups[0].Size != 2 || !slices.Equal(st.Groups[0].Sum, sum) {
		t.Errorf("read back %+v", st)
	}
	fresh, err := w.UnclusteredInputs(ctx, []string{"GBR"})
	if err != nil {
		t.Fatal(err)
	}
	if len(fresh["GBR"]) != 1 || fresh["GBR"][0].RecID != ids[2] || len(fresh["GBR"][0].Themes) == 0 {
		t.Errorf("recommendations in no cluster: %+v, want %s with its themes", fresh["GBR"], ids[2])
	}
	mem, err := w.ClusterMemberInputs(ctx, []string{"GBR"}, []string{"CGBR-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := mem["CGBR-1"]; len(got) != 2 || got[0].RecID != min(ids[0], ids[1]) || got[0].Text == "" {
		t.Errorf("members of CGBR-1: %+v", got)
	}
	if st := state("v2"); st.Whole {
		t.Error("sums of another vectoriser taken as whole")
	}
	write(nil)
	if st := state("v1"); st.Whole {
		t.Error("a cluster without its sum taken as whole")
	}
	write([]ClusterVector{{ClusterID: "CGBR-1", Country: "GBR", Vectoriser: "v1", Sum: sum}})
	for _, q := range []string{
		`UPDATE cluster_members SET cluster_id = 'CGBR-gone' WHERE rec_id = '` + ids[1] + `'`,
		`DELETE FROM cluster_members WHERE rec_id = '` + ids[1] + `'`,
	} {
		if _, err := w.DB().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
		if st := state("v1"); st.Whole {
			t.Errorf("after %s: taken as whole", q)
		}
	}
	// Replacing one cluster by id leaves the others of the country.
	other := models.Cluster{ClusterID: "CGBR-2", CountryISO3: "GBR", Label: "Other", Size: 1}
	if err := w.WriteClusterChanges(ctx, newRun("r10"), ClusterChanges{Parts: []ClusterPart{{Clusters: []models.Cluster{other},
		Members: []models.ClusterMember{{ClusterID: "CGBR-2", RecID: ids[2], Similarity: 1}}}}}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteClusterChanges(ctx, newRun("r11"), ClusterChanges{Replaced: []string{"CGBR-2"}, Parts: []ClusterPart{{Clusters: []models.Cluster{{ClusterID: "CGBR-2", CountryISO3: "GBR", Label: "Again", Size: 1}},
		Members: []models.ClusterMember{{ClusterID: "CGBR-2", RecID: ids[2], Similarity: 0.5}}}}}); err != nil {
		t.Fatal(err)
	}
	var labels string
	if err := w.DB().QueryRowContext(ctx, `SELECT string_agg(cluster_id || ':' || label || ':' || run_id, ',' ORDER BY cluster_id) FROM clusters`).Scan(&labels); err != nil {
		t.Fatal(err)
	}
	if labels != "CGBR-1:Ratify:r9,CGBR-2:Again:r11" {
		t.Errorf("clusters after replacing CGBR-2: %s", labels)
	}
}
