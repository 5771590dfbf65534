package scrape

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSniffDoc(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"docx", readTestdata(t, "tbinternet/CCPR_C_DNK_CO_6.docx"), "docx"},
		{"pdf", readTestdata(t, "tbinternet/CCPR_C_PRY_CO_4.pdf"), "pdf"},
		{"utf-16 html", readTestdata(t, "tbinternet/CCPR_C_NAM_CO_2.html"), "html"},
		{"legacy doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), "doc"},
		{"utf-8 html with BOM", []byte("\xef\xbb\xbf\r\n<html>"), "html"},
		{"plain text", []byte("CCPR/C/DNK/CO/6"), ""},
		{"empty", nil, ""},
	}
	for _, tc := range tests {
		if got := sniffDoc(tc.data); got != tc.want {
			t.Errorf("%s: sniffDoc = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"CCPR/C/DNK/CO/6":        "CCPR_C_DNK_CO_6",
		"E/C.12/AUS/CO/6":        "E_C.12_AUS_CO_6",
		"CRC/C/COK/CO/2-5":       "CRC_C_COK_CO_2-5",
		" CCPR/CO/70/DNK ":       "CCPR_CO_70_DNK",
		"../../etc/passwd":       "etc_passwd",
		"ohbmp9d9wz":             "ohbmp9d9wz",
		"..":                     "_",
		".":                      "_",
		"...":                    "_",
		".nmirf-fetch-uhri.json": "nmirf-fetch-uhri.json",
		`..\..\x.json`:           "x.json",
		"export-full-en.json":    "export-full-en.json",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUPRInfoRow(t *testing.T) {
	var seeds []uwaziEntity
	if err := json.Unmarshal(readTestdata(t, "uwazi/entities.json"), &seeds); err != nil {
		t.Fatal(err)
	}
	row, err := uprInfoRow(seeds[0])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Afghanistan", "Asia", "", "Enact legislation and take effective measures to protect and promote women's rights, especially with regard to forced marriages, honour killings and access to education for all girls.",
		"Austria", "WEOG", "", "Supported", "5", "Rights of the Child,Women's rights", "5"}
	if strings.Join(row, "|") != strings.Join(want, "|") {
		t.Fatalf("row\n%q\nwant\n%q", row, want)
	}
	broken := func(key string, v []uwaziValue) uwaziEntity {
		e := uwaziEntity{SharedID: "x", Metadata: map[string][]uwaziValue{}}
		for k, vs := range seeds[0].Metadata {
			e.Metadata[k] = vs
		}
		e.Metadata[key] = v
		return e
	}
	for _, tc := range []struct {
		e    uwaziEntity
		want string
	}{
		{broken("recommendation", nil), "metadata.recommendation is empty"},
		{broken("state_under_review", nil), "metadata.state_under_review is empty"},
		{broken("session", []uwaziValue{{Label: "November 2023"}}), `metadata.session "November 2023" has no session number`},
		{uwaziEntity{SharedID: "x"}, `no "metadata" field`},
	} {
		if _, err := uprInfoRow(tc.e); err == nil || err.Error() != tc.want {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
	if row, err := uprInfoRow(broken("session", []uwaziValue{{Label: "44 - November 2023"}})); err != nil || row[10] != "44" {
		t.Errorf("session 44: %q, %v", row, err)
	}
}

func TestPruneCache(t *testing.T) {
	dir := t.TempDir()
	old, fresh := filepath.Join(dir, "ab", "abcd"), filepath.Join(dir, "cd", "cdef")
	for _, p := range []string{old, fresh} {
		if err := writeAtomic(p, []byte("gob")); err != nil {
			t.Fatal(err)
		}
	}
	then := time.Now().Add(-49 * time.Hour)
	os.Chtimes(old, then, then)
	if err := pruneCache(dir, 48*time.Hour); err != nil {
		t.Fatal(err)
	}
	if fileExists(old) || !fileExists(fresh) {
		t.Fatalf("old kept %v, fresh kept %v", fileExists(old), fileExists(fresh))
	}
	if err := pruneCache(filepath.Join(dir, "missing"), time.Hour); err != nil {
		t.Fatalf("missing cache dir: %v", err)
	}
}

func TestDefaultUserAgent(t *testing.T) {
	if got := (Options{}).withDefaults(); got.UserAgent != "nmirf/"+Version+" (+https://github.com/nmirf/nmirf)" || got.Delay != time.Second || got.MaxTries != 4 || got.IgnoreRobotsTxt {
		t.Fatalf("defaults %+v", got)
	}
}

func TestRobotsDecide(t *testing.T) {
	const ua = "nmirf/0.1.0 (+https://github.com/nmirf/nmirf)"
	search := "/_layouts/15/TreatyBodyExternal/TBSearch.aspx?Lang=en"
	for _, tc := range []struct {
		name, robots string
		want         string // "" allowed, else the rule
	}{
		{"SharePoint default spelling", "User-agent: *\nDisallow: /_Layouts/\nDisallow: /_vti_bin/\n", ""},
		{"lower-case layouts", "User-agent: *\nDisallow: /_vti_bin/\nDisallow: /_layouts/\n", `"Disallow: /_layouts/" (line 3, group User-agent: *)`},
		{"longer Allow wins", "User-agent: *\nDisallow: /_layouts/\nAllow: /_layouts/15/TreatyBodyExternal/\n", ""},
		{"our own group only", "User-agent: nmirf\nDisallow: /\n\nUser-agent: *\nDisallow:\n", `"Disallow: /" (line 2, group User-agent: nmirf)`},
		{"other robot's group", "User-agent: Googlebot\nDisallow: /\n", ""},
		{"wildcard", "User-agent: *\nDisallow: /*.aspx$\n", ""}, // the query follows .aspx
		{"wildcard with query", "User-agent: *\nDisallow: /*TBSearch.aspx\n", `"Disallow: /*TBSearch.aspx" (line 2, group User-agent: *)`},
	} {
		r := robotsDecide([]byte(tc.robots), ua, search)
		got := ""
		if r != nil && !r.Allow {
			got = r.String()
		}
		if got != tc.want {
			t.Errorf("%s: rule %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPageSizeLimit(t *testing.T) {
	_, srv := newUwaziServer(t, uwaziWindow, 7, 5, 3)
	opt := testOptions()
	opt.MaxPageBytes = 2000 // /api/templates is 2,360 bytes
	ctx, cancel := ctxT(t)
	defer cancel()
	dest := t.TempDir()
	_, err := NewUPRInfo(opt, srv.URL).Fetch(ctx, dest)
	wantErr(t, err, "/api/templates", "response too large", "more than 2000 bytes", "MaxPageBytes")
	if got := listDir(t, dest); len(got) != 0 {
		t.Fatalf("dest holds %v", got)
	}
}

func TestUPRInfoPlanSendsNothing(t *testing.T) {
	s, srv := newUwaziServer(t, uwaziWindow, 7, 5, 3)
	var lines []string
	for _, r := range NewUPRInfo(testOptions(), srv.URL).Plan() {
		lines = append(lines, r.String())
	}
	h := " [Accept: application/json] [Accept-Language: en] [User-Agent: nmirf/" + Version + " (+https://github.com/nmirf/nmirf)]  # "
	want := []string{
		"GET " + srv.URL + "/api/templates" + h + "checks the recommendations template's properties",
		"GET " + srv.URL + "/api/search?limit=0&types=%5B%22" + recTemplate + "%22%5D" + h + "totalRows, and aggregations.all.state_under_review (the States) when totalRows is capped",
		"GET " + srv.URL + "/api/search?from=0&limit=500&order=asc&sort=creationDate&types=%5B%22" + statesTemplate + "%22%5D" + h + "the States (entities of the template state_under_review points to), paged on with from=500, …",
		"GET " + srv.URL + "/api/search?filters=%7B%22state_under_review%22%3A%7B%22values%22%3A%5B%22STATE_SHAREDID%22%5D%7D%7D&from=0&limit=500&order=asc&sort=creationDate&types=%5B%22" + recTemplate + "%22%5D" + h +
			"first page of one State; sent for each State found, with its sharedId (or once without the filter when the whole database fits the window)",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("plan:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range lines {
		if strings.Contains(l, "language=") {
			t.Errorf("plan sends a language key: %s", l)
		}
	}
	if len(s.hits) != 0 {
		t.Fatalf("the plan sent requests: %v", s.hits)
	}
}
