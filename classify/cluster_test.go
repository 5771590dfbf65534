package classify

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nmirf/nmirf/models"
)

func TestPurityAndARI(t *testing.T) {
	tests := []struct {
		name        string
		gold, pred  []string
		purity, ari float64
	}{
		// ARI values as scikit-learn's adjusted_rand_score gives them.
		{"split one class", []string{"a", "a", "b", "b"}, []string{"x", "x", "y", "z"}, 1, 4.0 / 7},
		{"merge two classes", []string{"a", "a", "b", "c"}, []string{"x", "x", "y", "y"}, 0.75, 4.0 / 7},
		{"renamed", []string{"a", "a", "b", "b"}, []string{"y", "y", "x", "x"}, 1, 1},
		{"all singletons vs one class", []string{"a", "a", "a", "a"}, []string{"1", "2", "3", "4"}, 1, 0},
		{"both one cluster", []string{"a", "a", "a"}, []string{"x", "x", "x"}, 1, 1},
		{"one item", []string{"a"}, []string{"x"}, 1, 1},
		// Contingency [[1,1],[1,1]]: index 0, expected 1·1/3, max 1: ARI −0.5.
		{"worse than chance", []string{"a", "a", "b", "b"}, []string{"x", "y", "x", "y"}, 0.5, -0.5},
	}
	for _, tt := range tests {
		p, err := Purity(tt.gold, tt.pred)
		if err != nil || math.Abs(p-tt.purity) > 1e-12 {
			t.Errorf("%s: purity %v, %v; want %v", tt.name, p, err, tt.purity)
		}
		a, err := AdjustedRandIndex(tt.gold, tt.pred)
		if err != nil || math.Abs(a-tt.ari) > 1e-12 {
			t.Errorf("%s: ARI %v, %v; want %v", tt.name, a, err, tt.ari)
		}
	}
	// Cluster x is named "b", which 3 of its 4 items carry (item 3 among
	// them, with "a" too); y is right: 4 of 5.
	sp, err := LabelSetPurity([][]string{{"a"}, {"b"}, {"a", "b"}, {"b"}, {"c"}}, []string{"x", "x", "x", "x", "y"})
	if err != nil || sp != 0.8 {
		t.Errorf("label-set purity %v, %v; want 0.8", sp, err)
	}
	sp, _ = LabelSetPurity([][]string{{"a"}, {"b"}, {"a", "b"}, {"c"}}, []string{"x", "x", "x", "x"})
	if sp != 0.5 {
		t.Errorf("label-set purity %v, want 0.5", sp)
	}
	if _, err := Purity([]string{"a"}, nil); err == nil {
		t.Error("purity of unequal lengths: no error")
	}
	if _, err := AdjustedRandIndex(nil, nil); err == nil {
		t.Error("ARI of nothing: no error")
	}
}

// cluSample reads testdata/upr-issues.tsv (every 25th UPR Info
// recommendation) as one corpus, vectorised with a vocabulary fitted on it.
func cluSample(t testing.TB) ([]ClusterItem, *Vectorizer) {
	t.Helper()
	f, err := os.Open("testdata/upr-issues.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var texts, ids []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) != 4 {
			t.Fatalf("upr-issues.tsv line %d: %d fields", line, len(fs))
		}
		if line > 1 {
			texts = append(texts, fs[3])
			ids = append(ids, fmt.Sprintf("upr-%04d", line))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	vz, err := Fit(ctx, texts, Options{Pruning: Pruning{MinDF: 2}})
	if err != nil {
		t.Fatal(err)
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]ClusterItem, len(texts))
	for i := range texts {
		items[i] = ClusterItem{RecID: ids[i], Text: texts[i], Vector: X.Row(i), Mechanism: "UPR", Body: "UPR"}
	}
	return items, vz
}

func clusterOf(members []models.ClusterMember) map[string]string {
	of := make(map[string]string, len(members))
	for _, m := range members {
		of[m.RecID] = m.ClusterID
	}
	return of
}

// TestClusterOPCAT: the sample's requests to ratify OP-CAT, whichever State
// made them and however worded, form one cluster with nothing else in it.
func TestClusterOPCAT(t *testing.T) {
	items, vz := cluSample(t)
	clusters, members, err := Cluster(context.Background(), items, nil, ClusterOptions{Country: "XXX", Vectorizer: vz})
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != len(items) {
		t.Fatalf("%d members for %d items", len(members), len(items))
	}
	of := clusterOf(members)
	var opcat []string
	for _, it := range items {
		if strings.Contains(it.Text, "OP-CAT") {
			opcat = append(opcat, it.RecID)
		}
	}
	if len(clusters) != 711 {
		t.Errorf("%d clusters, want 711", len(clusters))
	}
	byID := map[string]models.Cluster{}
	for _, c := range clusters {
		byID[c.ClusterID] = c
	}
	ratify := []string{"upr-1026", "upr-1191", "upr-0115"}                                  // "Ratify the OP-CAT", "Ratify OP-CAT", "Consider ratifying OP-CAT"
	npm := []string{"upr-0912", "upr-1111", "upr-0838", "upr-0322", "upr-0589", "upr-0941"} // national preventive mechanism
	for _, group := range [][]string{ratify, npm} {
		for _, id := range group {
			if of[id] != of[group[0]] {
				t.Errorf("%s in cluster %s, %s in %s: want them together", id, of[id], group[0], of[group[0]])
			}
		}
		if c := byID[of[group[0]]]; c.Size != len(group) {
			t.Errorf("cluster of %s has %d members, want %d", group[0], c.Size, len(group))
		}
	}
	if of[ratify[0]] == of[npm[0]] || of[ratify[0]] == of["upr-0202"] {
		t.Errorf("ratifying OP-CAT clustered with a national preventive mechanism or the migrant workers' convention")
	}
	c := byID[of[ratify[0]]]
	want := models.Cluster{ClusterID: c.ClusterID, CountryISO3: "XXX", Label: "Ratify the OP-CAT",
		TopTerms: []string{"ratify OP-CAT", "consider ratify"}, Size: 3, Mechanisms: []string{"UPR"}, Bodies: []string{"UPR"}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("cluster\n%+v, want\n%+v", c, want)
	}
	if !strings.HasPrefix(c.ClusterID, "CXXX-") || len(c.ClusterID) != len("CXXX-")+10 {
		t.Errorf("cluster id %q, want CXXX- and 10 hex digits", c.ClusterID)
	}
}

// cluVec builds a vector from column → weight pairs.
func cluVec(kv ...float32) Vector {
	var v Vector
	for i := 0; i < len(kv); i += 2 {
		v.Idx = append(v.Idx, int32(kv[i]))
		v.Val = append(v.Val, kv[i+1])
	}
	return v
}

func TestClusterDescribe(t *testing.T) {
	long := "Ratify the Optional Protocol to the Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"
	items := []ClusterItem{
		{RecID: "r3", Text: "Accede to OP-CAT", Vector: cluVec(0, 3, 1, 4), Mechanism: "TB", Body: "CAT", Date: "2019-05-02"},
		{RecID: "r1", Text: long, Vector: cluVec(0, 1, 1, 1), Mechanism: "UPR", Body: "UPR", Date: "2014-10-22"},
		{RecID: "r2", Text: "Ratify OP-CAT", Vector: cluVec(0, 4, 1, 3), Mechanism: "UPR", Body: "UPR"},
		{RecID: "r4", Text: "Abolish the death penalty", Vector: cluVec(5, 1), Mechanism: "SP", Body: "SR-EXECUTIONS", Date: "2016-01-01"},
		{RecID: "r5", Text: "", Vector: Vector{}},
	}
	themes := map[string][]string{"r1": {"torture", "detention"}, "r2": {"torture"}, "r3": {"detention", "detention"}, "r4": {"death penalty"}}
	sdgs := map[string][]string{"r2": {"16.3"}, "r3": {"16.3", "16.10"}}
	clusters, members, err := Cluster(context.Background(), items, nil,
		ClusterOptions{Country: "DNK", Themes: themes, SDGTargets: sdgs, LabelLength: 60})
	if err != nil {
		t.Fatal(err)
	}
	id := func(seed string) string {
		h := sha256.Sum256([]byte(seed))
		return "CDNK-" + hex.EncodeToString(h[:5])
	}
	// r1 lies on the centroid (1,1)/√2 exactly; r2 and r3 at cos 7/(5√2).
	want := []models.Cluster{
		{ClusterID: id("r1"), CountryISO3: "DNK",
			Label:     "Ratify the Optional Protocol to the Convention against…",
			MainTheme: "detention", MainSDGTarget: "16.3", Size: 3, Mechanisms: []string{"TB", "UPR"},
			Bodies: []string{"CAT", "UPR"}, FirstDate: "2014-10-22", LastDate: "2019-05-02"},
		{ClusterID: id("r4"), CountryISO3: "DNK", Label: "Abolish the death penalty", MainTheme: "death penalty",
			Size: 1, Mechanisms: []string{"SP"}, Bodies: []string{"SR-EXECUTIONS"}, FirstDate: "2016-01-01", LastDate: "2016-01-01"},
		{ClusterID: id("r5"), CountryISO3: "DNK", Size: 1},
	}
	if !reflect.DeepEqual(clusters, want) {
		t.Errorf("clusters\n%+v\nwant\n%+v", clusters, want)
	}
	sims := map[string]float64{"r1": 1, "r2": 7 / (5 * math.Sqrt2), "r3": 7 / (5 * math.Sqrt2), "r4": 1, "r5": 0}
	order := []string{"r1", "r2", "r3", "r4", "r5"}
	for k, m := range members {
		if m.RecID != order[k] || math.Abs(m.Similarity-sims[m.RecID]) > 1e-9 {
			t.Errorf("member %d: %s %.6f, want %s %.6f", k, m.RecID, m.Similarity, order[k], sims[order[k]])
		}
	}
	if of := clusterOf(members); of["r2"] != id("r1") || of["r5"] != id("r5") {
		t.Errorf("members placed %v", of)
	}
}

// TestClusterLabelWeight: two texts at cosine 0.2 stay apart on text alone
// and join when they share their labels at weight 0.5 (0.5·0.2 + 0.5·1).
func TestClusterLabelWeight(t *testing.T) {
	items := []ClusterItem{
		{RecID: "a", Vector: cluVec(0, 0.2, 1, float32(math.Sqrt(0.96))), Labels: []string{"x"}},
		{RecID: "b", Vector: cluVec(0, 1), Labels: []string{"x"}},
	}
	for _, tt := range []struct {
		w    float64
		want int
	}{{-1, 2}, {0.5, 1}, {0.1, 2}} {
		clusters, _, err := Cluster(context.Background(), items, nil, ClusterOptions{Country: "X", LabelWeight: tt.w})
		if err != nil {
			t.Fatal(err)
		}
		if len(clusters) != tt.want {
			t.Errorf("label weight %v: %d clusters, want %d", tt.w, len(clusters), tt.want)
		}
	}
}

func TestClusterIDRules(t *testing.T) {
	a, b := cluVec(0, 1), cluVec(1, 1)
	items := []ClusterItem{
		{RecID: "a1", Vector: a}, {RecID: "a2", Vector: a}, {RecID: "a3", Vector: a}, {RecID: "a4", Vector: a},
		{RecID: "b1", Vector: b}, {RecID: "b2", Vector: b},
		{RecID: "c1", Vector: cluVec(2, 1)},
	}
	derived := func(seed string) string {
		h := sha256.Sum256([]byte(seed))
		return "CX-" + hex.EncodeToString(h[:5])
	}
	tests := []struct {
		name     string
		previous map[string]string
		want     map[string]string // first member → cluster id
	}{
		{"no history", nil, map[string]string{"a1": derived("a1"), "b1": derived("b1"), "c1": derived("c1")}},
		// a: 2 of 3 clustered members were in P; b: its only clustered member was in P too,
		// but a's overlap (2) is larger, so b gets a new id; Q (a minority of a) is retired.
		{"largest overlap wins", map[string]string{"a1": "P", "a2": "P", "a3": "Q", "b1": "P"},
			map[string]string{"a1": "P", "b1": derived("b1"), "c1": derived("c1")}},
		// Exactly half is not a majority.
		{"half is not most", map[string]string{"a1": "P", "a2": "Q"},
			map[string]string{"a1": derived("a1"), "b1": derived("b1"), "c1": derived("c1")}},
		// An id no cluster keeps is never handed out again, even as the derived one.
		{"retired id skipped", map[string]string{"gone": derived("a1")},
			map[string]string{"a1": derived("a1#1"), "b1": derived("b1")}},
		// A kept id that equals another cluster's derived one pushes that one on.
		{"kept id before derived", map[string]string{"b2": derived("a1"), "c1": "R"},
			map[string]string{"a1": derived("a1#1"), "b1": derived("a1"), "c1": "R"}},
	}
	for _, tt := range tests {
		_, members, err := Cluster(context.Background(), items, tt.previous, ClusterOptions{Country: "X"})
		if err != nil {
			t.Fatal(err)
		}
		of := clusterOf(members)
		for first, id := range tt.want {
			if of[first] != id {
				t.Errorf("%s: %s in %s, want %s", tt.name, first, of[first], id)
			}
		}
	}
}

// TestClusterStableIDs: clustering the sample, then the sample with 2% more
// recommendations, keeps the id of every cluster that still exists.
func TestClusterStableIDs(t *testing.T) {
	all, vz := cluSample(t)
	var old []ClusterItem
	for i, it := range all {
		if i%50 != 7 { // hold back 25 of 1,210 as the new batch
			old = append(old, it)
		}
	}
	ctx := context.Background()
	opt := ClusterOptions{Country: "XXX", Vectorizer: vz}
	oldClusters, oldMembers, err := Cluster(ctx, old, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	previous := clusterOf(oldMembers)
	again, againMembers, err := Cluster(ctx, old, previous, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, oldClusters) || !reflect.DeepEqual(againMembers, oldMembers) {
		t.Fatal("reclustering the same items with their ids changed the result")
	}
	clusters, members, err := Cluster(ctx, all, previous, opt)
	if err != nil {
		t.Fatal(err)
	}
	now := clusterOf(members)
	// A previous cluster still exists when all its members are still
	// together and joined, at most, by new items.
	oldGroups := map[string][]string{}
	for _, m := range oldMembers {
		oldGroups[m.ClusterID] = append(oldGroups[m.ClusterID], m.RecID)
	}
	newGroups := map[string][]string{}
	for _, m := range members {
		if _, ok := previous[m.RecID]; ok {
			newGroups[m.ClusterID] = append(newGroups[m.ClusterID], m.RecID)
		}
	}
	existing, kept := 0, 0
	for id, recs := range oldGroups {
		cur := now[recs[0]]
		if len(newGroups[cur]) != len(recs) {
			continue
		}
		same := true
		for _, r := range recs {
			same = same && now[r] == cur
		}
		if same {
			existing++
			if cur == id {
				kept++
			} else {
				t.Errorf("cluster %s (%d members) came back as %s", id, len(recs), cur)
			}
		}
	}
	ids := map[string]bool{}
	for _, c := range clusters {
		if ids[c.ClusterID] {
			t.Errorf("id %s given twice", c.ClusterID)
		}
		ids[c.ClusterID] = true
	}
	t.Logf("%d of %d previous clusters still exist, %d keep their id; %d clusters now", existing, len(oldClusters), kept, len(clusters))
	// 8 previous clusters took in a new item that tipped a merge or a split.
	if existing != 692 || len(oldClusters) != 700 {
		t.Errorf("%d of %d previous clusters survive 2%% new items, want 692 of 700", existing, len(oldClusters))
	}
}

func TestClusterOrderIndependent(t *testing.T) {
	items, vz := cluSample(t)
	ctx := context.Background()
	opt := ClusterOptions{Country: "XXX", Vectorizer: vz}
	c1, m1, err := Cluster(ctx, items, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	shuffled := slices.Clone(items)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	c2, m2, err := Cluster(ctx, shuffled, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c1, c2) || !reflect.DeepEqual(m1, m2) {
		t.Error("shuffling the items changed the clusters")
	}
}

func TestClusterErrors(t *testing.T) {
	ok := ClusterItem{RecID: "a", Vector: cluVec(0, 1)}
	tests := []struct {
		name  string
		items []ClusterItem
		opt   ClusterOptions
		want  string
	}{
		{"no RecID", []ClusterItem{{Vector: cluVec(0, 1)}}, ClusterOptions{}, "has no RecID"},
		{"duplicate", []ClusterItem{ok, ok}, ClusterOptions{Country: "FRA"}, "cluster FRA: RecID a given twice"},
		{"unsorted", []ClusterItem{{RecID: "b", Vector: cluVec(3, 1, 2, 1)}}, ClusterOptions{}, "vector of b: index 2 at entry 1"},
		{"NaN", []ClusterItem{{RecID: "b", Vector: cluVec(3, float32(math.NaN()))}}, ClusterOptions{}, "vector of b: value NaN"},
		{"ragged", []ClusterItem{{RecID: "b", Vector: Vector{Idx: []int32{1}}}}, ClusterOptions{}, "1 indices but 0 values"},
		{"threshold", []ClusterItem{ok}, ClusterOptions{Threshold: 1.5}, "threshold 1.5"},
		{"label weight", []ClusterItem{ok}, ClusterOptions{LabelWeight: 2}, "label weight 2"},
	}
	for _, tt := range tests {
		_, _, err := Cluster(context.Background(), tt.items, nil, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Cluster(ctx, []ClusterItem{ok}, nil, ClusterOptions{}); err == nil {
		t.Error("cancelled context: no error")
	}
	c, m, err := Cluster(context.Background(), nil, nil, ClusterOptions{})
	if c != nil || m != nil || err != nil {
		t.Errorf("no items: %v %v %v", c, m, err)
	}
}

func TestExtendKeepsClustersAndPlacesNewItems(t *testing.T) {
	items, _ := cluSample(t)
	ctx := context.Background()
	// Cluster all but the last 2%, then extend with the rest.
	n := len(items) - len(items)/50
	slices.SortFunc(items, func(a, b ClusterItem) int { return strings.Compare(a.RecID, b.RecID) })
	old, newer := items[:n], items[n:]
	cs, ms, err := Cluster(ctx, old, nil, ClusterOptions{Country: "XXX"})
	if err != nil {
		t.Fatal(err)
	}
	prev := map[string]string{}
	for _, m := range ms {
		prev[m.RecID] = m.ClusterID
	}
	ecs, ems, err := Extend(ctx, items, prev, ClusterOptions{Country: "XXX"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ems) != len(items) {
		t.Fatalf("extend placed %d of %d items", len(ems), len(items))
	}
	after := map[string]string{}
	for _, m := range ems {
		after[m.RecID] = m.ClusterID
	}
	// Old items stay together with the same partners.
	for _, m := range ms {
		if after[m.RecID] == "" {
			t.Fatalf("%s lost", m.RecID)
		}
	}
	moved := 0
	for _, m := range ms {
		if after[m.RecID] != m.ClusterID {
			moved++
		}
	}
	if moved > 0 {
		t.Errorf("%d old items changed cluster id", moved)
	}
	joined := 0
	for _, it := range newer {
		if _, ok := prev[it.RecID]; ok {
			t.Fatal("new item had a previous cluster")
		}
		for _, m := range ms {
			if m.ClusterID == after[it.RecID] {
				joined++
				break
			}
		}
	}
	if len(ecs) < len(cs) {
		t.Errorf("extend has %d clusters, fewer than the %d it started from", len(ecs), len(cs))
	}
	t.Logf("%d old clusters, %d after extending with %d items (%d joined an existing cluster)", len(cs), len(ecs), len(newer), joined)
}

// TestClusterSharedStems clusters the sample split in two "countries" at
// once with one shared word-stem cache, and checks that each gives exactly
// what it gives alone, with a cache of its own: the cache changes the work,
// not the readable top terms.
func TestClusterSharedStems(t *testing.T) {
	items, vz := cluSample(t)
	half := len(items) / 2
	parts := [][]ClusterItem{items[:half], items[half:]}
	type out struct {
		clusters []models.Cluster
		members  []models.ClusterMember
	}
	run := func(stems *WordStems) []out {
		res := make([]out, len(parts))
		errs := make([]error, len(parts))
		var wg sync.WaitGroup
		for p := range parts {
			wg.Go(func() {
				opt := ClusterOptions{Country: "XX" + string(rune('A'+p)), Vectorizer: vz, Stems: stems}
				res[p].clusters, res[p].members, errs[p] = Cluster(context.Background(), parts[p], nil, opt)
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		return res
	}
	alone, shared := run(nil), run(NewWordStems(vz))
	terms := 0
	for p := range parts {
		if !reflect.DeepEqual(alone[p], shared[p]) {
			t.Errorf("part %d: clusters differ with the shared cache", p)
		}
		for _, c := range shared[p].clusters {
			terms += len(c.TopTerms)
		}
	}
	if terms == 0 {
		t.Error("no cluster has top terms: the comparison proves nothing")
	}
}

// TestExtendKeptDescriptions extends a clustering with and without the
// earlier clusters' descriptions (Kept, KeptSimilarity): the results must
// be the same, clusters that gained no member must carry the kept
// description, and those that gained one must be described again.
func TestExtendKeptDescriptions(t *testing.T) {
	items, vz := cluSample(t)
	ctx := context.Background()
	slices.SortFunc(items, func(a, b ClusterItem) int { return strings.Compare(a.RecID, b.RecID) })
	n := len(items) - len(items)/20
	opt := ClusterOptions{Country: "XXX", Vectorizer: vz}
	cs, ms, err := Cluster(ctx, items[:n], nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	prev, sim := map[string]string{}, map[string]float64{}
	for _, m := range ms {
		prev[m.RecID], sim[m.RecID] = m.ClusterID, m.Similarity
	}
	kept := map[string]models.Cluster{}
	for _, c := range cs {
		kept[c.ClusterID] = c
	}
	plainC, plainM, err := Extend(ctx, items, prev, opt)
	if err != nil {
		t.Fatal(err)
	}
	kopt := opt
	kopt.Kept, kopt.KeptSimilarity = kept, sim
	keptC, keptM, err := Extend(ctx, items, prev, kopt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plainC, keptC) || !reflect.DeepEqual(plainM, keptM) {
		t.Fatal("extending with the kept descriptions gives other clusters than describing them again")
	}
	// Mark every kept label: an unchanged cluster must show the mark, a
	// cluster that gained a member its own label.
	marked := map[string]models.Cluster{}
	for id, c := range kept {
		c.Label = "kept: " + c.Label
		marked[id] = c
	}
	kopt.Kept = marked
	markC, _, err := Extend(ctx, items, prev, kopt)
	if err != nil {
		t.Fatal(err)
	}
	unchanged, grown := 0, 0
	for _, c := range markC {
		old, ok := kept[c.ClusterID]
		switch {
		case !ok:
		case old.Size == c.Size:
			unchanged++
			if c.Label != "kept: "+old.Label {
				t.Errorf("unchanged cluster %s described again: label %q", c.ClusterID, c.Label)
			}
		default:
			grown++
			if strings.HasPrefix(c.Label, "kept: ") {
				t.Errorf("cluster %s grew from %d to %d members but kept its description", c.ClusterID, old.Size, c.Size)
			}
		}
	}
	if unchanged == 0 || grown == 0 {
		t.Errorf("%d unchanged and %d grown clusters: the test needs both", unchanged, grown)
	}
}

// TestClusterSharedTopTerms clusters the same items as two countries with
// one shared cache, the second reading the first's top terms from it, and
// checks each gives what it gives with a cache of its own.
func TestClusterSharedTopTerms(t *testing.T) {
	items, vz := cluSample(t)
	ctx := context.Background()
	stems := NewWordStems(vz)
	for _, country := range []string{"XXA", "XXB"} {
		alone, aloneM, err := Cluster(ctx, items, nil, ClusterOptions{Country: country, Vectorizer: vz})
		if err != nil {
			t.Fatal(err)
		}
		shared, sharedM, err := Cluster(ctx, items, nil, ClusterOptions{Country: country, Vectorizer: vz, Stems: stems})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(alone, shared) || !reflect.DeepEqual(aloneM, sharedM) {
			t.Errorf("%s: clusters differ with the shared cache", country)
		}
		if len(shared) == 0 || len(shared[0].TopTerms) == 0 {
			t.Fatalf("%s: the largest cluster has no top terms: the comparison proves nothing", country)
		}
	}
	cached := 0
	stems.terms.Range(func(any, any) bool { cached++; return true })
	if cached == 0 {
		t.Error("nothing in the shared cache of top terms")
	}
}

// TestPlacerMatchesEveryGroup places the last third of the sample, one to
// three items at a time, some with the text of an earlier item, into groups
// of the first two thirds, and checks that the index finds the group a
// comparison with every group finds, when only text columns are indexed
// and common ones left out (label weight below the threshold, or no labels),
// when label columns are indexed too, and without index.
func TestPlacerMatchesEveryGroup(t *testing.T) {
	items, _ := cluSample(t)
	f, err := os.Open("testdata/upr-issues.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for i := -1; sc.Scan(); i++ {
		if i >= 0 {
			items[i].Labels = strings.Split(strings.Split(sc.Text(), "\t")[2], ",")
		}
	}
	unlabelled := slices.Clone(items)
	for i := range unlabelled {
		unlabelled[i].Labels = nil
	}
	for _, tc := range []struct {
		threshold, weight float64
		items             []ClusterItem
		index             bool
	}{{0.3, 0.2, items, true}, {0.15, 0.1, items, true}, {0.3, 0.5, items, true}, {0.3, 0.2, unlabelled, true}, {0.3, 0.2, items, false}} {
		items := tc.items
		opt, err := ClusterOptions{Threshold: tc.threshold, LabelWeight: tc.weight}.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		text, aug := clusterVectors(items, opt.LabelWeight)
		p := newPlacer(items, text, opt, tc.index)
		if pruned := p.budget > 0; pruned != (tc.index && (tc.weight < tc.threshold || len(items[0].Labels) == 0)) {
			t.Errorf("threshold %v, label weight %v, index %v: common columns left out %v", tc.threshold, tc.weight, tc.index, pruned)
		}
		n := 2 * len(items) / 3
		var groups [][]int32
		var sums []sparse
		var single []int32                          // items alone in their group
		for i := 0; i < n; i += 1 + len(groups)%4 { // groups of 1 to 4 neighbouring items
			var grp []int32
			var s sparse
			for j := i; j < min(n, i+1+len(groups)%4); j++ {
				grp = append(grp, int32(j))
				s = s.add(aug[j])
			}
			if len(grp) == 1 {
				single = append(single, grp[0])
			}
			groups, sums = append(groups, grp), append(sums, s)
			p.add(s)
		}
		joined, alone := 0, 0
		for i := n; i < len(items); i += 1 + i%3 {
			var ng []int32
			var s sparse
			for j := i; j < min(len(items), i+1+i%3); j++ {
				k := j
				if j%4 == 0 { // the wording of an earlier item again, as when many States receive it
					k = int(single[j%len(single)])
				}
				ng = append(ng, int32(k))
				s = s.add(aug[k])
			}
			want, wantSim := -1, opt.Threshold
			for g := range groups {
				if sim := s.dot(sums[g]) / float64(len(ng)*len(groups[g])); sim >= wantSim {
					want, wantSim = g, sim
				}
			}
			sizes := make([]int, len(groups))
			for g, grp := range groups {
				sizes[g] = len(grp)
			}
			got := p.best(s, len(ng), sizes, opt.Threshold)
			if got != want {
				t.Fatalf("threshold %v, label weight %v: items from %d placed in group %d, every group compared: %d (%.6f)", tc.threshold, tc.weight, i, got, want, wantSim)
			}
			if got < 0 {
				groups, sums = append(groups, ng), append(sums, s)
				p.add(s)
				alone++
				continue
			}
			groups[got] = append(groups[got], ng...)
			sums[got] = sums[got].add(s)
			p.join(got, s)
			joined++
		}
		if joined == 0 || alone == 0 {
			t.Errorf("threshold %v, label weight %v, index %v: %d new groups joined one, %d stood alone; the test needs both", tc.threshold, tc.weight, tc.index, joined, alone)
		}
		t.Logf("threshold %v, label weight %v: %d joined, %d alone", tc.threshold, tc.weight, joined, alone)
	}
}
