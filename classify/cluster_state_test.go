package classify

import (
	"bufio"
	"cmp"
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/models"
)

// labelledSample is cluSample with each text's UPR Info issues as its
// labels and themes, and mechanisms and dates that vary, so that every
// field of a description depends on the members.
func labelledSample(t *testing.T) ([]ClusterItem, *Vectorizer, map[string][]string) {
	t.Helper()
	items, vz := cluSample(t)
	f, err := os.Open("testdata/upr-issues.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	themes := map[string][]string{}
	for i := -1; sc.Scan(); i++ {
		if i < 0 {
			continue
		}
		fs := strings.Split(sc.Text(), "\t")
		items[i].Labels = strings.Split(fs[2], ",")
		themes[items[i].RecID] = items[i].Labels
		items[i].Date = "20" + []string{"08", "12", "17", "22"}[i%4] + "-0" + string(rune('1'+i%9)) + "-15"
		if i%3 == 0 {
			items[i].Mechanism, items[i].Body = "TB", "CRC"
		}
	}
	slices.SortFunc(items, func(a, b ClusterItem) int { return strings.Compare(a.RecID, b.RecID) })
	return items, vz, themes
}

// extendFromSums does what the cluster stage does for a country with new
// items only, from the sums of its clusters: place the new items, describe
// again the clusters they join and the ones they make, keep the others.
func extendFromSums(t *testing.T, old, fresh []ClusterItem, cs []models.Cluster, ms []models.ClusterMember, sums map[string]ClusterSum, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember, map[string]ClusterSum, bool) {
	t.Helper()
	var existing []ClusterSum
	var ids []string
	for _, c := range cs {
		// Through the binary form, as the warehouse keeps them.
		b, err := sums[c.ClusterID].MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var s ClusterSum
		if err := s.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		s.Size = sums[c.ClusterID].Size
		existing, ids = append(existing, s), append(ids, c.ClusterID)
	}
	into, ok, err := Place(context.Background(), fresh, existing, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		return nil, nil, nil, false
	}
	joined := map[int][]ClusterItem{}
	for _, it := range fresh {
		joined[into[it.RecID]] = append(joined[into[it.RecID]], it)
	}
	byRec := map[string]ClusterItem{}
	for _, it := range old {
		byRec[it.RecID] = it
	}
	var groups [][]ClusterItem
	var gids []string
	for g, add := range joined {
		grp := slices.Clone(add)
		id := ""
		if g < len(ids) {
			id = ids[g]
			for _, m := range ms {
				if m.ClusterID == id {
					grp = append(grp, byRec[m.RecID])
				}
			}
		}
		groups, gids = append(groups, grp), append(gids, id)
	}
	inUse := map[string]bool{}
	for _, id := range ids {
		inUse[id] = true
	}
	labelled := Labelled(fresh)
	for _, s := range existing {
		labelled = labelled || s.Labelled
	}
	dc, dm, ds, err := DescribeGroups(groups, gids, func(id string) bool { return inUse[id] }, labelled, opt)
	if err != nil {
		t.Fatal(err)
	}
	changed := map[string]bool{}
	for _, id := range gids {
		changed[id] = true
	}
	for _, c := range cs {
		if !changed[c.ClusterID] {
			dc = append(dc, c)
		}
	}
	for _, m := range ms {
		if !changed[m.ClusterID] {
			dm = append(dm, m)
		}
	}
	return dc, dm, ds, true
}

func sortedClusters(cs []models.Cluster, ms []models.ClusterMember) ([]models.Cluster, []models.ClusterMember) {
	cs, ms = slices.Clone(cs), slices.Clone(ms)
	slices.SortFunc(cs, func(a, b models.Cluster) int { return cmp.Compare(a.ClusterID, b.ClusterID) })
	slices.SortFunc(ms, func(a, b models.ClusterMember) int { return cmp.Compare(a.RecID, b.RecID) })
	return cs, ms
}

// TestPlaceFromSumsIsExtend clusters part of the sample, then adds the rest
// both ways: by Extend over every item, and from the clusters' sums (through
// their binary form) with only the clusters new items join described again.
// Clusters, ids, descriptions and members' similarities must be the same,
// bit for bit, with few new items (placed against every cluster) and many
// (through the placer's index), labelled and not.
func TestPlaceFromSumsIsExtend(t *testing.T) {
	items, vz, themes := labelledSample(t)
	unlabelled := slices.Clone(items)
	for i := range unlabelled {
		unlabelled[i].Labels = nil
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		items []ClusterItem
		every int // every n-th item is new
	}{{"few", items, 37}, {"many", items, 3}, {"unlabelled", unlabelled, 29}, {"unlabelled many", unlabelled, 4}} {
		t.Run(tc.name, func(t *testing.T) {
			var old, fresh []ClusterItem
			for i, it := range tc.items {
				if i%tc.every == tc.every-1 {
					fresh = append(fresh, it)
				} else {
					old = append(old, it)
				}
			}
			opt := ClusterOptions{Country: "XXX", Vectorizer: vz, Themes: themes, Stems: NewWordStems(vz)}
			cs, ms, err := Cluster(ctx, old, nil, opt)
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
			eopt := opt
			eopt.Kept, eopt.KeptSimilarity = kept, sim
			wantC, wantM, err := Extend(ctx, tc.items, prev, eopt)
			if err != nil {
				t.Fatal(err)
			}
			sums, err := ClusterSums(old, ms, Labelled(old), opt)
			if err != nil {
				t.Fatal(err)
			}
			gotC, gotM, gotSums, ok := extendFromSums(t, old, fresh, cs, ms, sums, opt)
			if !ok {
				t.Fatal("the sums were not usable")
			}
			wantC, wantM = sortedClusters(wantC, wantM)
			gotC, gotM = sortedClusters(gotC, gotM)
			if len(gotC) != len(wantC) || len(gotM) != len(wantM) {
				t.Fatalf("%d clusters, %d members from the sums; Extend: %d, %d", len(gotC), len(gotM), len(wantC), len(wantM))
			}
			for i := range wantC {
				if !reflect.DeepEqual(gotC[i], wantC[i]) {
					t.Fatalf("cluster from the sums\n%+v\nExtend\n%+v", gotC[i], wantC[i])
				}
			}
			for i := range wantM {
				if gotM[i] != wantM[i] {
					t.Fatalf("member from the sums %+v, Extend %+v", gotM[i], wantM[i])
				}
			}
			grown, made := 0, 0
			for _, c := range wantC {
				if k, ok := kept[c.ClusterID]; !ok {
					made++
				} else if k.Size < c.Size {
					grown++
				}
			}
			if grown == 0 || made == 0 {
				t.Errorf("%d clusters grew, %d were made: the test needs both", grown, made)
			}
			t.Logf("%d old items in %d clusters, %d new: %d clusters grew, %d new ones", len(old), len(cs), len(fresh), grown, made)

			// The sums after the run, of the described clusters from their
			// members, are what ClusterSums makes of every item.
			all, err := ClusterSums(tc.items, wantM, Labelled(tc.items), opt)
			if err != nil {
				t.Fatal(err)
			}
			for id, s := range sums {
				if all[id].Size == s.Size && !reflect.DeepEqual(all[id], s) {
					t.Fatalf("cluster %s kept its members but its sum changed", id)
				}
			}
			if len(gotSums) != grown+made {
				t.Errorf("%d sums of described clusters, %d described", len(gotSums), grown+made)
			}
			for id, s := range gotSums {
				if !reflect.DeepEqual(all[id], s) {
					t.Fatalf("the sum of described cluster %s is not the sum of its members", id)
				}
			}
		})
	}
}

// TestPlaceRefusesOtherLabelWeight: sums made when no item carried labels
// cannot place labelled new items (every pair's similarity changes then).
func TestPlaceRefusesOtherLabelWeight(t *testing.T) {
	items, vz, _ := labelledSample(t)
	old := slices.Clone(items[:200])
	for i := range old {
		old[i].Labels = nil
	}
	opt := ClusterOptions{Country: "XXX", Vectorizer: vz}
	_, ms, err := Cluster(context.Background(), old, nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := ClusterSums(old, ms, Labelled(old), opt)
	if err != nil {
		t.Fatal(err)
	}
	var existing []ClusterSum
	for _, s := range sums {
		existing = append(existing, s)
	}
	if _, ok, err := Place(context.Background(), items[200:210], existing, opt); ok || err != nil {
		t.Errorf("labelled new items against unlabelled sums: ok %v, error %v; want refused", ok, err)
	}
	if _, ok, err := Place(context.Background(), old[:0], existing, opt); !ok || err != nil {
		t.Errorf("no new item: ok %v, error %v", ok, err)
	}
}

func TestClusterSumBinary(t *testing.T) {
	s := ClusterSum{Labelled: true, LabelWeight: 0.2, Idx: []int32{3, 70000, 70001}, Val: []float64{0.5, 1e-300, 2},
		Labels: []string{"Women's rights", "Ж"}, LabelVal: []float64{0.1, 0.3}}
	b, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var got ClusterSum
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("read back %+v, want %+v", got, s)
	}
	for n := range len(b) {
		if err := got.UnmarshalBinary(b[:n]); err == nil {
			t.Errorf("the first %d of %d bytes read without error", n, len(b))
		}
	}
}

// TestSingleSpaced: labels already joined by single spaces are taken as
// they are, any other is joined again.
func TestSingleSpaced(t *testing.T) {
	for _, s := range []string{"", "a", "Ratify OP-CAT", " a", "a ", "a  b", "a\tb", "a\u00a0b", "a\nb", "\u3000", "é b ç", "a b\xff c"} {
		want := strings.Join(strings.Fields(s), " ") == s
		if got := singleSpaced(s); got != want {
			t.Errorf("singleSpaced(%q) = %v, want %v", s, got, want)
		}
	}
}
