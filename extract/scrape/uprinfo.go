package scrape

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
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
	Language   string // Accept-Language of every request; default "en"
}

// NewUPRInfo reads the Uwazi instance at baseURL (UPRInfoBaseURL when "").
func NewUPRInfo(opt Options, baseURL string) *UPRInfo {
	if baseURL == "" {
		baseURL = UPRInfoBaseURL
	}
	return &UPRInfo{opt: opt.withDefaults(), base: strings.TrimRight(baseURL, "/"),
		TemplateID: UPRInfoRecommendationTemplate, PageSize: 500, File: "upr-info-database.csv", Window: uwaziWindow, Language: "en"}
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
	if err := cl.checkRobots("upr info", u.base+"/api/search"); err != nil {
		return nil, err
	}
	rep := &Report{}
	props, err := u.templateProps(cl)
	if err != nil {
		return nil, err
	}
	passes, err := u.passes(cl, props, rep)
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
	resp, err := cl.get(target, u.header(), true)
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

// query is the search of recommendations, of one State when filterKey is
// a State's sharedId. Arrays and objects go as JSON, as Uwazi's own client
// sends them (app/shared/JSONRequest.js toUrlParams) and its
// parseQueryMiddleware reads them. The language travels in
// Accept-Language: Uwazi's search schema has no "language" key and answers
// 400 to one.
func (u *UPRInfo) query(filterKey string) url.Values {
	q := url.Values{"types": {jsonText([]string{u.TemplateID})}}
	if filterKey != "" && filterKey != "all" {
		q.Set("filters", jsonText(map[string]any{"state_under_review": map[string]any{"values": []string{filterKey}}}))
	}
	return q
}

func jsonText(v any) string {
	b, _ := json.Marshal(v) // strings, slices and maps of them: cannot fail
	return string(b)
}

// page is one page of the search base, sorted by a stable key.
func (u *UPRInfo) page(base url.Values, from, limit int) url.Values {
	q := maps.Clone(base)
	q.Set("sort", "creationDate")
	q.Set("order", "asc")
	q.Set("limit", strconv.Itoa(limit))
	q.Set("from", strconv.Itoa(from))
	return q
}

func (u *UPRInfo) header() http.Header {
	return http.Header{"Accept": {"application/json"}, "Accept-Language": {u.Language}}
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

// uwaziBucket is one bucket of a search aggregation.
type uwaziBucket struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	DocCount int    `json:"doc_count"`
	Filtered struct {
		DocCount int `json:"doc_count"`
	} `json:"filtered"`
}

// preloadOptionsLimit is Uwazi's cap on the options it lists for a template
// used as a thesaurus and on the buckets of one aggregation (uwazi
// app/api/thesauri/thesauri.js templateToThesauri; search.spec "should limit
// the number of buckets").
const preloadOptionsLimit = 200

// passes decides how to cut the database so that no query passes the
// Elasticsearch window: whole when it fits, else one pass per State under
// review. The States are the entities of the template the property points
// to, paged like any search, joined with the buckets of the search's own
// aggregation for the property; /api/thesauris is not used, as it lists at
// most 200 entities of a template.
func (u *UPRInfo) passes(cl *client, props map[string]uwaziProp, rep *Report) ([]uprPass, error) {
	q := u.query("")
	q.Set("limit", "0")
	var probe struct {
		uwaziSearch
		Aggregations struct {
			All map[string]json.RawMessage `json:"all"`
		} `json:"aggregations"`
	}
	if err := u.getJSON(cl, "/api/search", q, &probe); err != nil {
		return nil, err
	}
	if probe.Rows == nil {
		return nil, fmt.Errorf("upr info: /api/search?%s: no \"rows\" field", q.Encode())
	}
	if probe.TotalRows == nil {
		return nil, fmt.Errorf("upr info: /api/search?%s: no \"totalRows\" field", q.Encode())
	}
	if !u.capped(&probe.uwaziSearch) {
		return []uprPass{{key: "all", label: "all States"}}, nil
	}
	prop := props["state_under_review"]
	var out []uprPass
	seen := map[string]bool{}
	add := func(id, label string) {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, uprPass{key: id, label: label})
		}
	}
	if prop.Content != "" {
		states, err := u.templateEntities(cl, prop.Content)
		if err != nil {
			return nil, err
		}
		for _, e := range states {
			add(e.SharedID, e.Title)
		}
	}
	var agg struct {
		Buckets []uwaziBucket `json:"buckets"`
	}
	fromAgg := 0
	if raw, ok := probe.Aggregations.All["state_under_review"]; ok {
		if err := json.Unmarshal(raw, &agg); err != nil {
			return nil, fmt.Errorf("upr info: /api/search?%s: aggregations.all.state_under_review: %w", q.Encode(), err)
		}
		for _, b := range agg.Buckets {
			switch b.Key {
			case "missing":
				if b.Filtered.DocCount > 0 {
					rep.warnf("upr info: %d recommendations have no State under review (aggregation bucket \"missing\"); the per-State passes cannot reach them", b.Filtered.DocCount)
				}
			case "any":
			default:
				fromAgg++
				add(b.Key, b.Label)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("upr info: totalRows %d is capped (relation %q), so the per-State split is needed, but neither the entities of template %q nor aggregations.all.state_under_review of /api/search?%s name a State",
			*probe.TotalRows, probe.Relation, prop.Content, q.Encode())
	}
	if prop.Content == "" && fromAgg >= preloadOptionsLimit {
		rep.warnf("upr info: the States come only from the search aggregation, which lists at most %d buckets; States past that are not fetched", preloadOptionsLimit)
	}
	return out, nil
}

// templateEntities pages every entity of a template (the States), sorted
// and de-duplicated by sharedId.
func (u *UPRInfo) templateEntities(cl *client, template string) ([]uwaziEntity, error) {
	var out []uwaziEntity
	total, kept, _, err := u.pageAll(cl, url.Values{"types": {jsonText([]string{template})}},
		func(total int, relation string) error {
			return fmt.Errorf("upr info: the States template %s has %d entities or more (relation %q), past the search window; cannot list the States", template, total, relation)
		},
		func(e uwaziEntity) { out = append(out, e) })
	if err != nil {
		return nil, err
	}
	if kept < total {
		return nil, fmt.Errorf("upr info: the States template %s lists %d entities but paging kept %d; the per-State split would miss States", template, total, kept)
	}
	return out, nil
}

// fetchPass pages one pass and keeps each recommendation once. Rows it
// cannot read are warned about and skipped; fewer rows than totalRows is a
// warning (the database changed while paging), unless paging stopped at
// the search window, which this pass needed to go past.
func (u *UPRInfo) fetchPass(cl *client, p uprPass, rep *Report) ([]uprPart, error) {
	var rows []uprPart
	total, kept, atWindow, err := u.pageAll(cl, u.query(p.key),
		func(total int, relation string) error {
			return fmt.Errorf("upr info: %s: totalRows %d (relation %q) is capped; split this State by session", p.label, total, relation)
		},
		func(e uwaziEntity) {
			row, err := uprInfoRow(e)
			if err != nil {
				rep.warnf("upr info: %s/entity/%s: %v; row skipped", u.base, e.SharedID, err)
				return
			}
			rows = append(rows, uprPart{SharedID: e.SharedID, Row: row})
		})
	switch {
	case err != nil:
		return nil, err
	case kept < total && atWindow:
		return nil, fmt.Errorf("upr info: %s has more than %d recommendations; Elasticsearch cannot page past that (split this State by session)", p.label, u.Window)
	case kept < total:
		rep.warnf("upr info: %s: kept %d distinct recommendations, totalRows said %d: %d missing (the database changed while paging?)", p.label, kept, total, total-kept)
	}
	return rows, nil
}

// pageAll pages a search (q: its types and filters) with limit/from,
// sorted by creationDate so that pages neither repeat nor skip rows, until
// an empty batch or the end of the search window. A first page whose
// totalRows is capped ends it with the error capped gives. Each entity goes
// to keep once: a sharedId seen before is passed over. It returns
// totalRows, how many distinct entities it kept, and whether it stopped at
// the window.
func (u *UPRInfo) pageAll(cl *client, q url.Values, capped func(total int, relation string) error, keep func(uwaziEntity)) (total, kept int, atWindow bool, err error) {
	seen := map[string]bool{}
	total = -1
	for from := 0; ; {
		if err := cl.ctx.Err(); err != nil {
			return 0, 0, false, err
		}
		if from >= u.Window {
			return total, kept, true, nil
		}
		s, err := u.search(cl, u.page(q, from, min(u.PageSize, u.Window-from)))
		if err != nil {
			return 0, 0, false, err
		}
		if total < 0 {
			total = *s.TotalRows
			if u.capped(s) {
				return 0, 0, false, capped(total, s.Relation)
			}
		}
		if len(*s.Rows) == 0 {
			return total, kept, false, nil
		}
		from += len(*s.Rows)
		for _, e := range *s.Rows {
			if e.SharedID != "" && seen[e.SharedID] {
				continue
			}
			seen[e.SharedID] = true
			kept++
			keep(e)
		}
	}
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

// Plan lists the requests a run starts with. The States' sharedIds are
// only known from the site, so the per-State request is a template with
// STATE_SHAREDID where one State's id goes; it repeats for each State the
// States request and the aggregation name.
func (u *UPRInfo) Plan() []Request {
	h := u.opt.planHeader("application/json")
	h.Set("Accept-Language", u.Language)
	probe := u.query("")
	probe.Set("limit", "0")
	states := u.page(url.Values{"types": {jsonText([]string{uprInfoStatesTemplate})}}, 0, min(u.PageSize, u.Window))
	return []Request{
		{Method: http.MethodGet, URL: u.base + "/api/templates", Header: h, Note: "checks the recommendations template's properties"},
		{Method: http.MethodGet, URL: u.base + "/api/search?" + probe.Encode(), Header: h,
			Note: "totalRows, and aggregations.all.state_under_review (the States) when totalRows is capped"},
		{Method: http.MethodGet, URL: u.base + "/api/search?" + states.Encode(), Header: h,
			Note: "the States (entities of the template state_under_review points to), paged on with from=" + strconv.Itoa(u.PageSize) + ", …"},
		{Method: http.MethodGet, URL: u.base + "/api/search?" + u.page(u.query("STATE_SHAREDID"), 0, min(u.PageSize, u.Window)).Encode(), Header: h,
			Note: "first page of one State; sent for each State found, with its sharedId (or once without the filter when the whole database fits the window)"},
	}
}

// uprInfoStatesTemplate is the UPR Info States template (notes §3); a run
// reads it from the state_under_review property instead.
const uprInfoStatesTemplate = "5d8cdec361cde0408222d3ec"
