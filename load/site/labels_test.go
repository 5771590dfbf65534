package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSiteReviewedLabels: a reviewer corrects the SDG target and the UHRI
// theme of one recommendation. The next build moves it from its old target
// page to the new one, and its review page shows the corrected labels as
// reviewed, in each language, where it showed machine suggestions.
func TestSiteReviewedLabels(t *testing.T) {
	w := warehouse(t)
	db := w.DB()
	var rec, oldTarget, newTheme string
	if err := db.QueryRow(`SELECT a.rec_id, min(a.target) FROM sdg_assignments a JOIN recommendations r USING (rec_id)
		WHERE r.country_iso3 = 'GBR' AND a.target IS NOT NULL AND a.target <> '16.9'
		  AND a.rec_id NOT IN (SELECT rec_id FROM sdg_assignments WHERE target = '16.9')
		GROUP BY ALL ORDER BY 1 LIMIT 1`).Scan(&rec, &oldTarget); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT min(label) FROM theme_assignments WHERE scheme = 'uhri-theme' AND label <> 'unclassified'
		AND label NOT IN (SELECT label FROM theme_assignments WHERE rec_id = ?)`, rec).Scan(&newTheme); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	build(t, w, out, "en", "fr")
	listed := func(target string) bool {
		b, err := os.ReadFile(filepath.Join(out, "en", "target", target+".html"))
		if err != nil {
			return false
		}
		return tableValue(parse(t, target, b).doc, "Recommendations", rec) != ""
	}
	if !listed(oldTarget) || listed("16.9") {
		t.Fatalf("before the review: %s on target %s page %v, on 16.9 %v", rec, oldTarget, listed(oldTarget), listed("16.9"))
	}
	if _, err := db.Exec(`INSERT INTO reviewed_labels VALUES
		('rv-sdg', ?, 'sdg-target', ['16.9'], 'MOJ', DATE '2025-05-01', 'review.xlsx', 'S', 3, 'x', now(), 2, 'r1'),
		('rv-theme', ?, 'uhri-theme', [?], 'MOJ', DATE '2025-05-01', 'review.xlsx', 'S', 3, 'x', now(), 3, 'r1')`, rec, rec, newTheme); err != nil {
		t.Fatal(err)
	}
	st := build(t, w, out, "en", "fr")
	if st.Written == 0 || st.Skipped == 0 {
		t.Errorf("rebuild after a review: %+v, want some pages rewritten and most skipped", st)
	}
	if listed(oldTarget) || !listed("16.9") {
		t.Errorf("after the review: %s on target %s page %v (want no), on 16.9 %v (want yes)", rec, oldTarget, listed(oldTarget), listed("16.9"))
	}
	for lang, word := range map[string][]string{"en": {"reviewed by a person", "machine suggestion"}, "fr": {"revu par une personne", "suggestion automatique"}} {
		var li string
		for name, b := range siteFiles(t, filepath.Join(out, lang, "review")) {
			if s := recText(t, b, recAnchorOf(t, b, rec)); s != "" {
				li = s
				_ = name
			}
		}
		if li == "" {
			t.Fatalf("%s: no review page shows %s", lang, rec)
		}
		if !strings.Contains(li, "16.9 ("+word[0]+")") || !strings.Contains(li, newTheme) || strings.Contains(li, word[1]) || strings.Contains(li, oldTarget+" (") {
			t.Errorf("%s review page, %s: %q; want 16.9 and %q %s, no machine suggestion left", lang, rec, li, newTheme, word[0])
		}
	}
	method, _ := os.ReadFile(filepath.Join(out, "en", "method.html"))
	if !strings.Contains(string(method), "reviewed by a person") {
		t.Error("the method page does not say what a reviewed label is")
	}
}

// recAnchorOf is the id of the list item of recommendation rec on a page:
// the item whose identifier row names it.
func recAnchorOf(t *testing.T, page []byte, rec string) string {
	s := string(page)
	i := strings.Index(s, "<dd>"+rec+"</dd>")
	if i < 0 {
		return ""
	}
	j := strings.LastIndex(s[:i], `<li id="`)
	if j < 0 {
		return ""
	}
	rest := s[j+len(`<li id="`):]
	return rest[:strings.IndexByte(rest, '"')]
}
