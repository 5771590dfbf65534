package scrape

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
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
	tbCountryCell = 3
)

var (
	tbItemCount = regexp.MustCompile(`(\d+)\s+items?\s+in\s+(\d+)\s+pages?`)
	// tbSymbolSplit separates the symbols of a bundle in one symbolno=.
	tbSymbolSplit = regexp.MustCompile(`\s*[,;]\s*`)
	// tbSymbolToken is a UN document symbol in a cell's text: letters,
	// then slash-separated parts ("E/C.12/79/D/258/2022").
	tbTag         = regexp.MustCompile(`<[^>]*>`)
	tbSymbolToken = regexp.MustCompile(`\b[A-Z][A-Za-z]*(?:/[A-Za-z0-9.()-]+)+`)
)

// TreatyBodies fetches treaty body documents of one type (concluding
// observations by default) for the given countries and treaties.
type TreatyBodies struct {
	opt       Options
	base      string
	countries []string
	treaties  []string
	DocType   string   // exact name of the document type; default "Concluding Observations"
	DocTypeID string   // its DocTypeID when known; "" reads it from the search form
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
	Bundle  string    `json:"bundle,omitempty"` // the first symbol of the bundle whose file this is
}

type tbState struct {
	Docs map[string]tbDoc `json:"docs"`
	// NoFiles records symbols whose Download.aspx said "Sorry there is no
	// files available", with when that was first seen; they are asked
	// again on each run.
	NoFiles map[string]time.Time `json:"no_files,omitempty"`
}

// tbEntry is one document of the result grid: a symbol, or a bundle of
// symbols one download covers (Symbol is the first).
type tbEntry struct {
	Symbol, Download, Country, Date string
	Symbols                         []string
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
	if err := cl.checkRobots("tbinternet", t.base+"TBSearch.aspx?Lang=en"); err != nil {
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
				for _, sym := range e.Symbols {
					seen[sym] = true
				}
				entries = append(entries, e)
			}
		}
	}
	if st.NoFiles == nil {
		st.NoFiles = map[string]time.Time{}
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if _, ok := st.Docs[e.Symbol]; ok {
			rep.Skipped++
			continue
		}
		doc, err := t.fetchDoc(cl, dest, e, &st, rep)
		if err != nil {
			return rep, err
		}
		if doc == nil {
			if err := saveState(sp, &st); err != nil {
				return rep, err
			}
			continue
		}
		for _, sym := range e.Symbols {
			d := *doc
			if sym != e.Symbol {
				d.Bundle = e.Symbol
			}
			st.Docs[sym] = d
			delete(st.NoFiles, sym)
		}
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

// tbTreaties are the TreatyIDs of TBSearch.aspx (worldwidelaw/legal-sources
// sources/UN/TreatyBodyDB/bootstrap.py, TREATY_BODIES).
var tbTreaties = []struct{ acronym, id string }{
	{"CAT", "1"}, {"CED", "2"}, {"CEDAW", "3"}, {"CRPD", "4"}, {"CRC", "5"}, {"CERD", "6"}, {"CMW", "7"}, {"CCPR", "8"}, {"CESCR", "9"},
}

// tbKnownDocTypes are DocTypeIDs seen in working scrapers' query URLs:
// 11 in legal-sources TreatyBodyDB, 17 in lszoszk/generalcomments
// extract_cescr.py. Other types are read from the search form.
var tbKnownDocTypes = map[string]string{"General Comments": "11", "Jurisprudence": "17"}

const tbDocTypeListSel = `[id$="rlbDocTypeCategory"]`

func (t *TreatyBodies) treatyIDs() ([][2]string, error) {
	var out [][2]string
	if len(t.treaties) == 0 {
		for _, tr := range tbTreaties {
			out = append(out, [2]string{tr.id, tr.acronym})
		}
		return out, nil
	}
	for _, want := range t.treaties {
		found := false
		for _, tr := range tbTreaties {
			if strings.EqualFold(tr.acronym, strings.TrimSpace(want)) {
				out = append(out, [2]string{tr.id, tr.acronym})
				found = true
			}
		}
		if !found {
			var known []string
			for _, tr := range tbTreaties {
				known = append(known, tr.acronym)
			}
			return nil, fmt.Errorf("tbinternet: unknown treaty %q (the database's TreatyIDs 1-9 are %s)", want, strings.Join(known, ", "))
		}
	}
	return out, nil
}

// searches turns treaties, countries and the document type into the plain
// query URLs TBSearch.aspx answers with a filtered grid:
// TBSearch.aspx?Lang=en&TreatyID=…&DocTypeID=…[&CountryID=…].
func (t *TreatyBodies) searches(cl *client) ([]tbSearch, error) {
	treaties, err := t.treatyIDs()
	if err != nil {
		return nil, err
	}
	docTypeID, err := t.docTypeID(cl)
	if err != nil {
		return nil, err
	}
	countries := [][2]string{{}}
	if len(t.countries) > 0 {
		countries = nil
		var (
			list    *page
			listErr error
			loaded  bool
		)
		getList := func() (*page, error) { // Treaty.aspx, read once
			if !loaded {
				list, listErr = cl.getPage(t.base+"Treaty.aspx?Lang=en", true)
				loaded = true
			}
			return list, listErr
		}
		for _, c := range t.countries {
			id, name, err := t.countryID(cl, getList, c)
			if err != nil {
				return nil, err
			}
			countries = append(countries, [2]string{id, name})
		}
	}
	var out []tbSearch
	for _, c := range countries {
		for _, tr := range treaties {
			q := url.Values{"Lang": {"en"}, "TreatyID": {tr[0]}, "DocTypeID": {docTypeID}}
			what := t.DocType + " / " + tr[1]
			if c[0] != "" {
				q.Set("CountryID", c[0])
				what += " / " + c[1]
			}
			out = append(out, tbSearch{query: q, what: what})
		}
	}
	return out, nil
}

// docTypeID finds the DocTypeID of t.DocType: set by hand, else the item
// of the document-type RadListBox whose text is exactly t.DocType, its
// value read from the list box's client data ("itemData"), else the ids
// working scrapers use.
func (t *TreatyBodies) docTypeID(cl *client) (string, error) {
	if t.DocTypeID != "" {
		return t.DocTypeID, nil
	}
	formURL := t.base + "TBSearch.aspx?Lang=en"
	p, err := cl.getPage(formURL, true)
	if err != nil {
		return "", fmt.Errorf("tbinternet search page: %w", err)
	}
	lb := p.doc.Find(tbDocTypeListSel).First()
	if lb.Length() == 0 {
		if id, ok := tbKnownDocTypes[t.DocType]; ok {
			return id, nil
		}
		return "", fmt.Errorf("tbinternet search page %s: no document-type list box (selector %s); set the DocTypeID of %q by hand", formURL, tbDocTypeListSel, t.DocType)
	}
	lbID, _ := lb.Attr("id")
	var texts []string
	index := -1
	lb.Find("li").Each(func(i int, li *goquery.Selection) {
		tx := clean(li.Find(".rlbText").Text())
		if tx == "" {
			tx = clean(li.Text())
		}
		texts = append(texts, tx)
		if index < 0 && strings.EqualFold(tx, strings.TrimSpace(t.DocType)) {
			index = i
		}
	})
	if index < 0 {
		return "", fmt.Errorf("tbinternet search page %s: no document type named exactly %q in list box #%s (items %q)", formURL, t.DocType, lbID, texts)
	}
	values := radItemValues(p, lbID)
	if index < len(values) && values[index] != "" {
		return values[index], nil
	}
	if id, ok := tbKnownDocTypes[t.DocType]; ok {
		return id, nil
	}
	return "", fmt.Errorf("tbinternet search page %s: %q is item %d of list box #%s, but the page gives no value for it (no \"itemData\" in its $create script); set its DocTypeID by hand",
		formURL, t.DocType, index, lbID)
}

var radItemData = regexp.MustCompile(`"itemData"\s*:\s*(\[[^\]]*\])`)

// radItemValues reads the item values a Telerik control's $create script
// carries ("itemData":[{"value":"5"},…]), in item order.
func radItemValues(p *page, id string) []string {
	var out []string
	p.doc.Find("script").EachWithBreak(func(_ int, sc *goquery.Selection) bool {
		for _, call := range strings.Split(sc.Text(), "$create(")[1:] {
			if !strings.Contains(call, id) {
				continue
			}
			m := radItemData.FindStringSubmatch(call)
			if m == nil {
				continue
			}
			var items []struct {
				Value any `json:"value"`
			}
			if json.Unmarshal([]byte(m[1]), &items) != nil {
				continue
			}
			for _, it := range items {
				if it.Value == nil {
					out = append(out, "")
				} else {
					out = append(out, fmt.Sprint(it.Value))
				}
			}
			return false
		}
		return true
	})
	return out
}

var tbCountryIDParam = regexp.MustCompile(`(?i)[?&]CountryID=(\d+)`)

// countryID finds the database's CountryID of a country (a name or an ISO3
// code): the <option value> of Treaty.aspx, else a CountryID= link on the
// country's page Countries.aspx?CountryCode=ISO3.
func (t *TreatyBodies) countryID(cl *client, getList func() (*page, error), c string) (id, name string, err error) {
	want, known := norm.Country(c)
	matches := func(text string) bool {
		if strings.EqualFold(clean(text), strings.TrimSpace(c)) {
			return true
		}
		got, ok := norm.Country(clean(text))
		return known && ok && got == want
	}
	listURL := t.base + "Treaty.aspx?Lang=en"
	p, lerr := getList()
	if lerr == nil {
		p.doc.Find("option[value]").EachWithBreak(func(_ int, o *goquery.Selection) bool {
			v := strings.TrimSpace(o.AttrOr("value", ""))
			if v != "" && v != "0" && matches(o.Text()) {
				id, name = v, clean(o.Text())
				return false
			}
			return true
		})
		if id != "" {
			return id, name, nil
		}
	} else if errors.Is(lerr, ErrRobots) || cl.ctx.Err() != nil {
		return "", "", fmt.Errorf("tbinternet: %w", lerr)
	}
	if !known {
		return "", "", fmt.Errorf("tbinternet: country %q is no country name or ISO3 code known, and no option of %s reads so", c, listURL)
	}
	pageURL := t.base + "Countries.aspx?CountryCode=" + want + "&Lang=en"
	p, err = cl.getPage(pageURL, true)
	if err != nil {
		return "", "", fmt.Errorf("tbinternet: country %q not among the options of %s, and its page: %w", c, listURL, err)
	}
	p.doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		if m := tbCountryIDParam.FindStringSubmatch(a.AttrOr("href", "")); m != nil {
			id = m[1]
			return false
		}
		return true
	})
	if id == "" {
		return "", "", fmt.Errorf("tbinternet: country %q (%s) is not among the <option>s of %s and %s has no CountryID= link", c, want, listURL, pageURL)
	}
	return id, want, nil
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
		// The symbol is the symbolno= of the row's Download.aspx link,
		// wherever it is (the link text may read "View document"); the
		// link's cell may list a bundle of symbols the one link covers.
		tr.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			if !strings.Contains(strings.ToLower(href), "symbolno=") {
				return
			}
			dl, rerr := resolve(p.url, href)
			if rerr != nil {
				return
			}
			u, perr := url.Parse(dl)
			if perr != nil {
				return
			}
			var syms []string
			add := func(sym string) {
				if sym = strings.TrimSpace(sym); sym != "" && !contains(syms, sym) {
					syms = append(syms, sym)
				}
			}
			for k, v := range u.Query() {
				if strings.EqualFold(k, "symbolno") {
					for _, x := range v {
						for _, sym := range tbSymbolSplit.Split(x, -1) {
							add(sym)
						}
					}
				}
			}
			// Read the cell with its tags as spaces: goquery's Text()
			// would glue "…/2022<br />E/C.12/…" into one token.
			h, _ := a.Closest("td").Html()
			for _, sym := range tbSymbolToken.FindAllString(html.UnescapeString(tbTag.ReplaceAllString(h, " ")), -1) {
				add(sym)
			}
			if len(syms) > 0 {
				g.entries = append(g.entries, tbEntry{Symbol: syms[0], Symbols: syms, Download: dl, Country: country, Date: date})
			}
		})
		return true
	})
	if err != nil {
		return nil, err
	}
	if len(g.entries) == 0 {
		return nil, fmt.Errorf("grid #%s: %d rows but no link with symbolno= (selector %s a[href*=symbolno])", g.id, rows.Length(), tbRowSel)
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
	tbNoFiles    = regexp.MustCompile(`(?i)no\s+files?\s+(is\s+|are\s+)?available`)
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
func (t *TreatyBodies) fetchDoc(cl *client, dest string, e tbEntry, st *tbState, rep *Report) (*tbDoc, error) {
	p, err := cl.getPage(e.Download, true)
	if err != nil {
		return nil, fmt.Errorf("tbinternet download page for %s: %w", e.Symbol, err)
	}
	links := parseDownload(p)
	if len(links) == 0 && tbNoFiles.MatchString(p.doc.Text()) {
		first, ok := st.NoFiles[e.Symbol]
		if !ok {
			first = time.Now().UTC()
			for _, sym := range e.Symbols {
				st.NoFiles[sym] = first
			}
		}
		rep.warnf("tbinternet %s: %s says \"Sorry there is no files available\" (so since %s); recorded and skipped, asked again next run",
			strings.Join(e.Symbols, ", "), p.url, first.Format("2006-01-02"))
		return nil, nil
	}
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
	r, err := cl.getKind(pick.href, nil, false, kindDoc)
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

// Plan lists the requests a run starts with: robots.txt, the lookups of
// the document type and the countries, then one search URL per treaty and
// country. A value only the site can give stands as DOCTYPEID (when
// DocTypeID is not set and not one working scrapers use) or COUNTRYID_<ISO3>.
func (t *TreatyBodies) Plan() []Request {
	h := t.opt.planHeader("text/html")
	u, _ := url.Parse(t.base)
	var out []Request
	if u != nil && !t.opt.IgnoreRobotsTxt {
		out = append(out, Request{Method: http.MethodGet, URL: u.Scheme + "://" + u.Host + "/robots.txt", Header: t.opt.planHeader(""),
			Note: "a rule forbidding TBSearch.aspx stops the run here"})
	}
	docType := t.DocTypeID
	if docType == "" {
		docType = tbKnownDocTypes[t.DocType]
	}
	if docType == "" {
		docType = "DOCTYPEID"
		out = append(out, Request{Method: http.MethodGet, URL: t.base + "TBSearch.aspx?Lang=en", Header: h,
			Note: fmt.Sprintf("DocTypeID of the item named exactly %q of the list box rlbDocTypeCategory", t.DocType)})
	}
	countries := [][2]string{{}}
	if len(t.countries) > 0 {
		countries = nil
		out = append(out, Request{Method: http.MethodGet, URL: t.base + "Treaty.aspx?Lang=en", Header: h,
			Note: "CountryID of each country from its <option value> (else from Countries.aspx?CountryCode=ISO3&Lang=en)"})
		for _, c := range t.countries {
			iso, ok := norm.Country(c)
			if !ok {
				iso = safeName(c)
			}
			countries = append(countries, [2]string{"COUNTRYID_" + iso, iso})
		}
	}
	treaties, err := t.treatyIDs()
	if err != nil {
		return append(out, Request{Method: "-", URL: "-", Note: err.Error()})
	}
	for _, c := range countries {
		for _, tr := range treaties {
			// Written by hand so that the order is the site's and the
			// placeholders stay readable.
			q := "Lang=en&TreatyID=" + tr[0] + "&DocTypeID=" + docType
			note := t.DocType + " / " + tr[1]
			if c[0] != "" {
				q += "&CountryID=" + c[0]
				note += " / " + c[1]
			}
			out = append(out, Request{Method: http.MethodGet, URL: t.base + "TBSearch.aspx?" + q, Header: h, Note: note})
		}
	}
	return out
}
