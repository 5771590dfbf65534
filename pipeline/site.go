package pipeline

import (
	"context"
	"path/filepath"

	"github.com/nmirf/nmirf/data"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/load/site"
)

// SiteOptions say which country's public site to build where.
type SiteOptions struct {
	Country      string
	Langs        []string
	Out          string
	HideEntities []string
	HideFields   []string
	Title        string
}

// WriteSite builds a country's public static site from the warehouse and
// its current Parquet snapshot.
func WriteSite(ctx context.Context, w *load.Warehouse, o SiteOptions) (site.Stats, error) {
	return site.Build(ctx, w.DB(), site.Options{Country: o.Country, Langs: o.Langs, Out: o.Out,
		Parquet: filepath.Join(w.Dir, "parquet"), SDGTitles: data.SDGTranslations(),
		HideEntities: o.HideEntities, HideFields: o.HideFields, Title: o.Title})
}
