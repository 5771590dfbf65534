package corpus

import (
	"context"
	"os"
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
		{"jrc", func() (*Set, error) {
			return JRCTerms(filepath.Join(dir, "sdg-framework", "unsd-2023", "JRC_term_matrix.Terms.csv"))
		}, 17 + 169, "social risk; social protection; rights of persons with disabilities", []string{"1.3"}, "jrc"},
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

// TestJRCTerms reads a real excerpt of the JRC SDG term matrix: a target
// row becomes the target's terms, an "x.0" row the goal's, a term with a
// line break inside its quotes is one term.
func TestJRCTerms(t *testing.T) {
	set, err := JRCTerms(filepath.Join("testdata", "jrc-term-matrix-excerpt.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Rejected) != 0 {
		t.Fatalf("rejected %v", set.Rejected)
	}
	want := []struct {
		label, prefix string
		terms         int
	}{
		{"1", "Sustainable Development Goal 1; SDG 1; end poverty; reduce poverty", 13},
		{"1.3", "social risk; social protection; rights of persons with disabilities", 29},
		{"1.4", "tenure rights; equal rights to economic resources; control over land; access to inheritance; rights to land; access to property; access to natural resources", 18},
		{"8.10", "access to banking; access to financial service; access to insurance", 13},
		{"17", "Sustainable Development Goal 17; SDG 17; global partnership", 5},
	}
	if len(set.Examples) != len(want) {
		t.Fatalf("%d examples, want %d", len(set.Examples), len(want))
	}
	for i, w := range want {
		e := set.Examples[i]
		if !slices.Equal(e.Labels, []string{w.label}) || !strings.HasPrefix(e.Text, w.prefix) || e.Group != "jrc" || e.Kind != "" {
			t.Errorf("example %d: labels %q, group %q, kind %q, text %q; want %s, %q…", i, e.Labels, e.Group, e.Kind, e.Text, w.label, w.prefix)
		}
		if n := len(strings.Split(e.Text, "; ")); n != w.terms {
			t.Errorf("%s: %d terms, want %d", w.label, n, w.terms)
		}
	}
	if !strings.HasSuffix(set.Examples[1].Text, "; social services; social expenditure") {
		t.Errorf("1.3 ends %q, want its last terms", set.Examples[1].Text[len(set.Examples[1].Text)-60:])
	}
}

// TestJRCTermsColumnsByName reads the same rows with the columns in
// another order (terms first, Target before Goal) and refuses rows whose
// target is not of their goal, and a header without a Target column.
func TestJRCTermsColumnsByName(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	data := "x,Target,Goal,0,1\r\n" +
		"t,1.3,SDG 1,social protection,social security\r\n" +
		"t,2.1,SDG 1,hunger,\r\n" +
		"t,1.a,SDG 1,,\r\n" +
		"t,poverty,SDG 1,poverty,\r\n"
	if err := os.WriteFile(bad, []byte(strings.Replace(data, "x,", ",", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := JRCTerms(bad)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Examples) != 1 || set.Examples[0].Text != "social protection; social security" || !slices.Equal(set.Examples[0].Labels, []string{"1.3"}) {
		t.Errorf("examples %+v, want 1.3 only", set.Examples)
	}
	if len(set.Rejected) != 3 {
		t.Fatalf("rejected %v, want 3 rows", set.Rejected)
	}
	for i, line := range []int{3, 4, 5} {
		if r := set.Rejected[i]; r.Row != line || r.File != "bad.csv" || r.Field != "Target" {
			t.Errorf("rejected %d: %+v, want line %d, field Target", i, r, line)
		}
	}
	if !strings.Contains(set.Rejected[0].Msg, `"2.1" is not a target code of goal 1`) {
		t.Errorf("message %q", set.Rejected[0].Msg)
	}
	noTarget := filepath.Join(dir, "no-target.csv")
	if err := os.WriteFile(noTarget, []byte(",Goal,0\r\n0,SDG 1,poverty\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := JRCTerms(noTarget); err == nil || !strings.Contains(err.Error(), "no-target.csv header") {
		t.Errorf("no Target column: error %v, want one naming the header", err)
	}
}
