package classify

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/nmirf/nmirf/models"
)

// ClusterSum is what extending a clustering needs of one of its clusters
// without reading its members again: the sum of the members' vectors as
// clustering compares them (each unit text vector scaled by √(1−w), then
// each member's label indicators, under their names), added member by
// member in RecID order as Extend adds them. Placing new items against it
// computes the very numbers Extend computes from the members.
type ClusterSum struct {
	Size        int     // members; not part of the binary form
	Labelled    bool    // some item of the country carried labels when the sum was made
	LabelWeight float64 // the w of the sum: the label weight, or 0 when no item carried labels
	Idx         []int32 // text columns, increasing
	Val         []float64
	Labels      []string // label names, increasing
	LabelVal    []float64
}

// clusterSumFormat is the first byte of ClusterSum's binary form.
const clusterSumFormat = 1

// MarshalBinary encodes s, without its Size.
func (s ClusterSum) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 18+12*len(s.Idx)+24*len(s.Labels))
	b = append(b, clusterSumFormat, 0)
	if s.Labelled {
		b[1] = 1
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.LabelWeight))
	b = binary.AppendUvarint(b, uint64(len(s.Idx)))
	prev := int32(0)
	for k, c := range s.Idx {
		if c < prev || k > 0 && c == prev {
			return nil, fmt.Errorf("cluster sum: column %d after %d", c, prev)
		}
		b = binary.AppendUvarint(b, uint64(c-prev))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.Val[k]))
		prev = c
	}
	b = binary.AppendUvarint(b, uint64(len(s.Labels)))
	for k, l := range s.Labels {
		b = binary.AppendUvarint(b, uint64(len(l)))
		b = append(b, l...)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.LabelVal[k]))
	}
	return b, nil
}

var errClusterSum = errors.New("cluster sum: truncated or of another format")

// UnmarshalBinary decodes what MarshalBinary made; Size is left as it is.
func (s *ClusterSum) UnmarshalBinary(b []byte) error {
	if len(b) < 10 || b[0] != clusterSumFormat || b[1] > 1 {
		return errClusterSum
	}
	s.Labelled = b[1] == 1
	s.LabelWeight = math.Float64frombits(binary.LittleEndian.Uint64(b[2:]))
	b = b[10:]
	uvarint := func() (int, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > math.MaxInt32 {
			return 0, false
		}
		b = b[n:]
		return int(v), true
	}
	f64 := func() (float64, bool) {
		if len(b) < 8 {
			return 0, false
		}
		x := math.Float64frombits(binary.LittleEndian.Uint64(b))
		b = b[8:]
		return x, true
	}
	n, ok := uvarint()
	if !ok || n > len(b)/9 {
		return errClusterSum
	}
	s.Idx, s.Val = make([]int32, n), make([]float64, n)
	col := 0
	for k := range n {
		d, ok := uvarint()
		if !ok || k > 0 && d == 0 || col+d > math.MaxInt32 {
			return errClusterSum
		}
		col += d
		s.Idx[k] = int32(col)
		if s.Val[k], ok = f64(); !ok {
			return errClusterSum
		}
	}
	if n, ok = uvarint(); !ok || n > len(b)/9 {
		return errClusterSum
	}
	s.Labels, s.LabelVal = make([]string, n), make([]float64, n)
	for k := range n {
		l, ok := uvarint()
		if !ok || l > len(b) {
			return errClusterSum
		}
		s.Labels[k] = string(b[:l])
		b = b[l:]
		if s.LabelVal[k], ok = f64(); !ok {
			return errClusterSum
		}
	}
	if len(b) != 0 {
		return errClusterSum
	}
	return nil
}

// Labelled reports whether some item carries labels: the label weight
// then takes part in the similarity of every pair of the country's items.
func Labelled(items []ClusterItem) bool {
	return slices.ContainsFunc(items, func(it ClusterItem) bool { return len(it.Labels) > 0 })
}

// ClusterSums returns the sum of each cluster of members, by id, over the
// items (the country's, or at least every member of the clusters wanted);
// labelled says whether some item of the country carries labels.
func ClusterSums(items []ClusterItem, members []models.ClusterMember, labelled bool, opt ClusterOptions) (map[string]ClusterSum, error) {
	items, opt, err := prepareItems(items, opt)
	if err != nil {
		return nil, err
	}
	w := 0.0
	if labelled {
		w = opt.LabelWeight
	}
	pos := make(map[string]int32, len(items))
	for i, it := range items {
		pos[it.RecID] = int32(i)
	}
	byCluster := map[string][]int32{}
	for _, m := range members {
		i, ok := pos[m.RecID]
		if !ok {
			return nil, fmt.Errorf("cluster %s: member %s is not among the items", opt.Country, m.RecID)
		}
		byCluster[m.ClusterID] = append(byCluster[m.ClusterID], i)
	}
	grps := make([]int32Group, 0, len(byCluster))
	for id, grp := range byCluster {
		slices.Sort(grp)
		grps = append(grps, int32Group{id, grp})
	}
	_, aug, base, labelName := sumVectors(items, w)
	return sumGroups(aug, base, labelName, grps, labelled, w), nil
}

// int32Group is a group of items, by position, under a cluster id.
type int32Group struct {
	id    string
	items []int32
}

// sumVectors returns the text and augmented vectors of items (see
// clusterVectors) with w the label weight, the first label column and the
// label of each column from there.
func sumVectors(items []ClusterItem, w float64) (text, aug []sparse, base int32, labelName []string) {
	var names []string
	for _, it := range items {
		names = append(names, it.Labels...)
		if n := len(it.Vector.Idx); n > 0 {
			base = max(base, it.Vector.Idx[n-1]+1)
		}
	}
	labelCol := labelColumns(names, base)
	labelName = make([]string, len(labelCol))
	for l, c := range labelCol {
		labelName[c-base] = l
	}
	text, aug = clusterVectorsWith(items, w, labelCol)
	return text, aug, base, labelName
}

// sumGroups returns the ClusterSum of each group of items (their
// augmented vectors, from sumVectors; each group's positions increasing,
// in RecID order), by id, w being the label weight and labelled whether
// some item of the country carries labels.
func sumGroups(aug []sparse, base int32, labelName []string, grps []int32Group, labelled bool, w float64) map[string]ClusterSum {
	out := make(map[string]ClusterSum, len(grps))
	var dense []float64
	var held []bool
	var touched []int32
	for _, g := range grps {
		// Column by column, the members' weights in RecID order, as the
		// sums of sparse.add give them.
		touched = touched[:0]
		for _, i := range g.items {
			for k, c := range aug[i].idx {
				if int(c) >= len(dense) {
					dense = append(dense, make([]float64, int(c)+1-len(dense))...)
					held = append(held, make([]bool, int(c)+1-len(held))...)
				}
				if !held[c] {
					held[c] = true
					touched = append(touched, c)
					dense[c] = aug[i].val[k]
				} else {
					dense[c] += aug[i].val[k]
				}
			}
		}
		slices.Sort(touched)
		s := ClusterSum{Size: len(g.items), Labelled: labelled, LabelWeight: w}
		for _, c := range touched {
			if c < base {
				s.Idx, s.Val = append(s.Idx, c), append(s.Val, dense[c])
			} else {
				s.Labels, s.LabelVal = append(s.Labels, labelName[c-base]), append(s.LabelVal, dense[c])
			}
			dense[c], held[c] = 0, false
		}
		out[g.id] = s
	}
	return out
}

// Place clusters new items of a country among themselves and places each
// group they make as Extend does, against the country's existing clusters
// given by their sums (with their sizes) instead of their members. It
// returns, by RecID, each new item's group: an index into existing or,
// from len(existing) on, a new group. ok is false, and nothing placed, when
// the sums were made with another label weight than the one the new items
// make the country's (no item labelled before, some now, or another
// option): Extend must then do it from the members.
func Place(ctx context.Context, fresh []ClusterItem, existing []ClusterSum, opt ClusterOptions) (into map[string]int, ok bool, err error) {
	fresh, opt, err = prepareItems(fresh, opt)
	if err != nil {
		return nil, false, err
	}
	labelled := Labelled(fresh)
	for _, s := range existing {
		labelled = labelled || s.Labelled
	}
	w := 0.0
	if labelled {
		w = opt.LabelWeight
	}
	for _, s := range existing {
		if s.LabelWeight != w || s.Size <= 0 {
			return nil, false, nil
		}
	}
	if len(fresh) == 0 {
		return map[string]int{}, true, nil
	}
	var base int32
	var names []string
	for _, it := range fresh {
		if n := len(it.Vector.Idx); n > 0 {
			base = max(base, it.Vector.Idx[n-1]+1)
		}
		names = append(names, it.Labels...)
	}
	for _, s := range existing {
		if n := len(s.Idx); n > 0 {
			base = max(base, s.Idx[n-1]+1)
		}
		names = append(names, s.Labels...)
	}
	labelCol := labelColumns(names, base)
	text, aug := clusterVectorsWith(fresh, w, labelCol)
	sums := make([]sparse, len(existing))
	sizes := make([]int, len(existing))
	for g, s := range existing {
		if len(s.Val) != len(s.Idx) || len(s.LabelVal) != len(s.Labels) || !slices.IsSorted(s.Labels) {
			return nil, false, fmt.Errorf("cluster %s: malformed cluster sum", opt.Country)
		}
		sp := sparse{idx: make([]int32, 0, len(s.Idx)+len(s.Labels)), val: make([]float64, 0, len(s.Idx)+len(s.Labels))}
		sp.idx, sp.val = append(sp.idx, s.Idx...), append(sp.val, s.Val...)
		for k, l := range s.Labels {
			sp.idx, sp.val = append(sp.idx, labelCol[l]), append(sp.val, s.LabelVal[k])
		}
		sums[g], sizes[g] = sp, s.Size
	}
	// Each item's unit text weight in a column is at most its group's sum
	// there over √(1−w) (weights are not negative): a bound, a little
	// raised for rounding, that gives the placements of the exact one.
	most := func() []float64 {
		m := make([]float64, base)
		for _, t := range text {
			for k, c := range t.idx {
				m[c] = max(m[c], t.val[k])
			}
		}
		scale := (1 + 1e-9) / math.Sqrt(1-w)
		for _, s := range existing {
			for k, c := range s.Idx {
				m[c] = max(m[c], s.Val[k]*scale)
			}
		}
		return m
	}
	groups, err := placeFresh(ctx, aug, text, sums, sizes, opt, func(index bool) *placer {
		return newPlacerWith(w, base, most, opt, index)
	})
	if err != nil {
		return nil, false, err
	}
	into = make(map[string]int, len(fresh))
	for j, it := range fresh {
		into[it.RecID] = groups[j]
	}
	return into, true, nil
}

// DescribeGroups describes groups of items as Cluster and Extend do, each
// group (its items in any order) under the id given for it, or, where the
// id is "", under a new id, as Cluster names a new cluster: from the
// group's smallest RecID, avoiding the ids inUse reports and those given
// to the groups before it in the order of their smallest RecIDs.
//
// It also returns each cluster's sum (see ClusterSums), labelled saying
// whether some item of the country carries labels.
func DescribeGroups(groups [][]ClusterItem, ids []string, inUse func(string) bool, labelled bool, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember, map[string]ClusterSum, error) {
	if len(ids) != len(groups) {
		return nil, nil, nil, fmt.Errorf("cluster %s: %d ids for %d groups", opt.Country, len(ids), len(groups))
	}
	var all []ClusterItem
	for _, g := range groups {
		if len(g) == 0 {
			return nil, nil, nil, fmt.Errorf("cluster %s: an empty group", opt.Country)
		}
		all = append(all, g...)
	}
	items, opt, err := prepareItems(all, opt)
	if err != nil {
		return nil, nil, nil, err
	}
	pos := make(map[string]int32, len(items))
	for i, it := range items {
		pos[it.RecID] = int32(i)
	}
	grps := make([][]int32, len(groups))
	for g, grp := range groups {
		for _, it := range grp {
			grps[g] = append(grps[g], pos[it.RecID])
		}
		slices.Sort(grps[g])
	}
	// In the order Cluster gives its groups, by their smallest item.
	ids = slices.Clone(ids)
	order := make([]int, len(grps))
	for g := range order {
		order[g] = g
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(grps[a][0], grps[b][0]) })
	sorted, sortedIDs := make([][]int32, len(grps)), make([]string, len(ids))
	for k, g := range order {
		sorted[k], sortedIDs[k] = grps[g], ids[g]
	}
	grps, ids = sorted, sortedIDs
	w := 0.0
	if labelled {
		w = opt.LabelWeight
	}
	text, aug, base, labelName := sumVectors(items, w)
	clusters, members := describe(items, text, grps, opt)
	taken := map[string]bool{}
	fresh := []int{}
	for g, id := range ids {
		if id == "" {
			fresh = append(fresh, g)
			continue
		}
		taken[id] = true
		clusters[g].ClusterID = id
	}
	for _, g := range fresh {
		id := newClusterID(opt.Country, items[grps[g][0]].RecID, func(id string) bool { return inUse(id) || taken[id] })
		taken[id] = true
		clusters[g].ClusterID = id
	}
	k := 0
	for g, grp := range grps {
		for range grp {
			members[k].ClusterID = clusters[g].ClusterID
			k++
		}
	}
	sg := make([]int32Group, len(grps))
	for g, grp := range grps {
		sg[g] = int32Group{clusters[g].ClusterID, grp}
	}
	sums := sumGroups(aug, base, labelName, sg, labelled, w)
	orderClusters(clusters, members)
	return clusters, members, sums, nil
}
