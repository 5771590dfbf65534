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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/uprinfo"
	"github.com/nmirf/nmirf/models"
)

// uwaziServer answers /api/templates, /api/thesauris and /api/search as the
// UPR Info Uwazi instance does, Elasticsearch window included: totalRows
// stops at 10,000 with relation "gte" and from+limit past it is an error.
type uwaziServer struct {
	mu        sync.Mutex
	templates []byte
	thesauris []byte
	states    []string // State sharedIds in thesaurus order
	byState   map[string][]json.RawMessage
	hits      map[string]int // by endpoint, and "search:<state|all>"
	onSearch  func(state string, from int)
	rowsKey   string
	window    int
}

const recTemplate = "5d8ce04361cde0408222e9a8"

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
		rowsKey:   "rows",
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
		if r.ID != "5d8cdec361cde0408222d3ec" {
			continue
		}
		for i, v := range r.Values {
			s.states = append(s.states, v.ID)
			var mine []map[string]any
			for _, e := range seeds {
				sur := e["metadata"].(map[string]any)["state_under_review"].([]any)[0].(map[string]any)
				if sur["value"] == v.ID {
					mine = append(mine, e)
				}
			}
			for n := 0; n < perState[i]; n++ {
				s.byState[v.ID] = append(s.byState[v.ID], entityCopy(t, mine[n%len(mine)], fmt.Sprintf("%s-%05d", v.ID, n)))
			}
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	return s, srv
}

func entityCopy(t *testing.T, seed map[string]any, sharedID string) json.RawMessage {
	c := map[string]any{}
	for k, v := range seed {
		c[k] = v
	}
	c["sharedId"] = sharedID
	c["_id"] = "id-" + sharedID
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
		w.Write([]byte("User-agent: *\nDisallow: /api/users\n"))
	case "/api/templates":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(s.templates)
	case "/api/thesauris":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(s.thesauris)
	case "/api/search":
		s.search(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (s *uwaziServer) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if q.Get("language") != "en" {
		http.Error(w, `{"error":"language"}`, http.StatusBadRequest)
		return
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
	state := q.Get("filters[state_under_review][values][]")
	key := state
	if key == "" {
		key = "all"
	}
	s.mu.Lock()
	s.hits["search:"+key]++
	hook := s.onSearch
	s.mu.Unlock()
	if hook != nil && limit > 0 {
		hook(state, from)
	}
	s.mu.Lock()
	var set []json.RawMessage
	if types := q["types[]"]; len(types) == 1 && types[0] == recTemplate {
		if state != "" {
			set = s.byState[state] // an unknown id matches nothing, as on the real site
		} else {
			for _, st := range s.states {
				set = append(set, s.byState[st]...)
			}
		}
	}
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
	agg, _ := json.Marshal(map[string]any{"all": map[string]any{"_types": map[string]any{"doc_count": total,
		"buckets": []any{map[string]any{"key": recTemplate, "doc_count": total, "filtered": map[string]any{"doc_count": total}}}}}})
	fmt.Fprintf(w, `{%q:[%s],"totalRows":%d,"relation":%q,"aggregations":%s}`, s.rowsKey, bytes.Join(rawSlices(rows), []byte(",")), total, rel, agg)
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
	want := map[string]int{"search:all": 1, "search:8qoy4x2xk8s": 5, "search:ohbmp9d9wz": 5, "search:zk2c4w7b3l": 4, "/api/thesauris": 1, "/api/templates": 1}
	for k, n := range want {
		if s.hits[k] != n {
			t.Errorf("%s: %d requests, want %d", k, s.hits[k], n)
		}
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

func TestUPRInfoDuplicateAcrossPages(t *testing.T) {
	s, srv := newUwaziServer(t, 100, 40, 35, 26)
	inserted := false
	s.onSearch = func(state string, from int) {
		// A recommendation added while we page shifts the offsets: the
		// next page starts with the last row of the previous one.
		if state == "ohbmp9d9wz" && from == 10 && !inserted {
			inserted = true
			s.mu.Lock()
			s.byState[state] = append([]json.RawMessage{s.byState[state][1]}, s.byState[state]...)
			s.byState[state][0] = entityCopy(t, map[string]any{"sharedId": "x", "metadata": map[string]any{}}, "ohbmp9d9wz-new")
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
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "Indonesia: read 36 rows, totalRows said 35") {
		t.Fatalf("warnings %q", rep.Warnings)
	}
	res := importCSV(t, filepath.Join(dest, "upr-info-database.csv"))
	if len(res.Records) != 101 {
		t.Fatalf("%d records, want 101 after de-duplication by sharedId", len(res.Records))
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
		{"States thesaurus gone", func(s *uwaziServer) {
			s.thesauris = []byte(strings.Replace(string(s.thesauris), "5d8cdec361cde0408222d3ec", "0000", 1))
		}, []string{"/api/thesauris", `no thesaurus with _id "5d8cdec361cde0408222d3ec"`}},
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
