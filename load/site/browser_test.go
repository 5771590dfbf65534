package site_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/nmirf/nmirf/internal/browsertest"
)

func chromium(t *testing.T) string { return browsertest.Chromium(t) }

func runChromium(t *testing.T, bin, profile string, args ...string) []byte {
	return browsertest.Run(t, 120*time.Second, bin, profile, args...)
}

// templatePages picks one page of each kind in English, and in French
// those where language marking matters most.
func templatePages(t *testing.T, out string) []string {
	t.Helper()
	pages := []string{"index.html", "fr/index.html", "fr/search.html"}
	for _, l := range []string{"en", "fr"} {
		dirs := []string{"cluster"}
		if l == "en" {
			pages = append(pages, l+"/index.html", l+"/search.html", l+"/method.html", l+"/clusters.html", l+"/entities.html")
			dirs = []string{"cluster", "goal", "target", "body", "review", "entity"}
		}
		for _, dir := range dirs {
			ents, err := os.ReadDir(filepath.Join(out, l, dir))
			if err != nil || len(ents) == 0 {
				t.Fatalf("no %s pages in %s: %v", dir, l, err)
			}
			// The largest page of a kind has the most to get wrong.
			best, size := "", int64(-1)
			for _, e := range ents {
				if fi, err := e.Info(); err == nil && fi.Size() > size {
					best, size = e.Name(), fi.Size()
				}
			}
			pages = append(pages, l+"/"+dir+"/"+best)
		}
	}
	return pages
}

// TestSiteAccessibility runs axe-core over every page template and fails
// on any violation of WCAG 2.1 A/AA or of axe's best practices.
func TestSiteAccessibility(t *testing.T) {
	bin := chromium(t)
	axe := browsertest.AxeScript(t, filepath.Join("..", ".."))
	w := warehouse(t)
	followup(t, w.DB())
	out := t.TempDir()
	build(t, w, out, "en", "fr", "es")
	for _, page := range templatePages(t, out) {
		r := browsertest.Axe(t, bin, out, page, axe)
		if r.Passes == 0 {
			t.Errorf("%s: axe-core checked nothing", page)
		}
		for _, v := range r.Violations {
			t.Errorf("%s: %s (%s): %s %v", page, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}

// TestSiteInBrowser opens the site from disk in Chromium: the search page
// finds what the index holds with scripts on, its results link to
// recommendations that exist, and the home page draws. NMIRF_SCREENSHOT_DIR
// keeps the home page's screenshot.
func TestSiteInBrowser(t *testing.T) {
	bin := chromium(t)
	w := warehouse(t)
	followup(t, w.DB())
	out := t.TempDir()
	build(t, w, out, "en", "fr")

	var torture, tortureUPR int
	if err := w.DB().QueryRow(`SELECT count(*), count(*) FILTER (WHERE body = 'UPR') FROM recommendations
		WHERE country_iso3 = 'GBR' AND strip_accents(lower(text)) LIKE '%torture%'`).Scan(&torture, &tortureUPR); err != nil {
		t.Fatal(err)
	}
	if torture == 0 {
		t.Fatal("the sample has no recommendation on torture to search for")
	}
	profile := filepath.Join(t.TempDir(), "profile")
	dom := string(runChromium(t, bin, profile, "--virtual-time-budget=10000", "--dump-dom", "file://"+filepath.Join(out, "en", "search.html")+"?q=Torture"))
	status := regexp.MustCompile(`id="search-status"[^>]*>([^<]*)<`).FindStringSubmatch(dom)
	if status == nil || !strings.HasPrefix(status[1], itoa(torture)+" found") {
		t.Fatalf("search for torture: status %v, want %d found", status, torture)
	}
	results := regexp.MustCompile(`<ol id="search-results"[^>]*>(.*?)</ol>`).FindStringSubmatch(dom)
	if results == nil {
		t.Fatal("no result list")
	}
	hrefs := regexp.MustCompile(`href="([^"]+)"`).FindAllStringSubmatch(results[1], -1)
	if len(hrefs) != torture {
		t.Errorf("%d result links, want %d", len(hrefs), torture)
	}
	// A result leads to the recommendation on its review page.
	target, frag, _ := strings.Cut(html.UnescapeString(hrefs[0][1]), "#")
	b, err := os.ReadFile(filepath.Join(out, "en", filepath.FromSlash(target)))
	if err != nil {
		t.Fatalf("result link %s: %v", hrefs[0][1], err)
	}
	if !strings.Contains(string(b), `id="`+frag+`"`) || !strings.Contains(strings.ToLower(recText(t, b, frag)), "torture") {
		t.Errorf("result link %s does not lead to a recommendation on torture", hrefs[0][1])
	}
	// Filters: words and body together.
	dom = string(runChromium(t, bin, profile, "--virtual-time-budget=10000", "--dump-dom", "file://"+filepath.Join(out, "en", "search.html")+"?q=torture&body=UPR"))
	if status := regexp.MustCompile(`id="search-status"[^>]*>([^<]*)<`).FindStringSubmatch(dom); status == nil || !strings.HasPrefix(status[1], itoa(tortureUPR)+" found") {
		t.Errorf("search for torture in UPR: status %v, want %d found", status, tortureUPR)
	}

	shot := filepath.Join(t.TempDir(), "home.png")
	runChromium(t, bin, profile, "--screenshot="+shot, "--window-size=1280,1600", "--hide-scrollbars", "file://"+filepath.Join(out, "en", "index.html"))
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is no PNG: %v", err)
	}
	bar := 0
	bb := img.Bounds()
	for y := bb.Min.Y; y < bb.Max.Y; y += 2 {
		for x := bb.Min.X; x < bb.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == 0x1f && g>>8 == 0x5f && b>>8 == 0x8b {
				bar++
			}
		}
	}
	if bar < 200 {
		t.Errorf("home page screenshot shows %d bar pixels: the charts did not draw", bar)
	}
	if keep := os.Getenv("NMIRF_SCREENSHOT_DIR"); keep != "" {
		os.WriteFile(filepath.Join(keep, "site-screenshot.png"), data, 0o644)
	}
}

// recText is the text of the recommendation with the given anchor.
func recText(t *testing.T, page []byte, anchor string) string {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "id" && a.Val == anchor {
					out = text(n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}
