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
)

// uhriServer serves the two UHRI exports under both paths of the live
// hosts (dataex.ohchr.org/uhri/export-results/… and
// uhri.ohchr.org/api/uhri/export-results/…). Nothing shows that the live
// server sends ETag or Last-Modified, so by default it sends neither and
// ignores conditional headers; validators true makes it send both and
// answer If-None-Match with 304.
type uhriServer struct {
	mu         sync.Mutex
	validators bool
	condSeen   int // requests that carried If-None-Match or If-Modified-Since
	robots     string
	files      map[string][]byte
	etags      map[string]string
	modified   time.Time
	hits       map[string]int
	notMod     map[string]int
	fail503    map[string]int // 503s still to serve per path
	slow       map[string]int // responses still to delay past the client timeout
	onHit      func(path string)
	agents     map[string]bool
}

func newUHRIServer(t *testing.T) (*uhriServer, *httptest.Server) {
	s := &uhriServer{
		robots: "User-agent: *\nDisallow: /uhri/admin/\n",
		files: map[string][]byte{
			"/uhri/export-results/export-full-en.xlsx":     readTestdata(t, "uhri/export-full-en.xlsx"),
			"/uhri/export-results/export-full-en.json":     readTestdata(t, "uhri/export-full-en.json"),
			"/api/uhri/export-results/export-full-en.xlsx": readTestdata(t, "uhri/export-full-en.xlsx"),
			"/api/uhri/export-results/export-full-en.json": readTestdata(t, "uhri/export-full-en.json"),
		},
		etags:    map[string]string{"/uhri/export-results/export-full-en.xlsx": `"x1"`, "/uhri/export-results/export-full-en.json": `"j1"`},
		modified: time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC),
		hits:     map[string]int{}, agents: map[string]bool{}, notMod: map[string]int{}, fail503: map[string]int{}, slow: map[string]int{},
	}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *uhriServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/robots.txt" {
		w.Write([]byte(s.robots))
		return
	}
	s.mu.Lock()
	s.agents[r.UserAgent()] = true
	body, ok := s.files[r.URL.Path]
	etag := s.etags[r.URL.Path]
	s.hits[r.URL.Path]++
	fail := s.fail503[r.URL.Path] > 0
	if fail {
		s.fail503[r.URL.Path]--
	}
	slow := s.slow[r.URL.Path] > 0
	if slow {
		s.slow[r.URL.Path]--
	}
	hook := s.onHit
	s.mu.Unlock()
	if hook != nil {
		hook(r.URL.Path)
	}
	switch {
	case !ok:
		http.NotFound(w, r)
		return
	case fail:
		http.Error(w, "<html><body>Service Unavailable</body></html>", http.StatusServiceUnavailable)
		return
	case slow:
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
		return
	}
	s.mu.Lock()
	validators := s.validators
	if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
		s.condSeen++
	}
	s.mu.Unlock()
	if inm := r.Header.Get("If-None-Match"); validators && inm != "" && inm == etag {
		s.mu.Lock()
		s.notMod[r.URL.Path]++
		s.mu.Unlock()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if validators {
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", s.modified.Format(http.TimeFormat))
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if filepath.Ext(r.URL.Path) == ".json" {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
	w.Write(body)
}

func uhriURLs(srv *httptest.Server) []string {
	return []string{srv.URL + "/uhri/export-results/export-full-en.xlsx", srv.URL + "/uhri/export-results/export-full-en.json"}
}

func TestUHRIConditionalGet(t *testing.T) {
	s, srv := newUHRIServer(t)
	s.validators = true // should the server ever send them
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	f := NewUHRI(testOptions(), uhriURLs(srv)...)

	rep, err := f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 2 || rep.Unchanged != 0 || len(rep.Files) != 2 {
		t.Fatalf("first run: %+v", rep)
	}
	for name, want := range map[string]string{"export-full-en.xlsx": "uhri/export-full-en.xlsx", "export-full-en.json": "uhri/export-full-en.json"} {
		got, err := os.ReadFile(filepath.Join(dest, name))
		if err != nil || !bytes.Equal(got, readTestdata(t, want)) {
			t.Fatalf("%s not saved as served (err %v)", name, err)
		}
	}
	var st uhriState
	if err := loadState(statePath(dest, "uhri"), &st); err != nil {
		t.Fatal(err)
	}
	if len(s.agents) != 1 || !s.agents["nmirf/"+Version+" (+https://github.com/nmirf/nmirf)"] {
		t.Fatalf("user agents seen: %v", s.agents)
	}
	e := st.URLs[uhriURLs(srv)[1]]
	if e == nil || e.ETag != `"j1"` || e.LastModified != "Fri, 01 May 2026 03:00:00 GMT" || e.SHA256 != sha256Hex(readTestdata(t, "uhri/export-full-en.json")) {
		t.Fatalf("state entry %+v", e)
	}

	rep, err = f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 0 || rep.Unchanged != 2 || s.notMod["/uhri/export-results/export-full-en.json"] != 1 {
		t.Fatalf("second run: %+v, 304s %v", rep, s.notMod)
	}

	// A new export: new ETag and bytes.
	var recs []map[string]any
	json.Unmarshal(s.files["/uhri/export-results/export-full-en.json"], &recs)
	newJSON, _ := json.Marshal(recs[:2])
	s.mu.Lock()
	s.files["/uhri/export-results/export-full-en.json"] = newJSON
	s.etags["/uhri/export-results/export-full-en.json"] = `"j2"`
	s.mu.Unlock()
	rep, err = f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 1 || rep.Unchanged != 1 || rep.Files[0] != filepath.Join(dest, "export-full-en.json") {
		t.Fatalf("third run: %+v", rep)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "export-full-en.json")); !bytes.Equal(got, newJSON) {
		t.Fatal("changed export not saved")
	}
	if got := listDir(t, dest); len(got) != 2 {
		t.Fatalf("dest holds %v (temp files left?)", got)
	}
}

func TestUHRIFailures(t *testing.T) {
	const xlsx = "/uhri/export-results/export-full-en.xlsx"
	tests := []struct {
		name     string
		setup    func(s *uhriServer, o *Options)
		wantErr  []string
		wantHits int
		wantFile bool
	}{
		{"503 twice then 200", func(s *uhriServer, o *Options) { s.fail503[xlsx] = 2 }, nil, 3, true},
		{"timeout then 200", func(s *uhriServer, o *Options) { s.slow[xlsx] = 1; o.Timeout = 150 * time.Millisecond }, nil, 2, true},
		{"503 every time", func(s *uhriServer, o *Options) { s.fail503[xlsx] = 99 }, []string{"giving up", "try 4 of 4: HTTP 503"}, 4, false},
		{"robots.txt disallows", func(s *uhriServer, o *Options) {
			s.robots = "User-agent: nmirf\nDisallow: /uhri/\n\nUser-agent: *\nDisallow:\n"
		},
			[]string{"disallowed by robots.txt", `for user agent "nmirf/`}, 0, false},
		{"error page served with 200", func(s *uhriServer, o *Options) {
			s.files[xlsx] = []byte("<!DOCTYPE html><html><body>Maintenance</body></html>")
		}, []string{"export-full-en.xlsx", "not an XLSX workbook", "nothing saved"}, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newUHRIServer(t)
			opt := testOptions()
			tc.setup(s, &opt)
			dest := t.TempDir()
			ctx, cancel := ctxT(t)
			defer cancel()
			rep, err := NewUHRI(opt, srv.URL+xlsx).Fetch(ctx, dest)
			if tc.wantErr != nil {
				wantErr(t, err, tc.wantErr...)
				if tc.name == "robots.txt disallows" && !errors.Is(err, ErrRobots) {
					t.Fatalf("error %v is not ErrRobots", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if s.hits[xlsx] != tc.wantHits {
				t.Fatalf("server saw %d requests, want %d", s.hits[xlsx], tc.wantHits)
			}
			if got := fileExists(filepath.Join(dest, "export-full-en.xlsx")); got != tc.wantFile {
				t.Fatalf("file saved = %v, want %v (report %+v)", got, tc.wantFile, rep)
			}
			if !tc.wantFile {
				if got := listDir(t, dest); len(got) != 0 {
					t.Fatalf("dest holds %v", got)
				}
			}
		})
	}
}

func TestUHRIResumeAfterInterrupt(t *testing.T) {
	s, srv := newUHRIServer(t)
	dest := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	s.onHit = func(p string) {
		if filepath.Ext(p) == ".json" {
			cancel() // interrupted while the second export downloads
		}
	}
	f := NewUHRI(testOptions(), uhriURLs(srv)...)
	rep, err := f.Fetch(ctx, dest)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if rep.Fetched != 1 || !fileExists(filepath.Join(dest, "export-full-en.xlsx")) || fileExists(filepath.Join(dest, "export-full-en.json")) {
		t.Fatalf("interrupted run: %+v, files %v", rep, listDir(t, dest))
	}
	s.onHit = nil
	ctx2, cancel2 := ctxT(t)
	defer cancel2()
	rep, err = f.Fetch(ctx2, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 1 || rep.Unchanged != 1 || s.hits["/uhri/export-results/export-full-en.xlsx"] != 2 {
		t.Fatalf("resumed run: %+v, hits %v", rep, s.hits)
	}
	if got := listDir(t, dest); len(got) != 2 {
		t.Fatalf("dest holds %v", got)
	}
}

// TestUHRIWithoutValidators is the live case: no ETag, no Last-Modified.
// An export is unchanged when its size and SHA-256 are the last run's.
func TestUHRIWithoutValidators(t *testing.T) {
	s, srv := newUHRIServer(t)
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	f := NewUHRI(testOptions(), uhriURLs(srv)...)
	rep, err := f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 2 {
		t.Fatalf("first run %+v", rep)
	}
	jsonFile := filepath.Join(dest, "export-full-en.json")
	old := time.Now().Add(-time.Hour)
	os.Chtimes(jsonFile, old, old)
	rep, err = f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(jsonFile)
	if rep.Fetched != 0 || rep.Unchanged != 2 || len(rep.Files) != 0 || !st.ModTime().Equal(old) || s.condSeen != 0 {
		t.Fatalf("second run %+v, file rewritten %v, conditional requests %d", rep, !st.ModTime().Equal(old), s.condSeen)
	}
	// A new export of the same length: only the hash tells.
	const path = "/uhri/export-results/export-full-en.json"
	s.mu.Lock()
	s.files[path] = bytes.Replace(s.files[path], []byte(`"2025-03-03T10:53:45.827"`), []byte(`"2025-03-04T08:01:12.500"`), 1)
	s.mu.Unlock()
	rep, err = f.Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 1 || rep.Unchanged != 1 || len(rep.Files) != 1 || rep.Files[0] != jsonFile {
		t.Fatalf("third run %+v", rep)
	}
	// The saved export carries the live value shapes the importers meet.
	var recs []map[string]any
	if b, err := os.ReadFile(jsonFile); err != nil || json.Unmarshal(b, &recs) != nil {
		t.Fatalf("saved export unreadable: %v", err)
	}
	r := recs[0]
	if r["Body"] != "- CRC" || r["AnnotationType"] != "- Concerns/Observations" || r["PublicationDate"] != "2025-02-12T00:00:00" ||
		r["PublicationDateOnUhri"] != "2025-03-04T08:01:12.500" || fmt.Sprint(r["UprSession"]) != "[]" || fmt.Sprint(r["UprRecommendingRegions"]) != "[]" {
		t.Fatalf("first record %v", r)
	}
}

func TestUHRIBothHosts(t *testing.T) {
	_, srv := newUHRIServer(t)
	dest := t.TempDir()
	ctx, cancel := ctxT(t)
	defer cancel()
	// dataex.ohchr.org/uhri/… and uhri.ohchr.org/api/uhri/… (here one test
	// host): the second file of the same name is prefixed by its host.
	rep, err := NewUHRI(testOptions(), srv.URL+"/uhri/export-results/export-full-en.json", srv.URL+"/api/uhri/export-results/export-full-en.json").Fetch(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(listDir(t, dest), " "); rep.Fetched != 2 || got != "127.0.0.1_export-full-en.json export-full-en.json" {
		t.Fatalf("report %+v, files %q", rep, got)
	}
}

func TestUHRIRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(s *uhriServer, o *Options) string // returns the URL path
		want  []string
	}{
		{"path ends in ..", func(s *uhriServer, o *Options) string { return "/uhri/export-results/%2e%2e" }, []string{"names no file", `".."`}},
		{"API answer, not the array", func(s *uhriServer, o *Options) string {
			s.files["/api/uhri/export-results/export-full-en.json"] = []byte(`{"error":"Export is being generated"}`)
			return "/api/uhri/export-results/export-full-en.json"
		}, []string{"not the export's top-level JSON array", "nothing saved"}},
		{"past the size limit", func(s *uhriServer, o *Options) string {
			o.MaxExportBytes = 1000
			return "/uhri/export-results/export-full-en.xlsx"
		}, []string{"response too large", "more than 1000 bytes", "MaxExportBytes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newUHRIServer(t)
			opt := testOptions()
			p := tc.setup(s, &opt)
			parent := t.TempDir()
			dest := filepath.Join(parent, "uhri")
			ctx, cancel := ctxT(t)
			defer cancel()
			_, err := NewUHRI(opt, srv.URL+p).Fetch(ctx, dest)
			wantErr(t, err, tc.want...)
			if got := listDir(t, parent); len(got) > 1 || len(got) == 1 && got[0] != "uhri" {
				t.Fatalf("parent holds %v", got)
			}
			if fileExists(dest) || dirHasFiles(dest) {
				t.Fatalf("dest holds %v", listDir(t, dest))
			}
		})
	}
}

func dirHasFiles(dir string) bool {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".nmirf-fetch-") {
			return true
		}
	}
	return false
}
