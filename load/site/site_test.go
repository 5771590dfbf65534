package site_test

import (
	"archive/zip"
	"bytes"

	"encoding/csv"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// siteFiles reads every file of the site, zip entries included, so that a
// test can look into all of them.
func siteFiles(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = b
		if strings.HasSuffix(p, ".zip") {
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				return err
			}
			for _, f := range zr.File {
				r, err := f.Open()
				if err != nil {
					return err
				}
				c, err := io.ReadAll(r)
				r.Close()
				if err != nil {
					return err
				}
				files[filepath.ToSlash(rel)+"!"+f.Name] = c
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

type parsedPage struct {
	links []string
	ids   map[string]bool
	lang  string
	doc   *html.Node
}

func parse(t *testing.T, name string, b []byte) parsedPage {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	p := parsedPage{ids: map[string]bool{}, doc: doc}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch {
				case a.Key == "id":
					p.ids[a.Val] = true
				case a.Key == "href" || a.Key == "src":
					p.links = append(p.links, a.Val)
				case a.Key == "lang" && n.Data == "html":
					p.lang = a.Val
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return p
}

// text is the visible text of a node.
func text(n *html.Node) string {
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
	return b.String()
}

// crawl follows every link from index.html and returns the pages reached;
// it fails on a link to a missing file or anchor, or to anything remote.
func crawl(t *testing.T, root string, files map[string][]byte) map[string]parsedPage {
	t.Helper()
	pages := map[string]parsedPage{}
	queue := []string{"index.html"}
	type pending struct{ from, to, frag string }
	var anchors []pending
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if _, ok := pages[name]; ok {
			continue
		}
		p := parse(t, name, files[name])
		pages[name] = p
		for _, l := range p.links {
			u, err := url.Parse(l)
			if err != nil {
				t.Errorf("%s: bad link %q", name, l)
				continue
			}
			if u.Scheme != "" || u.Host != "" || strings.HasPrefix(l, "/") {
				t.Errorf("%s: link %q is not relative", name, l)
				continue
			}
			target := name
			if u.Path != "" {
				target = filepath.ToSlash(filepath.Clean(filepath.Join(filepath.Dir(name), u.Path)))
			}
			if _, ok := files[target]; !ok {
				t.Errorf("%s: broken link %q (%s)", name, l, target)
				continue
			}
			if u.Fragment != "" {
				anchors = append(anchors, pending{name, target, u.Fragment})
			}
			if strings.HasSuffix(target, ".html") {
				queue = append(queue, target)
			}
		}
	}
	for _, a := range anchors {
		if p, ok := pages[a.to]; ok && !p.ids[a.frag] {
			t.Errorf("%s: link to %s#%s: no such anchor", a.from, a.to, a.frag)
		}
	}
	return pages
}

// TestSitePages builds the sample's site in three languages with
// follow-up rows, hostile strings and private updates, and reads it as a
// visitor and as a crawler would.
func TestSitePages(t *testing.T) {
	w := warehouse(t)
	tc := followup(t, w.DB())
	out := t.TempDir()
	build(t, w, out, "en", "fr", "es")
	files := siteFiles(t, out)

	// Every page is reached from the front page, and no link is broken.
	pages := crawl(t, out, files)
	for name := range files {
		if strings.HasSuffix(name, ".html") && !strings.Contains(name, "!") {
			if _, ok := pages[name]; !ok {
				t.Errorf("%s is not reachable from index.html", name)
			}
		}
	}
	if len(pages) < 50 {
		t.Errorf("crawl reached %d pages, want the whole site", len(pages))
	}

	// Nothing private, nothing unescaped, nothing remote, anywhere.
	remote := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//`)
	for name, b := range files {
		s := string(b)
		if strings.Contains(s, privateMarker) {
			t.Errorf("%s carries a non-public update or action", name)
		}
		if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".js") {
			if strings.Contains(s, hostileText) || strings.Contains(s, hostileEntity) || strings.Contains(s, "<img") {
				t.Errorf("%s carries a data string unescaped", name)
			}
			if remote.MatchString(s) {
				t.Errorf("%s loads something remote", name)
			}
		}
		if strings.HasSuffix(name, ".html") {
			if !strings.Contains(s, `http-equiv="Content-Security-Policy"`) || !strings.Contains(s, "script-src 'self'") {
				t.Errorf("%s has no Content-Security-Policy", name)
			}
			if regexp.MustCompile(`<script>`).MatchString(s) {
				t.Errorf("%s has an inline script", name)
			}
		}
	}

	// The hostile recommendation text reads as text on its review page.
	found := false
	for name, p := range pages {
		if strings.Contains(text(p.doc), hostileText) {
			found = true
			if !strings.HasPrefix(name, "en/") && !strings.HasPrefix(name, "fr/") && !strings.HasPrefix(name, "es/") {
				t.Errorf("hostile text on %s", name)
			}
		}
	}
	if !found {
		t.Error("the recommendation with markup in its text is on no page")
	}

	// The public update is on the recommendation's cluster page, in its
	// history, with its status in the page's language.
	cl := pages["en/cluster/"+slugOf(t, out, "en/cluster", tc.cluster)]
	if !strings.Contains(text(cl.doc), publicMarker) {
		t.Errorf("cluster %s page lacks the public update", tc.cluster)
	}
	clFR := pages["fr/cluster/"+slugOf(t, out, "fr/cluster", tc.cluster)]
	if s := text(clFR.doc); !strings.Contains(s, "en cours") || !strings.Contains(s, "Independent custody visiting") {
		t.Errorf("French cluster page lacks the status \"en cours\" or the action")
	}

	// Languages: the page says its language; the recommendation text keeps
	// its own; SDG titles are the official translations.
	for _, l := range []string{"en", "fr", "es"} {
		if p := pages[l+"/index.html"]; p.lang != l {
			t.Errorf("%s/index.html has lang %q", l, p.lang)
		}
	}
	fr := string(files["fr/goal/16.html"])
	if !strings.Contains(fr, "Promouvoir l’avènement de sociétés pacifiques") {
		t.Errorf("fr/goal/16.html lacks the French title of goal 16")
	}
	es := string(files["es/goal/16.html"])
	if !strings.Contains(es, "Promover sociedades pacíficas") {
		t.Errorf("es/goal/16.html lacks the Spanish title of goal 16")
	}
	if !regexp.MustCompile(`<blockquote lang="en">`).MatchString(string(files["fr/cluster/"+slugOf(t, out, "fr/cluster", tc.cluster)])) {
		t.Error("the French cluster page does not mark the English recommendation texts lang=\"en\"")
	}

	// The home page's mechanism table says how many UPR recommendations
	// there are, as the warehouse counts them.
	var upr, all int
	if err := w.DB().QueryRow(`SELECT count(*) FILTER (WHERE mechanism = 'UPR'), count(*) FROM recommendations WHERE country_iso3 = 'GBR'`).Scan(&upr, &all); err != nil {
		t.Fatal(err)
	}
	home := pages["en/index.html"]
	if got := tableValue(home.doc, "Recommendations by mechanism", "Universal Periodic Review"); got != itoa(upr) {
		t.Errorf("home page: UPR recommendations %q, want %d", got, upr)
	}
	if got := tableValue(home.doc, "Recommendations by implementation status", "in progress"); got != "1" {
		t.Errorf("home page: %q in progress, want 1 (the private later update must not count)", got)
	}

	// Downloads: the page CSV and the bundle, with the run id.
	var runID string
	if err := w.DB().QueryRow(`SELECT run_id FROM runs WHERE status = 'ok' ORDER BY started_at DESC LIMIT 1`).Scan(&runID); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text(home.doc), runID) {
		t.Errorf("home page does not cite run %s", runID)
	}
	recs := readCSV(t, files["download/nmirf-gbr.zip!csv/recommendations.csv"])
	if len(recs)-1 != all {
		t.Errorf("bundle recommendations.csv has %d rows, want %d", len(recs)-1, all)
	}
	if !strings.Contains(string(files["download/nmirf-gbr.zip!README.txt"]), runID) {
		t.Error("bundle README does not name the run")
	}
	parquet := 0
	for name := range files {
		if strings.HasPrefix(name, "download/nmirf-gbr.zip!parquet/recommendations/country_iso3=GBR/") {
			parquet++
		}
	}
	if parquet == 0 {
		t.Error("bundle has no Parquet partition of the country's recommendations")
	}
	clCSV := readCSV(t, files["csv/cluster/"+strings.TrimSuffix(slugOf(t, out, "en/cluster", tc.cluster), ".html")+".csv"])
	col := index(clCSV[0], "status")
	var statuses []string
	for _, r := range clCSV[1:] {
		if r[0] == tc.rec {
			statuses = append(statuses, r[col])
		}
	}
	if len(statuses) != 1 || statuses[0] != "in_progress" {
		t.Errorf("cluster CSV status of %s: %v, want [in_progress]", tc.rec, statuses)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func index(head []string, name string) int {
	for i, h := range head {
		if h == name {
			return i
		}
	}
	return -1
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("read CSV: %v (%d rows)", err, len(rows))
	}
	return rows
}

// slugOf finds the file of a page by the id in its title.
func slugOf(t *testing.T, root, dir, id string) string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(root, dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(root, dir, e.Name()))
		p := parse(t, e.Name(), b)
		var h1 string
		var find func(*html.Node)
		find = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "h1" && h1 == "" {
				h1 = text(n)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				find(c)
			}
		}
		find(p.doc)
		if strings.HasSuffix(h1, " "+id) || h1 == id {
			return e.Name()
		}
	}
	t.Fatalf("no page in %s for %s", dir, id)
	return ""
}

// tableValue reads the second cell of the row whose first cell is row, in
// the table whose caption ends with caption.
func tableValue(doc *html.Node, caption, row string) string {
	var out string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" {
			capOK := false
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "caption" && strings.HasSuffix(strings.TrimSpace(text(c)), caption) {
					capOK = true
				}
			}
			if capOK {
				var rows func(*html.Node)
				rows = func(m *html.Node) {
					if m.Type == html.ElementNode && m.Data == "tr" {
						var cells []string
						for c := m.FirstChild; c != nil; c = c.NextSibling {
							if c.Type == html.ElementNode {
								cells = append(cells, strings.TrimSpace(text(c)))
							}
						}
						if len(cells) >= 2 && cells[0] == row {
							out = cells[1]
						}
					}
					for c := m.FirstChild; c != nil; c = c.NextSibling {
						rows(c)
					}
				}
				rows(n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}
