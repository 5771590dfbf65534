package scrape

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// UPR Info database defaults (docs/SCRAPING-NOTES.md §3).
const (
	UPRInfoBaseURL = "https://upr-info-database.uwazi.io"
	// UPRInfoRecommendationTemplate is the Uwazi template of recommendations.
	UPRInfoRecommendationTemplate = "5d8ce04361cde0408222e9a8"
	// uwaziWindow is Elasticsearch's default result window
	// (index.max_result_window): totalRows stops there (relation "gte") and
	// from+limit may not pass it.
	uwaziWindow = 10000
)

// uprInfoColumns are the UPR Info export's CSV columns, which the
// upr-info-csv importer reads.
var uprInfoColumns = []string{"To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response", "Action", "Issue", "Session"}

// uprInfoFields are the template properties the conversion reads; a
// template without one of them has changed layout.
var uprInfoFields = []string{"recommendation", "state_under_review", "recommending_state", "response", "issues", "session", "action_category"}

// UPRInfo pages the UPR Info database's search API and writes every
// recommendation as one CSV in the UPR Info export's columns.
type UPRInfo struct {
	opt        Options
	base       string
	TemplateID string // recommendations template; default UPRInfoRecommendationTemplate
	PageSize   int    // rows per /api/search request; default 500
	File       string // output name in dest; default "upr-info-database.csv"
	Window     int    // the search index's result window; default 10,000
}

// NewUPRInfo reads the Uwazi instance at baseURL (UPRInfoBaseURL when "").
func NewUPRInfo(opt Options, baseURL string) *UPRInfo {
	if baseURL == "" {
		baseURL = UPRInfoBaseURL
	}
	return &UPRInfo{opt: opt.withDefaults(), base: strings.TrimRight(baseURL, "/"),
		TemplateID: UPRInfoRecommendationTemplate, PageSize: 500, File: "upr-info-database.csv", Window: uwaziWindow}
}

// Name returns "upr-info".
func (u *UPRInfo) Name() string { return "upr-info" }

// uprState is the progress of one run: the passes (one per State under
// review, or "all") already saved as parts. A completed run removes it, as
// the database has no change feed and each night reads it whole.
type uprState struct {
	TemplateID string          `json:"template_id"`
	Done       map[string]bool `json:"done"`
	Started    time.Time       `json:"started"`
}

type uprPass struct{ key, label string }

type uprPart struct {
	SharedID string   `json:"sharedId"`
	Row      []string `json:"row"`
}

// Fetch reads all recommendations and rewrites the CSV when it changed.
func (u *UPRInfo) Fetch(ctx context.Context, dest string) (*Report, error) {
	sp := statePath(dest, u.Name())
	partDir := filepath.Join(dest, ".nmirf-fetch-"+u.Name()+"-parts")
	st := uprState{}
	if err := loadState(sp, &st); err != nil {
		return nil, err
	}
	if st.TemplateID != u.TemplateID || st.Done == nil {
		st = uprState{TemplateID: u.TemplateID, Done: map[string]bool{}, Started: time.Now().UTC()}
		if err := os.RemoveAll(partDir); err != nil {
			return nil, fmt.Errorf("upr info: clear %s: %w", partDir, err)
		}
	}
	cl, err := newClient(ctx, u.opt)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	props, err := u.templateProps(cl)
	if err != nil {
		return nil, err
	}
	passes, err := u.passes(cl, props)
	if err != nil {
		return nil, err
	}
	for _, p := range passes {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if st.Done[p.key] {
			rep.Skipped++
			continue
		}
		rows, err := u.fetchPass(cl, p, rep)
		if err != nil {
			return rep, err
		}
		data, err := json.Marshal(rows)
		if err != nil {
			return rep, fmt.Errorf("upr info: encode part %s: %w", p.label, err)
		}
		if err := writeAtomic(filepath.Join(partDir, safeName(p.key)+".json"), data); err != nil {
			return rep, fmt.Errorf("upr info: %w", err)
		}
		st.Done[p.key] = true
		if err := saveState(sp, &st); err != nil {
			return rep, err
		}
	}
	out, n, err := mergeParts(partDir, passes)
	if err != nil {
		return rep, err
	}
	if n == 0 {
		return rep, fmt.Errorf("upr info: %s/api/search returned no recommendations of template %s; nothing saved", u.base, u.TemplateID)
	}
	file := filepath.Join(dest, u.File)
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, out) {
		rep.Unchanged++
	} else {
		if err := writeAtomic(file, out); err != nil {
			return rep, fmt.Errorf("upr info: %w", err)
		}
		rep.Fetched++
		rep.Files = append(rep.Files, file)
	}
	if err := os.RemoveAll(partDir); err != nil {
		return rep, fmt.Errorf("upr info: clear %s: %w", partDir, err)
	}
	if err := os.Remove(sp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("upr info: remove state %s: %w", sp, err)
	}
	return rep, nil
}

type uwaziProp struct {
	Name    string `json:"name"`
	Label   string `json:"label"`
	Type    string `json:"type"`
	Content string `json:"content"`
}

// getJSON fetches base+path?q and decodes it, naming the endpoint on error.
func (u *UPRInfo) getJSON(cl *client, p string, q url.Values, v any) error {
	target := u.base + p
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	resp, err := cl.get(target, http.Header{"Accept": {"application/json"}}, true)
	if err != nil {
		return fmt.Errorf("upr info: %w", err)
	}
	if resp.Status != http.StatusOK {
		return fmt.Errorf("upr info: GET %s: HTTP %d", target, resp.Status)
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return fmt.Errorf("upr info: GET %s: decode JSON: %w (starts %q)", target, err, truncate(resp.Body, 60))
	}
	return nil
}

// templateProps checks that the recommendations template still has the
// properties the conversion reads, so a renamed field fails here.
func (u *UPRInfo) templateProps(cl *client) (map[string]uwaziProp, error) {
	var body struct {
		Rows *[]struct {
			ID         string      `json:"_id"`
			Name       string      `json:"name"`
			Properties []uwaziProp `json:"properties"`
		} `json:"rows"`
	}
	if err := u.getJSON(cl, "/api/templates", nil, &body); err != nil {
		return nil, err
	}
	if body.Rows == nil {
		return nil, fmt.Errorf("upr info: /api/templates: no \"rows\" field")
	}
	for _, t := range *body.Rows {
		if t.ID != u.TemplateID {
			continue
		}
		props := map[string]uwaziProp{}
		var names []string
		for _, p := range t.Properties {
			props[p.Name] = p
			names = append(names, p.Name)
		}
		for _, f := range uprInfoFields {
			if _, ok := props[f]; !ok {
				return nil, fmt.Errorf("upr info: /api/templates: template %s (%q) has no property %q (properties are %s)",
					t.ID, t.Name, f, strings.Join(names, ", "))
			}
		}
		return props, nil
	}
	return nil, fmt.Errorf("upr info: /api/templates: no template with _id %s", u.TemplateID)
}

type uwaziSearch struct {
	Rows      *[]uwaziEntity `json:"rows"`
	TotalRows *int           `json:"totalRows"`
	Relation  string         `json:"relation"`
}

type uwaziEntity struct {
	SharedID string                  `json:"sharedId"`
	Title    string                  `json:"title"`
	Metadata map[string][]uwaziValue `json:"metadata"`
}

type uwaziValue struct {
	Value          json.RawMessage `json:"value"`
	Label          string          `json:"label"`
	InheritedValue []uwaziValue    `json:"inheritedValue"`
}

func (u *UPRInfo) query(filterKey string) url.Values {
	q := url.Values{"types[]": {u.TemplateID}, "language": {"en"}}
	if filterKey != "" && filterKey != "all" {
		q.Set("filters[state_under_review][values][]", filterKey)
	}
	return q
}

func (u *UPRInfo) search(cl *client, q url.Values) (*uwaziSearch, error) {
	var s uwaziSearch
	if err := u.getJSON(cl, "/api/search", q, &s); err != nil {
		return nil, err
	}
	if s.Rows == nil {
		return nil, fmt.Errorf("upr info: /api/search?%s: no \"rows\" field", q.Encode())
	}
	if s.TotalRows == nil {
		return nil, fmt.Errorf("upr info: /api/search?%s: no \"totalRows\" field", q.Encode())
	}
	return &s, nil
}

func (u *UPRInfo) capped(s *uwaziSearch) bool { return s.Relation == "gte" || *s.TotalRows >= u.Window }

// passes decides how to cut the database so that no query passes the
// Elasticsearch window: whole when it fits, else one pass per State under
// review (the thesaurus the template's property points to).
func (u *UPRInfo) passes(cl *client, props map[string]uwaziProp) ([]uprPass, error) {
	q := u.query("")
	q.Set("limit", "0")
	s, err := u.search(cl, q)
	if err != nil {
		return nil, err
	}
	if !u.capped(s) {
		return []uprPass{{key: "all", label: "all States"}}, nil
	}
	prop := props["state_under_review"]
	var body struct {
		Rows *[]struct {
			ID     string `json:"_id"`
			Name   string `json:"name"`
			Values []struct {
				ID     string `json:"id"`
				Label  string `json:"label"`
				Values []struct {
					ID    string `json:"id"`
					Label string `json:"label"`
				} `json:"values"`
			} `json:"values"`
		} `json:"rows"`
	}
	if err := u.getJSON(cl, "/api/thesauris", nil, &body); err != nil {
		return nil, err
	}
	if body.Rows == nil {
		return nil, fmt.Errorf("upr info: /api/thesauris: no \"rows\" field")
	}
	for _, th := range *body.Rows {
		if !(prop.Content != "" && th.ID == prop.Content || prop.Content == "" && strings.EqualFold(th.Name, prop.Label)) {
			continue
		}
		var out []uprPass
		for _, v := range th.Values {
			if v.ID != "" {
				out = append(out, uprPass{key: v.ID, label: v.Label})
			}
			for _, sub := range v.Values { // grouped thesaurus values
				out = append(out, uprPass{key: sub.ID, label: sub.Label})
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("upr info: /api/thesauris: thesaurus %q has no values[].id", th.Name)
		}
		return out, nil
	}
	return nil, fmt.Errorf("upr info: /api/thesauris: no thesaurus with _id %q or name %q for property state_under_review (totalRows %d is capped, so the per-State split is needed)",
		prop.Content, prop.Label, *s.TotalRows)
}

// fetchPass pages one pass with limit/from until an empty batch.
func (u *UPRInfo) fetchPass(cl *client, p uprPass, rep *Report) ([]uprPart, error) {
	var (
		rows  []uprPart
		total = -1
		got   int
	)
	for from := 0; ; {
		if err := cl.ctx.Err(); err != nil {
			return nil, err
		}
		if from >= u.Window {
			if got >= total {
				break
			}
			return nil, fmt.Errorf("upr info: %s has more than %d recommendations; Elasticsearch cannot page past that (split this State by session)", p.label, u.Window)
		}
		limit := min(u.PageSize, u.Window-from)
		q := u.query(p.key)
		q.Set("limit", strconv.Itoa(limit))
		q.Set("from", strconv.Itoa(from))
		s, err := u.search(cl, q)
		if err != nil {
			return nil, err
		}
		if total < 0 {
			total = *s.TotalRows
			if u.capped(s) {
				return nil, fmt.Errorf("upr info: %s: totalRows %d (relation %q) is capped; split this State by session", p.label, total, s.Relation)
			}
		}
		if len(*s.Rows) == 0 {
			break
		}
		got += len(*s.Rows)
		from += limit
		for _, e := range *s.Rows {
			row, err := uprInfoRow(e)
			if err != nil {
				rep.warnf("upr info: %s/entity/%s: %v; row skipped", u.base, e.SharedID, err)
				continue
			}
			rows = append(rows, uprPart{SharedID: e.SharedID, Row: row})
		}
	}
	if got != total {
		rep.warnf("upr info: %s: read %d rows, totalRows said %d (database changed while paging?)", p.label, got, total)
	}
	return rows, nil
}

var leadingNumber = regexp.MustCompile(`^\s*(\d+)\b`)

// uprInfoRow turns one entity into a row of uprInfoColumns.
func uprInfoRow(e uwaziEntity) ([]string, error) {
	if e.SharedID == "" {
		return nil, errors.New("no sharedId")
	}
	if e.Metadata == nil {
		return nil, errors.New("no \"metadata\" field")
	}
	labels := func(key, sep string) string {
		var out []string
		for _, v := range e.Metadata[key] {
			if s := v.text(); s != "" {
				out = append(out, s)
			}
		}
		return strings.Join(out, sep)
	}
	text := labels("recommendation", "\n")
	if text == "" {
		return nil, errors.New("metadata.recommendation is empty")
	}
	to := labels("state_under_review", ", ")
	if to == "" {
		return nil, errors.New("metadata.state_under_review is empty")
	}
	session := labels("session", " ")
	m := leadingNumber.FindStringSubmatch(session)
	if m == nil {
		return nil, fmt.Errorf("metadata.session %q has no session number", session)
	}
	action := labels("action_category", " ")
	if am := leadingNumber.FindStringSubmatch(action); am != nil {
		action = am[1]
	}
	return []string{
		to,
		inherited(e, "state_under_review", "regional_group"),
		inherited(e, "state_under_review", "organisations"),
		text,
		labels("recommending_state", ", "),
		inherited(e, "recommending_state", "regional_group"),
		inherited(e, "recommending_state", "organisations"),
		labels("response", " "),
		action,
		labels("issues", ","),
		m[1],
	}, nil
}

// inherited reads a value Uwazi inherits through a relationship: as its own
// "<prop>___<field>" metadata key, or in the relationship's inheritedValue.
func inherited(e uwaziEntity, prop, field string) string {
	vals := e.Metadata[prop+"___"+field]
	if len(vals) == 0 && field == "regional_group" {
		for _, v := range e.Metadata[prop] {
			vals = append(vals, v.InheritedValue...)
		}
	}
	var out []string
	for _, v := range vals {
		if s := v.text(); s != "" && !contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

func (v uwaziValue) text() string {
	if v.Label != "" {
		return strings.TrimSpace(v.Label)
	}
	var s string
	if json.Unmarshal(v.Value, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(v.Value, &n) == nil {
		return n.String()
	}
	return ""
}

// mergeParts joins the passes' parts in pass order into CSV bytes, keeping
// the first row of each sharedId (offset paging repeats a row when the
// database changes between pages).
func mergeParts(dir string, passes []uprPass) ([]byte, int, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(uprInfoColumns); err != nil {
		return nil, 0, err
	}
	seen := map[string]bool{}
	n := 0
	for _, p := range passes {
		path := filepath.Join(dir, safeName(p.key)+".json")
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, 0, fmt.Errorf("upr info: read part for %s: %w", p.label, err)
		}
		var rows []uprPart
		if err := json.Unmarshal(data, &rows); err != nil {
			return nil, 0, fmt.Errorf("upr info: read part %s: %w", path, err)
		}
		for _, r := range rows {
			if seen[r.SharedID] {
				continue
			}
			seen[r.SharedID] = true
			if err := w.Write(r.Row); err != nil {
				return nil, 0, err
			}
			n++
		}
	}
	w.Flush()
	return buf.Bytes(), n, w.Error()
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
