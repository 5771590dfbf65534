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
// docs/SCRAPING-NOTES.md §2).
const (
	UHRIExportXLSX = "https://dataex.ohchr.org/uhri/export-results/export-full-en.xlsx"
	UHRIExportJSON = "https://dataex.ohchr.org/uhri/export-results/export-full-en.json"
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
	SHA256       string    `json:"sha256"`
	Fetched      time.Time `json:"fetched"`
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
	cl, err := newClient(ctx, u.opt)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	for _, raw := range u.urls {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if err := u.fetchOne(cl, dest, raw, &st, rep); err != nil {
			return rep, err
		}
		if err := saveState(sp, &st); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func (u *UHRI) fetchOne(cl *client, dest, raw string, st *uhriState, rep *Report) error {
	pu, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("uhri: parse url %q: %w", raw, err)
	}
	name := path.Base(pu.Path)
	if name == "." || name == "/" {
		return fmt.Errorf("uhri: url %s names no file", raw)
	}
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
	resp, err := cl.get(raw, hdr, false)
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
	entry := &uhriEntry{File: name, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"), SHA256: sum, Fetched: time.Now().UTC()}
	if prev != nil && prev.SHA256 == sum && fileExists(file) {
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
		t := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
		if len(t) == 0 || (t[0] != '[' && t[0] != '{') {
			return fmt.Errorf("body is not JSON (starts %q)", truncate(body, 40))
		}
	}
	return nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
