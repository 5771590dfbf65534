package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
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
	// Reading every recommendation of a UHRI-scale warehouse makes garbage
	// several times the size of what is kept, on top of the models the
	// batch holds: collected at the default pace, it would take the heap
	// close to its limit while DuckDB's query holds its own memory too. The
	// collection first measures the heap without the garbage of the stages
	// before, which sets the pace from there.
	runtime.GC()
	gc := debug.SetGCPercent(readGCPercent)
	restoreGC := sync.OnceFunc(func() { debug.SetGCPercent(gc) })
	defer restoreGC()
	byCountry, err := w.ClusterInputs(ctx, countries)
	if err != nil {
		return nil, fmt.Errorf("read recommendations to cluster: %w", err)
	}
	// By position, so that a worker can let go of a country's records once
	// it is clustered.
	inputs := make([][]load.ClusterRec, len(countries))
	for i, c := range countries {
		inputs[i] = byCountry[c]
	}
	byCountry = nil
	// Countries are independent: cluster them on all cores, collect in
	// country order so the result does not depend on scheduling.
	type result struct {
		clusters []models.Cluster
		members  []models.ClusterMember
		read     int
		err      error
	}
	results := make([]result, len(countries))
	stems := classify.NewWordStems(opt.Vectorizer) // shared by the countries
	vecs, err := vectorsOf(ctx, opt.Vectorizer, inputs)
	restoreGC()
	if err != nil {
		return nil, err
	}
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
		return nil, fmt.Errorf("read clusters to extend: %w", err)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for n := min(runtime.GOMAXPROCS(0), len(countries)); n > 0; n-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				r := &results[i]
				r.read = len(inputs[i])
				r.clusters, r.members, r.err = clusterCountry(ctx, countries[i], inputs[i], vecs.rows[i], extend[countries[i]], vecs.X, kept, stems, opt)
				inputs[i] = nil
			}
		}()
	}
	opt.Progress.Start("cluster", len(countries))
	for i, c := range countries {
		opt.Progress.Step(i, c)
		next <- i
	}
	close(next)
	wg.Wait()
	opt.Progress.Done()
	nc, nm := 0, 0
	for _, r := range results {
		nc, nm = nc+len(r.clusters), nm+len(r.members)
	}
	all := make([]models.Cluster, 0, nc)
	members := make([]models.ClusterMember, 0, nm)
	for i, r := range results {
		if r.err != nil {
			return nil, fmt.Errorf("cluster %s: %w", countries[i], r.err)
		}
		all = append(all, r.clusters...)
		members = append(members, r.members...)
		run.Counts.Read += r.read
		results[i] = result{}
	}
	run.Counts.Distinct = len(all)
	settle(run)
	if err := w.WriteClusters(ctx, run, countries, all, members); err != nil {
		return nil, fmt.Errorf("write clusters: %w", err)
	}
	return run, nil
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

func clusterCountry(ctx context.Context, country string, recs []load.ClusterRec, rows []int32, extend bool, X *classify.Matrix, kept map[string]models.Cluster, stems *classify.WordStems, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember, error) {
	if len(recs) == 0 {
		return nil, nil, nil
	}
	items := make([]classify.ClusterItem, len(recs))
	previous := map[string]string{}
	similarity := map[string]float64{}
	themes := map[string][]string{}
	targets := map[string][]string{}
	for i, r := range recs {
		items[i] = classify.ClusterItem{RecID: r.RecID, Text: r.Text, Vector: X.Row(int(rows[i])), Labels: append(append([]string{}, r.Themes...), r.Targets...),
			Mechanism: r.Mechanism, Body: r.Body, Date: r.Date}
		if r.Previous != "" {
			previous[r.RecID] = r.Previous
			similarity[r.RecID] = r.PreviousSimilarity
		}
		themes[r.RecID] = r.Themes
		targets[r.RecID] = r.Targets
	}
	copt := classify.ClusterOptions{Country: country, Threshold: opt.Threshold, Vectorizer: opt.Vectorizer, Themes: themes, SDGTargets: targets, Stems: stems}
	if extend {
		copt.Kept, copt.KeptSimilarity = kept, similarity
		return classify.Extend(ctx, items, previous, copt)
	}
	return classify.Cluster(ctx, items, previous, copt)
}
