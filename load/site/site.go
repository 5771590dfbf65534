package site

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options say what site to build where.
type Options struct {
	Country string   // ISO3
	Langs   []string // interface languages; the first is the default
	Out     string   // the site folder
	// Parquet is the warehouse's current snapshot folder (WAREHOUSE/parquet);
	// the country's partitions are copied into the bundle. "" leaves them out.
	Parquet string
	// SDGTitles holds the official translations of the SDG titles
	// (data.SDGTranslations).
	SDGTitles fs.FS
	// HideEntities are entity codes never published; HideFields names
	// fields never published: update_text, reporting_entity, lead_entity,
	// action_description.
	HideEntities []string
	HideFields   []string
	// Title replaces the site's title ("Recommendations to COUNTRY" in
	// each language) when set.
	Title string
}

// HideableFields are the fields Options.HideFields may name.
var HideableFields = []string{"update_text", "reporting_entity", "lead_entity", "action_description"}

// Stats say what a build did.
type Stats struct {
	Files, Written, Unchanged, Removed int
	// Skipped counts the unchanged files not even rendered: what they
	// show is what the previous build showed.
	Skipped int
	Bytes   int64
}

// Build writes the country's site. Files whose content did not change are
// not rewritten (their modification time stays), and files of an earlier
// build that are no longer part of the site are removed.
func Build(ctx context.Context, db *sql.DB, o Options) (Stats, error) {
	if len(o.Langs) == 0 {
		o.Langs = []string{"en"}
	}
	for _, f := range o.HideFields {
		if !slices.Contains(HideableFields, f) {
			// A misspelt field would publish what was meant to be hidden.
			return Stats{}, fmt.Errorf("cannot hide field %q: the fields are %s", f, strings.Join(HideableFields, ", "))
		}
	}
	var cats []*catalogue
	names := map[string]string{}
	for _, l := range o.Langs {
		c, err := loadCatalogue(l, o.SDGTitles)
		if err != nil {
			return Stats{}, err
		}
		cats = append(cats, c)
		names[l] = c.T("lang.name")
	}
	c, err := Load(ctx, db, o.Country)
	if err != nil {
		return Stats{}, err
	}
	c.hide(o.HideEntities, o.HideFields)
	c.keys()
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return Stats{}, fmt.Errorf("create site folder: %w", err)
	}
	w := &writer{root: o.Out, seen: map[string]bool{}, prev: readManifest(o.Out), next: map[string]entry{}}
	for _, name := range []string{"assets/site.css", "assets/site.js"} {
		b, _ := assetFS.ReadFile(name)
		if err := w.put(name, b); err != nil {
			return w.stats, err
		}
	}
	pq, err := c.parquetFiles(o.Parquet)
	if err != nil {
		return w.stats, err
	}
	bk := newHasher().s(formatVersion, buildRevision(), c.ISO3, c.Name, c.RunID, c.RunDate, c.allKey, c.clustersKey, c.actionsKey).b(c.Followup)
	for _, f := range pq {
		fi, err := os.Stat(f)
		if err != nil {
			return w.stats, fmt.Errorf("read the Parquet snapshot: %w", err)
		}
		bk.s(f, fi.ModTime().String()).n(int(fi.Size()))
	}
	if key := bk.sum(); !w.fresh(key, c.bundleName()) {
		bundle, err := c.bundle(o.Parquet, pq)
		if err != nil {
			return w.stats, err
		}
		if err := w.putKeyed(c.bundleName(), key, bundle); err != nil {
			return w.stats, err
		}
	}
	// One language per core at a time: rendering is most of a build.
	errs := make([]error, len(cats))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, cat := range cats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			b := &builder{ctx: ctx, c: c, m: cat, langs: o.Langs, names: names, w: w, title: o.Title}
			b.base = newHasher().s(c.globalKey, catalogueKey(cat, o.Langs, names), o.Title).sum()
			errs[i] = b.all()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return w.stats, err
		}
	}
	if err := w.put("index.html", languageChooser(c, cats, o.Title)); err != nil {
		return w.stats, err
	}
	if err := w.prune(); err != nil {
		return w.stats, err
	}
	if w.dirty || w.stale || w.prev == nil || len(w.prev) != len(w.next) {
		if err := w.touch(); err != nil {
			return w.stats, err
		}
		if err := writeManifest(o.Out, w.next); err != nil {
			return w.stats, err
		}
	}
	return w.stats, nil
}

func (c *Country) bundleName() string {
	return "download/nmirf-" + strings.ToLower(c.ISO3) + ".zip"
}

// hide drops hidden entities and fields before anything is rendered.
func (c *Country) hide(entities, fields []string) {
	he := map[string]bool{}
	for _, e := range entities {
		he[strings.ToUpper(e)] = true
	}
	hf := map[string]bool{}
	for _, f := range fields {
		hf[f] = true
	}
	for code := range c.Entities {
		if he[strings.ToUpper(code)] {
			delete(c.Entities, code)
		}
	}
	clean := func(us []Update) {
		for i := range us {
			if hf["update_text"] {
				us[i].Text = ""
			}
			if hf["reporting_entity"] || he[strings.ToUpper(us[i].Entity)] {
				us[i].Entity = ""
			}
		}
	}
	for _, r := range c.Recs {
		if hf["lead_entity"] || he[strings.ToUpper(r.Lead)] {
			r.Lead = ""
		}
		clean(r.History)
	}
	for _, a := range c.Actions {
		if hf["lead_entity"] || he[strings.ToUpper(a.Lead)] {
			a.Lead = ""
		}
		if hf["action_description"] {
			a.Description = ""
		}
		clean(a.History)
	}
}

// writer writes files under root, leaving alone those whose content is
// already there, and those whose key says their inputs did not change.
// The languages are rendered at the same time: its methods may be called
// from several goroutines.
type writer struct {
	root  string
	mu    sync.Mutex
	seen  map[string]bool
	prev  map[string]entry // the previous build's manifest
	next  map[string]entry
	stats Stats
	dirty bool // a file was written or removed: the manifest is out of date
	stale bool // an entry differs from the previous manifest's
}

// touch is called before a file of the site changes, with w.mu held. The
// manifest goes first: should the build stop half-way, the next one
// compares files by their content rather than trust keys that no longer
// match them.
func (w *writer) touch() error {
	if w.dirty {
		return nil
	}
	w.dirty = true
	if err := os.Remove(filepath.Join(w.root, manifestName)); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("remove the site manifest: %w", err)
	}
	return nil
}

// fresh reports whether the files of a page are there as the previous
// build wrote them from the same key; then they count as unchanged. The
// files under csv/ are shared by the languages (whichever wrote one gave
// it its key): their key is not compared, the page's stands for them.
func (w *writer) fresh(key string, rels ...string) bool {
	if w.prev == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, rel := range rels {
		if w.seen[rel] {
			continue
		}
		e, ok := w.prev[rel]
		if !ok || (e.Key != key && !strings.HasPrefix(rel, "csv/")) {
			return false
		}
		fi, err := os.Stat(filepath.Join(w.root, filepath.FromSlash(rel)))
		if err != nil || fi.Size() != e.Size {
			return false
		}
	}
	for _, rel := range rels {
		if w.seen[rel] {
			continue
		}
		w.seen[rel] = true
		w.next[rel] = w.prev[rel]
		w.stats.Files++
		w.stats.Unchanged++
		w.stats.Skipped++
		w.stats.Bytes += w.prev[rel].Size
	}
	return true
}

func (w *writer) put(rel string, b []byte) error { return w.putKeyed(rel, "", b) }

// putKeyed writes b at rel unless the file already holds it; key is what
// the content was made from ("" for files always rendered).
func (w *writer) putKeyed(rel, key string, b []byte) error {
	sum := sha256.Sum256(b)
	e := entry{Key: key, Sum: hex.EncodeToString(sum[:]), Size: int64(len(b))}
	path := filepath.Join(w.root, filepath.FromSlash(rel))
	w.mu.Lock()
	if w.seen[rel] {
		w.mu.Unlock()
		return nil // the page data of another language: the same file
	}
	w.seen[rel] = true
	w.stats.Files++
	w.stats.Bytes += e.Size
	w.next[rel] = e
	p, known := w.prev[rel]
	if p != e {
		w.stale = true
	}
	noManifest := w.prev == nil
	w.mu.Unlock()

	same := false
	if known {
		fi, err := os.Stat(path)
		same = err == nil && p.Sum == e.Sum && fi.Size() == e.Size
	} else if noManifest {
		// No manifest (a first build, or one that stopped): compare the bytes.
		old, err := os.ReadFile(path)
		same = err == nil && sha256.Sum256(old) == sum
	}
	w.mu.Lock()
	if same {
		w.stats.Unchanged++
		w.mu.Unlock()
		return nil
	}
	w.stats.Written++
	err := w.touch()
	w.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// A new file is written in place: there is no page to keep whole, and
	// creating a file is the dearest step of a first build on some disks.
	// A page that exists is replaced by renaming, so a visitor never reads
	// half of one.
	if f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
		_, err := f.Write(b)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// siteExts are the kinds of file a build writes; prune removes only those.
var siteExts = map[string]bool{".html": true, ".js": true, ".css": true, ".csv": true, ".zip": true, ".tmp": true}

func (w *writer) prune() error {
	return filepath.WalkDir(w.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(w.root, path)
		if !w.seen[filepath.ToSlash(rel)] && siteExts[filepath.Ext(path)] {
			if err := w.touch(); err != nil {
				return err
			}
			if err := os.Remove(path); err != nil {
				return fmt.Errorf("remove old page %s: %w", path, err)
			}
			w.stats.Removed++
		}
		return nil
	})
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}

func csvBytes(head []string, rows [][]string) []byte {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if head != nil {
		cw.Write(head)
	}
	for _, r := range rows {
		cw.Write(csvSafe(r))
	}
	cw.Flush()
	return buf.Bytes()
}

// csvSafe keeps a spreadsheet from running a cell that starts like a formula.
func csvSafe(r []string) []string {
	out := make([]string, len(r))
	for i, s := range r {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			s = "'" + s
		}
		out[i] = s
	}
	return out
}

var recHead = []string{"rec_id", "mechanism", "body", "review", "symbol", "paragraph", "date", "response", "status", "lead_entity", "uhri_themes", "sdg_targets", "clusters", "lang", "text"}

func recRow(r *Rec) []string {
	var th, sd []string
	for _, l := range r.Themes {
		th = append(th, l.Code)
	}
	for _, l := range r.SDGs {
		sd = append(sd, l.Code)
	}
	return []string{r.ID, r.Mechanism, r.Body, r.Review, r.Symbol, r.Paragraph, r.Date, r.Response, r.Status(), r.Lead,
		strings.Join(th, "; "), strings.Join(sd, "; "), strings.Join(r.Clusters, "; "), r.Lang, r.Text}
}

// recsCSV is the CSV of the recommendations ids names. Each row is
// encoded once per build: a recommendation is on five or six pages.
func (c *Country) recsCSV(ids []string) []byte {
	head := csvBytes(recHead, nil)
	n := len(head)
	for _, id := range ids {
		if r := c.ByID[id]; r != nil {
			n += len(r.csvRow())
		}
	}
	out := make([]byte, 0, n)
	out = append(out, head...)
	for _, id := range ids {
		if r := c.ByID[id]; r != nil {
			out = append(out, r.csv...)
		}
	}
	return out
}

// parquetFiles lists the country's partitions in the Parquet snapshot.
func (c *Country) parquetFiles(parquet string) ([]string, error) {
	if parquet == "" {
		return nil, nil
	}
	var out []string
	for _, table := range []string{"recommendations", "clusters"} {
		dir := filepath.Join(parquet, table, "country_iso3="+c.ISO3)
		ents, err := os.ReadDir(dir)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read the Parquet snapshot: %w", err)
		}
		for _, e := range ents {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

func (c *Country) bundle(parquet string, pq []string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	stamp, err := time.Parse("2006-01-02", c.RunDate)
	if err != nil {
		stamp = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	add := func(name string, b []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		_, err = f.Write(b)
		return err
	}
	ids := make([]string, len(c.Recs))
	for i, r := range c.Recs {
		ids[i] = r.ID
	}
	files := []struct {
		name string
		b    []byte
	}{
		{"README.txt", []byte(fmt.Sprintf("Recommendations to %s (%s) and their follow-up, as published by nmirf.\nRun: %s\nDate: %s\nCSV files hold the public rows of the site; parquet/ holds the country's partitions of the warehouse snapshot.\n", c.Name, c.ISO3, c.RunID, c.RunDate))},
		{"csv/recommendations.csv", c.recsCSV(ids)},
		{"csv/labels.csv", c.labelsCSV()},
		{"csv/clusters.csv", c.clustersCSV()},
		{"csv/translations.csv", c.translationsCSV()},
	}
	if c.Followup {
		files = append(files, struct {
			name string
			b    []byte
		}{"csv/status_updates.csv", c.updatesCSV()}, struct {
			name string
			b    []byte
		}{"csv/actions.csv", c.actionsCSV()})
	}
	for _, f := range files {
		if err := add(f.name, f.b); err != nil {
			return nil, fmt.Errorf("write the download bundle: %w", err)
		}
	}
	for _, f := range pq {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read the Parquet snapshot: %w", err)
		}
		rel, _ := filepath.Rel(parquet, f)
		if err := add("parquet/"+filepath.ToSlash(rel), b); err != nil {
			return nil, fmt.Errorf("write the download bundle: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("write the download bundle: %w", err)
	}
	return buf.Bytes(), nil
}

func (c *Country) labelsCSV() []byte {
	var rows [][]string
	for _, r := range c.Recs {
		for _, l := range r.Themes {
			rows = append(rows, []string{r.ID, "uhri-theme", l.Code, fmtScore(l.Score), strings.Join(l.Evidence, "; "), fmt.Sprint(l.Fallback)})
		}
		for _, l := range r.SDGs {
			rows = append(rows, []string{r.ID, "sdg", l.Code, fmtScore(l.Score), strings.Join(l.Evidence, "; "), fmt.Sprint(l.Fallback)})
		}
	}
	return csvBytes([]string{"rec_id", "scheme", "label", "score", "evidence", "fallback"}, rows)
}

// translationsCSV holds the other language versions of the recommendations
// of recommendations.csv, which counts each once.
func (c *Country) translationsCSV() []byte {
	var rows [][]string
	for _, r := range c.Recs {
		for _, v := range r.Versions {
			rows = append(rows, []string{r.ID, v.ID, v.Lang, v.Text})
		}
	}
	return csvBytes([]string{"rec_id", "translation_rec_id", "lang", "text"}, rows)
}

func (c *Country) clustersCSV() []byte {
	var rows [][]string
	for _, cl := range c.Clusters {
		for _, id := range cl.Recs {
			rows = append(rows, []string{cl.ID, cl.Label, cl.MainTheme, cl.MainTarget, id})
		}
	}
	return csvBytes([]string{"cluster_id", "label", "main_theme", "main_sdg_target", "rec_id"}, rows)
}

func (c *Country) updatesCSV() []byte {
	var rows [][]string
	for _, r := range c.Recs {
		for _, u := range r.History {
			rows = append(rows, []string{r.ID, "", u.Date, u.Status, u.Entity, u.Text})
		}
	}
	for _, a := range c.Actions {
		for _, u := range a.History {
			rows = append(rows, []string{"", a.ID, u.Date, u.Status, u.Entity, u.Text})
		}
	}
	return csvBytes([]string{"rec_id", "action_id", "date", "status", "reporting_entity", "text"}, rows)
}

func (c *Country) actionsCSV() []byte {
	var rows [][]string
	for _, a := range c.Actions {
		st := ""
		if len(a.History) > 0 {
			st = a.History[len(a.History)-1].Status
		}
		rows = append(rows, []string{a.ID, a.Title, a.Description, a.Lead, a.TargetDate, st, strings.Join(a.Recs, "; ")})
	}
	return csvBytes([]string{"action_id", "title", "description", "lead_entity", "target_date", "status", "rec_ids"}, rows)
}

// searchIndex is the prebuilt index the search page filters, as a script
// (a JSON file could not be read from file://).
func (b *builder) searchIndex() []byte {
	fields := map[string]int{"id": 0, "href": 1, "text": 2, "lang": 3, "body": 4, "date": 5, "status": 6, "entity": 7, "themes": 8, "targets": 9}
	recs := make([][]any, 0, len(b.c.Recs))
	for _, r := range b.c.Recs {
		var th, tg []string
		for _, l := range r.Themes {
			th = append(th, l.Code)
		}
		for _, l := range r.SDGs {
			tg = append(tg, l.Code)
		}
		if th == nil {
			th = []string{}
		}
		if tg == nil {
			tg = []string{}
		}
		txt := b.shown(r)
		recs = append(recs, []any{r.ID, b.reviewHref("", r) + "#" + b.recAnchor(r.ID), txt.S, txt.Lang, r.Body, r.Date, r.Status(), r.Lead, th, tg})
	}
	j, _ := json.Marshal(map[string]any{"fields": fields, "recs": recs, "found": b.m.T("search.found")})
	return append(append([]byte("window.NMIRF_INDEX="), j...), ";\n"...)
}

// slug is slug(id), computed once per build: the same few thousand ids
// make the links of every page.
func (c *Country) slug(id string) string {
	if s, ok := c.slugs.Load(id); ok {
		return s.(string)
	}
	s := slug(id)
	c.slugs.Store(id, s)
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
