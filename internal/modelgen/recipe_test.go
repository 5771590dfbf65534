package modelgen

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/internal/modelgen/corpus"
	"github.com/nmirf/nmirf/internal/shared"
)

// The quality floors sit a little under what was measured when the shipped
// models were made (data/models/MODELS.md); they re-run the measurements.

func TestUPRInfoQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 21,000 texts")
	}
	ex, err := UPRInfoSet(context.Background(), shared.Path(t, "."))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 30261 {
		t.Fatalf("%d UPR Info recommendations, want 30261", len(ex))
	}
	met, err := UPRSessionSplit(context.Background(), ex, 12)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sessions 1–12 → 13–16: %d texts, micro-F1 %.4f, macro-F1 %.4f", met.Docs, met.MicroF, met.MacroF)
	if met.Docs != 8905 || met.MicroF < 0.88 || met.MacroF < 0.82 {
		t.Errorf("sessions 1–12 → 13–16: %d texts, micro-F1 %.4f, macro-F1 %.4f, want 8905, ≥ 0.88, ≥ 0.82", met.Docs, met.MicroF, met.MacroF)
	}
}

func TestUHRIThemeQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("trains four models on 30,000 texts")
	}
	ctx := context.Background()
	dir := shared.Path(t, ".")
	tx := testTaxonomy(t)
	ex, err := UHRIThemeSet(ctx, dir, tx)
	if err != nil {
		t.Fatal(err)
	}
	upr, err := UPRInfoSet(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	met, k, err := UHRIGroupCV(ctx, ex, UPRAsUHRI(upr, tx), tx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("group %d-fold over documents: %d texts, micro-F1 %.4f, macro-F1 %.4f", k, met.Docs, met.MicroF, met.MacroF)
	if k != 4 || met.Docs != 1058 || met.MicroF < 0.60 || met.MacroF < 0.38 {
		t.Errorf("group %d-fold: %d texts, micro-F1 %.4f, macro-F1 %.4f, want 4 folds, 1058, ≥ 0.60, ≥ 0.38", k, met.Docs, met.MicroF, met.MacroF)
	}
}

func TestSDGQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("trains four models on 34,000 texts")
	}
	ctx := context.Background()
	in := Inputs{Shared: shared.Path(t, "."), SDGFramework: filepath.Join(shared.Root(), "data", "sdg", "global-indicator-framework-2025.csv"), Taxonomy: testTaxonomy(t)}
	s, err := ReadSDGSets(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	train := without(s.Shippable, s.SwissText)
	m, err := fitSDG(ctx, train, calibrations(train, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := ScoreSDG(ctx, m, s.SwissText, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SwissText: %s", sw)
	if sw.Texts != 481 || sw.BalancedAccuracy < 0.76 || sw.Kinds[classify.KindGeneral] < 470 {
		t.Errorf("SwissText: %d texts, balanced per-goal accuracy %.4f, %d taken as general text, want 481, ≥ 0.76, ≥ 470",
			sw.Texts, sw.BalancedAccuracy, sw.Kinds[classify.KindGeneral])
	}
	chs, err := ScoreOHCHR(ctx, s, []string{""})
	if err != nil {
		t.Fatal(err)
	}
	ch := chs[0]
	t.Logf("China 2018: %s", ch)
	// Measured: 0.751 (P 0.667, R 0.858). A second goal when the model is
	// clearly sure of it raises recall on a list where OHCHR gives one goal
	// (and on later cycles' UHRI tags, which give two more often); with one
	// goal at most P and R were 0.056 apart but micro-F1 0.740 (MODELS.md).
	if ch.Texts != 346 || ch.Goals.MicroF < 0.74 || math.Abs(ch.Goals.MicroP-ch.Goals.MicroR) > 0.22 {
		t.Errorf("China 2018: %d texts, micro-F1 %.4f (P %.4f R %.4f), want 346, ≥ 0.74, P and R within 0.22",
			ch.Texts, ch.Goals.MicroF, ch.Goals.MicroP, ch.Goals.MicroR)
	}
}

func testTaxonomy(t *testing.T) *classify.Taxonomy {
	t.Helper()
	tx, err := EmbeddedTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

func TestWithout(t *testing.T) {
	train := exs("In corpus linguistics, statistical association measures play a major role in identifying collocations",
		"Short text", "Something else entirely, long enough to be compared with the test texts of the set")
	test := exs("Identifying phrasemes. In corpus linguistics, statistical association measures play a major role in identifying collocations such as play and role.")
	got := without(train, test)
	if len(got) != 2 || got[0].Text != "Short text" {
		t.Errorf("without kept %+v, want the two texts not in the test set", got)
	}
}

func exs(texts ...string) []corpus.Example {
	var out []corpus.Example
	for _, t := range texts {
		out = append(out, corpus.Example{Text: t})
	}
	return out
}

// TestWithTerms: a target's JRC terms go into its own query text only; the
// JRC's goal rows and targets without a query are left out.
func TestWithTerms(t *testing.T) {
	queries := []corpus.Example{
		{Text: "Social protection systems; social protection", Labels: []string{"1.3"}},
		{Text: "Climate query", Labels: nil}, // Aurora's "13.0", outside the framework
		{Text: "Land rights; tenure", Labels: []string{"1.4"}},
	}
	jrc := []corpus.Example{
		{Text: "Sustainable Development Goal 1; end poverty", Labels: []string{"1"}},
		{Text: "social risk; child benefits", Labels: []string{"1.3"}},
		{Text: "access to banking", Labels: []string{"8.10"}},
	}
	if n := withTerms(queries, jrc); n != 1 {
		t.Errorf("%d targets got terms, want 1", n)
	}
	want := []string{"Social protection systems; social protection; social risk; child benefits", "Climate query", "Land rights; tenure"}
	for i, w := range want {
		if queries[i].Text != w {
			t.Errorf("query %d: %q, want %q", i, queries[i].Text, w)
		}
	}
	if _, err := readJRC(Inputs{SDGJRCTerms: "all"}); err == nil || !strings.Contains(err.Error(), `"all"`) {
		t.Errorf("unknown way %q: error %v", "all", err)
	}
}
