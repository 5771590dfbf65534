package main

import (
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// isoCodes resolves country names or codes given on the command line.
func isoCodes(names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		iso, ok := norm.Country(n)
		if !ok {
			return nil, models.UsageError("unknown country %q", n)
		}
		out = append(out, iso)
	}
	return out, nil
}
