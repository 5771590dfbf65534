package scrape

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"

	"github.com/nmirf/nmirf/extract/norm"
)

// TreatyBodiesBaseURL is the treaty body database's page folder.
const TreatyBodiesBaseURL = "https://tbinternet.ohchr.org/_layouts/15/TreatyBodyExternal/"

// Selectors for the treaty body database pages (docs/SCRAPING-NOTES.md §1).
// They appear in errors so that a changed layout names what no longer
// matches.
const (
	tbGridSel     = `[id$="radResultsGrid"]`
	tbRowSel      = `tr.rgRow, tr.rgAltRow`
	tbNoRowsSel   = `tr.rgNoRecords`
	tbCurPageSel  = `.rgCurrentPage`
	tbNextSel     = `.rgPageNext`
	tbMinCells    = 6
	tbSymbolCell  = 4
	tbCountryCell = 3
)

var tbItemCount = regexp.MustCompile(`(\d+)\s+items?\s+in\s+(\d+)\s+pages?`)

// TreatyBodies fetches treaty body documents of one type (concluding
// observations by default) for the given countries and treaties.
type TreatyBodies struct {
	opt       Options
	base      string
	countries []string
	treaties  []string
	DocType   string   // text of the document-type option; default "Concluding Observations"
	Formats   []string // English formats by preference; default docx, html, pdf, doc
	MaxPages  int      // result pages per search at most; default 200
}

// NewTreatyBodies searches the database at baseURL (TreatyBodiesBaseURL when
// ""). countries are names or ISO3 codes, treaties acronyms ("CCPR"); an
// empty list searches all.
func NewTreatyBodies(opt Options, baseURL string, countries, treaties []string) *TreatyBodies {
	if baseURL == "" {
		baseURL = TreatyBodiesBaseURL
	}
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	return &TreatyBodies{opt: opt.withDefaults(), base: baseURL, countries: countries, treaties: treaties,
		DocType: "Concluding Observations", Formats: []string{"docx", "html", "pdf", "doc"}, MaxPages: 200}
}

// Name returns "treaty-bodies".
func (t *TreatyBodies) Name() string { return "treaty-bodies" }

type tbDoc struct {
	File    string    `json:"file"`
	SHA256  string    `json:"sha256"`
	Fetched time.Time `json:"fetched"`
}

type tbState struct {
	Docs map[string]tbDoc `json:"docs"`
}

// tbEntry is one symbol from the result grid.
type tbEntry struct {
	Symbol, Download, Country, Date string
}

// Fetch walks the search results of each country × treaty and saves each
// document not saved by a former run as <symbol with _>.<ext>.
func (t *TreatyBodies) Fetch(ctx context.Context, dest string) (*Report, error) {
	sp := statePath(dest, t.Name())
	st := tbState{}
	if err := loadState(sp, &st); err != nil {
		return nil, err
	}
	if st.Docs == nil {
		st.Docs = map[string]tbDoc{}
	}
	cl, err := newClient(ctx, t.opt)
	if err != nil {
		return nil, err
	}
	searches, err := t.searches(cl)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	var entries []tbEntry
	seen := map[string]bool{}
	for _, s := range searches {
		es, err := t.walkResults(cl, s, rep)
		if err != nil {
			return rep, err
		}
		for _, e := range es {
			if !seen[e.Symbol] {
				seen[e.Symbol] = true
				entries = append(entries, e)
			}
		}
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if _, ok := st.Docs[e.Symbol]; ok {
			rep.Skipped++
			continue
		}
		doc, err := t.fetchDoc(cl, dest, e, rep)
		if err != nil {
			return rep, err
		}
		if doc == nil {
			continue
		}
		st.Docs[e.Symbol] = *doc
		if err := saveState(sp, &st); err != nil {
			return rep, err
		}
		rep.Fetched++
		rep.Files = append(rep.Files, filepath.Join(dest, doc.File))
	}
	return rep, nil
}

// page is a parsed HTML page with the URL it came from.
type page struct {
	url *url.URL
	doc *goquery.Document
}

func (cl *client) page(r *response) (*page, error) {
	rd, err := charset.NewReader(bytes.NewReader(r.Body), r.ContentType)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", r.URL, err)
	}
	doc, err := goquery.NewDocumentFromReader(rd)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", r.URL, err)
	}
	return &page{url: r.URL, doc: doc}, nil
}

func (cl *client) getPage(u string, cached bool) (*page, error) {
	r, err := cl.get(u, http.Header{"Accept": {"text/html"}}, cached)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP %d", u, r.Status)
	}
	return cl.page(r)
}

// tbSearch is one search: the query of TBSearch.aspx and what it is for.
type tbSearch struct {
	query url.Values
	what  string
}

// searches reads the search form and turns countries, treaties and the
// document type into the ids its <select> options carry today.
func (t *TreatyBodies) searches(cl *client) ([]tbSearch, error) {
	formURL := t.base + "TBSearch.aspx?Lang=en"
	p, err := cl.getPage(formURL, true)
	if err != nil {
		return nil, fmt.Errorf("tbinternet search page: %w", err)
	}
	docSel, err := findSelect(p, "doctype")
	if err != nil {
		return nil, err
	}
	docTypeID, _, err := pickOption(docSel, func(text string) bool {
		return strings.Contains(strings.ToLower(text), strings.ToLower(t.DocType))
	}, fmt.Sprintf("%q", t.DocType))
	if err != nil {
		return nil, err
	}
	type opt struct{ id, text string }
	treaties := []opt{{}}
	if len(t.treaties) > 0 {
		sel, err := findSelect(p, "treaty")
		if err != nil {
			return nil, err
		}
		treaties = nil
		for _, tr := range t.treaties {
			id, text, err := pickOption(sel, func(text string) bool { return hasToken(text, tr) }, fmt.Sprintf("treaty %q", tr))
			if err != nil {
				return nil, err
			}
			treaties = append(treaties, opt{id, text})
		}
	}
	countries := []opt{{}}
	if len(t.countries) > 0 {
		sel, err := findSelect(p, "country")
		if err != nil {
			return nil, err
		}
		countries = nil
		for _, c := range t.countries {
			want, known := norm.Country(c)
			id, text, err := pickOption(sel, func(text string) bool {
				if strings.EqualFold(strings.TrimSpace(text), strings.TrimSpace(c)) {
					return true
				}
				got, ok := norm.Country(text)
				return known && ok && got == want
			}, fmt.Sprintf("country %q", c))
			if err != nil {
				return nil, err
			}
			countries = append(countries, opt{id, text})
		}
	}
	var out []tbSearch
	for _, c := range countries {
		for _, tr := range treaties {
			q := url.Values{"Lang": {"en"}, "DocTypeID": {docTypeID}}
			what := t.DocType
			if tr.id != "" {
				q.Set("TreatyID", tr.id)
				what += " / " + tr.text
			}
			if c.id != "" {
				q.Set("CountryID", c.id)
				what += " / " + c.text
			}
			out = append(out, tbSearch{query: q, what: what})
		}
	}
	return out, nil
}

// findSelect finds the <select> whose id or name holds key; the form's
// control names are ASP.NET's (ctl00$ContentPlaceHolder1$ddl…), so only
// their tail is stable.
func findSelect(p *page, key string) (*goquery.Selection, error) {
	var found *goquery.Selection
	p.doc.Find("select").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		id, _ := s.Attr("id")
		name, _ := s.Attr("name")
		if strings.Contains(strings.ToLower(id+" "+name), key) {
			found = s
			return false
		}
		return true
	})
	if found == nil {
		return nil, fmt.Errorf("tbinternet search page %s: no <select> whose id or name contains %q (selector select[id*=%s i])", p.url, key, key)
	}
	return found, nil
}

func selectorOf(s *goquery.Selection) string {
	if id, ok := s.Attr("id"); ok {
		return "select#" + id
	}
	name, _ := s.Attr("name")
	return fmt.Sprintf("select[name=%q]", name)
}

func pickOption(sel *goquery.Selection, match func(string) bool, what string) (value, text string, err error) {
	var texts []string
	sel.Find("option").EachWithBreak(func(_ int, o *goquery.Selection) bool {
		tx := strings.TrimSpace(o.Text())
		texts = append(texts, tx)
		if v, ok := o.Attr("value"); ok && strings.TrimSpace(v) != "" && match(tx) {
			value, text = strings.TrimSpace(v), tx
			return false
		}
		return true
	})
	if value == "" {
		if len(texts) > 8 {
			texts = append(texts[:8], "…")
		}
		return "", "", fmt.Errorf("tbinternet search page: no <select> option matching %s (selector %s; options %q)", what, selectorOf(sel), texts)
	}
	return value, text, nil
}

// hasToken tells whether text holds the acronym as a whole word, so that
// "CRC" does not match "CRC-OP-AC".
func hasToken(text, acronym string) bool {
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return !(r == '-' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
	}) {
		if strings.EqualFold(f, acronym) {
			return true
		}
	}
	return false
}

// walkResults reads every page of one search, paging by ASP.NET postback
// until a page brings no new symbol or does not advance.
func (t *TreatyBodies) walkResults(cl *client, s tbSearch, rep *Report) ([]tbEntry, error) {
	first := t.base + "TBSearch.aspx?" + s.query.Encode()
	p, err := cl.getPage(first, false)
	if err != nil {
		return nil, fmt.Errorf("tbinternet results (%s): %w", s.what, err)
	}
	var out []tbEntry
	seen := map[string]bool{}
	for n := 1; ; n++ {
		if err := cl.ctx.Err(); err != nil {
			return nil, err
		}
		g, err := parseGrid(p)
		if err != nil {
			return nil, fmt.Errorf("tbinternet results (%s) page %d: %w", s.what, n, err)
		}
		fresh := 0
		for _, e := range g.entries {
			if !seen[e.Symbol] {
				seen[e.Symbol] = true
				out = append(out, e)
				fresh++
			}
		}
		switch {
		case fresh == 0,
			g.pages > 0 && g.current >= g.pages,
			g.nextDisabled:
			return out, nil
		case n >= t.MaxPages:
			rep.warnf("tbinternet results (%s): stopped after %d pages (MaxPages)", s.what, n)
			return out, nil
		}
		next, err := postback(cl, p, g)
		if err != nil {
			return nil, fmt.Errorf("tbinternet results (%s) page %d: %w", s.what, n+1, err)
		}
		if ng, err := parseGrid(next); err == nil && g.current > 0 && ng.current > 0 && ng.current <= g.current {
			return out, nil // the postback did not move the pager
		}
		p = next
	}
}

type grid struct {
	id           string
	entries      []tbEntry
	current      int
	pages        int
	nextDisabled bool
}

// parseGrid reads the Telerik RadGrid: rows, current page and page count.
func parseGrid(p *page) (*grid, error) {
	gs := p.doc.Find(tbGridSel).First()
	if gs.Length() == 0 {
		return nil, fmt.Errorf("no result grid (selector %s)", tbGridSel)
	}
	g := &grid{}
	g.id, _ = gs.Attr("id")
	rows := gs.Find(tbRowSel)
	if rows.Length() == 0 {
		if gs.Find(tbNoRowsSel).Length() > 0 {
			return g, nil
		}
		return nil, fmt.Errorf("grid #%s has no rows (selector %s) and no %s", g.id, tbRowSel, tbNoRowsSel)
	}
	var err error
	rows.EachWithBreak(func(i int, tr *goquery.Selection) bool {
		cells := tr.ChildrenFiltered("td")
		if cells.Length() < tbMinCells {
			err = fmt.Errorf("grid row %d has %d cells, want at least %d (selector %s > td)", i+1, cells.Length(), tbMinCells, tbRowSel)
			return false
		}
		country := clean(cells.Eq(tbCountryCell).Text())
		date := clean(cells.Eq(tbMinCells - 1).Text())
		cells.Eq(tbSymbolCell).Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if !strings.Contains(strings.ToLower(href), "download.aspx") {
				return
			}
			dl, rerr := resolve(p.url, href)
			if rerr != nil {
				return
			}
			sym := clean(a.Text())
			if sym == "" {
				if u, perr := url.Parse(dl); perr == nil {
					sym = u.Query().Get("symbolno")
				}
			}
			if sym != "" {
				g.entries = append(g.entries, tbEntry{Symbol: sym, Download: dl, Country: country, Date: date})
			}
		})
		return true
	})
	if err != nil {
		return nil, err
	}
	if len(g.entries) == 0 {
		return nil, fmt.Errorf("grid #%s: %d rows but no Download.aspx link in cell %d (selector %s > td a[href*=Download.aspx])", g.id, rows.Length(), tbSymbolCell, tbRowSel)
	}
	if m := tbItemCount.FindStringSubmatch(gs.Text()); m != nil {
		g.pages, _ = strconv.Atoi(m[2])
	}
	g.current, _ = strconv.Atoi(clean(gs.Find(tbCurPageSel).First().Text()))
	if nb := gs.Find(tbNextSel).First(); nb.Length() > 0 {
		_, disabled := nb.Attr("disabled")
		onclick, _ := nb.Attr("onclick")
		g.nextDisabled = disabled || strings.Contains(strings.ReplaceAll(onclick, " ", ""), "returnfalse")
	}
	return g, nil
}

// postback asks for the grid's next page as the browser would: the form's
// hidden and text inputs and selected options sent back with the grid's
// "Page;Next" command.
func postback(cl *client, p *page, g *grid) (*page, error) {
	form := p.doc.Find("form").First()
	if form.Length() == 0 {
		return nil, fmt.Errorf("no <form> to post back (selector form)")
	}
	vals := url.Values{}
	form.Find("input[name]").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		typ := strings.ToLower(in.AttrOr("type", "text"))
		switch typ {
		case "hidden", "text", "search":
		case "checkbox", "radio":
			if _, on := in.Attr("checked"); !on {
				return
			}
		default:
			return // buttons only count when pressed
		}
		vals.Set(name, in.AttrOr("value", ""))
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		o := s.Find("option[selected]").First()
		if o.Length() == 0 {
			o = s.Find("option").First()
		}
		if o.Length() > 0 {
			vals.Set(name, o.AttrOr("value", clean(o.Text())))
		}
	})
	if _, ok := vals["__VIEWSTATE"]; !ok {
		return nil, fmt.Errorf("form has no hidden input __VIEWSTATE (selector input[name=__VIEWSTATE]); cannot post back")
	}
	target := uniqueName(form, g.id)
	vals.Set("__EVENTTARGET", target)
	vals.Set("__EVENTARGUMENT", "FireCommand:"+target+"$ctl00;Page;Next")
	action := p.url.String()
	if a, ok := form.Attr("action"); ok && strings.TrimSpace(a) != "" {
		r, err := resolve(p.url, a)
		if err != nil {
			return nil, fmt.Errorf("form action %q: %w", a, err)
		}
		action = r
	}
	r, err := cl.post(action, vals)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, fmt.Errorf("POST %s: HTTP %d", action, r.Status)
	}
	return cl.page(r)
}

// uniqueName recovers the grid's ASP.NET UniqueID
// ("ctl00$ContentPlaceHolder1$radResultsGrid") from its client id: the
// names of the grid's pager inputs spell it with "$" where the id has "_"
// (its _ClientState input keeps the "_" and is no help).
func uniqueName(form *goquery.Selection, clientID string) string {
	name := ""
	form.Find("input[name]").EachWithBreak(func(_ int, in *goquery.Selection) bool {
		n, _ := in.Attr("name")
		if strings.Contains(n, "$") && len(n) > len(clientID) && strings.ReplaceAll(n[:len(clientID)], "$", "_") == clientID && (n[len(clientID)] == '$' || n[len(clientID)] == '_') {
			name = n[:len(clientID)]
			return false
		}
		return true
	})
	if name == "" {
		name = strings.ReplaceAll(clientID, "_", "$")
	}
	return name
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// tbLink is one language × format offered by the Download.aspx page.
type tbLink struct{ lang, format, href string }

var (
	tbFormat     = regexp.MustCompile(`(?i)^\.?(docx|pdf|doc|html?)$`)
	tbTitledLink = regexp.MustCompile(`(?i)^\s*(\S+)\s+(docx|pdf|doc|html?)\s*$`)
	tbFileExt    = regexp.MustCompile(`(?i)\.(docx|pdf|doc|html?)\s*$`)
)

// parseDownload reads both Download.aspx layouts: a table of
// DownloadDraft.aspx links with language and format cells, and the older
// docstore links titled "English docx".
func parseDownload(p *page) []tbLink {
	var links []tbLink
	p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		abs, err := resolve(p.url, href)
		if err != nil {
			return
		}
		if m := tbTitledLink.FindStringSubmatch(a.AttrOr("title", "")); m != nil {
			links = append(links, tbLink{lang: m[1], format: normFormat(m[2]), href: abs})
			return
		}
		if !strings.Contains(strings.ToLower(href), "downloaddraft.aspx") {
			return
		}
		cells := a.Closest("tr").ChildrenFiltered("td")
		if cells.Length() == 0 {
			return
		}
		l := tbLink{lang: clean(cells.First().Text()), href: abs}
		cells.Each(func(_ int, c *goquery.Selection) {
			tx := clean(c.Text())
			if m := tbFormat.FindStringSubmatch(tx); m != nil {
				l.format = normFormat(m[1])
			} else if m := tbFileExt.FindStringSubmatch(tx); m != nil && l.format == "" {
				l.format = normFormat(m[1])
			}
		})
		if l.format == "" {
			if m := tbFileExt.FindStringSubmatch(clean(a.Text())); m != nil {
				l.format = normFormat(m[1])
			}
		}
		links = append(links, l)
	})
	return links
}

func normFormat(f string) string {
	f = strings.ToLower(f)
	if f == "htm" {
		return "html"
	}
	return f
}

// fetchDoc saves the English document of one symbol. It returns nil, nil
// when the symbol has nothing to save this time (the reason is a warning).
func (t *TreatyBodies) fetchDoc(cl *client, dest string, e tbEntry, rep *Report) (*tbDoc, error) {
	p, err := cl.getPage(e.Download, true)
	if err != nil {
		return nil, fmt.Errorf("tbinternet download page for %s: %w", e.Symbol, err)
	}
	links := parseDownload(p)
	if len(links) == 0 {
		return nil, fmt.Errorf("tbinternet download page %s for %s: no document links (selectors a[href*=DownloadDraft.aspx] in a row with language and format cells, or a[title=\"English docx\"])", p.url, e.Symbol)
	}
	var pick *tbLink
	for _, f := range t.Formats {
		for i := range links {
			if strings.EqualFold(links[i].lang, "English") && links[i].format == f {
				pick = &links[i]
				break
			}
		}
		if pick != nil {
			break
		}
	}
	if pick == nil {
		var have []string
		for _, l := range links {
			have = append(have, l.lang+" "+l.format)
		}
		rep.warnf("tbinternet %s: no English %s on %s (offered: %s); skipped", e.Symbol, strings.Join(t.Formats, "/"), p.url, strings.Join(have, ", "))
		return nil, nil
	}
	r, err := cl.get(pick.href, nil, false)
	if err != nil {
		return nil, fmt.Errorf("tbinternet %s: %w", e.Symbol, err)
	}
	if r.Status != http.StatusOK {
		rep.warnf("tbinternet %s: GET %s: HTTP %d; skipped", e.Symbol, pick.href, r.Status)
		return nil, nil
	}
	kind := sniffDoc(r.Body)
	switch {
	case kind == "":
		rep.warnf("tbinternet %s: %s is no docx, pdf, doc or html (starts %q); skipped", e.Symbol, pick.href, truncate(r.Body, 16))
		return nil, nil
	case kind == "html" && pick.format != "html":
		rep.warnf("tbinternet %s: asked for English %s at %s, got an HTML page; skipped", e.Symbol, pick.format, pick.href)
		return nil, nil
	}
	name := safeName(e.Symbol) + "." + kind
	if err := writeAtomic(filepath.Join(dest, name), r.Body); err != nil {
		return nil, fmt.Errorf("tbinternet %s: %w", e.Symbol, err)
	}
	return &tbDoc{File: name, SHA256: sha256Hex(r.Body), Fetched: time.Now().UTC()}, nil
}

// sniffDoc names a document's format from its first bytes; docstore HTML
// may be UTF-16 with a byte-order mark.
func sniffDoc(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "docx"
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0")):
		return "doc"
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		return "html"
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(t, []byte("<")) {
		return "html"
	}
	return ""
}
