package site_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/classify"
	defaultmodels "github.com/nmirf/nmirf/data/models"
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/load"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// TestSiteTranslations builds the site of Andorra from its UPR Working
// Group report of 2011 imported in English, French and Spanish (the
// wgreport fixtures: the French and Spanish files hold the same paragraphs
// as a part of the English one). Each recommendation counts once, on every
// page and in the search index; the French page shows the French text,
// marked lang="fr", and links the English and Spanish versions.
func TestSiteTranslations(t *testing.T) {
	ctx := context.Background()
	var ins []*extract.Input
	for _, n := range []string{"andorra2011.txt", "andorra2011.fr.txt", "andorra2011.es.txt"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "extract", "wgreport", "testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		in, err := extract.NewInput(n, b)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	var mods []*classify.Model
	for _, task := range models.Tasks {
		r, err := defaultmodels.Open(task.Name)
		if err != nil {
			t.Fatal(err)
		}
		md, err := classify.ReadModel(r, task.Name)
		if err != nil {
			t.Fatal(err)
		}
		mods = append(mods, md)
	}
	dir := filepath.Join(t.TempDir(), "warehouse")
	if _, err := pipeline.RunBatch(ctx, pipeline.BatchOptions{Warehouse: dir, Version: "test",
		Ingest: pipeline.IngestOptions{Inputs: ins, Importers: formats.All()}, Models: mods}); err != nil {
		t.Fatal(err)
	}
	w, err := load.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	db := w.DB()

	// What the warehouse holds: every row, and the rows that are not a
	// translation of another.
	var rows, once, fr int
	var en83, fr83, es83 string
	if err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE rec_id NOT IN (SELECT translation_rec_id FROM recommendation_translations)),
		count(*) FILTER (WHERE language = 'fr') FROM recommendations WHERE country_iso3 = 'AND'`).Scan(&rows, &once, &fr); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT max(text) FILTER (WHERE language = 'en'), max(text) FILTER (WHERE language = 'fr'), max(text) FILTER (WHERE language = 'es')
		FROM recommendations WHERE country_iso3 = 'AND' AND paragraph = '83.1'`).Scan(&en83, &fr83, &es83); err != nil {
		t.Fatal(err)
	}
	if fr != 13 || once >= rows || en83 == "" || fr83 == "" || es83 == "" {
		t.Fatalf("the warehouse: %d rows, %d not translations, %d French; 83.1 en %q fr %q es %q", rows, once, fr, en83, fr83, es83)
	}

	out := t.TempDir()
	if _, err := pipeline.WriteSite(ctx, w, pipeline.SiteOptions{Country: "AND", Langs: []string{"en", "fr", "es"}, Out: out}); err != nil {
		t.Fatal(err)
	}
	files := siteFiles(t, out)
	pages := crawl(t, out, files)

	// Counted once: the home page's data (the mechanism chart), its intro
	// in each language, and the search index.
	total := 0
	recs, err := csv.NewReader(strings.NewReader(string(files["csv/index.csv"]))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		if r[0] == "mech" {
			n, _ := strconv.Atoi(r[2])
			total += n
		}
	}
	if total != once {
		t.Errorf("home page: the mechanism chart counts %d, want %d (%d rows count the translations)", total, once, rows)
	}
	for _, l := range []string{"en", "fr", "es"} {
		intro := regexp.MustCompile(`(?s)<h1>.*?</h1>\s*<p>([^<]*)</p>`).FindStringSubmatch(string(files[l+"/index.html"]))
		if intro == nil || !regexp.MustCompile(`\b`+strconv.Itoa(once)+`\b`).MatchString(intro[1]) {
			t.Errorf("%s home page intro %v does not give %d recommendations", l, intro, once)
		}
		var idx struct{ Recs [][]any }
		js := strings.TrimSuffix(strings.TrimPrefix(string(files[l+"/search-index.js"]), "window.NMIRF_INDEX="), ";\n")
		if err := json.Unmarshal([]byte(js), &idx); err != nil {
			t.Fatalf("%s search index: %v", l, err)
		}
		if len(idx.Recs) != once {
			t.Errorf("%s search index: %d recommendations, want %d", l, len(idx.Recs), once)
		}
	}
	_ = pages

	// The French review page shows the French paragraph 83.1, marked
	// French, and links the other versions; the English page the English.
	review := ""
	for name, b := range files {
		if strings.HasPrefix(name, "fr/review/") && strings.Contains(string(b), escapeHTML(fr83)) {
			review = strings.TrimPrefix(name, "fr/")
		}
	}
	if review == "" {
		t.Fatal("no French review page shows the French text of 83.1")
	}
	frPage := string(files["fr/"+review])
	if !strings.Contains(frPage, `<blockquote lang="fr"><p>`+escapeHTML(fr83)) {
		t.Errorf("fr/%s: the French text is not marked lang=\"fr\"", review)
	}
	if strings.Contains(frPage, escapeHTML(en83)) {
		t.Errorf("fr/%s shows the English text of 83.1 beside the French", review)
	}
	m := regexp.MustCompile(`<p class="versions">[^<]*<a href="([^"]+)" hreflang="en"`).FindStringSubmatch(frPage)
	if m == nil || !strings.Contains(frPage, `hreflang="es"`) {
		t.Fatalf("fr/%s does not link the English and Spanish versions", review)
	}
	target, frag, _ := strings.Cut(m[1], "#")
	enPage, err := os.ReadFile(filepath.Join(out, "fr", filepath.Dir(review), filepath.FromSlash(target)))
	if err != nil {
		t.Fatalf("version link %s: %v", m[1], err)
	}
	if got := recText(t, enPage, frag); !strings.Contains(got, en83) {
		t.Errorf("the English version link leads to %q, want the English 83.1", got)
	}
	if got := recText(t, []byte(files["es/"+review]), frag); !strings.Contains(got, es83) {
		t.Errorf("the Spanish page shows %q for 83.1, want the Spanish text", got)
	}
	// The bundle keeps the other versions apart.
	if !strings.Contains(string(files["download/nmirf-and.zip"]), "translations.csv") {
		t.Error("the download bundle has no translations.csv")
	}
}

func escapeHTML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}
