package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nmirf/nmirf/extract/scrape"
)

// TestFetchDryRun checks that --dry-run prints the requests a fetch starts
// with and sends none of them.
func TestFetchDryRun(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.NotFound(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	wh := filepath.Join(dir, "wh")
	cfg := filepath.Join(dir, "nmirf.toml")
	os.WriteFile(cfg, []byte(`[fetch]
uhri = ["`+srv.URL+`/uhri/export-results/export-full-en.json"]
upr_info = "`+srv.URL+`"
[fetch.treaty_bodies]
base = "`+srv.URL+`/_layouts/15/TreatyBodyExternal/"
countries = ["Indonesia"]
treaties = ["CCPR"]
`), 0o644)
	code, out, stderr := run(t, "fetch", "--dry-run", "--config", cfg, "--warehouse", wh)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ua := "[User-Agent: nmirf/" + version + " (+https://github.com/nmirf/nmirf)]"
	js := " [Accept: application/json] [Accept-Language: en] " + ua
	html := " [Accept: text/html] " + ua
	tb := srv.URL + "/_layouts/15/TreatyBodyExternal/"
	want := []string{
		"# uhri",
		"GET " + srv.URL + "/uhri/export-results/export-full-en.json " + ua + "  # ",
		"# upr-info",
		"GET " + srv.URL + "/api/templates" + js + "  # ",
		"GET " + srv.URL + "/api/search?limit=0&types=%5B%225d8ce04361cde0408222e9a8%22%5D" + js + "  # ",
		"GET " + srv.URL + "/api/search?from=0&limit=500&order=asc&sort=creationDate&types=%5B%225d8cdec361cde0408222d3ec%22%5D" + js + "  # ",
		"GET " + srv.URL + "/api/search?filters=%7B%22state_under_review%22%3A%7B%22values%22%3A%5B%22STATE_SHAREDID%22%5D%7D%7D&from=0&limit=500&order=asc&sort=creationDate&types=%5B%225d8ce04361cde0408222e9a8%22%5D" + js + "  # ",
		"# treaty-bodies",
		"GET " + srv.URL + "/robots.txt " + ua + "  # ",
		"GET " + tb + "TBSearch.aspx?Lang=en" + html + "  # ",
		"GET " + tb + "Treaty.aspx?Lang=en" + html + "  # ",
		"GET " + tb + "TBSearch.aspx?Lang=en&TreatyID=8&DocTypeID=DOCTYPEID&CountryID=COUNTRYID_IDN" + html + "  # Concluding Observations / CCPR / IDN",
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d:\n%s\nwant it to start\n%s", i+1, lines[i], w)
		}
	}
	if strings.Contains(out, "language=") {
		t.Error("a planned request carries language=")
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the dry run sent %d requests", n)
	}
	if _, err := os.Stat(filepath.Join(wh, "downloads")); !os.IsNotExist(err) {
		t.Fatalf("the dry run made the download folder (%v)", err)
	}
}

type failingFetcher struct{}

func (failingFetcher) Name() string { return "upr-info" }
func (failingFetcher) Fetch(context.Context, string) (*scrape.Report, error) {
	return &scrape.Report{Warnings: []string{"upr info: Indonesia: kept 34 distinct recommendations, totalRows said 35: 1 missing"}},
		errors.New("upr info: GET /api/search: HTTP 400")
}

// TestRunFetchersKeepsWarningsOfAFailure: a fetcher that stops still has
// its warnings in the run summary.
func TestRunFetchersKeepsWarningsOfAFailure(t *testing.T) {
	_, warns, err := runFetchers(context.Background(), []scrape.Fetcher{failingFetcher{}}, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "fetch upr-info: upr info: GET /api/search: HTTP 400") {
		t.Fatalf("error %v", err)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "Indonesia: kept 34") {
		t.Fatalf("warnings %q", warns)
	}
}
