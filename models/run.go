package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Run describes one invocation of a command that changed the warehouse.
type Run struct {
	RunID      string     `json:"run_id"`
	Command    string     `json:"command"`
	Version    string     `json:"nmirf_version"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt time.Time  `json:"finished_at"`
	Status     string     `json:"status"` // ok | incomplete | failed
	Inputs     []RunInput `json:"inputs"`
	Counts     RunCounts  `json:"counts"`
	Stages     []Stage    `json:"stages,omitempty"`
	// Config is the configuration the run was given, as resolved.
	Config   any        `json:"config,omitempty"`
	Warnings []string   `json:"warnings,omitempty"`
	Rejected []RowError `json:"rejected,omitempty"`
}

// Stage is how long one stage of a run took.
type Stage struct {
	Name    string  `json:"name"`
	Seconds float64 `json:"seconds"`
}

// Time records the duration of a stage that started at start.
func (r *Run) Time(name string, start time.Time) {
	r.Stages = append(r.Stages, Stage{Name: name, Seconds: time.Since(start).Seconds()})
}

// RunInput is one input file of a run.
type RunInput struct {
	Path     string `json:"path"`
	Name     string `json:"name"`
	SHA256   string `json:"sha256"`
	Format   string `json:"format"`
	Records  int    `json:"records"`
	Rejected int    `json:"rejected"`
	Skipped  bool   `json:"skipped,omitempty"` // already imported, unchanged
}

// RunCounts sums what a run did to the warehouse.
type RunCounts struct {
	Read      int `json:"records_read"`      // records produced by the importers
	Distinct  int `json:"records_distinct"`  // after merging duplicates within the batch
	New       int `json:"records_new"`       // recommendations not in the warehouse before
	Merged    int `json:"records_merged"`    // existing recommendations that gained a source or label
	Unchanged int `json:"records_unchanged"` // already there exactly as read
	Rejected  int `json:"rejected"`
	Total     int `json:"recommendations_total"` // in the warehouse after the run
	// Follow-up inputs: status updates and reviewed labels added (those
	// already stored are not counted).
	Updates int `json:"status_updates_new,omitempty"`
	Reviews int `json:"reviews_new,omitempty"`
}

// runIDClock is the time of the last run id made in this process.
var runIDClock struct {
	sync.Mutex
	last time.Time
}

// NewRunID returns a unique run id that sorts in the order runs started:
// UTC time to the microsecond, then a random suffix. Which rows changed
// since the last clustering is decided by comparing run ids, and the
// stages of a small nightly run start within the same second: ids to the
// second with a random suffix sorted them at random. A call for the same
// microsecond as the one before in this process (or a moment before it:
// the clock stepped back) gets the next microsecond, so that it sorts
// after; a time set explicitly further back is kept.
func NewRunID(now time.Time) string {
	t := now.UTC().Truncate(time.Microsecond)
	runIDClock.Lock()
	if last := runIDClock.last; !t.After(last) && last.Sub(t) < time.Second {
		t = last.Add(time.Microsecond)
	}
	if t.After(runIDClock.last) {
		runIDClock.last = t
	}
	runIDClock.Unlock()
	var b [3]byte
	_, _ = io.ReadFull(rand.Reader, b[:])
	return t.Format("20060102T150405.000000Z") + "-" + hex.EncodeToString(b[:])
}

// Fingerprint hashes every stored field of r, sources and labels included in
// a canonical order, so that an unchanged recommendation is recognised and
// not rewritten.
func (r *Recommendation) Fingerprint() string {
	h := sha256.New()
	w := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	for _, s := range []string{r.RecID, r.Kind, r.Text, r.CountryISO3, r.CountryName, string(r.Mechanism), r.Body,
		strconv.Itoa(r.Session), strconv.Itoa(r.Cycle), r.Symbol, r.Paragraph, r.Date, r.Response, r.ResponseRaw,
		strings.Join(r.RecommendingStates, ","), strconv.Itoa(r.ActionCategory), r.Heading} {
		w(s)
	}
	src := make([]string, len(r.Sources))
	for i, s := range r.Sources {
		src[i] = fmt.Sprintf("%s\x01%s\x01%s\x01%s\x01%s\x01%s", s.Format, s.File, s.FileSHA256, s.Locator, s.SourceID, s.RawText)
	}
	sort.Strings(src)
	lab := make([]string, len(r.Labels))
	for i, l := range r.Labels {
		lab[i] = l.Scheme + "\x01" + l.Value + "\x01" + l.Source
	}
	sort.Strings(lab)
	for _, s := range append(src, lab...) {
		w(s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TextHash identifies the text a model classified; a change reclassifies.
func (r *Recommendation) TextHash() string {
	sum := sha256.Sum256([]byte(r.Text))
	return hex.EncodeToString(sum[:16])
}
