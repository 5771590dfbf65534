package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
)

// ClusterOptions are the plain options of a clustering run.
type ClusterOptions struct {
	Warehouse  string
	Countries  []string // empty: every country (StaleOnly: every country whose clusters are out of date)
	StaleOnly  bool     // recluster only countries with new, changed or reclassified recommendations
	Vectorizer *classify.Vectorizer
	Threshold  float64 // 0: classify.DefaultClusterThreshold
	Version    string
	Wait       bool
	Progress   Progress
}

// Cluster groups each country's recommendations that ask for the same
// thing, whichever mechanism made them, and replaces that country's
// clusters. Cluster ids carry over from the previous run when a cluster
// keeps most of its members.
func Cluster(ctx context.Context, opt ClusterOptions) (*models.Run, error) {
	return withWarehouse(ctx, opt.Warehouse, opt.Wait, func(w *load.Warehouse) (*models.Run, error) {
		return clusterInto(ctx, w, opt)
	})
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
	if len(countries) == 0 {
		var err error
		if opt.StaleOnly {
			countries, err = w.StaleClusterCountries(ctx)
		} else {
			countries, err = w.Countries(ctx)
		}
		if err != nil {
			return nil, err
		}
	}
	var all []models.Cluster
	var members []models.ClusterMember
	opt.Progress.Start("cluster", len(countries))
	for i, c := range countries {
		opt.Progress.Step(i, c)
		recs, err := w.ClusterInputs(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("read %s recommendations: %w", c, err)
		}
		cl, ms, err := clusterCountry(ctx, c, recs, opt)
		if err != nil {
			return nil, fmt.Errorf("cluster %s: %w", c, err)
		}
		all = append(all, cl...)
		members = append(members, ms...)
		run.Counts.Read += len(recs)
	}
	opt.Progress.Done()
	run.Counts.Distinct = len(all)
	if err := w.WriteClusters(ctx, run, countries, all, members); err != nil {
		return nil, fmt.Errorf("write clusters: %w", err)
	}
	return run, nil
}

func clusterCountry(ctx context.Context, country string, recs []load.ClusterRec, opt ClusterOptions) ([]models.Cluster, []models.ClusterMember, error) {
	if len(recs) == 0 {
		return nil, nil, nil
	}
	texts := make([]string, len(recs))
	for i, r := range recs {
		texts[i] = r.Text
	}
	X, err := opt.Vectorizer.Transform(ctx, texts)
	if err != nil {
		return nil, nil, err
	}
	items := make([]classify.ClusterItem, len(recs))
	previous := map[string]string{}
	themes := map[string][]string{}
	targets := map[string][]string{}
	for i, r := range recs {
		items[i] = classify.ClusterItem{RecID: r.RecID, Text: r.Text, Vector: X.Row(i), Labels: append(append([]string{}, r.Themes...), r.Targets...),
			Mechanism: r.Mechanism, Body: r.Body, Date: r.Date}
		if r.Previous != "" {
			previous[r.RecID] = r.Previous
		}
		themes[r.RecID] = r.Themes
		targets[r.RecID] = r.Targets
	}
	return classify.Cluster(ctx, items, previous, classify.ClusterOptions{
		Country: country, Threshold: opt.Threshold, Vectorizer: opt.Vectorizer, Themes: themes, SDGTargets: targets})
}
