package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/load/site"
	"github.com/nmirf/nmirf/pipeline"
)

func mtimes(t *testing.T, root string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && !strings.HasPrefix(fi.Name(), ".") {
			rel, _ := filepath.Rel(root, p)
			out[filepath.ToSlash(rel)] = fi.ModTime()
		}
		return err
	})
	return out
}

// TestSiteIncremental rebuilds the site: unchanged, nothing is rewritten;
// after one new public status update, only the pages that show it are.
func TestSiteIncremental(t *testing.T) {
	w := warehouse(t)
	tc := followup(t, w.DB())
	out := t.TempDir()
	first := build(t, w, out, "en", "fr")
	if first.Written != first.Files || first.Files < 100 {
		t.Fatalf("first build: %+v", first)
	}
	// Age every file, so that a rewrite shows in its modification time.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	before := mtimes(t, out)
	for p := range before {
		os.Chtimes(filepath.Join(out, p), old, old)
	}
	again := build(t, w, out, "en", "fr")
	if again.Written != 0 || again.Unchanged != again.Files || again.Removed != 0 {
		t.Errorf("rebuild of unchanged data: %+v, want nothing written", again)
	}
	for p, m := range mtimes(t, out) {
		if !m.Equal(old) {
			t.Errorf("%s rewritten although unchanged", p)
		}
	}

	// A new public update of the other recommendation (not in the cluster).
	if _, err := w.DB().Exec(`INSERT INTO status_updates VALUES ('u9', ?, NULL, 'implemented', NULL, DATE '2025-09-01', 'Act in force', NULL, 'MOJ', true,
		'mapped', 'track.xlsx', 'S', 9, 'y', NULL, now(), 9, 'r2')`, tc.otherRec); err != nil {
		t.Fatal(err)
	}
	third := build(t, w, out, "en", "fr")
	changed := map[string]bool{}
	for p, m := range mtimes(t, out) {
		if !m.Equal(old) {
			changed[p] = true
		}
	}
	if third.Written != len(changed) || third.Written == 0 {
		t.Errorf("after one update: %d written, %d files changed", third.Written, len(changed))
	}
	// The update shows on its review page, the home page's status chart, the
	// search index and the bundle; a cluster page the recommendation is not
	// in and the method page stay as they were.
	var review string
	for p := range changed {
		if strings.HasPrefix(p, "en/review/") {
			b, _ := os.ReadFile(filepath.Join(out, p))
			if strings.Contains(string(b), "Act in force") {
				review = p
			}
		}
	}
	if review == "" {
		t.Error("no rewritten review page shows the new update")
	}
	for _, p := range []string{"en/index.html", "fr/index.html", "en/search-index.js", "download/nmirf-gbr.zip"} {
		if !changed[p] {
			t.Errorf("%s not rewritten after a status change", p)
		}
	}
	for _, p := range []string{"en/method.html", "fr/method.html", "assets/site.css", "en/cluster/" + slugOf(t, out, "en/cluster", tc.cluster)} {
		if changed[p] {
			t.Errorf("%s rewritten although its content did not change", p)
		}
	}
	if len(changed) > third.Files/5 {
		t.Errorf("%d of %d files rewritten for one update", len(changed), third.Files)
	}

	// A page that no longer exists is removed: hide the entity HO.
	hoPage := slugOf(t, out, "en/entity", `"><img src=x onerror=alert(2)>`)
	st, err := pipeline.WriteSite(context.Background(), w, pipeline.SiteOptions{Country: "GBR", Langs: []string{"en", "fr"}, Out: out, HideEntities: []string{"HO"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "en", "entity", hoPage)); !os.IsNotExist(err) || st.Removed == 0 {
		t.Errorf("hidden entity's page still there (%v), %d removed", err, st.Removed)
	}
}

// TestSiteHidden: a [site] configuration hides an entity and a field from
// every file of the site.
func TestSiteHidden(t *testing.T) {
	w := warehouse(t)
	followup(t, w.DB())
	out := t.TempDir()
	if _, err := pipeline.WriteSite(context.Background(), w, pipeline.SiteOptions{Country: "GBR", Langs: []string{"en"}, Out: out,
		HideEntities: []string{"HO"}, HideFields: []string{"update_text"}}); err != nil {
		t.Fatal(err)
	}
	for name, b := range siteFiles(t, out) {
		s := string(b)
		for _, hidden := range []string{"onerror", publicMarker, "Regulations drafted", "entity/ho-"} {
			if strings.Contains(s, hidden) {
				t.Errorf("%s carries %q, which is hidden", name, hidden)
			}
		}
	}
	// The status itself is still published.
	home, _ := os.ReadFile(filepath.Join(out, "en", "index.html"))
	if got := tableValue(parse(t, "home", home).doc, "Recommendations by implementation status", "in progress"); got != "1" {
		t.Errorf("status chart with hidden update text: %q in progress, want 1", got)
	}
}

// TestSiteErrors: a country without recommendations and an unknown
// language are errors that say so, and write nothing.
func TestSiteErrors(t *testing.T) {
	w := warehouse(t)
	for _, tc := range []struct {
		o    pipeline.SiteOptions
		want string
	}{
		{pipeline.SiteOptions{Country: "FRA", Langs: []string{"en"}}, "no recommendations for FRA"},
		{pipeline.SiteOptions{Country: "GBR", Langs: []string{"en", "de"}}, `language "de"`},
	} {
		out := filepath.Join(t.TempDir(), "site")
		tc.o.Out = out
		_, err := pipeline.WriteSite(context.Background(), w, tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.o, err, tc.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%+v: site folder written on error", tc.o)
		}
	}
	if fmt.Sprint(site.Languages()) != "[en es fr]" {
		t.Errorf("languages %v", site.Languages())
	}
}

// TestSiteIncrementalCluster: a reviewer renames one cluster. The next
// build renders nothing but the pages that show the cluster's label (its
// page and the list of clusters, in each language), the clusters' CSV and
// the download bundle; every other file is left as it was without even
// being rendered again.
func TestSiteIncrementalCluster(t *testing.T) {
	w := warehouse(t)
	out := t.TempDir()
	build(t, w, out, "en", "fr")
	again := build(t, w, out, "en", "fr")
	if again.Written != 0 || again.Skipped != again.Files-3 {
		// The language chooser and the two assets are always rendered.
		t.Errorf("unchanged rebuild: %+v, want every file but index.html and the assets skipped", again)
	}
	var id string
	if err := w.DB().QueryRow(`SELECT cluster_id FROM clusters WHERE country_iso3 = 'GBR' ORDER BY cluster_id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	page := slugOf(t, out, "en/cluster", id)
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	for p := range mtimes(t, out) {
		os.Chtimes(filepath.Join(out, p), old, old)
	}
	if _, err := w.DB().Exec(`UPDATE clusters SET label = 'Renamed: places of detention' WHERE cluster_id = ?`, id); err != nil {
		t.Fatal(err)
	}
	st := build(t, w, out, "en", "fr")
	var changed []string
	for p, m := range mtimes(t, out) {
		if !m.Equal(old) {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	want := []string{"csv/clusters.csv", "download/nmirf-gbr.zip", "en/cluster/" + page, "en/clusters.html", "fr/cluster/" + page, "fr/clusters.html"}
	if strings.Join(changed, " ") != strings.Join(want, " ") || st.Written != len(want) {
		t.Errorf("after renaming cluster %s: %d written, files changed %v, want %v", id, st.Written, changed, want)
	}
	b, err := os.ReadFile(filepath.Join(out, "fr", "cluster", page))
	if err != nil || !strings.Contains(string(b), "Renamed: places of detention") {
		t.Errorf("the French page of cluster %s does not show its new label (%v)", id, err)
	}
}
