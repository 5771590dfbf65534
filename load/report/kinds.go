package report

import (
	"context"
	"database/sql"
	"fmt"
	"io"
)

// The gap and cluster reports and their formats. Format order is the order
// help lists them in; the first of a kind is its default.
func init() {
	RegisterKind(&Kind{Name: "gaps", Short: "Per SDG target: recommendations, clusters, indicator coverage and flags", StaleYears: true,
		Read: func(ctx context.Context, db *sql.DB, r Request) (Report, error) {
			return Gaps(ctx, db, Options{Country: r.Country, StaleYears: r.StaleYears, Now: r.Now, Names: r.Names, RunID: r.RunID})
		}})
	RegisterFormat(Format{"gaps", "html", gapWriter(WriteHTML)})
	RegisterFormat(Format{"gaps", "md", gapWriter(WriteMarkdown)})
	RegisterFormat(Format{"gaps", "csv", gapWriter(WriteCSV)})
	RegisterFormat(Format{"gaps", "xlsx", gapWriter(WriteXLSX)})

	RegisterKind(&Kind{Name: "clusters", Short: "The cluster table with member recommendations", EachCountry: true,
		Read: func(ctx context.Context, db *sql.DB, r Request) (Report, error) {
			return Clusters(ctx, db, ClusterOptions{Country: r.Country, Names: r.Names})
		}})
	RegisterFormat(Format{"clusters", "csv", clusterWriter(WriteClustersCSV)})
	RegisterFormat(Format{"clusters", "xlsx", clusterWriter(WriteClustersXLSX)})
	RegisterFormat(Format{"clusters", "md", clusterWriter(WriteClustersMarkdown)})
}

func gapWriter(write func(io.Writer, *GapReport) error) func(io.Writer, Report) error {
	return func(w io.Writer, r Report) error { return write(w, r.(*GapReport)) }
}

func clusterWriter(write func(io.Writer, *ClusterReport) error) func(io.Writer, Report) error {
	return func(w io.Writer, r Report) error { return write(w, r.(*ClusterReport)) }
}

// Empty says why a gap report would be empty, and what to run, or "" when
// it has something to say. A report with indicator rows but no
// recommendation linked is written: it shows what data there is, and says
// how many recommendations have no SDG link.
func (r *GapReport) Empty(warehouse string) string {
	if len(r.Targets) > 0 {
		return ""
	}
	if why := noRecommendations("gap", r.Country, r.CountryLabel(), r.Recommendations, warehouse); why != "" {
		return why
	}
	return fmt.Sprintf("no gap report%s: none of the %d recommendations%s in %s is linked to an SDG goal or target, and there is no indicator data: run `nmirf classify` (its default models include the SDG model) first",
		forCountry(r.Country), r.Recommendations, forCountry(r.Country), warehouse)
}

// Empty says why a cluster report would be empty, and what to run, or ""
// when it has clusters.
func (r *ClusterReport) Empty(warehouse string) string {
	if len(r.Clusters) > 0 {
		return ""
	}
	if why := noRecommendations("cluster", r.Country, r.CountryLabel(), r.Recommendations, warehouse); why != "" {
		return why
	}
	return fmt.Sprintf("no cluster report%s: the %d recommendations%s in %s are not clustered: run `nmirf cluster` (after `nmirf classify`) first",
		forCountry(r.Country), r.Recommendations, forCountry(r.Country), warehouse)
}

// noRecommendations says why a report of a kind is empty when the
// warehouse has no recommendations for it, or "" when it has some.
func noRecommendations(kind, country, label string, n int, warehouse string) string {
	switch {
	case n > 0:
		return ""
	case country == "":
		return fmt.Sprintf("no %s report: no recommendations in %s: run `nmirf ingest PATH...` (or `nmirf run`) first", kind, warehouse)
	}
	return fmt.Sprintf("no %s report for %s: no recommendations for it in %s: run `nmirf ingest PATH...` with a source that covers it", kind, label, warehouse)
}

func forCountry(c string) string {
	if c == "" {
		return ""
	}
	return " for " + c
}
