package main

import (
	"testing"

	"github.com/nmirf/nmirf/models"
)

// TestParsePeriod reads the --period forms of the parliament report: whole
// days, months and years, and refuses what is not a period.
func TestParsePeriod(t *testing.T) {
	for _, c := range []struct{ in, from, to string }{
		{"2025-01-01..2025-12-31", "2025-01-01", "2025-12-31"},
		{"2025..2026-06", "2025-01-01", "2026-06-30"},
		{"2024-02..2024-02", "2024-02-01", "2024-02-29"},
		{" 2025 .. 2025 ", "2025-01-01", "2025-12-31"},
	} {
		from, to, err := parsePeriod(c.in)
		if err != nil || from.Format("2006-01-02") != c.from || to.Format("2006-01-02") != c.to {
			t.Errorf("parsePeriod(%q) = %s..%s, %v; want %s..%s", c.in, from.Format("2006-01-02"), to.Format("2006-01-02"), err, c.from, c.to)
		}
	}
	for _, bad := range []string{"", "2025", "2026..2025", "2025-13..2026", "last year..now"} {
		if _, _, err := parsePeriod(bad); models.CodeOf(err) != models.ExitUsage {
			t.Errorf("parsePeriod(%q): %v, want a usage error", bad, err)
		}
	}
}
