package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// readGCPercent is the Go collector's GOGC while the cluster stage reads
// its records and vectorises their texts.
const readGCPercent = 50

// ClusterOptions are the plain options of a clustering run.
type ClusterOptions struct {
	Warehouse    string
	DuckDBMemory string   // DuckDB's memory limit; "" the default
	Countries    []string // empty: every country (StaleOnly: every country whose clusters are out of date)
	StaleOnly    bool     // recluster only countries with new, changed or reclassified recommendations
	Vectorizer   *classify.Vectorizer
	Threshold    float64 // 0: classify.DefaultClusterThreshold
	Version      string
	Wait         bool
	Progress     Progress
}

// Cluster groups each country's recommendations that ask for the same
// thing, whichever mechanism made them, and replaces that country's
// clusters. Cluster ids carry over from the previous run when a cluster
// keeps most of its members.
func Cluster(ctx context.Context, opt ClusterOptions) (*models.Run, error) {
	return RunStage(ctx, BatchOptions{Warehouse: opt.Warehouse, DuckDBMemory: opt.DuckDBMemory, Version: opt.Version, Wait: opt.Wait, Progress: opt.Progress}, clusterWith(opt))
}

func clusterInto(ctx context.Context, w *load.Warehouse, opt ClusterOptions) (*models.Run, error) {
	if opt.Vectorizer == nil {
		return nil, models.UsageError("clustering needs a vectoriser")
	}
	if opt.Progress == nil {
		opt.Progress = NoProgress{}
	}
	run := &models.Run{RunID: models.NewRunID(time.Now()), Command: "cluster", Version: opt.Version, StartedAt: time.Now()}
	countries := opt.Countries
	extend := map[string]bool{} // countries whose only change is new recommendations
	if len(countries) == 0 {
		var err error
		if opt.StaleOnly {
			var stale []load.StaleCountry
			stale, err = w.StaleClusterCountries(ctx)
			for _, s := range stale {
				countries = append(countries, s.Country)
				extend[s.Country] = s.OnlyNew
			}
		} else {
			countries, err = w.Countries(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	vectoriser, err := vectoriserID(opt.Vectorizer, opt.Version)
	if err != nil {
		return nil, err
	}
	// A country whose only change is new recommendations, and whose
	// clusters are whole with their sums, takes the short way: its new
	// recommendations are placed against the sums, and only the clusters
	// they join are read and described again. Every other country is read
	// and clustered whole.
	var extended []string
	for _, c := range countries {
		if extend[c] {
			extended = append(extended, c)
		}
	}
	states, err := w.ClusterStates(ctx, extended, vectoriser)
	if err != nil {
		return nil, fmt.Errorf("read clusters to extend: %w", err)
	}
	var short []string
	for _, c := range countries {
		if s := states[c]; s != nil && s.Whole {
			short = append(short, c)
		}
	}
	opt.Progress.Start("cluster", len(countries))
	progress := &stepper{p: opt.Progress}
	stems := classify.NewWordStems(opt.Vectorizer) // shared by the countries
	added, err := clusterNew(ctx, w, short, states, vectoriser, stems, progress, opt)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, c := range added.countries {
		done[c] = true
	}
	var whole []string
	for _, c := range countries {
		if !done[c] {
			whole = append(whole, c)
		}
	}
	all, err := clusterWhole(ctx, w, whole, extend, vectoriser, stems, progress, opt)
	if err != nil {
		return nil, err
	}
	opt.Progress.Done()
	run.Counts.Read = all.read + added.read
	run.Counts.Distinct = all.clusters + added.clusters
	settle(run)
	ch := load.ClusterChanges{Countries: whole, Replaced: added.replaced, Parts: append(all.parts, added.parts...)}
	all, added = clustered{}, clustered{}
	// What clustering read and built, other than the rows to write, is
	// garbage now: given back before DuckDB takes memory for the write, it
	// does not add to a UHRI-scale run's peak.
	if run.Counts.Read >= 50_000 {
		debug.FreeOSMemory()
	}
	if err := w.WriteClusterChanges(ctx, run, ch); err != nil {
		return nil, fmt.Errorf("write clusters: %w", err)
	}
	return run, nil
}

// vectoriserID names the vectoriser and the nmirf version that make the
// clusters' sums: another of either may give other vectors of the same
// texts, and the sums are then made again from the members.
func vectoriserID(vz *classify.Vectorizer, version string) (string, error) {
	b, err := vz.MarshalBinary()
	if err != nil {
		return "", fmt.Errorf("clustering vectoriser: %w", err)
	}
	h := sha256.New()
	h.Write(b)
	h.Write([]byte{0})
	h.Write([]byte(version))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// stepper reports the countries clustered, from the workers of both ways.
type stepper struct {
	mu sync.Mutex
	p  Progress
	n  int
}

func (s *stepper) step(country string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.p.Step(s.n, country)
	s.n++
}

// clustered is what one way of clustering gives to write.
type clustered struct {
	countries      []string           // clustered this way
	replaced       []string           // clusters to replace, by id (the short way)
	parts          []load.ClusterPart // one a country
	read, clusters int                // the countries' recommendations and clusters
}

// clusterWhole reads every recommendation of the countries and clusters
// them (Cluster; Extend for the countries in extend), with their sums.
func clusterWhole(ctx context.Context, w *load.Warehouse, countries []string, extend map[string]bool, vectoriser string, stems *classify.WordStems, progress *stepper, opt ClusterOptions) (clustered, error) {
	res := clustered{countries: countries}
	if len(countries) == 0 {
		return res, nil
	}
	inputs, vecs, err := readVectors(ctx, countries, opt.Vectorizer, func() (map[string][]load.ClusterRec, error) {
		return w.ClusterInputs(ctx, countries)
	})
	if err != nil {
		return res, err
	}
	// Countries are independent: cluster them on all cores, collect in
	// country order so the result does not depend on scheduling.
	type result struct {
		clusters []models.Cluster
		members  []models.ClusterMember
		vectors  []load.ClusterVector
		read     int
		err      error
	}
	results := make([]result, len(countries))
	// Clusters that only new recommendations may join keep their
	// description when none joins them.
	var extended []string
	for _, c := range countries {
		if extend[c] {
			extended = append(extended, c)
		}
	}
	kept, err := w.ClusterDescriptions(ctx, extended)
	if err != nil {
		return res, fmt.Errorf("read clusters to extend: %w", err)
	}
	forEach(len(countries), func(i int) {
		r := &results[i]
		r.read = len(inputs[i])
		r.clusters, r.members, r.vectors, r.err = clusterCountry(ctx, countries[i], inputs[i], vecs.rows[i], extend[countries[i]], vecs.X, kept, stems, vectoriser, opt)
		inputs[i] = nil
		progress.step(countries[i])
	})
	for i, r := range results {
		if r.err != nil {
			return res, fmt.Errorf("cluster %s: %w", countries[i], r.err)
		}
		res.parts = append(res.parts, load.ClusterPart{Clusters: r.clusters, Members: r.members, Vectors: r.vectors})
		res.read += r.read
		res.clusters += len(r.clusters)
	}
	return res, nil
}

// forEach calls f(0) … f(n-1) on all cores.
func forEach(n int, f func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for k := min(runtime.GOMAXPROCS(0), n); k > 0; k-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// textVectors holds the vector of each distinct text of a run, shared
// (read-only) by the countries, and the row of each country's records.
type textVectors struct {
	rows [][]int32 // by country, then record
	X    *classify.Matrix
}

// vectorsOf vectorises each distinct text of the countries' recommendations
// once: the same wording is often addressed to many States, and a text's
// vector does not depend on the country.
func vectorsOf(ctx context.Context, vz *classify.Vectorizer, inputs [][]load.ClusterRec) (textVectors, error) {
	v := textVectors{rows: make([][]int32, len(inputs))}
	row := map[string]int32{}
	var texts []string
	for c, recs := range inputs {
		v.rows[c] = make([]int32, len(recs))
		for i, r := range recs {
			k, ok := row[r.Text]
			if !ok {
				k = int32(len(texts))
				row[r.Text] = k
				texts = append(texts, r.Text)
			}
			v.rows[c][i] = k
		}
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		return v, err
	}
	v.X = X
	return v, nil
}

func clusterCountry(ctx context.Context, country string, recs []load.ClusterRec, rows []int32, extend bool, X *classify.Matrix, kept map[string]models.Cluster, stems *classify.WordStems, vectoriser string, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember, []load.ClusterVector, error) {
	if len(recs) == 0 {
		return nil, nil, nil, nil
	}
	items := make([]classify.ClusterItem, len(recs))
	previous := map[string]string{}
	similarity := map[string]float64{}
	themes := map[string][]string{}
	targets := map[string][]string{}
	for i, r := range recs {
		items[i] = itemOf(r, X.Row(int(rows[i])))
		if r.Previous != "" {
			previous[r.RecID] = r.Previous
			similarity[r.RecID] = r.PreviousSimilarity
		}
		themes[r.RecID] = r.Themes
		targets[r.RecID] = r.Targets
	}
	copt := classify.ClusterOptions{Country: country, Threshold: opt.Threshold, Vectorizer: opt.Vectorizer, Themes: themes, SDGTargets: targets, Stems: stems}
	var clusters []models.Cluster
	var members []models.ClusterMember
	var err error
	if extend {
		copt.Kept, copt.KeptSimilarity = kept, similarity
		clusters, members, err = classify.Extend(ctx, items, previous, copt)
	} else {
		clusters, members, err = classify.Cluster(ctx, items, previous, copt)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	vectors, err := clusterVectors(items, members, classify.Labelled(items), vectoriser, copt)
	return clusters, members, vectors, err
}

func itemOf(r load.ClusterRec, v classify.Vector) classify.ClusterItem {
	return classify.ClusterItem{RecID: r.RecID, Text: r.Text, Vector: v, Labels: append(append([]string{}, r.Themes...), r.Targets...),
		Mechanism: r.Mechanism, Body: r.Body, Date: r.Date}
}

// clusterVectors returns the cluster_vectors rows of the clusters of
// members, whose items are among items.
func clusterVectors(items []classify.ClusterItem, members []models.ClusterMember, labelled bool, vectoriser string, copt classify.ClusterOptions) ([]load.ClusterVector, error) {
	sums, err := classify.ClusterSums(items, members, labelled, copt)
	if err != nil {
		return nil, err
	}
	return vectorRows(sums, copt.Country, vectoriser)
}

// vectorRows returns the cluster_vectors rows of the sums of a country's
// clusters, by cluster id.
func vectorRows(sums map[string]classify.ClusterSum, country, vectoriser string) ([]load.ClusterVector, error) {
	ids := make([]string, 0, len(sums))
	for id := range sums {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]load.ClusterVector, len(ids))
	for i, id := range ids {
		b, err := sums[id].MarshalBinary()
		if err != nil {
			return nil, err
		}
		out[i] = load.ClusterVector{ClusterID: id, Country: country, Vectoriser: vectoriser, Sum: b}
	}
	return out, nil
}

// clusterNew clusters the new recommendations of the countries, whose
// clusters are whole with their sums (states), the short way: it reads
// only the new recommendations, places them against the sums as Extend
// does, and reads, describes and replaces only the clusters they join and
// the ones they make. A country whose sums cannot place them (see
// classify.Place) is left out of the result's countries, to be clustered
// whole.
func clusterNew(ctx context.Context, w *load.Warehouse, countries []string, states map[string]*load.ClusterState, vectoriser string, stems *classify.WordStems, progress *stepper, opt ClusterOptions) (clustered, error) {
	var res clustered
	if len(countries) == 0 {
		return res, nil
	}
	inputs, vecs, err := readVectors(ctx, countries, opt.Vectorizer, func() (map[string][]load.ClusterRec, error) {
		return w.UnclusteredInputs(ctx, countries)
	})
	if err != nil {
		return res, err
	}
	// A country's new items are made in each pass that needs them (placing,
	// then grouping), not held for every country in between: on a first
	// run they are every recommendation, and making one costs a slice of
	// its vector row.
	freshItems := func(i int) []classify.ClusterItem {
		items := make([]classify.ClusterItem, len(inputs[i]))
		for k, r := range inputs[i] {
			items[k] = itemOf(r, vecs.X.Row(int(vecs.rows[i][k])))
		}
		return items
	}
	type country struct {
		labelled bool           // some item of the country carries labels
		into     map[string]int // each new item's group (classify.Place)
		ok       bool
		joined   []string // existing clusters new items join, by id
		err      error
	}
	cs := make([]country, len(countries))
	forEach(len(countries), func(i int) {
		c, st := &cs[i], states[countries[i]]
		fresh := freshItems(i)
		sums := make([]classify.ClusterSum, len(st.Groups))
		c.labelled = classify.Labelled(fresh)
		for g, grp := range st.Groups {
			if err := sums[g].UnmarshalBinary(grp.Sum); err != nil {
				return // not ok: clustered whole
			}
			sums[g].Size = grp.Size
			c.labelled = c.labelled || sums[g].Labelled
		}
		copt := classify.ClusterOptions{Country: countries[i], Threshold: opt.Threshold, Vectorizer: opt.Vectorizer}
		c.into, c.ok, c.err = classify.Place(ctx, fresh, sums, copt)
		seen := map[int]bool{}
		for _, g := range c.into {
			if g < len(st.Groups) && !seen[g] {
				seen[g] = true
				c.joined = append(c.joined, st.Groups[g].ClusterID)
			}
		}
		slices.Sort(c.joined)
	})
	var placed []string
	for i, c := range cs {
		if c.err != nil {
			return res, fmt.Errorf("cluster %s: %w", countries[i], c.err)
		}
		if c.ok {
			placed = append(placed, countries[i])
			res.replaced = append(res.replaced, c.joined...)
		}
	}
	// The members of the clusters new recommendations join, to describe
	// those clusters again.
	old, err := w.ClusterMemberInputs(ctx, placed, res.replaced)
	if err != nil {
		return res, fmt.Errorf("read clusters to extend: %w", err)
	}
	oldInputs := make([][]load.ClusterRec, len(res.replaced))
	for i, id := range res.replaced {
		oldInputs[i] = old[id]
	}
	old = nil
	oldVecs, err := vectorsOf(ctx, opt.Vectorizer, oldInputs)
	if err != nil {
		return res, err
	}
	oldItems := make(map[string][]classify.ClusterItem, len(res.replaced))
	oldRecs := make(map[string][]load.ClusterRec, len(res.replaced))
	for i, id := range res.replaced {
		items := make([]classify.ClusterItem, len(oldInputs[i]))
		for k, r := range oldInputs[i] {
			items[k] = itemOf(r, oldVecs.X.Row(int(oldVecs.rows[i][k])))
		}
		oldItems[id], oldRecs[id] = items, oldInputs[i]
	}
	type result struct {
		clusters []models.Cluster
		members  []models.ClusterMember
		vectors  []load.ClusterVector
		err      error
	}
	results := make([]result, len(countries))
	forEach(len(countries), func(i int) {
		c, st, r := &cs[i], states[countries[i]], &results[i]
		if !c.ok {
			return
		}
		defer progress.step(countries[i])
		themes, targets := map[string][]string{}, map[string][]string{}
		for _, rec := range inputs[i] {
			themes[rec.RecID], targets[rec.RecID] = rec.Themes, rec.Targets
		}
		// The groups to describe: the existing ones new items join, with
		// their members, then the new ones.
		at := map[int]int{}
		var groups [][]classify.ClusterItem
		var ids []string
		fresh := freshItems(i)
		for _, it := range fresh {
			g := c.into[it.RecID]
			d, ok := at[g]
			if !ok {
				d = len(groups)
				at[g] = d
				id := ""
				var grp []classify.ClusterItem
				if g < len(st.Groups) {
					id = st.Groups[g].ClusterID
					grp = slices.Clone(oldItems[id])
					for _, rec := range oldRecs[id] {
						themes[rec.RecID], targets[rec.RecID] = rec.Themes, rec.Targets
					}
				}
				groups, ids = append(groups, grp), append(ids, id)
			}
			groups[d] = append(groups[d], it)
		}
		inUse := make(map[string]bool, len(st.Groups))
		for _, g := range st.Groups {
			inUse[g.ClusterID] = true
		}
		copt := classify.ClusterOptions{Country: countries[i], Threshold: opt.Threshold, Vectorizer: opt.Vectorizer, Themes: themes, SDGTargets: targets, Stems: stems}
		var sums map[string]classify.ClusterSum
		r.clusters, r.members, sums, r.err = classify.DescribeGroups(groups, ids, func(id string) bool { return inUse[id] }, c.labelled, copt)
		if r.err == nil {
			r.vectors, r.err = vectorRows(sums, countries[i], vectoriser)
		}
		inputs[i], c.into = nil, nil
	})
	for i, r := range results {
		if r.err != nil {
			return res, fmt.Errorf("cluster %s: %w", countries[i], r.err)
		}
		if !cs[i].ok {
			continue
		}
		st := states[countries[i]]
		res.countries = append(res.countries, countries[i])
		res.parts = append(res.parts, load.ClusterPart{Clusters: r.clusters, Members: r.members, Vectors: r.vectors})
		res.read += st.Recs
		res.clusters += len(st.Groups)
		for _, cl := range r.clusters {
			if _, ok := slices.BinarySearch(cs[i].joined, cl.ClusterID); !ok {
				res.clusters++
			}
		}
	}
	return res, nil
}

// readVectors reads the recommendations of the countries to cluster (read)
// and vectorises their distinct texts once. The records come back by the
// countries' position, so that a worker can let go of a country's records
// once it is clustered.
//
// Reading every recommendation of a UHRI-scale warehouse makes garbage
// several times the size of what is kept, on top of the models the batch
// holds: collected at the default pace, it would take the heap close to its
// limit while DuckDB's query holds its own memory too. The collection first
// measures the heap without the garbage of the stages before, which sets the
// pace from there.
func readVectors(ctx context.Context, countries []string, vz *classify.Vectorizer, read func() (map[string][]load.ClusterRec, error)) ([][]load.ClusterRec, textVectors, error) {
	runtime.GC()
	gc := debug.SetGCPercent(readGCPercent)
	defer debug.SetGCPercent(gc)
	byCountry, err := read()
	if err != nil {
		return nil, textVectors{}, fmt.Errorf("read recommendations to cluster: %w", err)
	}
	inputs := make([][]load.ClusterRec, len(countries))
	for i, c := range countries {
		inputs[i] = byCountry[c]
	}
	byCountry = nil
	vecs, err := vectorsOf(ctx, vz, inputs)
	return inputs, vecs, err
}
