package indicators

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/models"
)

// TestFindSources looks below testdata, a folder of Open SDG repositories
// and Global Database exports side by side, and below a folder of neither.
func TestFindSources(t *testing.T) {
	srcs, _, err := FindSources(context.Background(), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	var repos, exports []string
	for _, s := range srcs {
		if s.OpenSDG {
			repos = append(repos, filepath.Base(s.Path))
		} else {
			exports = append(exports, filepath.Base(s.Path))
		}
	}
	sort.Strings(repos)
	for _, want := range []string{"open-sdg-canada", "open-sdg-uk"} {
		if !hasString(repos, want) {
			t.Errorf("repository %s not found (found %v)", want, repos)
		}
	}
	for _, want := range []string{"Goal1-slice.csv", "Goal1-slice.xlsx"} {
		if !hasString(exports, want) {
			t.Errorf("export %s not found (found %v)", want, exports)
		}
	}
	// Files inside a repository are the repository's, not exports.
	for _, e := range exports {
		if strings.HasPrefix(e, "indicator_") {
			t.Errorf("a repository's file %s taken for an export", e)
		}
	}

	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "codes.csv"), []byte("Dimension,Code,Description\nSex,F,Female\n"), 0o644)
	_, _, err = FindSources(context.Background(), empty)
	if models.CodeOf(err) != models.ExitBadInput || !strings.Contains(err.Error(), "no indicator data found") || !strings.Contains(err.Error(), "codes.csv: left out") {
		t.Errorf("folder with no data: %v", err)
	}
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
