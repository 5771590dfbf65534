package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/uhri"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

func dataDir(t *testing.T) string {
	return filepath.Dir(shared.Path(t, "upr-info"))
}

func TestLoadSources(t *testing.T) {
	src, err := loadSources(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"UPR Info recommendations", src.uprInfoN, 30261},
		{"matrix recommendations", src.matricesN, 1061},
		{"UPR text pool", len(src.upr), 30261 + 1061},
		{"countries under review", src.countriesN, 193},
		{"UHRI themes", len(src.themes.values), 100},
		{"UHRI SDG labels", len(src.sdgs.values), 181},
		{"UHRI affected persons", len(src.persons.values), 35},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
	if len(src.tbRec) < 100 || len(src.tbConcern) < 40 {
		t.Errorf("concluding observations: %d recommendation and %d concern paragraphs, want at least 100 and 40", len(src.tbRec), len(src.tbConcern))
	}
	// MacRoman decoding: UPR Info writes Habré with MacRoman's é (0x8E).
	habre, noState := 0, 0
	for _, u := range src.upr {
		if strings.Contains(u.text, "Habré") {
			habre++
		}
		if len(u.states) == 0 {
			noState++
		}
	}
	if habre != 2 {
		t.Errorf("%d texts name Habré, want 2: MacRoman not decoded", habre)
	}
	// UPR Info's 9 recommendations from "&#40;Unknown&#41;" and the matrix row
	// whose States are followed by "Comments: Information sent in a post
	// Add.1 letter"; the other 25 rows with an empty recommending_states
	// column name their States at the end of the text.
	if noState != 9+1 {
		t.Errorf("%d texts without a known recommending State, want %d", noState, 9+1)
	}
}

// TestCorpusImports reads a generated corpus and its extra file with
// nmirf's own UHRI JSON importer and checks that every record imports and
// that nmirf sees as many distinct recommendations as were written.
func TestCorpusImports(t *testing.T) {
	data := dataDir(t)
	if testing.Short() {
		t.Skip("generates and imports 6,000 records")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "corpus")
	const n = 6000
	if err := run(context.Background(), []string{"-n", "6000", "-seed", "7", "-extra", "0.01", "-out", out, "-data", data}, io.Discard); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	byMech := map[models.Mechanism]int{}
	countries := map[string]bool{}
	noState := 0
	for _, c := range []struct {
		path string
		want int
	}{
		{filepath.Join(out, corpusFile), n},
		{filepath.Join(dir, "corpus-new", extraFile), n / 100},
	} {
		in, err := extract.ReadInput(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if s := (uhri.JSON{}).Sniff(in); s != 95 {
			t.Errorf("%s: uhri-json sniff score %d, want 95", c.path, s)
		}
		res, err := uhri.JSON{}.Import(context.Background(), in, extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rejected) > 0 || len(res.Warnings) > 0 {
			t.Errorf("%s: %d rejected (first %v), %d warnings (first %q)", c.path, len(res.Rejected), first(res.Rejected), len(res.Warnings), first(res.Warnings))
		}
		if len(res.Records) != c.want {
			t.Errorf("%s: %d records, want %d", c.path, len(res.Records), c.want)
		}
		for _, r := range res.Records {
			if err := r.Validate(); err != nil {
				t.Fatalf("%s %s: %v", c.path, r.Sources[0].Locator, err)
			}
			r.Normalize()
			id := models.RecID(&r)
			if ids[id] {
				t.Errorf("%s %s: recommendation %s written twice: %q", c.path, r.Sources[0].Locator, id, r.Text)
			}
			ids[id] = true
			byMech[r.Mechanism]++
			countries[r.CountryISO3] = true
			if r.Date < "2008-01-01" || r.Date > "2026-12-31" {
				t.Errorf("%s %s: date %s outside 2008–2026", c.path, r.Sources[0].Locator, r.Date)
			}
			if r.Session > 50 {
				t.Errorf("%s %s: UPR session %d above 50", c.path, r.Sources[0].Locator, r.Session)
			}
			if r.Mechanism == models.MechanismUPR && r.Paragraph == "" {
				t.Errorf("%s %s: UPR record without paragraph: %q", c.path, r.Sources[0].Locator, r.Sources[0].RawText)
			}
			if r.Mechanism == models.MechanismUPR && len(r.RecommendingStates) == 0 {
				noState++
			}
		}
	}
	if len(ids) != n+n/100 {
		t.Errorf("%d distinct recommendations, want %d", len(ids), n+n/100)
	}
	// Shares of mechanisms: 70% UPR, 25% treaty bodies, 5% special procedures.
	total := float64(n + n/100)
	for _, c := range []struct {
		mech   models.Mechanism
		lo, hi float64
	}{
		{models.MechanismUPR, 0.67, 0.73},
		{models.MechanismTB, 0.22, 0.28},
		{models.MechanismSP, 0.035, 0.065},
	} {
		if s := float64(byMech[c.mech]) / total; s < c.lo || s > c.hi {
			t.Errorf("%s share %.3f, want %.3f–%.3f", c.mech, s, c.lo, c.hi)
		}
	}
	// 10 of the 31,322 texts have no known recommending State.
	if noState > n/100 {
		t.Errorf("%d UPR records without a recommending State, want at most %d", noState, n/100)
	}
	if len(countries) < 180 {
		t.Errorf("%d countries, want at least 180 of 193", len(countries))
	}
}

func first[T any](s []T) any {
	if len(s) == 0 {
		return nil
	}
	return s[0]
}

func TestDeterministic(t *testing.T) {
	data := dataDir(t)
	write := func(seed, extra string) []byte {
		out := filepath.Join(t.TempDir(), "c")
		if err := run(context.Background(), []string{"-n", "500", "-seed", seed, "-extra", extra, "-out", out, "-data", data}, io.Discard); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, corpusFile))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := write("3", "0"), write("3", "0.02"), write("4", "0")
	if !bytes.Equal(a, b) {
		t.Error("same seed gave different corpora (with and without -extra)")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 3 and 4 gave the same corpus")
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no shared data", []string{"-n", "10", "-out", t.TempDir(), "-data", filepath.Join(t.TempDir(), "absent")}, "shared data folder"},
		{"no out", []string{"-n", "10"}, "need -out"},
		{"bad n", []string{"-n", "0", "-out", t.TempDir()}, "need -out"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := run(context.Background(), c.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}
