package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

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
	byCountry, err := w.ClusterInputs(ctx, countries)
	if err != nil {
		return nil, fmt.Errorf("read recommendations to cluster: %w", err)
	}
	// Countries are independent: cluster them on all cores, collect in
	// country order so the result does not depend on scheduling.
	type result struct {
		clusters []models.Cluster
		members  []models.ClusterMember
		err      error
	}
	results := make([]result, len(countries))
	stems := classify.NewWordStems(opt.Vectorizer) // shared by the countries
	vecs, err := vectorsOf(ctx, opt.Vectorizer, countries, byCountry)
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
				r.clusters, r.members, r.err = clusterCountry(ctx, countries[i], byCountry[countries[i]], extend[countries[i]], vecs, kept, stems, opt)
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
	var all []models.Cluster
	var members []models.ClusterMember
	for i, r := range results {
		if r.err != nil {
			return nil, fmt.Errorf("cluster %s: %w", countries[i], r.err)
		}
		all = append(all, r.clusters...)
		members = append(members, r.members...)
		run.Counts.Read += len(byCountry[countries[i]])
	}
	run.Counts.Distinct = len(all)
	settle(run)
	if err := w.WriteClusters(ctx, run, countries, all, members); err != nil {
		return nil, fmt.Errorf("write clusters: %w", err)
	}
	return run, nil
}

// textVectors holds the vector of each distinct text of a run, shared
// (read-only) by the countries.
type textVectors struct {
	row map[string]int
	X   *classify.Matrix
}

func (v textVectors) of(text string) classify.Vector { return v.X.Row(v.row[text]) }

// vectorsOf vectorises each distinct text of the countries' recommendations
// once: the same wording is often addressed to many States, and a text's
// vector does not depend on the country.
func vectorsOf(ctx context.Context, vz *classify.Vectorizer, countries []string, byCountry map[string][]load.ClusterRec) (textVectors, error) {
	v := textVectors{row: map[string]int{}}
	var texts []string
	for _, c := range countries {
		for _, r := range byCountry[c] {
			if _, ok := v.row[r.Text]; !ok {
				v.row[r.Text] = len(texts)
				texts = append(texts, r.Text)
			}
		}
	}
	X, err := vz.Transform(ctx, texts)
	if err != nil {
		return v, err
	}
	v.X = X
	return v, nil
}

func clusterCountry(ctx context.Context, country string, recs []load.ClusterRec, extend bool, vecs textVectors, kept map[string]models.Cluster, stems *classify.WordStems, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember, error) {
	if len(recs) == 0 {
		return nil, nil, nil
	}
	items := make([]classify.ClusterItem, len(recs))
	previous := map[string]string{}
	similarity := map[string]float64{}
	themes := map[string][]string{}
	targets := map[string][]string{}
	for i, r := range recs {
		items[i] = classify.ClusterItem{RecID: r.RecID, Text: r.Text, Vector: vecs.of(r.Text), Labels: append(append([]string{}, r.Themes...), r.Targets...),
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
