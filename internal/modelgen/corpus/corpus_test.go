package corpus

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/internal/shared"
)

func TestGoalLabel(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{"5", "5", false}, {"SDG\u00a015.00", "15", false}, {"0", "", false}, {"18", "", true}, {"x", "", true}, {"1.5", "", true},
	}
	for _, tt := range tests {
		got, err := goalLabel(tt.in)
		if got != tt.want || (err != nil) != tt.bad {
			t.Errorf("goalLabel(%q) = %q, %v", tt.in, got, err)
		}
	}
}

// TestRealSets reads every set from the shared data and checks its size and
// one real example.
func TestRealSets(t *testing.T) {
	dir := shared.Path(t, ".")
	ctx := context.Background()
	frameworkCSV := filepath.Join(shared.Root(), "data", "sdg", "global-indicator-framework-2025.csv")
	tests := []struct {
		name   string
		read   func() (*Set, error)
		n      int
		text   string // a prefix of one example's text
		labels []string
		group  string
	}{
		{"upr-info", func() (*Set, error) { return UPRInfo(ctx, filepath.Join(dir, "upr-info")) }, 30261,
			"Abolish the death penalty", nil, ""},
		{"uhri themes (as written)", func() (*Set, error) { return UHRIThemes(ctx, filepath.Join(dir, "uhri-matrices"), nil) }, 1058,
			"Continue its efforts on the ratification of other human rights instruments and relevant protocols",
			[]string{"A12 Acceptance of international norms", "B51 Right to an effective remedy"}, "CHN 17"},
		{"uhri sdg goals", func() (*Set, error) { return UHRISDGGoals(ctx, filepath.Join(dir, "uhri-matrices")) }, 346, "", nil, "CHN 31"},
		{"sdg framework", func() (*Set, error) { return SDGFramework(frameworkCSV) }, 17 + 169 + 251,
			"By 2030, eradicate extreme poverty for all people everywhere", []string{"1.1"}, "un-framework"},
		{"tub", func() (*Set, error) { return TUBSentences(filepath.Join(dir, "sdg-text", "tub-sentences")) }, 2567,
			"Assessing adverse human rights impacts of suppliers.", []string{"1"}, "tub"},
		{"zora", func() (*Set, error) { return ZORA(filepath.Join(dir, "sdg-text", "zora")) }, 742,
			"Using market-based pro-poor development policy", []string{"1"}, "zora"},
		{"aurora", func() (*Set, error) { return AuroraQueries(filepath.Join(dir, "sdg-text", "aurora-queries")) }, 169, "", nil, "aurora"},
		{"swisstext", func() (*Set, error) { return SwissText(filepath.Join(dir, "sdg-text", "swisstext2024")) }, 481,
			"Saving more in groups: field experimental evidence from Chile.", []string{"1", "1.1", "1.2"}, "swisstext"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := tt.read()
			if err != nil {
				t.Fatal(err)
			}
			if len(set.Examples) != tt.n || len(set.Rejected) != 0 {
				t.Errorf("%d examples, %d rejected, want %d and 0", len(set.Examples), len(set.Rejected), tt.n)
			}
			if tt.text == "" {
				return
			}
			// The last match: SwissText's task 2 (with targets) repeats abstracts of task 1.
			i := len(set.Examples) - 1
			for i >= 0 && !strings.HasPrefix(set.Examples[i].Text, tt.text) {
				i--
			}
			if i < 0 {
				t.Fatalf("no example starts %q", tt.text)
			}
			e := set.Examples[i]
			if tt.labels != nil && !slices.Equal(e.Labels, tt.labels) {
				t.Errorf("%q: labels %q, want %q", tt.text, e.Labels, tt.labels)
			}
			if tt.group != "" && e.Group != tt.group {
				t.Errorf("%q: group %q, want %q", tt.text, e.Group, tt.group)
			}
		})
	}
}

// TestUHRISDGGoalCounts checks the goals read from China 2018 against
// OHCHR's labels: 205 recommendations under goal 16.
func TestUHRISDGGoalCounts(t *testing.T) {
	set, err := UHRISDGGoals(context.Background(), shared.Path(t, "uhri-matrices"))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	none := 0
	for _, e := range set.Examples {
		if len(e.Labels) == 0 {
			none++
		}
		for _, l := range e.Labels {
			count[l]++
		}
	}
	want := map[string]int{"16": 205, "5": 25, "4": 23, "1": 16, "3": 16, "8": 15, "13": 7, "2": 3}
	for g, n := range want {
		if count[g] != n {
			t.Errorf("goal %s on %d recommendations, want %d", g, count[g], n)
		}
	}
	t.Logf("goals %v, %d without a goal", count, none)
}
