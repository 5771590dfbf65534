package modelgen

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/internal/modelgen/corpus"
	"github.com/nmirf/nmirf/internal/shared"
)

var updateKindVerbs = flag.Bool("update-kindverbs", false, "rewrite classify/kindverbs.txt from the shared UPR Info data")

// TestKindVerbs checks that classify/kindverbs.txt is what KindVerbs learns
// from the shared UPR Info data, and that the verbs it should hold are there.
func TestKindVerbs(t *testing.T) {
	verbs, n, err := KindVerbs(context.Background(), shared.Path(t, "upr-info"))
	if err != nil {
		t.Fatal(err)
	}
	if n != 30261 {
		t.Errorf("%d UPR Info recommendations read, want 30261", n)
	}
	uses := map[string]int{}
	for _, v := range verbs {
		uses[v.Verb] = v.Uses
	}
	// The openings DetectKind missed on OHCHR's China 2018 list, and the
	// most used verb.
	for _, w := range []string{"adhere", "safeguard", "grant", "continue"} {
		if uses[w] < minVerbUses {
			t.Errorf("%q not learnt as an opening verb", w)
		}
	}
	if uses["continue"] != 4744 {
		t.Errorf("continue opens %d recommendations, want 4744", uses["continue"])
	}
	for _, w := range []string{"the", "in", "that", "recommended", "encourages", "fully", "civil"} {
		if _, ok := uses[w]; ok {
			t.Errorf("%q learnt as an opening verb", w)
		}
	}
	path := filepath.Join("..", "..", "classify", "kindverbs.txt")
	want := FormatKindVerbs(verbs, n)
	if *updateKindVerbs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s is not what KindVerbs learns from the shared data: go test ./internal/modelgen -run TestKindVerbs -update-kindverbs", path)
	}
}

// TestDetectKindOnRealSets reads the kind of every text of two labelled
// sets: OHCHR's China 2018 thematic list (recommendations) and the
// SwissText 2024 abstracts (general text).
func TestDetectKindOnRealSets(t *testing.T) {
	ctx := context.Background()
	ohchr, err := corpus.UHRISDGGoals(ctx, shared.Path(t, "uhri-matrices"))
	if err != nil {
		t.Fatal(err)
	}
	sw, err := corpus.SwissText(shared.Path(t, filepath.Join("sdg-text", "swisstext2024")))
	if err != nil {
		t.Fatal(err)
	}
	count := func(ex []corpus.Example, want string) (int, []string) {
		n := 0
		var missed []string
		for _, e := range ex {
			if k := classify.DetectKind(e.Text); k == want {
				n++
			} else if len(missed) < 10 {
				missed = append(missed, k+": "+e.Text[:min(len(e.Text), 80)])
			}
		}
		return n, missed
	}
	rec, missed := count(ohchr.Examples, classify.KindRecommendation)
	t.Logf("China 2018: %d of %d read as recommendations; others: %q", rec, len(ohchr.Examples), missed)
	if len(ohchr.Examples) != 346 || rec < 340 {
		t.Errorf("China 2018: %d of %d read as recommendations, want ≥ 340 of 346", rec, len(ohchr.Examples))
	}
	gen, missed := count(sw.Examples, classify.KindGeneral)
	nat, _ := count(sw.Examples, classify.KindNationalReport)
	t.Logf("SwissText: %d of %d read as general text, %d as national report; others: %q", gen, len(sw.Examples), nat, missed)
	if len(sw.Examples) != 481 || gen+nat < 474 {
		t.Errorf("SwissText: %d of %d read as general text or national report, want ≥ 474 of 481", gen+nat, len(sw.Examples))
	}
}
