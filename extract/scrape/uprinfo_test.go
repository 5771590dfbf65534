package scrape

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/extract/uprinfo"
	"github.com/nmirf/nmirf/models"
)

// uwaziServer answers /api/templates, /api/thesauris and /api/search as
// the UPR Info Uwazi instance does (uwazi source, see testdata/PROVENANCE.md):
//   - a query key outside the search parameter schema, "language" among
//     them, is a 400; the language comes from Accept-Language;
//   - the Elasticsearch window: totalRows stops at the window with relation
//     "gte" and from+limit past it is an error;
//   - without sort, rows come in no fixed order: two replicas answer in
//     turn, in opposite orders, so offset paging repeats and skips rows;
//   - /api/thesauris lists at most 200 entities of the States template,
//     and an aggregation at most 200 buckets (preloadOptionsLimit).
type uwaziServer struct {
	mu        sync.Mutex
	templates []byte
	thesauris []byte
	states    []uwState // in creation order
	byState   map[string][]json.RawMessage
	hits      map[string]int // by endpoint, and "search:<state|all|states>"
	langs     map[string]int // Accept-Language of /api/search requests
	rejected  []string       // query keys refused with 400
	onSearch  func(state string, from int)
	rowsKey   string
	window    int
	unsorted  int    // unsorted searches served, to alternate the replicas
	aggField  string // the aggregation of State under review; default state_under_review
	robots    string // robots.txt; default allows the API
	noState   int    // recommendations with no State under review (the "missing" bucket)
	created   int64
}

type uwState struct{ id, label string }

const (
	recTemplate    = "5d8ce04361cde0408222e9a8"
	statesTemplate = "5d8cdec361cde0408222d3ec"
)

// uwaziSearchKeys are the query keys of uwazi's searchParamsSchema
// (app/shared/types/searchParameterSchema.ts), which has
// additionalProperties false.
var uwaziSearchKeys = map[string]bool{"aggregateGeneratedToc": true, "aggregatePermissionsByLevel": true, "aggregatePermissionsByUsers": true,
	"aggregatePublishingStatus": true, "filters": true, "customFilters": true, "types": true, "_types": true, "fields": true, "include": true,
	"allAggregations": true, "aggregations": true, "order": true, "sort": true, "limit": true, "from": true, "searchTerm": true,
	"includeUnpublished": true, "userSelectedSorting": true, "treatAs": true, "unpublished": true, "select": true, "geolocation": true,
	"includeReviewAggregations": true}

// newUwaziServer serves perState[i] recommendations for the i-th State of
// testdata/uwazi/thesauris.json, made from that State's real seed entities.
// window is the index's result window: 10,000 as on the real site, or
// smaller to keep a test quick.
func newUwaziServer(t *testing.T, window int, perState ...int) (*uwaziServer, *httptest.Server) {
	s := &uwaziServer{
		window:    window,
		templates: readTestdata(t, "uwazi/templates.json"),
		thesauris: readTestdata(t, "uwazi/thesauris.json"),
		byState:   map[string][]json.RawMessage{},
		hits:      map[string]int{},
		langs:     map[string]int{},
		rowsKey:   "rows",
		created:   1580000000000,
		robots:    "User-agent: *\nDisallow: /api/users\n",
	}
	var seeds []map[string]any
	if err := json.Unmarshal(readTestdata(t, "uwazi/entities.json"), &seeds); err != nil {
		t.Fatal(err)
	}
	var th struct {
		Rows []struct {
			ID     string `json:"_id"`
			Values []struct{ ID, Label string }
		}
	}
	json.Unmarshal(s.thesauris, &th)
	for _, r := range th.Rows {
		if r.ID != statesTemplate {
			continue
		}
		for i, v := range r.Values {
			s.states = append(s.states, uwState{v.ID, v.Label})
			var mine []map[string]any
			for _, e := range seeds {
				sur := e["metadata"].(map[string]any)["state_under_review"].([]any)[0].(map[string]any)
				if sur["value"] == v.ID {
					mine = append(mine, e)
				}
			}
			for n := 0; n < perState[i]; n++ {
				s.byState[v.ID] = append(s.byState[v.ID], s.entityCopy(t, mine[n%len(mine)], fmt.Sprintf("%s-%05d", v.ID, n), nil))
			}
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	return s, srv
}

// addStates adds n more States, named by ISO3 codes of the country table,
// each with perState copies of Afghanistan's first seed moved to it.
func (s *uwaziServer) addStates(t *testing.T, n, perState int) {
	var seed map[string]any
	json.Unmarshal(s.byState["8qoy4x2xk8s"][0], &seed)
	have := map[string]bool{"AFG": true, "IDN": true, "THA": true}
	for _, iso := range norm.Countries() {
		if n == 0 {
			break
		}
		if have[iso] {
			continue
		}
		n--
		id := "st-" + strings.ToLower(iso)
		s.states = append(s.states, uwState{id, iso})
		for k := 0; k < perState; k++ {
			s.byState[id] = append(s.byState[id], s.entityCopy(t, seed, fmt.Sprintf("%s-%05d", id, k), &uwState{id, iso}))
		}
	}
}

// entityCopy copies a seed under a new sharedId and a creationDate later
// than every entity before it, moved to State st when st is not nil.
func (s *uwaziServer) entityCopy(t *testing.T, seed map[string]any, sharedID string, st *uwState) json.RawMessage {
	c := map[string]any{}
	for k, v := range seed {
		c[k] = v
	}
	c["sharedId"] = sharedID
	c["_id"] = "id-" + sharedID
	s.created++
	c["creationDate"] = s.created
	if st != nil {
		md := map[string]any{}
		for k, v := range seed["metadata"].(map[string]any) {
			md[k] = v
		}
		md["state_under_review"] = []any{map[string]any{"value": st.id, "label": st.label}}
		c["metadata"] = md
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (s *uwaziServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	switch r.URL.Path {
	case "/robots.txt":
		w.Write([]byte(s.robots))
	case "/api/templates":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(s.templates)
	case "/api/thesauris":
		s.serveThesauris(w)
	case "/api/search":
		s.search(w, r)
	default:
		http.NotFound(w, r)
	}
}

// serveThesauris lists the States template as a thesaurus with at most
// 200 values and the full optionsCount, as templateToThesauri does.
func (s *uwaziServer) serveThesauris(w http.ResponseWriter) {
	var th struct {
		Rows []map[string]any `json:"rows"`
	}
	json.Unmarshal(s.thesauris, &th)
	s.mu.Lock()
	for _, r := range th.Rows {
		if r["_id"] == statesTemplate {
			var vals []any
			for _, st := range s.states[:min(200, len(s.states))] {
				vals = append(vals, map[string]any{"id": st.id, "label": st.label})
			}
			r["values"], r["type"], r["optionsCount"] = vals, "template", len(s.states)
		}
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(th)
}

func (s *uwaziServer) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	for k := range q {
		top, _, _ := strings.Cut(k, "[")
		if !uwaziSearchKeys[top] {
			s.mu.Lock()
			s.rejected = append(s.rejected, k)
			s.mu.Unlock()
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"validation failed","prettyMessage":"validation failed","validations":[{"instancePath":"/query","keyword":"additionalProperties","params":{"additionalProperty":%q},"message":"must NOT have additional properties"}]}`, top)
			return
		}
	}
	lang := r.Header.Get("Accept-Language")
	// Express's query parser (qs) and Uwazi's parseQueryMiddleware: a
	// bracketed key is part of its top-level property; a value that is
	// JSON is parsed.
	var types []string
	if v := q.Get("types"); v != "" {
		if json.Unmarshal([]byte(v), &types) != nil {
			http.Error(w, `{"error":"validation failed: types must be array"}`, http.StatusBadRequest)
			return
		}
	}
	types = append(types, q["types[]"]...)
	state := q.Get("filters[state_under_review][values][]")
	if v := q.Get("filters"); v != "" {
		var f map[string]struct {
			Values []string `json:"values"`
		}
		if json.Unmarshal([]byte(v), &f) != nil {
			http.Error(w, `{"error":"validation failed: filters must be object"}`, http.StatusBadRequest)
			return
		}
		if vs := f["state_under_review"].Values; len(vs) == 1 {
			state = vs[0]
		}
	}
	limit, from := 30, 0
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	if v := q.Get("from"); v != "" {
		from, _ = strconv.Atoi(v)
	}
	if from+limit > s.window {
		http.Error(w, `{"error":"Result window is too large, from + size must be less than or equal to: [10000]"}`, http.StatusInternalServerError)
		return
	}
	key := state
	switch {
	case len(types) == 1 && types[0] == statesTemplate:
		key = "states"
	case key == "":
		key = "all"
	}
	s.mu.Lock()
	s.langs[lang]++
	s.hits["search:"+key]++
	hook := s.onSearch
	s.mu.Unlock()
	if hook != nil && limit > 0 {
		hook(state, from)
	}
	s.mu.Lock()
	var set []json.RawMessage
	switch {
	case key == "states":
		for i, st := range s.states {
			b, _ := json.Marshal(map[string]any{"_id": "id-" + st.id, "sharedId": st.id, "title": st.label, "template": statesTemplate,
				"language": "en", "published": true, "creationDate": 1570000000000 + int64(i), "metadata": map[string]any{}})
			set = append(set, b)
		}
	case len(types) == 1 && types[0] == recTemplate:
		if state != "" {
			set = append(set, s.byState[state]...) // an unknown id matches nothing, as on the real site
		} else {
			for _, st := range s.states {
				set = append(set, s.byState[st.id]...)
			}
		}
	}
	if q.Get("sort") == "creationDate" {
		sortByCreation(set, q.Get("order") == "desc")
	} else if limit > 0 {
		// No sort: the replicas answer in turn, each in its own order.
		s.unsorted++
		if s.unsorted%2 == 0 {
			rev := make([]json.RawMessage, len(set))
			for i, e := range set {
				rev[len(set)-1-i] = e
			}
			set = rev
		}
	}
	aggs := s.aggregations(key, len(set))
	s.mu.Unlock()
	total, rel := len(set), "eq"
	if total >= s.window {
		total, rel = s.window, "gte"
	}
	rows := []json.RawMessage{}
	if from < len(set) {
		rows = set[from:min(from+limit, len(set))]
	}
	// Rows are written as stored: re-encoding 10,000 entities per test
	// would only slow the test down.
	fmt.Fprintf(w, `{%q:[%s],"totalRows":%d,"relation":%q,"aggregations":%s}`, s.rowsKey, bytes.Join(rawSlices(rows), []byte(",")), total, rel, aggs)
}

// sortByCreation sorts stored entities by creationDate, then sharedId. The
// two keys are read by a scan, not by decoding: the tests page 10,000
// entities.
func sortByCreation(set []json.RawMessage, desc bool) {
	type pair struct {
		c  int64
		id string
		e  json.RawMessage
	}
	ps := make([]pair, len(set))
	for i, e := range set {
		ps[i] = pair{rawInt(e, `"creationDate":`), rawString(e, `"sharedId":`), e}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if desc {
			a, b = b, a
		}
		return a.c < b.c || a.c == b.c && a.id < b.id
	})
	for i := range ps {
		set[i] = ps[i].e
	}
}

func rawInt(e []byte, key string) int64 {
	i := bytes.Index(e, []byte(key))
	if i < 0 {
		return 0
	}
	var n int64
	for _, c := range e[i+len(key):] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

func rawString(e []byte, key string) string {
	i := bytes.Index(e, []byte(key+`"`))
	if i < 0 {
		return ""
	}
	rest := e[i+len(key)+1:]
	if j := bytes.IndexByte(rest, '"'); j >= 0 {
		return string(rest[:j])
	}
	return ""
}

// aggregations shapes the search's "aggregations" as Uwazi does (uwazi-
// statistics tests/test_aggregations.py): per filter field, buckets of key,
// doc_count, filtered.doc_count and label, at most 200 of them (most
// documents first) then "missing" and "any".
func (s *uwaziServer) aggregations(key string, total int) []byte {
	all := map[string]any{"_types": map[string]any{"doc_count": total,
		"buckets": []any{map[string]any{"key": recTemplate, "doc_count": total, "filtered": map[string]any{"doc_count": total}}}}}
	if key == "all" {
		var buckets []map[string]any
		for _, st := range s.states {
			if n := len(s.byState[st.id]); n > 0 {
				buckets = append(buckets, map[string]any{"key": st.id, "label": st.label, "doc_count": n, "filtered": map[string]any{"doc_count": n}})
			}
		}
		sort.SliceStable(buckets, func(i, j int) bool { return buckets[i]["doc_count"].(int) > buckets[j]["doc_count"].(int) })
		buckets = buckets[:min(200, len(buckets))]
		out := make([]any, 0, len(buckets)+2)
		for _, b := range buckets {
			out = append(out, b)
		}
		out = append(out, map[string]any{"key": "missing", "label": "No label", "doc_count": s.noState, "filtered": map[string]any{"doc_count": s.noState}},
			map[string]any{"key": "any", "label": "Any", "doc_count": total, "filtered": map[string]any{"doc_count": total}})
		name := s.aggField
		if name == "" {
			name = "state_under_review"
		}
		all[name] = map[string]any{"doc_count": total, "buckets": out}
	}
	b, _ := json.Marshal(map[string]any{"all": all})
	return b
}

func rawSlices(rs []json.RawMessage) [][]byte {
	out := make([][]byte, len(rs))
	for i, r := range rs {
		out[i] = r
	}
	return out
}

// importCSV reads the fetched file with the real upr-info-csv importer.
func importCSV(t *testing.T, path string) *extract.Result {
	t.Helper()
	in, err := extract.ReadInput(path)
	if err != nil {
		t.Fatal(err)
	}
	if score := uprinfo.CSV.Sniff(in); score != 95 {
		t.Fatalf("upr-info-csv sniffs the fetched file at %d, want 95", score)
	}
	res, err := uprinfo.CSV.Import(context.Background(), in, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestUPRInfoPerStateSplit(t *testing.T) {
	s, srv := newUwaziServer(t, uwaziWindow, 4000, 3500, 2600)
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	f := NewUPRInfo(testOptions(), srv.URL)
	f.PageSize = 1000
	rep, err := f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 1 || rep.Skipped != 0 || len(rep.Warnings) != 0 {
		t.Fatalf("report %+v", rep)
	}
	// 1 probe; then per State full pages plus the empty batch that ends it.
	// The States: one page of the States template and the empty batch;
	// /api/thesauris is never asked.
	want := map[string]int{"search:all": 1, "search:8qoy4x2xk8s": 5, "search:ohbmp9d9wz": 5, "search:zk2c4w7b3l": 4, "search:states": 2, "/api/thesauris": 0, "/api/templates": 1}
	for k, n := range want {
		if s.hits[k] != n {
			t.Errorf("%s: %d requests, want %d", k, s.hits[k], n)
		}
	}
	// Every search went with Accept-Language: en and no "language" key.
	if len(s.rejected) != 0 || len(s.langs) != 1 || s.langs["en"] != 17 {
		t.Errorf("rejected keys %v, Accept-Language %v", s.rejected, s.langs)
	}
	res := importCSV(t, filepath.Join(dest, "upr-info-database.csv"))
	if len(res.Records) != 10100 || len(res.Rejected) != 0 {
		t.Fatalf("imported %d records, %d rejected: %v", len(res.Records), len(res.Rejected), res.Rejected[:min(3, len(res.Rejected))])
	}
	first := res.Records[0]
	if first.CountryISO3 != "AFG" || first.Session != 5 || first.Response != models.ResponseSupported ||
		strings.Join(first.RecommendingStates, ",") != "AUT" || first.ActionCategory != 5 ||
		!strings.HasPrefix(first.Text, "Enact legislation and take effective measures to protect and promote women's rights") {
		t.Fatalf("first record %+v", first)
	}
	var issues []string
	for _, l := range first.Labels {
		if l.Scheme == models.SchemeUPRInfoIssue {
			issues = append(issues, l.Value)
		}
	}
	if strings.Join(issues, "|") != "Rights of the Child|Women's rights" {
		t.Fatalf("issues %q", issues)
	}
	counts := map[string]int{}
	for _, r := range res.Records {
		counts[r.CountryISO3]++
	}
	if counts["AFG"] != 4000 || counts["IDN"] != 3500 || counts["THA"] != 2600 {
		t.Fatalf("per country %v", counts)
	}
	// Thailand seed 2: Slovenia, Noted, session 12, action 3.
	th := res.Records[7500+1]
	if th.CountryISO3 != "THA" || th.Session != 12 || th.Response != models.ResponseNoted || strings.Join(th.RecommendingStates, ",") != "SVN" || th.ActionCategory != 3 {
		t.Fatalf("Thailand record %+v", th)
	}
	if _, err := os.Stat(statePath(dest, "upr-info")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("state file left after a complete run: %v", err)
	}

	rep, err = f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 0 || rep.Unchanged != 1 {
		t.Fatalf("second run %+v", rep)
	}
}

func TestUPRInfoSmallDatabaseOnePass(t *testing.T) {
	s, srv := newUwaziServer(t, uwaziWindow, 7, 5, 3)
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	f := NewUPRInfo(testOptions(), srv.URL)
	f.PageSize = 4
	if _, err := f.Fetch(ctx, dest); err != nil {
		t.Fatal(err)
	}
	// 15 rows: probe, 4 pages of 4, then the empty batch; no thesauri needed.
	if s.hits["search:all"] != 1+4+1 || s.hits["/api/thesauris"] != 0 {
		t.Fatalf("hits %v", s.hits)
	}
	res := importCSV(t, filepath.Join(dest, "upr-info-database.csv"))
	if len(res.Records) != 15 || len(res.Rejected) != 0 {
		t.Fatalf("%d records, %d rejected", len(res.Records), len(res.Rejected))
	}
	// Indonesia's "(Unknown)" recommending State is an empty From.
	if got := res.Records[7+1]; got.CountryISO3 != "IDN" || len(got.RecommendingStates) != 0 || got.Session != 1 {
		t.Fatalf("Indonesia record %+v", got)
	}
}

// TestUwaziReplicaLikeEvidence checks that the test server behaves as the
// evidence says the live site does, so that the fetcher tests mean
// something.
func TestUwaziReplicaLikeEvidence(t *testing.T) {
	s, srv := newUwaziServer(t, 100, 40, 35, 26)
	s.addStates(t, 247, 1)
	get := func(q string, hdr ...string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+q, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return resp.StatusCode, v
	}
	if code, body := get("/api/search?types[]=" + recTemplate + "&language=en&limit=1"); code != 400 || !strings.Contains(fmt.Sprint(body), "additionalProperty:language") {
		t.Errorf("language=en: HTTP %d %v, want 400 naming the key", code, body)
	}
	if code, _ := get("/api/search?types[]="+recTemplate+"&limit=1", "Accept-Language", "en"); code != 200 {
		t.Errorf("Accept-Language: HTTP %d", code)
	}
	_, th := get("/api/thesauris")
	for _, r := range th["rows"].([]any) {
		if m := r.(map[string]any); m["_id"] == statesTemplate && (len(m["values"].([]any)) != 200 || m["optionsCount"].(float64) != 250) {
			t.Errorf("States as thesaurus: %d values of %v, want 200 of 250", len(m["values"].([]any)), m["optionsCount"])
		}
	}
	_, agg := get("/api/search?types[]=" + recTemplate + "&limit=0")
	buckets := agg["aggregations"].(map[string]any)["all"].(map[string]any)["state_under_review"].(map[string]any)["buckets"].([]any)
	if len(buckets) != 202 {
		t.Errorf("%d state_under_review buckets, want 200 and missing and any", len(buckets))
	}
	// Unsorted offset paging of Afghanistan's 40 rows in pages of 20
	// repeats some rows and skips others.
	seen := map[string]bool{}
	for from := 0; from < 40; from += 20 {
		_, page := get("/api/search?types[]=" + recTemplate + "&filters[state_under_review][values][]=8qoy4x2xk8s&limit=20&from=" + strconv.Itoa(from))
		for _, r := range page["rows"].([]any) {
			seen[r.(map[string]any)["sharedId"].(string)] = true
		}
	}
	if len(seen) == 40 {
		t.Error("unsorted paging returned every row once; the live site gives no such promise")
	}
}

func TestUPRInfoMoreThan200States(t *testing.T) {
	// 250 States, 500 recommendations: past a window of 300, so split
	// by State, but the States fit it as on the live site (about 200
	// States, a 10,000 window).
	s, srv := newUwaziServer(t, 300, 2, 2, 2)
	s.addStates(t, 247, 2)
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	opt := testOptions()
	opt.Delay = time.Millisecond // 500 requests
	f := NewUPRInfo(opt, srv.URL)
	f.PageSize = 50
	f.Window = 300
	rep, err := f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 0 {
		t.Fatalf("warnings %q", rep.Warnings)
	}
	res := importCSV(t, filepath.Join(dest, "upr-info-database.csv"))
	countries := map[string]int{}
	for _, r := range res.Records {
		countries[r.CountryISO3]++
	}
	if len(res.Records) != 500 || len(countries) != 250 || countries["ZWE"] != 2 {
		t.Fatalf("%d records of %d States (Zimbabwe %d); want 500 of 250", len(res.Records), len(countries), countries["ZWE"])
	}
}

func TestUPRInfoShortfallWarns(t *testing.T) {
	s, srv := newUwaziServer(t, 100, 40, 35, 26)
	removed := false
	s.onSearch = func(state string, from int) {
		// A recommendation unpublished while we page shifts the offsets:
		// the next page starts one row later, and one row is never seen.
		if state == "ohbmp9d9wz" && from == 10 && !removed {
			removed = true
			s.mu.Lock()
			s.byState[state] = s.byState[state][1:]
			s.mu.Unlock()
		}
	}
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	f := NewUPRInfo(testOptions(), srv.URL)
	f.PageSize = 10
	f.Window = 100
	rep, err := f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "Indonesia: kept 34 distinct recommendations, totalRows said 35: 1 missing") {
		t.Fatalf("warnings %q", rep.Warnings)
	}
	if res := importCSV(t, filepath.Join(dest, "upr-info-database.csv")); len(res.Records) != 100 {
		t.Fatalf("%d records, want 100", len(res.Records))
	}
}

// TestUPRInfoPagingStops: paging that cannot see every row stops the
// fetch with what to do, and writes nothing: a State whose rows repeat
// (the database changed) until the search window, and a States template
// that loses a State while it is paged.
func TestUPRInfoPagingStops(t *testing.T) {
	tests := []struct {
		name     string
		hook     func(s *uwaziServer, state string, from int)
		pageSize int
		want     []string
	}{
		{"a State past the window", func(s *uwaziServer, state string, from int) {
			// Ten rows already read are published again ahead of the
			// rest: offsets shift and the window ends before the last
			// rows of Afghanistan.
			s.mu.Lock()
			defer s.mu.Unlock()
			if state == "8qoy4x2xk8s" && from == 10 && len(s.byState[state]) == 30 {
				s.byState[state] = append(append([]json.RawMessage{}, s.byState[state][:10]...), s.byState[state]...)
			}
		}, 10, []string{"Afghanistan has more than 35 recommendations", "split this State by session"}},
		{"a State gone from the States template", func(s *uwaziServer, state string, from int) {
			s.mu.Lock()
			defer s.mu.Unlock()
			if state == "" && from == 2 && len(s.states) == 3 {
				s.states = s.states[1:]
			}
		}, 2, []string{"lists 3 entities but paging kept 2", "the per-State split would miss States"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// 60 recommendations past a window of 35: split by State.
			s, srv := newUwaziServer(t, 35, 30, 20, 10)
			s.onSearch = func(state string, from int) { tc.hook(s, state, from) }
			dest := t.TempDir()
			ctx, cancel := ctxT(t)
			defer cancel()
			f := NewUPRInfo(testOptions(), srv.URL)
			f.PageSize = tc.pageSize
			f.Window = 35
			_, err := f.Fetch(ctx, dest)
			wantErr(t, err, tc.want...)
			if got := listDir(t, dest); len(got) != 0 {
				t.Fatalf("dest holds %v", got)
			}
		})
	}
}

func TestUPRInfoChangedLayout(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *uwaziServer)
		want   []string
	}{
		{"template field renamed", func(s *uwaziServer) {
			s.templates = []byte(strings.Replace(string(s.templates), `"name": "state_under_review"`, `"name": "state_reviewed"`, 1))
		}, []string{"/api/templates", `no property "state_under_review"`, "state_reviewed"}},
		{"search rows renamed", func(s *uwaziServer) { s.rowsKey = "results" }, []string{"/api/search", `no "rows" field`}},
		{"no States to split by", func(s *uwaziServer) {
			s.templates = []byte(strings.Replace(string(s.templates), statesTemplate, "0000", 1))
			s.aggField = "state" // the aggregation names no State either
		}, []string{"totalRows 100 is capped", `entities of template "0000"`, "aggregations.all.state_under_review"}},
		{"robots.txt forbids the API", func(s *uwaziServer) { s.robots = "User-agent: *\nDisallow: /api/\n" },
			[]string{"/robots.txt forbids", "/api/search", `"Disallow: /api/" (line 2, group User-agent: *)`, "nothing was fetched"}},
		{"template id unknown", func(s *uwaziServer) {
			s.templates = []byte(strings.Replace(string(s.templates), recTemplate, "5d8ce04361cde0408222ffff", 1))
		}, []string{"no template with _id " + recTemplate}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newUwaziServer(t, 100, 40, 35, 26)
			tc.change(s)
			dest := t.TempDir()
			ctx, cancel := ctxT(t)
			defer cancel()
			f := NewUPRInfo(testOptions(), srv.URL)
			f.PageSize = 10
			f.Window = 100
			_, err := f.Fetch(ctx, dest)
			wantErr(t, err, tc.want...)
			if got := listDir(t, dest); len(got) != 0 {
				t.Fatalf("dest holds %v", got)
			}
		})
	}
}

func TestUPRInfoResumeAfterInterrupt(t *testing.T) {
	s, srv := newUwaziServer(t, 100, 40, 35, 26)
	dest := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	s.onSearch = func(state string, from int) {
		if state == "ohbmp9d9wz" && from == 20 {
			cancel()
		}
	}
	f := NewUPRInfo(testOptions(), srv.URL)
	f.PageSize = 10
	f.Window = 100
	_, err := f.Fetch(ctx, dest)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if got := listDir(t, dest); len(got) != 0 {
		t.Fatalf("interrupted run left %v", got)
	}
	s.mu.Lock()
	s.onSearch = nil
	before := map[string]int{}
	for k, v := range s.hits {
		before[k] = v
	}
	s.mu.Unlock()

	ctx2, cancel2 := ctxT(t)
	defer cancel2()
	rep, err := f.Fetch(ctx2, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Skipped != 1 || rep.Fetched != 1 {
		t.Fatalf("resumed run %+v", rep)
	}
	if n := s.hits["search:8qoy4x2xk8s"] - before["search:8qoy4x2xk8s"]; n != 0 {
		t.Fatalf("Afghanistan re-fetched with %d requests", n)
	}
	if n := s.hits["search:ohbmp9d9wz"] - before["search:ohbmp9d9wz"]; n != 5 {
		t.Fatalf("Indonesia fetched with %d requests, want 5", n)
	}
	if res := importCSV(t, filepath.Join(dest, "upr-info-database.csv")); len(res.Records) != 101 {
		t.Fatalf("%d records", len(res.Records))
	}
}

func TestUPRInfoCacheExpiry(t *testing.T) {
	s, srv := newUwaziServer(t, uwaziWindow, 7, 5, 3)
	dest, cache := t.TempDir(), t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	opt := testOptions()
	opt.CacheDir = cache
	opt.CacheMaxAge = time.Hour
	f := NewUPRInfo(opt, srv.URL)
	f.PageSize = 10
	run := func() {
		t.Helper()
		if _, err := f.Fetch(ctx, dest); err != nil {
			t.Fatal(err)
		}
	}
	run()
	run() // every page comes from the cache
	if s.hits["/api/templates"] != 1 || s.hits["search:all"] != 4 {
		t.Fatalf("after a cached re-run: %v", s.hits)
	}
	old := time.Now().Add(-2 * time.Hour)
	var n int
	filepath.WalkDir(cache, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
			return os.Chtimes(p, old, old)
		}
		return err
	})
	if n != 5 { // templates, the probe and three search pages
		t.Fatalf("%d cache entries, want 5", n)
	}
	run() // entries are past CacheMaxAge: deleted, so the site is asked again
	if s.hits["/api/templates"] != 2 || s.hits["search:all"] != 8 {
		t.Fatalf("after expiry: %v", s.hits)
	}
}

func TestUPRInfoRecommendationsWithoutStateWarn(t *testing.T) {
	s, srv := newUwaziServer(t, 100, 40, 35, 26)
	s.noState = 3
	ctx, cancel := ctxT(t)
	defer cancel()
	f := NewUPRInfo(testOptions(), srv.URL)
	f.PageSize = 50
	f.Window = 100
	rep, err := f.Fetch(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `3 recommendations have no State under review (aggregation bucket "missing")`) {
		t.Fatalf("warnings %q", rep.Warnings)
	}
}
