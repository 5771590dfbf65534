package scrape

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"time"
)

// UHRI export URLs: updated daily, no authentication (see
// docs/SCRAPING-NOTES.md §2). The same files are also served under
// uhri.ohchr.org/api/uhri/export-results/; either host may be configured.
const (
	UHRIExportXLSX = "https://dataex.ohchr.org/uhri/export-results/export-full-en.xlsx"
	UHRIExportJSON = "https://dataex.ohchr.org/uhri/export-results/export-full-en.json"

	UHRIExportXLSXAlt = "https://uhri.ohchr.org/api/uhri/export-results/export-full-en.xlsx"
	UHRIExportJSONAlt = "https://uhri.ohchr.org/api/uhri/export-results/export-full-en.json"
)

// UHRI fetches the UHRI bulk exports with conditional GETs, so an unchanged
// export costs one 304 and no import.
type UHRI struct {
	opt  Options
	urls []string
}

// NewUHRI fetches each URL into dest under its base name; with no URLs it
// fetches the XLSX and JSON exports.
func NewUHRI(opt Options, urls ...string) *UHRI {
	if len(urls) == 0 {
		urls = []string{UHRIExportXLSX, UHRIExportJSON}
	}
	return &UHRI{opt: opt.withDefaults(), urls: urls}
}

// Name returns "uhri".
func (u *UHRI) Name() string { return "uhri" }

type uhriEntry struct {
	File         string    `json:"file"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	Fetched      time.Time `json:"fetched"`
}

// fileNames names each URL's file in dest: the last path segment made
// safe (never "..", never a path separator), prefixed by the host when two
// URLs would share a name. A URL that names no file is an error.
func (u *UHRI) fileNames() (map[string]string, error) {
	out := map[string]string{}
	used := map[string]string{}
	for _, raw := range u.urls {
		pu, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("uhri: parse url %q: %w", raw, err)
		}
		if pu.Scheme != "http" && pu.Scheme != "https" {
			return nil, fmt.Errorf("uhri: url %q is not http(s)", raw)
		}
		base := path.Base(pu.Path)
		name := safeName(base)
		if base == "." || base == "/" || base == ".." || name == "_" {
			return nil, fmt.Errorf("uhri: url %s names no file (its path ends in %q)", raw, base)
		}
		if other, ok := used[name]; ok && other != raw {
			name = safeName(pu.Hostname() + "_" + name)
		}
		used[name] = raw
		out[raw] = name
	}
	return out, nil
}

type uhriState struct {
	URLs map[string]*uhriEntry `json:"urls"`
}

// Fetch downloads each export that changed since the last run. A 304, or a
// 200 whose bytes hash as before, counts as Unchanged.
func (u *UHRI) Fetch(ctx context.Context, dest string) (*Report, error) {
	sp := statePath(dest, u.Name())
	st := uhriState{URLs: map[string]*uhriEntry{}}
	if err := loadState(sp, &st); err != nil {
		return nil, err
	}
	if st.URLs == nil {
		st.URLs = map[string]*uhriEntry{}
	}
	names, err := u.fileNames()
	if err != nil {
		return nil, err
	}
	cl, err := newClient(ctx, u.opt)
	if err != nil {
		return nil, err
	}
	for _, raw := range u.urls {
		if err := cl.checkRobots("uhri", raw); err != nil {
			return nil, err
		}
	}
	rep := &Report{}
	for _, raw := range u.urls {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if err := u.fetchOne(cl, dest, raw, names[raw], &st, rep); err != nil {
			return rep, err
		}
		if err := saveState(sp, &st); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// fetchOne downloads one export. The server is not known to send ETag or
// Last-Modified: when it does they make the request conditional; either
// way an export whose size and SHA-256 match the last run's is Unchanged
// and not rewritten, so nothing downstream re-imports it.
func (u *UHRI) fetchOne(cl *client, dest, raw, name string, st *uhriState, rep *Report) error {
	file := filepath.Join(dest, name)
	prev := st.URLs[raw]
	hdr := http.Header{}
	// Only ask for a 304 when the file it vouches for is still on disk.
	if prev != nil && fileExists(file) {
		if prev.ETag != "" {
			hdr.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			hdr.Set("If-Modified-Since", prev.LastModified)
		}
	}
	resp, err := cl.getKind(raw, hdr, false, kindExport)
	if err != nil {
		return fmt.Errorf("uhri: %w", err)
	}
	switch resp.Status {
	case http.StatusNotModified:
		rep.Unchanged++
		return nil
	case http.StatusOK:
	default:
		return fmt.Errorf("uhri: GET %s: HTTP %d", raw, resp.Status)
	}
	if cl := resp.Header.Get("Content-Length"); cl != "" {
		if n, err := strconv.Atoi(cl); err == nil && n != len(resp.Body) {
			return fmt.Errorf("uhri: GET %s: got %d of %d bytes (Content-Length); nothing saved", raw, len(resp.Body), n)
		}
	}
	if err := checkExport(name, resp.Body); err != nil {
		return fmt.Errorf("uhri: GET %s: %w; nothing saved", raw, err)
	}
	sum := sha256Hex(resp.Body)
	entry := &uhriEntry{File: name, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), Size: int64(len(resp.Body)), SHA256: sum, Fetched: time.Now().UTC()}
	if prev != nil && prev.File == name && prev.Size == entry.Size && prev.SHA256 == sum && sameFile(file, entry.Size) {
		st.URLs[raw] = entry
		rep.Unchanged++
		return nil
	}
	if err := writeAtomic(file, resp.Body); err != nil {
		return fmt.Errorf("uhri: %w", err)
	}
	st.URLs[raw] = entry
	rep.Fetched++
	rep.Files = append(rep.Files, file)
	return nil
}

// checkExport refuses an error page served with 200 in place of an export.
func checkExport(name string, body []byte) error {
	switch path.Ext(name) {
	case ".xlsx":
		if !bytes.HasPrefix(body, []byte("PK\x03\x04")) {
			return fmt.Errorf("body is not an XLSX workbook (starts %q)", truncate(body, 40))
		}
	case ".json":
		// The export is one top-level array of records; an object is an
		// API answer or an error, not the export.
		t := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
		if len(t) == 0 || t[0] != '[' {
			return fmt.Errorf("body is not the export's top-level JSON array (starts %q)", truncate(body, 40))
		}
	}
	return nil
}

// sameFile tells whether p is a regular file of size n, the one a former
// run saved.
func sameFile(p string, n int64) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Size() == n
}

// Plan lists the requests of a run: one GET per export.
func (u *UHRI) Plan() []Request {
	var out []Request
	for _, raw := range u.urls {
		out = append(out, Request{Method: http.MethodGet, URL: raw, Header: u.opt.planHeader(""),
			Note: "with If-None-Match / If-Modified-Since when a former run saw an ETag / Last-Modified; unchanged when size and SHA-256 match"})
	}
	return out
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
