package site

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
)

// A nightly rebuild must not render 30,000 recommendations again to find
// that nothing changed. Each page has a key: a hash of everything it
// shows (the recommendations on it, the site-wide data every page uses,
// the code and strings that render it). The key is stored, with the hash
// of the bytes written, in a manifest beside the pages; a page whose key
// is unchanged and whose file is still there is not rendered at all.
//
// The run id and date in a page's footer are not part of its key: a page
// left as it was keeps the run of the data it shows.

// manifestName is the build's record in the site folder.
const manifestName = ".nmirf-site.json"

// formatVersion changes when the way pages are rendered changes in a way
// the template and the message files do not show.
const formatVersion = "site-3"

type manifest struct {
	Version string           `json:"version"`
	Files   map[string]entry `json:"files"`
}

type entry struct {
	Key  string `json:"key,omitempty"` // the inputs of the page, "" for files always rendered
	Sum  string `json:"sum"`           // sha-256 of the bytes written
	Size int64  `json:"size"`
}

// readManifest reads the previous build's manifest.
func readManifest(root string) map[string]entry {
	b, err := os.ReadFile(filepath.Join(root, manifestName))
	if err != nil {
		return nil
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil || m.Version != formatVersion {
		return nil
	}
	return m.Files
}

func writeManifest(root string, files map[string]entry) error {
	b, err := json.Marshal(manifest{Version: formatVersion, Files: files})
	if err != nil {
		return err
	}
	path := filepath.Join(root, manifestName)
	if err := os.WriteFile(path+".tmp", b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// hasher builds a key from values, each one delimited so that ("ab","c")
// and ("a","bc") differ.
type hasher struct {
	h   hash.Hash
	buf [8]byte
}

func newHasher() *hasher { return &hasher{h: sha256.New()} }

func (h *hasher) s(ss ...string) *hasher {
	for _, s := range ss {
		h.n(len(s))
		h.h.Write([]byte(s))
	}
	return h
}

func (h *hasher) n(n int) *hasher {
	binary.LittleEndian.PutUint64(h.buf[:], uint64(n))
	h.h.Write(h.buf[:])
	return h
}

func (h *hasher) f(f float64) *hasher {
	binary.LittleEndian.PutUint64(h.buf[:], math.Float64bits(f))
	h.h.Write(h.buf[:])
	return h
}

func (h *hasher) b(v bool) *hasher {
	if v {
		return h.n(1)
	}
	return h.n(0)
}

func (h *hasher) sum() string { return hex.EncodeToString(h.h.Sum(nil)[:16]) }

func (h *hasher) labels(ls []Label) {
	h.n(len(ls))
	for _, l := range ls {
		h.s(l.Code).f(l.Score).b(l.Fallback).b(l.Reviewed).s(l.Evidence...).n(len(l.Evidence))
	}
}

func (h *hasher) updates(us []Update) {
	h.n(len(us))
	for _, u := range us {
		h.s(u.Status, u.Date, u.Text, u.Entity)
	}
}

// fingerprint is everything the site shows of a recommendation.
func (r *Rec) fingerprint() string {
	h := newHasher()
	h.s(r.ID, r.Text, r.Lang, r.Mechanism, r.Body, r.Symbol, r.Paragraph, r.Date, r.Response, r.Review, r.Lead).n(r.Session)
	h.labels(r.Themes)
	h.labels(r.SDGs)
	h.s(r.Clusters...).n(len(r.Clusters))
	h.updates(r.History)
	h.n(len(r.Versions))
	for _, v := range r.Versions {
		h.s(v.ID, v.Lang, v.Text, v.Review)
	}
	return h.sum()
}

func (a *Action) fingerprint() string {
	h := newHasher()
	h.s(a.ID, a.Title, a.Description, a.Lead, a.TargetDate).s(a.Recs...).n(len(a.Recs))
	h.updates(a.History)
	return h.sum()
}

// keys computes the fingerprints a build needs once.
func (c *Country) keys() {
	for _, r := range c.Recs {
		r.fp = r.fingerprint()
	}
	for _, a := range c.Actions {
		a.fp = a.fingerprint()
	}
	all := newHasher()
	for _, r := range c.Recs {
		all.s(r.fp)
	}
	c.allKey = all.sum()
	cl := newHasher()
	for _, k := range c.Clusters {
		cl.s(k.ID, k.Label, k.MainTheme, k.MainTarget).s(k.Recs...).n(len(k.Recs))
	}
	c.clustersKey = cl.sum()
	acts := newHasher()
	for _, a := range c.Actions {
		acts.s(a.fp)
	}
	c.actionsKey = acts.sum()

	// What every page shows or may show besides its recommendations.
	g := newHasher().s(formatVersion, buildRevision(), templateSource, c.ISO3, c.Name, c.bundleName()).b(c.Followup)
	for _, k := range sortedKeys(c.Entities) {
		e := c.Entities[k]
		g.s(e.Code, e.Name, e.Kind)
	}
	for _, m := range c.Models {
		g.s(m.ID, m.Task)
	}
	for _, m := range []map[string]string{c.Goals, c.Targets, c.TargetGoal, c.Indicators} {
		g.n(len(m))
		for _, k := range sortedKeys(m) {
			g.s(k, m[k])
		}
	}
	for _, k := range sortedKeys(c.TargetInds) {
		g.s(k).s(c.TargetInds[k]...)
	}
	for _, k := range sortedKeys(c.Series) {
		for _, s := range c.Series[k] {
			g.s(k, s.Indicator, s.Code, s.Unit).n(len(s.Points))
			for _, p := range s.Points {
				g.n(p.Year).f(p.Value)
			}
		}
	}
	c.globalKey = g.sum()
}

// catalogueKey is what a language's pages take from its catalogue and
// the languages they link to.
func catalogueKey(m *catalogue, langs []string, names map[string]string) string {
	h := newHasher().s(m.lang)
	for _, k := range sortedKeys(m.msg) {
		h.s(k, m.msg[k])
	}
	for _, k := range sortedKeys(m.sdg) {
		h.s(k, m.sdg[k])
	}
	for _, k := range sortedKeys(m.themes) {
		h.s(k, m.themes[k])
	}
	for _, l := range langs {
		h.s(l, names[l])
	}
	return h.sum()
}

// buildRevision is the source revision of the binary when it is known, so
// that a new version of nmirf renders every page again.
func buildRevision() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	s := bi.Main.Version
	for _, kv := range bi.Settings {
		if kv.Key == "vcs.revision" || kv.Key == "vcs.modified" || kv.Key == "vcs.time" {
			s += " " + kv.Value
		}
	}
	return s
}

// recsKey hashes the fingerprints of the recommendations ids names.
func (c *Country) recsKey(h *hasher, ids []string) *hasher {
	h.n(len(ids))
	for _, id := range ids {
		if r := c.ByID[id]; r != nil {
			h.s(r.fp)
		} else {
			h.s("")
		}
	}
	return h
}
