package classify

import (
	"cmp"
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nmirf/nmirf/models"
)

// Defaults of ClusterOptions; the threshold is tuned on the real data (see
// TestClusterTune and TestClusterQuality in cluster_quality_test.go).
const (
	// DefaultClusterThreshold is the average pairwise similarity two groups
	// must reach to merge: the lowest value of the grid 0.15…0.6 at which the
	// clusters of the tuning countries stay one request, measured as a mean
	// label-set purity against UPR Info issues of at least 0.98
	// (TestClusterTune). Lower, the shared frame of "ratify the Optional
	// Protocol to …" joins OP-CAT with OP-CRPD; higher, paraphrases of one
	// request ("sign", "accede to", "consider ratifying") fall apart.
	DefaultClusterThreshold = 0.3
	// DefaultLabelWeight is the share of the label overlap in the similarity
	// when items carry labels: small, because assigned labels are coarse
	// (many unrelated requests share "Women's rights") and the text must
	// decide; it only tips close calls between requests on the same theme.
	DefaultLabelWeight = 0.2
	// DefaultIndexTerms is how many of its heaviest terms index each vector.
	DefaultIndexTerms = 12
	// DefaultMaxPostings bounds the entries of one term's posting list read
	// for one item, the heaviest first: it is what keeps frequent terms
	// ("ratifi", "women") from making candidate search quadratic.
	DefaultMaxPostings = 64
	// DefaultNeighbours is how many candidates per item get an exact score.
	DefaultNeighbours = 24
	// DefaultClusterTopTerms is the number of TopTerms per cluster.
	DefaultClusterTopTerms = 8
	// DefaultLabelLength bounds Cluster.Label, in characters.
	DefaultLabelLength = 120
)

// ClusterItem is one recommendation to cluster. Vector is its TF-IDF
// vector (any norm; it is L2-normalised here); Labels are the labels assigned
// to it (themes, SDG targets), compared as a set.
type ClusterItem struct {
	RecID     string
	Text      string
	Vector    Vector
	Labels    []string
	Mechanism string
	Body      string
	Date      string // ISO YYYY-MM-DD or empty
}

// ClusterOptions configures Cluster. Zero fields take the defaults above.
type ClusterOptions struct {
	Country     string  // ISO3 of the country under review; goes into Cluster.CountryISO3 and new ids
	Threshold   float64 // in (0, 1]
	LabelWeight float64 // in [0, 1]; negative ignores labels
	IndexTerms  int
	MaxPostings int
	Neighbours  int
	TopTerms    int
	LabelLength int
	// Vectorizer names the columns of the vectors for TopTerms, which stay
	// empty without it.
	Vectorizer *Vectorizer
	// Themes and SDGTargets give each RecID its labels for MainTheme and
	// MainSDGTarget.
	Themes     map[string][]string
	SDGTargets map[string][]string
	// Stems, from NewWordStems of the same Vectorizer, is shared by the
	// countries of one run so that each written word is stemmed once; nil
	// stems them again for each call.
	Stems *WordStems
	// Kept, for Extend, holds the clusters of the earlier run as written,
	// by id, and KeptSimilarity each clustered RecID's similarity to its
	// cluster: a cluster that neither gains nor loses members keeps them
	// instead of being described again. Without them every cluster is.
	Kept           map[string]models.Cluster
	KeptSimilarity map[string]float64
}

func (o ClusterOptions) withDefaults() (ClusterOptions, error) {
	if o.Threshold == 0 {
		o.Threshold = DefaultClusterThreshold
	}
	if o.LabelWeight == 0 {
		o.LabelWeight = DefaultLabelWeight
	}
	o.LabelWeight = max(o.LabelWeight, 0)
	if !(o.Threshold > 0 && o.Threshold <= 1) || o.LabelWeight > 1 || math.IsNaN(o.LabelWeight) {
		return o, fmt.Errorf("invalid cluster options: threshold %v must be in (0, 1] and label weight %v at most 1", o.Threshold, o.LabelWeight)
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.IndexTerms, DefaultIndexTerms)
	def(&o.MaxPostings, DefaultMaxPostings)
	def(&o.Neighbours, DefaultNeighbours)
	def(&o.TopTerms, DefaultClusterTopTerms)
	def(&o.LabelLength, DefaultLabelLength)
	return o, nil
}

// Cluster groups the recommendations to one country that ask for the same
// thing, whatever mechanism made them, and returns the clusters (largest
// first) and every item's membership; an item like no other is a cluster of
// one.
//
// Similarity of two items is (1−w)·cos(text) + w·overlap(labels), w the
// LabelWeight, overlap the cosine of the label sets (|A∩B|/√(|A||B|), which
// ranks like Jaccard). It is the cosine of vectors that append the scaled
// label indicators to the scaled text vector, so the sum of a group's
// vectors gives its average similarity to another group exactly: average
// linkage without storing all pairs. Labels take part only when some item
// has them; an unlabelled item then shares no label with any other.
//
// The work is not quadratic: each item is compared exactly only with the
// Neighbours candidates found through an inverted index of every vector's
// IndexTerms heaviest terms, reading at most MaxPostings entries per term.
// Groups then merge, highest average similarity first, while it reaches
// Threshold; a pair of groups is considered only when some pair of their
// items is a candidate pair at or above Threshold, which any pair whose
// average reaches it has.
//
// previous maps RecIDs to the ClusterIDs of an earlier run. A cluster keeps
// the id of the previous cluster that held more than half of its previously
// clustered members; when several claim one id, the largest overlap wins.
// Other clusters get an id made from the country and a hash of their
// smallest RecID, never one of the previous ids. Results depend only on the
// items as a set, not their order.
func Cluster(ctx context.Context, items []ClusterItem, previous map[string]string, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember, error) {
	items, opt, err := prepareItems(items, opt)
	if err != nil || len(items) == 0 {
		return nil, nil, err
	}
	text, aug := clusterVectors(items, opt.LabelWeight)
	edges, err := candidateEdges(ctx, aug, text, opt)
	if err != nil {
		return nil, nil, fmt.Errorf("cluster %s: %w", opt.Country, err)
	}
	groups, err := averageLinkage(ctx, aug, edges, opt.Threshold)
	if err != nil {
		return nil, nil, fmt.Errorf("cluster %s: %w", opt.Country, err)
	}
	clusters, members := describe(items, text, groups, opt)
	assignIDs(clusters, members, groups, items, previous, opt.Country)
	return clusters, members, nil
}

// prepareItems applies the option defaults and returns a copy of items
// sorted by RecID, checked: ids present and unique, vectors valid.
func prepareItems(items []ClusterItem, opt ClusterOptions) ([]ClusterItem, ClusterOptions, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, opt, err
	}
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b ClusterItem) int { return cmp.Compare(a.RecID, b.RecID) })
	for i, it := range items {
		if it.RecID == "" {
			return nil, opt, fmt.Errorf("cluster %s: item %d has no RecID", opt.Country, i)
		}
		if i > 0 && items[i-1].RecID == it.RecID {
			return nil, opt, fmt.Errorf("cluster %s: RecID %s given twice", opt.Country, it.RecID)
		}
		if err := checkVector(it.Vector); err != nil {
			return nil, opt, fmt.Errorf("cluster %s: vector of %s: %w", opt.Country, it.RecID, err)
		}
	}
	return items, opt, nil
}

func checkVector(v Vector) error {
	if len(v.Idx) != len(v.Val) {
		return fmt.Errorf("%d indices but %d values", len(v.Idx), len(v.Val))
	}
	for k, i := range v.Idx {
		if i < 0 || k > 0 && v.Idx[k-1] >= i {
			return fmt.Errorf("index %d at entry %d is negative or not increasing", i, k)
		}
		if f := float64(v.Val[k]); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("value %v at entry %d", f, k)
		}
	}
	return nil
}

// sparse is a vector with float64 weights, for sums and scaled copies.
type sparse struct {
	idx []int32
	val []float64
}

func (s sparse) dot(o sparse) float64 {
	var t float64
	i, j := 0, 0
	for i < len(s.idx) && j < len(o.idx) {
		switch a, b := s.idx[i], o.idx[j]; {
		case a == b:
			t += s.val[i] * o.val[j]
			i++
			j++
		case a < b:
			i++
		default:
			j++
		}
	}
	return t
}

func (s sparse) add(o sparse) sparse {
	out := sparse{make([]int32, 0, len(s.idx)+len(o.idx)), make([]float64, 0, len(s.idx)+len(o.idx))}
	i, j := 0, 0
	for i < len(s.idx) || j < len(o.idx) {
		switch {
		case j == len(o.idx) || i < len(s.idx) && s.idx[i] < o.idx[j]:
			out.idx, out.val = append(out.idx, s.idx[i]), append(out.val, s.val[i])
			i++
		case i == len(s.idx) || o.idx[j] < s.idx[i]:
			out.idx, out.val = append(out.idx, o.idx[j]), append(out.val, o.val[j])
			j++
		default:
			out.idx, out.val = append(out.idx, s.idx[i]), append(out.val, s.val[i]+o.val[j])
			i++
			j++
		}
	}
	return out
}

func (s sparse) norm() float64 {
	var t float64
	for _, x := range s.val {
		t += x * x
	}
	return math.Sqrt(t)
}

// clusterVectors returns each item's unit text vector, and the vector whose
// dot products give the blended similarity: the text scaled by √(1−w), then
// the item's unit label-indicator vector scaled by √w in columns after the
// text's.
func clusterVectors(items []ClusterItem, w float64) (text, aug []sparse) {
	var base int32
	labelled := false
	for _, it := range items {
		if n := len(it.Vector.Idx); n > 0 {
			base = max(base, it.Vector.Idx[n-1]+1)
		}
		labelled = labelled || len(it.Labels) > 0
	}
	if !labelled {
		w = 0
	}
	var names []string
	for _, it := range items {
		names = append(names, it.Labels...)
	}
	return clusterVectorsWith(items, w, labelColumns(names, base))
}

// labelColumns numbers the distinct label names from base on, in the
// order of the names: any set of names holding a label set numbers them in
// the same order, so that sums and dot products over label columns add
// the same numbers in the same order whatever the other names are.
func labelColumns(names []string, base int32) map[string]int32 {
	distinct := map[string]bool{}
	for _, l := range names {
		distinct[l] = true
	}
	names = names[:0:0]
	for l := range distinct {
		names = append(names, l)
	}
	slices.Sort(names)
	labelCol := make(map[string]int32, len(names))
	for i, l := range names {
		labelCol[l] = base + int32(i)
	}
	return labelCol
}

// clusterVectorsWith is clusterVectors with the label weight w (0: text
// only) and the label columns given.
func clusterVectorsWith(items []ClusterItem, w float64, labelCol map[string]int32) (text, aug []sparse) {
	text = make([]sparse, len(items))
	aug = make([]sparse, len(items))
	tw, lw := math.Sqrt(1-w), math.Sqrt(w)
	for i, it := range items {
		t := sparse{it.Vector.Idx, make([]float64, len(it.Vector.Val))}
		for k, x := range it.Vector.Val {
			t.val[k] = float64(x)
		}
		if n := t.norm(); n > 0 {
			for k := range t.val {
				t.val[k] /= n
			}
		}
		text[i] = t
		if w == 0 {
			aug[i] = t
			continue
		}
		a := sparse{slices.Clone(t.idx), make([]float64, len(t.val))}
		for k, x := range t.val {
			a.val[k] = x * tw
		}
		var cols []int32
		for _, l := range it.Labels {
			cols = append(cols, labelCol[l])
		}
		slices.Sort(cols)
		cols = slices.Compact(cols)
		for _, c := range cols {
			a.idx = append(a.idx, c)
			a.val = append(a.val, lw/math.Sqrt(float64(len(cols))))
		}
		aug[i] = a
	}
	return text, aug
}

// edge is a candidate pair i < j with its exact similarity.
type edge struct {
	i, j int32
	sim  float64
}

// candidateEdges finds, for each item, up to Neighbours others sharing one
// of its heaviest text terms, scored first by the part of the dot product
// those terms give, and returns the pairs whose exact similarity reaches
// the threshold.
func candidateEdges(ctx context.Context, aug, text []sparse, opt ClusterOptions) ([]edge, error) {
	type posting struct {
		item int32
		w    float64
	}
	top := make([][]int, len(text)) // positions in text[i] of its heaviest terms
	var cols int32
	for _, t := range text {
		if n := len(t.idx); n > 0 {
			cols = max(cols, t.idx[n-1]+1)
		}
	}
	index := make([][]posting, cols) // by column
	for i, t := range text {
		order := make([]int, len(t.idx))
		for k := range order {
			order[k] = k
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(t.val[b], t.val[a]) })
		top[i] = order[:min(len(order), opt.IndexTerms)]
		for _, k := range top[i] {
			index[t.idx[k]] = append(index[t.idx[k]], posting{int32(i), t.val[k]})
		}
	}
	for _, p := range index {
		if len(p) > 1 {
			slices.SortStableFunc(p, func(a, b posting) int { return cmp.Compare(b.w, a.w) })
		}
	}
	partial := make([]float64, len(text))
	stamp := make([]int, len(text)) // 1+i when partial[j] belongs to item i
	var touched, cand []int32
	// chosen[i] holds, sorted, the candidates item i scored: a pair (j, i)
	// with j < i was scored already when i is among j's.
	chosen := make([][]int32, len(text))
	var edges []edge
	for i, t := range text {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		touched = touched[:0]
		for _, k := range top[i] {
			p := index[t.idx[k]]
			for _, q := range p[:min(len(p), opt.MaxPostings)] {
				if q.item == int32(i) {
					continue
				}
				if stamp[q.item] != i+1 {
					stamp[q.item] = i + 1
					partial[q.item] = 0
					touched = append(touched, q.item)
				}
				partial[q.item] += t.val[k] * q.w
			}
		}
		cand = append(cand[:0], touched...)
		slices.SortFunc(cand, func(a, b int32) int {
			if c := cmp.Compare(partial[b], partial[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		cand = cand[:min(len(cand), opt.Neighbours)]
		for _, j := range cand {
			if j < int32(i) {
				if _, ok := slices.BinarySearch(chosen[j], int32(i)); ok {
					continue
				}
			}
			a, b := min(int32(i), j), max(int32(i), j)
			if s := aug[a].dot(aug[b]); s >= opt.Threshold {
				edges = append(edges, edge{a, b, s})
			}
		}
		chosen[i] = slices.Clone(cand)
		slices.Sort(chosen[i])
	}
	return edges, nil
}

// merge is a heap entry: groups a and b (a < b) at their average
// similarity, valid while both still have the versions it was made with.
type merge struct {
	sim    float64
	a, b   int32
	va, vb int32
}

type mergeHeap []merge

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if h[i].sim != h[j].sim {
		return h[i].sim > h[j].sim
	}
	if h[i].a != h[j].a {
		return h[i].a < h[j].a
	}
	return h[i].b < h[j].b
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(merge)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// averageLinkage merges groups, best pair first, while their average
// similarity dot(ΣA, ΣB)/(|A|·|B|) reaches threshold, and returns the groups
// as sorted item indices, each group under its smallest index.
func averageLinkage(ctx context.Context, vecs []sparse, edges []edge, threshold float64) ([][]int32, error) {
	n := len(vecs)
	sum := slices.Clone(vecs)
	size := make([]int, n)
	version := make([]int32, n)
	alive := make([]bool, n)
	members := make([][]int32, n)
	nb := make([]map[int32]bool, n)
	for i := range n {
		size[i], alive[i], members[i] = 1, true, []int32{int32(i)}
	}
	h := make(mergeHeap, 0, len(edges))
	for _, e := range edges {
		for _, p := range [][2]int32{{e.i, e.j}, {e.j, e.i}} {
			if nb[p[0]] == nil {
				nb[p[0]] = map[int32]bool{}
			}
			nb[p[0]][p[1]] = true
		}
		h = append(h, merge{sim: e.sim, a: e.i, b: e.j})
	}
	heap.Init(&h)
	dense := make([]float64, 0)
	for steps := 0; h.Len() > 0; steps++ {
		if steps%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		m := heap.Pop(&h).(merge)
		if !alive[m.a] || !alive[m.b] || version[m.a] != m.va || version[m.b] != m.vb {
			continue
		}
		// The merged group lives on under the smaller index, so each group
		// is named by its smallest item and ties break the same way always.
		a, b := m.a, m.b
		alive[b] = false
		sum[a] = sum[a].add(sum[b])
		sum[b] = sparse{}
		size[a] += size[b]
		members[a] = append(members[a], members[b]...)
		members[b] = nil
		version[a]++
		if len(nb[a]) < len(nb[b]) {
			nb[a], nb[b] = nb[b], nb[a]
		}
		for c := range nb[b] {
			nb[a][c] = true
		}
		delete(nb[a], a)
		delete(nb[a], b)
		nb[b] = nil
		others := make([]int32, 0, len(nb[a]))
		for c := range nb[a] {
			others = append(others, c)
		}
		slices.Sort(others)
		// Scatter ΣA once so each neighbour costs only its own length.
		if l := len(sum[a].idx); l > 0 {
			if need := int(sum[a].idx[l-1]) + 1; len(dense) < need {
				dense = append(dense, make([]float64, need-len(dense))...)
			}
		}
		for k, c := range sum[a].idx {
			dense[c] = sum[a].val[k]
		}
		for _, c := range others {
			delete(nb[c], b)
			nb[c][a] = true
			var d float64
			for k, col := range sum[c].idx {
				if int(col) < len(dense) {
					d += dense[col] * sum[c].val[k]
				}
			}
			if s := d / float64(size[a]*size[c]); s >= threshold {
				x, y := min(a, c), max(a, c)
				heap.Push(&h, merge{sim: s, a: x, b: y, va: version[x], vb: version[y]})
			}
		}
		for _, c := range sum[a].idx {
			dense[c] = 0
		}
	}
	var groups [][]int32
	for i := range n {
		if alive[i] {
			slices.Sort(members[i])
			groups = append(groups, members[i])
		}
	}
	return groups, nil
}

// describe builds the clusters (ids still empty) and members from groups.
func describe(items []ClusterItem, text []sparse, groups [][]int32, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember) {
	return describeExcept(items, text, groups, opt, nil)
}

// describeExcept is describe, except that a group for which kept returns a
// cluster takes that cluster and each member's similarity from
// opt.KeptSimilarity instead of being described again.
func describeExcept(items []ClusterItem, text []sparse, groups [][]int32, opt ClusterOptions, kept func(grp []int32) (models.Cluster, bool)) ([]models.Cluster, []models.ClusterMember) {
	clusters := make([]models.Cluster, len(groups))
	members := make([]models.ClusterMember, 0, len(items))
	var surface *surfaceForms
	if opt.Vectorizer != nil {
		surface = newSurfaceForms(opt.Vectorizer.Tokenizer(), opt.Stems)
		defer surface.done()
	}
	for g, grp := range groups {
		if kept != nil {
			if cl, ok := kept(grp); ok {
				for _, i := range grp {
					members = append(members, models.ClusterMember{RecID: items[i].RecID, Similarity: opt.KeptSimilarity[items[i].RecID]})
				}
				cl.ClusterID = ""
				clusters[g] = cl
				continue
			}
		}
		var c sparse
		for _, i := range grp {
			c = c.add(text[i])
		}
		if n := c.norm(); n > 0 {
			for k := range c.val {
				c.val[k] /= n
			}
		}
		cl := models.Cluster{CountryISO3: opt.Country, Size: len(grp)}
		best, bestSim := -1, math.Inf(-1)
		for _, i := range grp {
			it := items[i]
			s := c.dot(text[i])
			members = append(members, models.ClusterMember{RecID: it.RecID, Similarity: s})
			if s > bestSim {
				best, bestSim = int(i), s
			}
			cl.Mechanisms = appendNonEmpty(cl.Mechanisms, it.Mechanism)
			cl.Bodies = appendNonEmpty(cl.Bodies, it.Body)
			if it.Date != "" {
				if cl.FirstDate == "" || it.Date < cl.FirstDate {
					cl.FirstDate = it.Date
				}
				cl.LastDate = max(cl.LastDate, it.Date)
			}
		}
		slices.Sort(cl.Mechanisms)
		cl.Mechanisms = slices.Compact(cl.Mechanisms)
		slices.Sort(cl.Bodies)
		cl.Bodies = slices.Compact(cl.Bodies)
		cl.Label = truncateLabel(items[best].Text, opt.LabelLength)
		cl.MainTheme = mostFrequent(grp, items, opt.Themes)
		cl.MainSDGTarget = mostFrequent(grp, items, opt.SDGTargets)
		if opt.Vectorizer != nil {
			cl.TopTerms = surface.topTerms(opt.Vectorizer, c, items, grp, opt.TopTerms)
		}
		clusters[g] = cl
	}
	return clusters, members
}

// distinctTerms keeps, in order, up to k terms that each bring a word the
// terms before them lack: a centroid's top terms repeat themselves as
// unigrams and the bigrams holding them ("op-cat", "ratifi op-cat").
func distinctTerms(terms []string, k int) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range terms {
		if len(out) == k {
			break
		}
		words := strings.Fields(t)
		fresh := false
		for _, w := range words {
			fresh = fresh || !seen[w]
		}
		if !fresh {
			continue
		}
		for _, w := range words {
			seen[w] = true
		}
		out = append(out, t)
	}
	return out
}

func appendNonEmpty(s []string, v string) []string {
	if v == "" {
		return s
	}
	return append(s, v)
}

// mostFrequent returns the label most members carry in labels (each counted
// once per member), the alphabetically first on a tie, or "".
func mostFrequent(grp []int32, items []ClusterItem, labels map[string][]string) string {
	if labels == nil {
		return ""
	}
	if len(grp) == 1 { // each label once: the first of them
		best := ""
		for _, l := range labels[items[grp[0]].RecID] {
			if l != "" && (best == "" || l < best) {
				best = l
			}
		}
		return best
	}
	count := map[string]int{}
	for _, i := range grp {
		ls := slices.Clone(labels[items[i].RecID])
		slices.Sort(ls)
		for _, l := range slices.Compact(ls) {
			if l != "" {
				count[l]++
			}
		}
	}
	best := ""
	for l, c := range count {
		if c > count[best] || c == count[best] && l < best {
			best = l
		}
	}
	return best
}

// truncateLabel cuts s to at most n characters at a word boundary, marking
// the cut with an ellipsis.
func truncateLabel(s string, n int) string {
	if !singleSpaced(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	if k := strings.LastIndexByte(string(r), ' '); k > len(string(r))/2 {
		return strings.TrimRight(string(r)[:k], " ,;:") + "…"
	}
	return string(r) + "…"
}

// singleSpaced reports whether s is its words joined by single spaces, as
// strings.Join(strings.Fields(s), " ") gives it.
func singleSpaced(s string) bool {
	prevSpace := true // no space first
	for _, r := range s {
		if space := unicode.IsSpace(r); space {
			if r != ' ' || prevSpace {
				return false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// surfaceForms recovers readable words for stems: the form of each stem
// most often written in the texts of a cluster.
type surfaceForms struct {
	tok   *Tokenizer
	stem  *WordStems
	local map[string]string // this goroutine's copy of what it read of stem
	key   []byte            // topTerms' buffer
}

// WordStems holds the single term of each written word (its stem, "" if
// the tokenizer makes none or several of it), for the readable top terms of
// clusters, and the top terms of each group of member texts already
// described; it is safe for concurrent use.
type WordStems struct {
	tok   *Tokenizer
	m     sync.Map  // word as written → its single term
	terms sync.Map  // sha256 of a group's texts and vectors, and k → its readable top terms
	local sync.Pool // of map[string]string: copies of m that one goroutine at a time reads first
}

// NewWordStems returns an empty cache for v's tokenizer.
func NewWordStems(v *Vectorizer) *WordStems { return &WordStems{tok: v.Tokenizer()} }

func (c *WordStems) of(w string) string {
	if st, ok := c.m.Load(w); ok {
		return st.(string)
	}
	st := ""
	if toks := c.tok.Tokens(w); len(toks) == 1 {
		st = toks[0]
	}
	c.m.Store(w, st)
	return st
}

func newSurfaceForms(tok *Tokenizer, shared *WordStems) *surfaceForms {
	if shared == nil || shared.tok != tok {
		shared = &WordStems{tok: tok}
	}
	local, _ := shared.local.Get().(map[string]string)
	if local == nil {
		local = map[string]string{}
	}
	return &surfaceForms{tok: tok, stem: shared, local: local}
}

// done gives the local copy back for the next describing call.
func (s *surfaceForms) done() {
	s.stem.local.Put(s.local)
	s.local = nil
}

// stemOf is stem.of through the local map, which costs less to read than
// the shared one.
func (s *surfaceForms) stemOf(w string) string {
	st, ok := s.local[w]
	if !ok {
		st = s.stem.of(w)
		s.local[w] = st
	}
	return st
}

// topTerms returns the k readable top terms of the centroid c of the
// group grp of items. They depend only on the members' texts and vectors,
// in order, which is the key under which the shared cache keeps them: the
// same wording addressed to many States makes the same clusters in each.
func (s *surfaceForms) topTerms(v *Vectorizer, c sparse, items []ClusterItem, grp []int32, k int) []string {
	key := binary.LittleEndian.AppendUint64(s.key[:0], uint64(k))
	for _, i := range grp {
		it := items[i]
		key = binary.LittleEndian.AppendUint64(key, uint64(len(it.Text)))
		key = append(key, it.Text...)
		key = binary.LittleEndian.AppendUint64(key, uint64(len(it.Vector.Idx)))
		for n, col := range it.Vector.Idx {
			key = binary.LittleEndian.AppendUint32(key, uint32(col))
			key = binary.LittleEndian.AppendUint32(key, math.Float32bits(it.Vector.Val[n]))
		}
	}
	s.key = key
	sum := sha256.Sum256(key)
	if t, ok := s.stem.terms.Load(sum); ok {
		return slices.Clone(t.([]string))
	}
	cv := Vector{Idx: c.idx, Val: make([]float32, len(c.val))}
	for n, x := range c.val {
		cv.Val[n] = float32(x)
	}
	terms := distinctTerms(v.TopTerms(cv, 4*k), k)
	texts := make([]string, len(grp))
	for n, i := range grp {
		texts[n] = items[i].Text
	}
	terms = s.readable(terms, texts)
	s.stem.terms.Store(sum, terms)
	return slices.Clone(terms)
}

func notWordRune(r rune) bool {
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' || r == '.' || r == '\'' || r == '’')
}

// readable replaces each word of each term by its most frequent written
// form in texts (lower-cased unless written in capitals), keeping the stem
// when no word of texts yields it.
func (s *surfaceForms) readable(terms, texts []string) []string {
	want := map[string]map[string]int{}
	for _, t := range terms {
		for _, w := range strings.Fields(t) {
			want[w] = map[string]int{}
		}
	}
	for _, text := range texts {
		for w := range strings.FieldsFuncSeq(text, notWordRune) {
			w = strings.Trim(w, "-/.'’")
			if forms, ok := want[s.stemOf(w)]; ok {
				if strings.ToUpper(w) != w {
					w = strings.ToLower(w)
				}
				forms[w]++
			}
		}
	}
	out := make([]string, len(terms))
	for i, t := range terms {
		words := strings.Fields(t)
		for k, w := range words {
			best, n := "", 0
			for f, c := range want[w] {
				if c > n || c == n && f < best {
					best, n = f, c
				}
			}
			if best != "" {
				words[k] = best
			}
		}
		out[i] = strings.Join(words, " ")
	}
	return out
}

// assignIDs names the clusters and fills the members' ClusterID (see
// Cluster), then orders clusters largest first and members by cluster.
func assignIDs(clusters []models.Cluster, members []models.ClusterMember, groups [][]int32, items []ClusterItem, previous map[string]string, country string) {
	type claim struct {
		g       int
		id      string
		overlap int
	}
	var claims []claim
	for g, grp := range groups {
		count := map[string]int{}
		clustered := 0
		for _, i := range grp {
			if id, ok := previous[items[i].RecID]; ok && id != "" {
				count[id]++
				clustered++
			}
		}
		for id, c := range count {
			if 2*c > clustered {
				claims = append(claims, claim{g, id, c})
			}
		}
	}
	slices.SortFunc(claims, func(a, b claim) int {
		if c := cmp.Compare(b.overlap, a.overlap); c != 0 {
			return c
		}
		return cmp.Compare(a.g, b.g) // groups are ordered by smallest RecID
	})
	used := map[string]bool{}
	for _, id := range previous {
		used[id] = true // an id not kept must not come back on another cluster
	}
	taken := map[string]bool{}
	for _, c := range claims {
		if !taken[c.id] {
			taken[c.id] = true
			clusters[c.g].ClusterID = c.id
		}
	}
	for g, grp := range groups {
		if clusters[g].ClusterID != "" {
			continue
		}
		id := newClusterID(country, items[grp[0]].RecID, func(id string) bool { return used[id] || taken[id] })
		taken[id] = true
		clusters[g].ClusterID = id
	}
	pos := 0
	for g, grp := range groups {
		for range grp {
			members[pos].ClusterID = clusters[g].ClusterID
			pos++
		}
	}
	orderClusters(clusters, members)
}

// orderClusters orders clusters largest first, then by their order in
// clusters, and members by cluster in that order, then by similarity,
// highest first, then by their order in members.
func orderClusters(clusters []models.Cluster, members []models.ClusterMember) {
	order := make([]int, len(clusters))
	for g := range order {
		order[g] = g
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(clusters[b].Size, clusters[a].Size) })
	rank := make(map[string]int, len(clusters))
	sorted := make([]models.Cluster, len(clusters))
	for r, g := range order {
		sorted[r] = clusters[g]
		rank[clusters[g].ClusterID] = r
	}
	copy(clusters, sorted)
	slices.SortStableFunc(members, func(a, b models.ClusterMember) int {
		if c := cmp.Compare(rank[a.ClusterID], rank[b.ClusterID]); c != 0 {
			return c
		}
		return cmp.Compare(b.Similarity, a.Similarity)
	})
}

// newClusterID returns the id of a new cluster of country whose smallest
// RecID is seed: a hash of the seed, or of the seed and a counter while
// the id is in use.
func newClusterID(country, seed string, inUse func(string) bool) string {
	for k := 0; ; k++ {
		key := seed
		if k > 0 {
			key = fmt.Sprintf("%s#%d", seed, k)
		}
		sum := sha256.Sum256([]byte(key))
		if id := "C" + country + "-" + hex.EncodeToString(sum[:5]); !inUse(id) {
			return id
		}
	}
}

// Extend adds new items to a clustering that is otherwise unchanged: the
// items that have a previous cluster keep their groups as they were, and
// the new ones (no entry in previous) are clustered among themselves, each
// resulting group then joining the existing group it is most similar to on
// average when that reaches the threshold, or standing as a new cluster.
// It costs a comparison of each new group with each existing one instead
// of a whole reclustering, for nightly runs that add a few recommendations.
// Ids are kept as Cluster keeps them.
func Extend(ctx context.Context, items []ClusterItem, previous map[string]string, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember, error) {
	items, opt, err := prepareItems(items, opt)
	if err != nil || len(items) == 0 {
		return nil, nil, err
	}
	text, aug := clusterVectors(items, opt.LabelWeight)
	byID := map[string]int{}
	var groups [][]int32
	var fresh []int
	for i, it := range items {
		id, ok := previous[it.RecID]
		if !ok {
			fresh = append(fresh, i)
			continue
		}
		g, seen := byID[id]
		if !seen {
			g = len(groups)
			byID[id] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], int32(i))
	}
	if len(fresh) > 0 {
		sub := make([]sparse, len(fresh))
		subText := make([]sparse, len(fresh))
		for j, i := range fresh {
			sub[j], subText[j] = aug[i], text[i]
		}
		sums := make([]sparse, len(groups))
		sizes := make([]int, len(groups))
		for g, grp := range groups {
			for _, i := range grp {
				sums[g] = sums[g].add(aug[i])
			}
			sizes[g] = len(grp)
		}
		into, err := placeFresh(ctx, sub, subText, sums, sizes, opt, func(index bool) *placer { return newPlacer(items, text, opt, index) })
		if err != nil {
			return nil, nil, err
		}
		for j, g := range into {
			for len(groups) <= g {
				groups = append(groups, nil)
			}
			groups[g] = append(groups[g], int32(fresh[j]))
		}
	}
	for _, g := range groups {
		slices.Sort(g)
	}
	// Cluster orders groups by their smallest item; ids depend on it.
	slices.SortFunc(groups, func(a, b []int32) int { return cmp.Compare(a[0], b[0]) })
	// A group that is all of one earlier cluster, no more and no fewer,
	// has that cluster's description: describing depends on the members
	// only, and they have not changed since (Extend is for new items).
	kept := func(grp []int32) (models.Cluster, bool) {
		id, ok := previous[items[grp[0]].RecID]
		if !ok {
			return models.Cluster{}, false
		}
		cl, ok := opt.Kept[id]
		if !ok || cl.Size != len(grp) {
			return models.Cluster{}, false
		}
		for _, i := range grp {
			if _, ok := opt.KeptSimilarity[items[i].RecID]; !ok || previous[items[i].RecID] != id {
				return models.Cluster{}, false
			}
		}
		return cl, true
	}
	clusters, members := describeExcept(items, text, groups, opt, kept)
	assignIDs(clusters, members, groups, items, previous, opt.Country)
	return clusters, members, nil
}

// placeFresh clusters the new items, given by their augmented and text
// vectors in RecID order, among themselves, and places each group they
// make, in the order averageLinkage gives them: into the existing group
// (by its sum of augmented vectors and its size) it is most similar to on
// average when that reaches the threshold, or as a group of its own, which
// the new groups after it may join. It returns each new item's group: an
// index into the existing groups or, from len(sums) on, into the groups it
// made, in the order it made them.
func placeFresh(ctx context.Context, aug, text, sums []sparse, sizes []int, opt ClusterOptions, newPlacer func(index bool) *placer) ([]int, error) {
	edges, err := candidateEdges(ctx, aug, text, opt)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", opt.Country, err)
	}
	newGroups, err := averageLinkage(ctx, aug, edges, opt.Threshold)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", opt.Country, err)
	}
	// An index costs about what a few comparisons with every group do:
	// worth it for many new groups (a country clustered for the first
	// time), not for the few of a nightly run.
	p := newPlacer(len(newGroups) > placerIndexFrom)
	for _, s := range sums {
		p.add(s)
	}
	sizes = slices.Clone(sizes)
	into := make([]int, len(aug))
	for _, ng := range newGroups {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var s sparse
		for _, j := range ng {
			s = s.add(aug[j])
		}
		best := p.best(s, len(ng), sizes, opt.Threshold)
		if best < 0 {
			best = len(sizes)
			sizes = append(sizes, len(ng))
			p.add(s)
		} else {
			sizes[best] += len(ng)
			p.join(best, s)
		}
		for _, j := range ng {
			into[j] = best
		}
	}
	return into, nil
}

// placer finds the existing group a new group of items is most similar to
// on average, as a comparison with every group would, but computes the
// similarity only for the groups that share an indexed column with it: a
// group that shares none has a dot product of 0 with it, or, when only
// text columns are indexed, one of at most the label weight, below the
// threshold either way. The new group's most common text columns are not
// looked up at all while the most they can add to the average similarity
// (their weights times the largest weight of the column among the items)
// keeps it below the threshold.
type placer struct {
	sums   []sparse  // each group's sum of augmented vectors
	all    bool      // no index: every group is a candidate
	limit  int32     // columns at or above it are not indexed
	post   [][]int32 // column → the groups holding it, in the order they gained it
	most   []float64 // text column → the largest unit text weight an item has in it
	scale  float64   // √(1−w): the text part's factor in the augmented vectors
	budget float64   // per new item: below it, columns need not be looked up; 0 to look all up
	seen   []int32   // 1+the call of best that last made a group a candidate
	calls  int32
	cand   []int32
	cols   []int
	dense  []float64 // the new group's sum, scattered
}

// placerIndexFrom is the number of new groups from which Extend indexes
// the groups to place them.
const placerIndexFrom = 16

// newPlacer returns a placer for the groups of items; without index, best
// compares a new group with every group.
func newPlacer(items []ClusterItem, text []sparse, opt ClusterOptions, index bool) *placer {
	if !index {
		return newPlacerWith(0, 0, nil, opt, false)
	}
	labelled := false
	var base int32
	for i, it := range items {
		labelled = labelled || len(it.Labels) > 0
		if n := len(text[i].idx); n > 0 {
			base = max(base, text[i].idx[n-1]+1)
		}
	}
	w := 0.0
	if labelled {
		w = opt.LabelWeight
	}
	return newPlacerWith(w, base, func() []float64 {
		most := make([]float64, base)
		for _, t := range text {
			for k, c := range t.idx {
				most[c] = max(most[c], t.val[k])
			}
		}
		return most
	}, opt, true)
}

// newPlacerWith is newPlacer for items whose label weight is w (0 when no
// item carries labels), whose text columns are all below base, and whose
// unit text weights in each column are at most what most returns. A
// larger bound than the largest weight gives the same placements, only
// with more groups compared.
func newPlacerWith(w float64, base int32, most func() []float64, opt ClusterOptions, index bool) *placer {
	p := &placer{limit: math.MaxInt32, all: !index}
	if !index {
		return p
	}
	// A pair of items sharing no text column has a blended similarity of
	// at most the label weight, and so has a pair of groups on average:
	// label columns, shared by many unrelated requests, need no index then.
	if w >= opt.Threshold-1e-9 {
		return p
	}
	p.limit = base
	p.most = most()
	// A group of m items sharing with the new one of n items only the
	// columns F has an average similarity of at most
	// w + √(1−w)·Σ_F s[c]·most[c] / n; below the threshold when that sum
	// stays under budget·n (kept a little short of it for rounding).
	p.scale = math.Sqrt(1 - w)
	p.budget = (opt.Threshold - w) / p.scale * (1 - 1e-9)
	return p
}

// add appends a group whose sum is s.
func (p *placer) add(s sparse) {
	g := int32(len(p.sums))
	p.sums = append(p.sums, s)
	p.seen = append(p.seen, 0)
	p.index(g, s.idx)
}

func (p *placer) index(g int32, cols []int32) {
	if p.all {
		return
	}
	for _, c := range cols {
		if c >= p.limit {
			break
		}
		if int(c) >= len(p.post) {
			p.post = append(p.post, make([][]int32, int(c)+1-len(p.post))...)
		}
		p.post[c] = append(p.post[c], g)
	}
}

// join adds s to group g's sum.
func (p *placer) join(g int, s sparse) {
	old := p.sums[g]
	p.sums[g] = old.add(s)
	if p.all {
		return
	}
	var fresh []int32 // columns of s that g lacked
	k := 0
	for _, c := range s.idx {
		for k < len(old.idx) && old.idx[k] < c {
			k++
		}
		if k == len(old.idx) || old.idx[k] != c {
			fresh = append(fresh, c)
		}
	}
	p.index(int32(g), fresh)
}

// best returns the group with the highest average similarity to the new
// group of n items and sum s, the last on a tie, when it reaches threshold, or -1. The
// similarities are the same numbers s.dot(sum) gives: the same products
// added in the same column order.
func (p *placer) best(s sparse, n int, sizes []int, threshold float64) int {
	p.calls++
	p.cand = p.cand[:0]
	if p.all {
		for g := range p.sums {
			p.seen[g] = p.calls
		}
	}
	// The columns to look up: all indexed ones but those, the most common
	// first, whose bound stays within the budget.
	p.cols = p.cols[:0]
	for k, c := range s.idx {
		if c >= p.limit {
			break
		}
		if int(c) < len(p.post) && len(p.post[c]) > 0 {
			p.cols = append(p.cols, k)
		}
	}
	if p.budget > 0 {
		slices.SortFunc(p.cols, func(a, b int) int {
			return cmp.Or(cmp.Compare(len(p.post[s.idx[b]]), len(p.post[s.idx[a]])), cmp.Compare(a, b))
		})
		left := p.budget * float64(n)
		skip := 0
		for _, k := range p.cols {
			left -= s.val[k] * p.most[s.idx[k]]
			if left <= 0 {
				break
			}
			skip++
		}
		p.cols = p.cols[skip:]
	}
	for _, k := range p.cols {
		for _, g := range p.post[s.idx[k]] {
			if p.seen[g] != p.calls {
				p.seen[g] = p.calls
				p.cand = append(p.cand, g)
			}
		}
	}
	if len(p.cand) == 0 && !p.all {
		return -1
	}
	if p.all || len(p.cand) > len(p.sums)/8 { // cheaper to walk every group than to sort
		p.cand = p.cand[:0]
		for g := range p.sums {
			if p.seen[g] == p.calls {
				p.cand = append(p.cand, int32(g))
			}
		}
	} else {
		slices.Sort(p.cand)
	}
	if l := len(s.idx); l > 0 && int(s.idx[l-1]) >= len(p.dense) {
		p.dense = append(p.dense, make([]float64, int(s.idx[l-1])+1-len(p.dense))...)
	}
	for k, c := range s.idx {
		p.dense[c] = s.val[k]
	}
	best, bestSim := -1, threshold
	for _, g := range p.cand {
		var d float64
		sum := p.sums[g]
		for k, c := range sum.idx {
			if int(c) < len(p.dense) {
				d += p.dense[c] * sum.val[k]
			}
		}
		// Average similarity of the pairs across the two groups.
		if sim := d / float64(n*sizes[g]); sim >= bestSim {
			best, bestSim = int(g), sim
		}
	}
	for _, c := range s.idx {
		p.dense[c] = 0
	}
	return best
}
