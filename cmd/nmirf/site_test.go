package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/nmirf/nmirf/internal/browsertest"
)

// TestMakeRunWritesTheSite runs the built binary as `make run` does, on the
// sample embedded in it, and opens the site the run wrote under the
// warehouse in headless Chromium as a visitor would: a search, links
// followed from the home page to a cluster and to an SDG target, and
// axe-core on each page reached.
func TestMakeRunWritesTheSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs the whole sample job")
	}
	chromium := browsertest.Chromium(t)
	axe := browsertest.AxeScript(t, filepath.Join("..", ".."))
	bin := buildBinary(t)
	wh := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(bin, "run", "--warehouse", wh)
	cmd.Env = append(os.Environ(), "NMIRF_CONFIG=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nmirf run: %v\n%s", err, out)
	}
	root := filepath.Join(wh, "site")
	for _, l := range []string{"en", "fr", "es"} {
		if _, err := os.Stat(filepath.Join(root, l, "index.html")); err != nil {
			t.Fatalf("the run wrote no %s site: %v", l, err)
		}
	}
	profile := filepath.Join(t.TempDir(), "profile")
	open := func(page string) *html.Node {
		t.Helper()
		dom := browsertest.Run(t, 2*time.Minute, chromium, profile, "--virtual-time-budget=10000", "--dump-dom", "file://"+filepath.Join(root, filepath.FromSlash(page)))
		doc, err := html.Parse(strings.NewReader(string(dom)))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		return doc
	}

	// The search page finds as many recommendations on torture as the
	// warehouse holds.
	out, err := exec.Command(bin, "sql", "--warehouse", wh, "--format", "csv",
		"SELECT count(*) AS n FROM recommendations WHERE country_iso3 = 'GBR' AND strip_accents(lower(text)) LIKE '%torture%'").Output()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(string(out), "n\n")))
	if want == 0 {
		t.Fatalf("the sample has no recommendation on torture: %q", out)
	}
	search := open("en/search.html?q=torture")
	if got := textOf(byID(search, "search-status")); !strings.HasPrefix(got, strconv.Itoa(want)+" found") {
		t.Errorf("search for torture says %q, want %d found", got, want)
	}

	// From the home page to a cluster: the nav's list of clusters, then
	// the first cluster.
	home := open("en/index.html")
	clusters := linkTo(t, home, "en", "clusters.html", `^clusters\.html$`)
	cl := linkTo(t, open(clusters), "en", clusters, `^cluster/[^/]+\.html$`)
	clDoc := open(cl)
	if h := textOf(first(clDoc, "h1")); !strings.HasPrefix(h, "Cluster ") || len(all(clDoc, "blockquote")) == 0 {
		t.Errorf("%s: heading %q, %d recommendations", cl, h, len(all(clDoc, "blockquote")))
	}
	// From the home page to a goal, then to one of its targets.
	goal := linkTo(t, home, "en", "index.html", `^goal/[^/]+\.html$`)
	target := linkTo(t, open(goal), "en", goal, `^\.\./target/[^/]+\.html$`)
	tgDoc := open(target)
	if h := textOf(first(tgDoc, "h1")); !strings.HasPrefix(h, "Target ") || len(all(tgDoc, "tr")) < 2 {
		t.Errorf("%s: heading %q, no table of recommendations", target, h)
	}

	for _, page := range []string{"index.html", "en/index.html", "fr/index.html", "en/search.html", clusters, cl, goal, target} {
		r := browsertest.Axe(t, chromium, root, page, axe)
		if r.Passes == 0 {
			t.Errorf("%s: axe-core checked nothing", page)
		}
		for _, v := range r.Violations {
			t.Errorf("%s: %s (%s): %s %v", page, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}

// linkTo finds in doc (the page at from, under the language folder lang)
// the first link whose href matches pattern, and returns the page it
// leads to, relative to the site root.
func linkTo(t *testing.T, doc *html.Node, lang, from, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for _, a := range all(doc, "a") {
		for _, at := range a.Attr {
			if at.Key == "href" && re.MatchString(at.Val) {
				href, _, _ := strings.Cut(at.Val, "#")
				return filepath.ToSlash(filepath.Join(lang, filepath.Dir(strings.TrimPrefix(from, lang+"/")), href))
			}
		}
	}
	t.Fatalf("%s has no link matching %s", from, pattern)
	return ""
}

func all(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func first(n *html.Node, tag string) *html.Node {
	if l := all(n, tag); len(l) > 0 {
		return l[0]
	}
	return nil
}

func byID(n *html.Node, id string) *html.Node {
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id && found == nil {
				found = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return found
}

func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestSiteConfig: the [site] section's errors name the file, the line and
// the key; a flag of `report site` overrides the section.
func TestSiteConfig(t *testing.T) {
	for _, tt := range []struct {
		name, toml string
		want       []string
	}{
		{"unknown language", "[site]\ncountry = \"GBR\"\nlanguages = [\"en\", \"de\"]\n", []string{"line 3", "[site] languages", `"de"`}},
		{"unknown country", "[site]\ncountry = \"Atlantis\"\n", []string{"line 2", "[site] country", "Atlantis"}},
		{"unknown field", "[site]\ncountry = \"GBR\"\nhide_fields = [\"update_txt\"]\n", []string{"line 3", "[site] hide_fields", "update_txt"}},
		{"no country", "[site]\nlanguages = [\"fr\"]\n", []string{"[site] country", "missing"}},
		{"unknown key", "[site]\ncountry = \"GBR\"\nlang = [\"fr\"]\n", []string{"[site] lang", "unknown setting"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wh := filepath.Join(t.TempDir(), "wh")
			cfg := writeFile(t, filepath.Join(t.TempDir(), "nmirf.toml"), tt.toml)
			code, _, stderr := run(t, "report", "site", "--warehouse", wh, "--config", cfg)
			if code != 2 {
				t.Errorf("exit %d, want 2 (usage): %s", code, stderr)
			}
			for _, w := range append([]string{cfg + ":"}, tt.want...) {
				if !strings.Contains(stderr, w) {
					t.Errorf("message lacks %q: %s", w, stderr)
				}
			}
		})
	}

	wh := t.TempDir()
	if code, _, stderr := run(t, "run", "--warehouse", wh); code != 0 {
		t.Fatalf("run exit %d: %s", code, stderr)
	}
	// The embedded default wrote the sample's site in three languages.
	for _, l := range []string{"en", "fr", "es"} {
		if _, err := os.Stat(filepath.Join(wh, "site", l, "index.html")); err != nil {
			t.Errorf("no %s site after the default run: %v", l, err)
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	cfg := writeFile(t, filepath.Join(t.TempDir(), "nmirf.toml"),
		"[site]\ncountry = \"United Kingdom\"\nlanguages = [\"fr\"]\ntitle = \"Suivi des recommandations\"\nout = "+strconv.Quote(out)+"\n")
	if code, _, stderr := run(t, "report", "site", "--warehouse", wh, "--config", cfg, "--lang", "es,en"); code != 0 {
		t.Fatalf("report site exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "fr")); !os.IsNotExist(err) {
		t.Error("--lang es,en did not override the section's languages: fr written")
	}
	b, err := os.ReadFile(filepath.Join(out, "es", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "Suivi des recommandations") {
		t.Error("the section's title is not the site's")
	}
}
