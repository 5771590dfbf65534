package scrape

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// tbOffer is one language × format a Download.aspx page lists. file is the
// testdata document served for it; "" serves an HTML error page, "404" a 404.
type tbOffer struct {
	Lang, Format, file string
	Key                string
}

type tbFixture struct {
	Symbol, Title, Country, CountryID, Date, File string
	layout                                        string // "draft", "docstore" or "nofiles"
	offers                                        []tbOffer
	treaty, docType                               string // TreatyID and DocTypeID; default "8" (CCPR) and tbCODocType
	linkText                                      string // default the symbol
	bundle                                        []string
}

// tbFixtures are the CCPR concluding observations the test database holds.
// The four current ones carry real text (testdata/tbinternet); the older
// ones exercise what the scraper must skip.
var tbFixtures = []tbFixture{
	{Symbol: "CCPR/C/DNK/CO/6", Title: "Concluding observations on the sixth periodic report of Denmark", Country: "Denmark", CountryID: "59", Date: "15 Aug 2016", File: "G1614016.docx", layout: "draft",
		offers: []tbOffer{{Lang: "French", Format: "docx", file: "tbinternet/CCPR_C_DNK_CO_6.docx"}, {Lang: "English", Format: "pdf", file: "tbinternet/CCPR_C_PRY_CO_4.pdf"}, {Lang: "English", Format: "docx", file: "tbinternet/CCPR_C_DNK_CO_6.docx"}}},
	{Symbol: "CCPR/C/NAM/CO/2", Title: "Concluding observations on the second periodic report of Namibia", Country: "Namibia", CountryID: "151", Date: "22 Apr 2016", File: "G1608468.doc", layout: "docstore",
		offers: []tbOffer{{Lang: "English", Format: "pdf", file: "tbinternet/CCPR_C_PRY_CO_4.pdf"}, {Lang: "English", Format: "html", file: "tbinternet/CCPR_C_NAM_CO_2.html"}, {Lang: "French", Format: "html", file: "tbinternet/CCPR_C_NAM_CO_2.html"}}},
	{Symbol: "CCPR/C/PRY/CO/4", Title: "Concluding observations on the fourth periodic report of Paraguay", Country: "Paraguay", CountryID: "171", Date: "20 Aug 2019", File: "G1924563.pdf", layout: "draft", linkText: "View document",
		offers: []tbOffer{{Lang: "Spanish", Format: "pdf", file: "tbinternet/CCPR_C_PRY_CO_4.pdf"}, {Lang: "English", Format: "pdf", file: "tbinternet/CCPR_C_PRY_CO_4.pdf"}}},
	{Symbol: "CCPR/C/USA/CO/4", Title: "Concluding observations on the fourth periodic report of the United States of America", Country: "United States of America", CountryID: "232", Date: "23 Apr 2014", File: "G1442710.docx", layout: "draft",
		offers: []tbOffer{{Lang: "English", Format: "docx", file: ""}}},
	{Symbol: "CCPR/C/DNK/CO/5", Title: "Concluding observations of the Human Rights Committee: Denmark", Country: "Denmark", CountryID: "59", Date: "16 Dec 2008", File: "G0845560.doc", layout: "draft",
		offers: []tbOffer{{Lang: "French", Format: "doc", file: "tbinternet/CCPR_C_PRY_CO_4.pdf"}}},
	{Symbol: "CCPR/C/PRY/CO/3", Title: "Concluding observations of the Human Rights Committee: Paraguay", Country: "Paraguay", CountryID: "171", Date: "29 Apr 2013", File: "G1343271.doc", layout: "docstore",
		offers: []tbOffer{{Lang: "English", Format: "doc", file: "404"}}},
	{Symbol: "CCPR/C/NAM/CO/1", Title: "Concluding observations of the Human Rights Committee: Namibia", Country: "Namibia", CountryID: "151", Date: "30 Jul 2004", File: "G0443118.pdf", layout: "draft",
		offers: []tbOffer{{Lang: "English", Format: "pdf", file: "404"}}},
	// CESCR jurisprudence rows of lszoszk/generalcomments case_list.json:
	// bundles (one link, several symbols), a "View document" link, and a
	// bundle whose Download.aspx has no files (METHODOLOGY.md). The bytes
	// served stand in for the decisions' documents.
	{Symbol: "E/C.12/79/D/258/2022", bundle: []string{"E/C.12/79/D/259/2022"}, Title: "Communications Nº 258/2022, 259/2022, 263/2022, 270/2022, 273/2022 and 299/2023: Discontinuance Decision", Country: "Spain", CountryID: "205", Date: "18 Feb 2026", File: "", layout: "nofiles", treaty: "9", docType: "17"},
	{Symbol: "E/C.12/79/D/330/2023", Title: "Communication No. 330/2023: Views Violation", Country: "Spain", CountryID: "205", Date: "20 Feb 2026", File: "E_C.12_79_D_330_2023_41020_E.docx", layout: "draft", treaty: "9", docType: "17", linkText: "View document",
		offers: []tbOffer{{Lang: "English", Format: "docx", file: "tbinternet/CCPR_C_DNK_CO_6.docx"}}},
	{Symbol: "E/C.12/79/D/269/2022", bundle: []string{"E/C.12/79/D/278/2022"}, Title: "Communications Nº 269/2022, 278/2022, 279/2022, 281/2022, 284/2022, 285/2022: Discontinuance Decision", Country: "Italy", CountryID: "107", Date: "18 Feb 2026", File: "E_C.12_79_D_269_2022_41001_E.docx", layout: "draft", treaty: "9", docType: "17",
		offers: []tbOffer{{Lang: "English", Format: "docx", file: "tbinternet/CCPR_C_DNK_CO_6.docx"}}},
}

// The Concluding Observations DocTypeID is deliberately not one the notes
// mention: the scraper must read it from the <option>.
const tbCODocType = "5"

type tbServer struct {
	mu        sync.Mutex
	t         *testing.T
	robots    string
	gridID    string
	coLabel   string
	pageSize  int
	stuck     bool // postbacks ignore the pager, as a broken page would
	search    *template.Template
	draft     *template.Template
	docstore  *template.Template
	hits      map[string]int // "search", "postback", "download:<symbol>", "doc:<key>"
	onDoc     func(key string)
	posted    []url.Values
	keys      map[string]tbOffer
	keySymbol map[string]string
	srv       *httptest.Server
}

func newTBServer(t *testing.T) *tbServer {
	funcs := template.FuncMap{"even": func(i int) bool { return i%2 == 0 }}
	s := &tbServer{
		t:         t,
		robots:    sharePointRobots,
		gridID:    "ctl00_ContentPlaceHolder1_radResultsGrid",
		coLabel:   "Concluding Observations",
		pageSize:  3,
		search:    template.Must(template.New("TBSearch.html.tmpl").Funcs(funcs).ParseFiles("testdata/tbinternet/TBSearch.html.tmpl")),
		draft:     template.Must(template.ParseFiles("testdata/tbinternet/Download-draft.html.tmpl")),
		docstore:  template.Must(template.ParseFiles("testdata/tbinternet/Download-docstore.html.tmpl")),
		hits:      map[string]int{},
		keys:      map[string]tbOffer{},
		keySymbol: map[string]string{},
	}
	for i, f := range tbFixtures {
		for j := range f.offers {
			k := base64.URLEncoding.EncodeToString([]byte(fmt.Sprintf("enc-%d-%d-%s", i, j, f.Symbol)))
			tbFixtures[i].offers[j].Key = k
			s.keys[k] = f.offers[j]
			s.keySymbol[k] = f.Symbol
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// sharePointRobots is shaped on the robots.txt SharePoint serves by
// default: its rule for the layouts folder is spelt "/_Layouts/", which a
// case-sensitive matcher (RFC 9309) does not apply to "/_layouts/15/…".
const sharePointRobots = "User-agent: *\nDisallow: /_Layouts/\nDisallow: /_vti_bin/\nDisallow: /_catalogs/\n"

func (s *tbServer) base() string { return s.srv.URL + "/_layouts/15/TreatyBodyExternal/" }

func (s *tbServer) hit(k string) {
	s.mu.Lock()
	s.hits[k]++
	s.mu.Unlock()
}

func (s *tbServer) serve(w http.ResponseWriter, r *http.Request) {
	p := strings.ToLower(r.URL.Path)
	switch {
	case p == "/robots.txt":
		w.Write([]byte(s.robots))
	case strings.HasSuffix(p, "/tbsearch.aspx"):
		s.serveSearch(w, r)
	case strings.HasSuffix(p, "/treaty.aspx"):
		s.hit("treaty.aspx")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// Namibia is missing on purpose: its CountryID comes from its
		// country page.
		fmt.Fprint(w, `<html><body><form method="post" action="./Treaty.aspx?Lang=en" id="aspnetForm"><select name="ctl00$ContentPlaceHolder1$ddlCountry" id="ctl00_ContentPlaceHolder1_ddlCountry">
<option selected="selected" value="0">Select a country</option><option value="59">Denmark</option><option value="80">Indonesia</option><option value="107">Italy</option><option value="171">Paraguay</option><option value="205">Spain</option><option value="232">United States of America</option>
</select></form></body></html>`)
	case strings.HasSuffix(p, "/countries.aspx"):
		s.hit("countries.aspx:" + r.URL.Query().Get("CountryCode"))
		if r.URL.Query().Get("CountryCode") != "NAM" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><h1>Namibia</h1><table><tr><td>CCPR</td><td><a href="TBSearch.aspx?Lang=en&amp;CountryID=151&amp;TreatyID=8">Documents</a></td></tr></table></body></html>`)
	case strings.HasSuffix(p, "/download.aspx"):
		s.serveDownload(w, r)
	case strings.HasSuffix(p, "/downloaddraft.aspx"):
		s.serveDoc(w, r, r.URL.Query().Get("key"))
	case p == "/selfservices/fileshandler.ashx":
		s.serveDoc(w, r, r.URL.Query().Get("enc"))
	default:
		http.NotFound(w, r)
	}
}

type tbOption struct {
	Value, Text string
	Selected    bool
}

type tbViewState struct {
	Q    string `json:"q"`
	Page int    `json:"p"`
}

func (s *tbServer) serveSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := 1
	if r.Method == http.MethodPost {
		s.hit("postback")
		r.ParseForm()
		s.mu.Lock()
		s.posted = append(s.posted, r.PostForm)
		s.mu.Unlock()
		var st tbViewState
		raw, err := base64.StdEncoding.DecodeString(r.PostForm.Get("__VIEWSTATE"))
		if err != nil || json.Unmarshal(raw, &st) != nil || r.PostForm.Get("__EVENTVALIDATION") == "" {
			http.Error(w, "Invalid postback or callback argument.", http.StatusInternalServerError)
			return
		}
		if r.PostForm.Get("__EVENTTARGET") != "ctl00$ContentPlaceHolder1$radResultsGrid" ||
			r.PostForm.Get("__EVENTARGUMENT") != "FireCommand:ctl00$ContentPlaceHolder1$radResultsGrid$ctl00;Page;Next" {
			http.Error(w, "Invalid postback or callback argument.", http.StatusInternalServerError)
			return
		}
		q, _ = url.ParseQuery(st.Q)
		page = st.Page + 1
		if s.stuck {
			page = st.Page
		}
	} else if q.Get("DocTypeID") != "" {
		s.hit("search")
	} else {
		s.hit("form")
	}
	var rows []tbFixture
	for _, f := range tbFixtures {
		treaty, dt := f.treaty, f.docType
		if treaty == "" {
			treaty, dt = "8", tbCODocType
		}
		if q.Get("DocTypeID") == dt && (q.Get("TreatyID") == "" || q.Get("TreatyID") == treaty) {
			if c := q.Get("CountryID"); c == "" || c == f.CountryID {
				rows = append(rows, f)
			}
		}
	}
	pages := (len(rows) + s.pageSize - 1) / s.pageSize
	if page > pages {
		page = max(pages, 1)
	}
	var shown []map[string]any
	for _, f := range rows[min((page-1)*s.pageSize, len(rows)):min(page*s.pageSize, len(rows))] {
		lt, treaty, dtn := f.linkText, "CCPR", "Concluding Observations"
		if lt == "" {
			lt = f.Symbol
		}
		if f.treaty == "9" {
			treaty, dtn = "CESCR", "Jurisprudence"
		}
		shown = append(shown, map[string]any{"Title": f.Title, "Country": f.Country, "Symbol": f.Symbol, "LinkText": lt, "More": f.bundle, "Date": f.Date, "File": f.File, "Treaty": treaty, "DocTypeName": dtn})
	}
	var links []map[string]any
	for n := 1; n <= pages; n++ {
		links = append(links, map[string]any{"N": n, "Current": n == page, "Ctl": fmt.Sprintf("%02d", n+2)})
	}
	vs, _ := json.Marshal(tbViewState{Q: q.Encode(), Page: page})
	// The document types: a RadListBox whose item values travel in its
	// $create script's itemData. The follow-up report comes first and
	// also contains the words "Concluding Observations".
	docTypes := []tbOption{{"19", "Follow-up Report of the Special Rapporteur on follow-up on Concluding Observations", false}, {"11", "General Comments", false},
		{"17", "Jurisprudence", false}, {"1", "List of Issues", false}, {"2", "State Party's Report", false}, {tbCODocType, s.coLabel, false}, {"18", "Follow-up Letter", false}}
	var vals []map[string]string
	for _, d := range docTypes {
		vals = append(vals, map[string]string{"value": d.Value})
	}
	itemDataB, _ := json.Marshal(vals)
	itemData := string(itemDataB)
	sel := func(opts [][2]string, v string) []tbOption {
		var out []tbOption
		for _, o := range opts {
			out = append(out, tbOption{o[0], o[1], o[0] == v})
		}
		return out
	}
	data := map[string]any{
		"Query":           q.Encode(),
		"ViewState":       base64.StdEncoding.EncodeToString(vs),
		"EventValidation": base64.StdEncoding.EncodeToString([]byte("ev:" + strconv.Itoa(page))),
		"Treaties": sel([][2]string{{"0", "All"}, {"1", "CAT - Convention against Torture"}, {"2", "CED - Convention for the Protection of All Persons from Enforced Disappearance"},
			{"3", "CEDAW - Convention on the Elimination of All Forms of Discrimination against Women"}, {"4", "CRPD - Convention on the Rights of Persons with Disabilities"},
			{"5", "CRC - Convention on the Rights of the Child"}, {"10", "CRC-OP-AC - Optional Protocol to the CRC on armed conflict"}, {"6", "CERD - International Convention on the Elimination of All Forms of Racial Discrimination"},
			{"7", "CMW - International Convention on the Protection of the Rights of All Migrant Workers"}, {"8", "CCPR - International Covenant on Civil and Political Rights"},
			{"9", "CESCR - International Covenant on Economic, Social and Cultural Rights"}}, q.Get("TreatyID")),
		"Countries": sel([][2]string{{"0", "All"}, {"59", "Denmark"}, {"80", "Indonesia"}, {"151", "Namibia"}, {"171", "Paraguay"}, {"232", "United States of America"}}, q.Get("CountryID")),
		"DocTypes":  docTypes,
		"ItemData":  template.JS(itemData),
		"GridID":    s.gridID,
		"GridName":  strings.ReplaceAll(s.gridID, "_", "$"),
		"Rows":      shown,
		"Page":      page,
		"Pages":     pages,
		"Last":      page >= pages,
		"Total":     len(rows),
		"PageSize":  s.pageSize,
		"PageLinks": links,
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.search.Execute(w, data); err != nil {
		s.t.Error(err)
	}
}

func (s *tbServer) serveDownload(w http.ResponseWriter, r *http.Request) {
	sym := r.URL.Query().Get("symbolno")
	s.hit("download:" + sym)
	for _, f := range tbFixtures {
		if f.Symbol != sym {
			continue
		}
		if f.layout == "nofiles" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!DOCTYPE html><html><head><title>Download</title></head><body><form method="post" action="./Download.aspx?symbolno=`+url.QueryEscape(sym)+`&amp;Lang=en" id="aspnetForm"><div id="DeltaPlaceHolderMain"><span id="ctl00_PlaceHolderMain_lblMessage">Sorry there is no files available</span></div></form></body></html>`)
			return
		}
		tmpl := s.draft
		if f.layout == "docstore" {
			tmpl = s.docstore
		}
		var offers []map[string]string
		for _, o := range f.offers {
			offers = append(offers, map[string]string{"Lang": o.Lang, "Format": o.Format, "Key": o.Key,
				"FileName": safeName(f.Symbol) + "_" + strings.ToUpper(o.Lang[:1]) + "." + o.Format})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		tmpl.Execute(w, map[string]any{"Symbol": sym, "SymbolEnc": url.QueryEscape(sym), "Offers": offers, "Docstore": s.srv.URL})
		return
	}
	http.NotFound(w, r)
}

func (s *tbServer) serveDoc(w http.ResponseWriter, r *http.Request, key string) {
	s.hit("doc:" + s.keySymbol[key])
	s.mu.Lock()
	hook := s.onDoc
	s.mu.Unlock()
	if hook != nil {
		hook(s.keySymbol[key])
	}
	o, ok := s.keys[key]
	switch {
	case !ok || o.file == "404":
		http.NotFound(w, r)
	case o.file == "":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><head><title>Error</title></head><body><h1>Sorry, something went wrong</h1></body></html>"))
	default:
		ct := map[string]string{"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf", "html": "text/html; charset=utf-16", "doc": "application/msword"}[o.Format]
		w.Header().Set("Content-Type", ct)
		w.Write(readTestdata(s.t, o.file))
	}
}

func TestTreatyBodiesAllCountries(t *testing.T) {
	s := newTBServer(t)
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	f := NewTreatyBodies(testOptions(), s.base(), nil, []string{"CCPR"})
	rep, err := f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	// 7 rows in 3 pages of 3: one GET and two postbacks.
	if s.hits["search"] != 1 || s.hits["postback"] != 2 {
		t.Fatalf("hits %v", s.hits)
	}
	post := s.posted[0]
	for k, v := range map[string]string{
		"ctl00$ContentPlaceHolder1$ddlTreaty": "8", "ctl00$ContentPlaceHolder1$ddlCountry": "0",
		"__VIEWSTATEGENERATOR": "4C5E6D3B", "ctl00$ContentPlaceHolder1$radResultsGrid$ctl00$ctl03$ctl01$PageSizeComboBox": "3",
		"ctl00_ContentPlaceHolder1_rlbDocTypeCategory_ClientState": "",
	} {
		if post.Get(k) != v {
			t.Errorf("postback %s = %q, want %q", k, post.Get(k), v)
		}
	}
	if _, pressed := post["ctl00$ContentPlaceHolder1$btnSearch"]; pressed {
		t.Error("postback pressed the Search button")
	}
	if rep.Fetched != 3 || rep.Skipped != 0 || len(rep.Warnings) != 4 {
		t.Fatalf("report %+v", rep)
	}
	for i, w := range []string{
		"CCPR/C/USA/CO/4: asked for English docx", "CCPR/C/DNK/CO/5: no English docx/html/pdf/doc", "CCPR/C/PRY/CO/3: GET", "CCPR/C/NAM/CO/1: GET",
	} {
		if !strings.Contains(rep.Warnings[i], w) {
			t.Errorf("warning %d %q lacks %q", i, rep.Warnings[i], w)
		}
	}
	want := map[string]string{
		"CCPR_C_DNK_CO_6.docx": "tbinternet/CCPR_C_DNK_CO_6.docx", // docx preferred over pdf
		"CCPR_C_NAM_CO_2.html": "tbinternet/CCPR_C_NAM_CO_2.html", // html preferred over pdf, UTF-16 kept
		"CCPR_C_PRY_CO_4.pdf":  "tbinternet/CCPR_C_PRY_CO_4.pdf",
	}
	got := listDir(t, dest)
	if len(got) != len(want) {
		t.Fatalf("dest holds %v", got)
	}
	for name, src := range want {
		b, err := os.ReadFile(filepath.Join(dest, name))
		if err != nil || !bytes.Equal(b, readTestdata(t, src)) {
			t.Fatalf("%s not saved byte for byte (err %v)", name, err)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "CCPR_C_NAM_CO_2.html")); !bytes.HasPrefix(b, []byte{0xff, 0xfe}) {
		t.Fatal("UTF-16 page lost its byte-order mark")
	}

	// A second run re-reads the grid but fetches no document already saved;
	// those that failed are tried again.
	rep, err = f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 0 || rep.Skipped != 3 || len(rep.Warnings) != 4 || s.hits["doc:CCPR/C/DNK/CO/6"] != 1 {
		t.Fatalf("second run %+v, hits %v", rep, s.hits)
	}
}

func TestTreatyBodiesByCountry(t *testing.T) {
	s := newTBServer(t)
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	rep, err := NewTreatyBodies(testOptions(), s.base(), []string{"DNK", "Namibia"}, []string{"CCPR"}).Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	// Two searches of one page each: no postback needed. Namibia is not
	// among the options of Treaty.aspx: its CountryID comes from its page.
	if s.hits["search"] != 2 || s.hits["postback"] != 0 || s.hits["form"] != 1 || s.hits["treaty.aspx"] != 1 || s.hits["countries.aspx:NAM"] != 1 {
		t.Fatalf("hits %v", s.hits)
	}
	if rep.Fetched != 2 || strings.Join(listDir(t, dest), " ") != "CCPR_C_DNK_CO_6.docx CCPR_C_NAM_CO_2.html" {
		t.Fatalf("report %+v, files %v", rep, listDir(t, dest))
	}
}

func TestTreatyBodiesStuckPager(t *testing.T) {
	s := newTBServer(t)
	s.stuck = true
	ctx, cancel := ctxT(t)
	defer cancel()
	rep, err := NewTreatyBodies(testOptions(), s.base(), nil, []string{"CCPR"}).Fetch(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The postback brings page 1 again: the walk stops instead of looping.
	if s.hits["postback"] != 1 || rep.Fetched+len(rep.Warnings) != 3 {
		t.Fatalf("hits %v, report %+v", s.hits, rep)
	}
}

func TestTreatyBodiesChangedLayout(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *tbServer)
		want   []string
	}{
		{"grid renamed", func(s *tbServer) { s.gridID = "ctl00_ContentPlaceHolder1_gvResults" }, []string{"page 1", `no result grid (selector [id$="radResultsGrid"])`}},
		{"document type renamed", func(s *tbServer) { s.coLabel = "Final observations" }, []string{`no document type named exactly "Concluding Observations"`, "#ctl00_ContentPlaceHolder1_rlbDocTypeCategory", "Follow-up Report"}},
		{"robots.txt disallows the database", func(s *tbServer) {
			s.robots = strings.Replace(sharePointRobots, "/_Layouts/", "/_layouts/", 1)
		}, []string{"/robots.txt forbids " + "http", "TBSearch.aspx?Lang=en", `"Disallow: /_layouts/" (line 2, group User-agent: *)`, "nothing was fetched", "disallowed by robots.txt"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTBServer(t)
			tc.change(s)
			dest := t.TempDir()
			ctx, cancel := ctxT(t)
			defer cancel()
			_, err := NewTreatyBodies(testOptions(), s.base(), nil, []string{"CCPR"}).Fetch(ctx, dest)
			wantErr(t, err, tc.want...)
			if got := listDir(t, dest); len(got) != 0 {
				t.Fatalf("dest holds %v", got)
			}
		})
	}
	t.Run("unknown treaty", func(t *testing.T) {
		s := newTBServer(t)
		ctx, cancel := ctxT(t)
		defer cancel()
		_, err := NewTreatyBodies(testOptions(), s.base(), nil, []string{"CRC-OP-SC"}).Fetch(ctx, t.TempDir())
		wantErr(t, err, `unknown treaty "CRC-OP-SC"`, "CAT, CED, CEDAW, CRPD, CRC, CERD, CMW, CCPR, CESCR")
	})
}

func TestTreatyBodiesResumeAfterInterrupt(t *testing.T) {
	s := newTBServer(t)
	dest := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	s.onDoc = func(sym string) {
		if sym == "CCPR/C/NAM/CO/2" {
			cancel()
		}
	}
	f := NewTreatyBodies(testOptions(), s.base(), nil, []string{"CCPR"})
	rep, err := f.Fetch(ctx, dest)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if rep.Fetched != 1 || strings.Join(listDir(t, dest), " ") != "CCPR_C_DNK_CO_6.docx" {
		t.Fatalf("interrupted run %+v, files %v", rep, listDir(t, dest))
	}
	s.mu.Lock()
	s.onDoc = nil
	s.mu.Unlock()
	ctx2, cancel2 := ctxT(t)
	defer cancel2()
	rep, err = f.Fetch(ctx2, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 2 || rep.Skipped != 1 || s.hits["doc:CCPR/C/DNK/CO/6"] != 1 || s.hits["download:CCPR/C/DNK/CO/6"] != 1 {
		t.Fatalf("resumed run %+v, hits %v", rep, s.hits)
	}
	if len(listDir(t, dest)) != 3 {
		t.Fatalf("files %v", listDir(t, dest))
	}
}

func TestTreatyBodiesJurisprudenceBundles(t *testing.T) {
	s := newTBServer(t)
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	f := NewTreatyBodies(testOptions(), s.base(), []string{"ESP", "Italy"}, []string{"CESCR"})
	f.DocType = "Jurisprudence"
	rep, err := f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	// The "View document" row is saved under its symbol; the bundle under
	// its first symbol; the bundle without files is a warning, not an end.
	if got := strings.Join(listDir(t, dest), " "); got != "E_C.12_79_D_269_2022.docx E_C.12_79_D_330_2023.docx" {
		t.Fatalf("files %q, report %+v", got, rep)
	}
	if rep.Fetched != 2 || len(rep.Warnings) != 1 ||
		!strings.Contains(rep.Warnings[0], `E/C.12/79/D/258/2022, E/C.12/79/D/259/2022: `) || !strings.Contains(rep.Warnings[0], `says "Sorry there is no files available"`) {
		t.Fatalf("report %+v", rep)
	}
	var st tbState
	if err := loadState(statePath(dest, "treaty-bodies"), &st); err != nil {
		t.Fatal(err)
	}
	if d := st.Docs["E/C.12/79/D/278/2022"]; d.File != "E_C.12_79_D_269_2022.docx" || d.Bundle != "E/C.12/79/D/269/2022" {
		t.Fatalf("bundle member recorded as %+v", d)
	}
	if _, ok := st.NoFiles["E/C.12/79/D/259/2022"]; !ok || len(st.NoFiles) != 2 {
		t.Fatalf("no-files record %v", st.NoFiles)
	}
	// Both searches used the query URL route with the CountryIDs of Treaty.aspx.
	if s.hits["search"] != 2 || s.hits["countries.aspx:ESP"] != 0 {
		t.Fatalf("hits %v", s.hits)
	}
}

func TestTreatyBodiesPlanSendsNothing(t *testing.T) {
	s := newTBServer(t)
	f := NewTreatyBodies(testOptions(), s.base(), []string{"DNK", "Namibia"}, []string{"CCPR", "CESCR"})
	var lines []string
	for _, r := range f.Plan() {
		lines = append(lines, r.String())
	}
	ua := "[User-Agent: " + testOptions().withDefaults().UserAgent + "]"
	want := []string{
		"GET " + s.srv.URL + "/robots.txt " + ua + "  # a rule forbidding TBSearch.aspx stops the run here",
		"GET " + s.base() + `TBSearch.aspx?Lang=en [Accept: text/html] ` + ua + `  # DocTypeID of the item named exactly "Concluding Observations" of the list box rlbDocTypeCategory`,
		"GET " + s.base() + "Treaty.aspx?Lang=en [Accept: text/html] " + ua + "  # CountryID of each country from its <option value> (else from Countries.aspx?CountryCode=ISO3&Lang=en)",
		"GET " + s.base() + "TBSearch.aspx?Lang=en&TreatyID=8&DocTypeID=DOCTYPEID&CountryID=COUNTRYID_DNK [Accept: text/html] " + ua + "  # Concluding Observations / CCPR / DNK",
		"GET " + s.base() + "TBSearch.aspx?Lang=en&TreatyID=9&DocTypeID=DOCTYPEID&CountryID=COUNTRYID_DNK [Accept: text/html] " + ua + "  # Concluding Observations / CESCR / DNK",
		"GET " + s.base() + "TBSearch.aspx?Lang=en&TreatyID=8&DocTypeID=DOCTYPEID&CountryID=COUNTRYID_NAM [Accept: text/html] " + ua + "  # Concluding Observations / CCPR / NAM",
		"GET " + s.base() + "TBSearch.aspx?Lang=en&TreatyID=9&DocTypeID=DOCTYPEID&CountryID=COUNTRYID_NAM [Accept: text/html] " + ua + "  # Concluding Observations / CESCR / NAM",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if len(s.hits) != 0 {
		t.Fatalf("the plan sent requests: %v", s.hits)
	}
}
