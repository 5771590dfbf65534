package site

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// builder renders the pages of one language.
type builder struct {
	ctx   context.Context
	c     *Country
	m     *catalogue
	langs []string
	names map[string]string // language -> its name in itself
	w     *writer
	title string // the configured site title, "" for the catalogue's
	base  string // key of what every page of this language shows
	key   string // key of the page being built
	cur   string // path of the page being built, under the language root
}

// shown is the text of r a page in the builder's language shows: its
// version in that language when there is one, else the text as received.
func (b *builder) shown(r *Rec) Text {
	if r.Lang != b.m.lang {
		for _, v := range r.Versions {
			if v.Lang == b.m.lang {
				return Text{S: v.Text, Lang: v.Lang}
			}
		}
	}
	return Text{S: r.Text, Lang: r.Lang}
}

// versions links the other language versions of r to the same place on
// the page of that language, which shows that version; languages the site
// is not built in are not linked.
func (b *builder) versions(up string, r *Rec, shown string) []Cell {
	if len(r.Versions) == 0 {
		return nil
	}
	have := map[string]bool{r.Lang: true}
	for _, v := range r.Versions {
		have[v.Lang] = true
	}
	var out []Cell
	for _, l := range b.langs {
		if have[l] && l != shown {
			out = append(out, Cell{Text: Text{S: b.names[l], Lang: l}, Href: up + "../" + l + "/" + b.cur + "#" + b.recAnchor(r.ID)})
		}
	}
	return out
}

// fresh computes the key of the page at path from h (what the page shows
// beyond the language's base) and reports whether its files are there
// from the same key; withCSV adds the page's data file, more other files
// the page writes.
//
// What a page shows of the data is the same in every language: data is
// hashed once per build and path, and the language's base added.
func (b *builder) fresh(path string, withCSV bool, data func() *hasher, more ...string) bool {
	var dk string
	if k, ok := b.c.pageKeys.Load(path); ok {
		dk = k.(string)
	} else {
		dk = data().sum()
		b.c.pageKeys.Store(path, dk)
	}
	b.key = newHasher().s(b.base, path, dk).sum()
	files := append([]string{b.m.lang + "/" + path}, more...)
	if withCSV {
		files = append(files, csvName(path))
	}
	return b.w.fresh(b.key, files...)
}

func (b *builder) slug(id string) string { return b.c.slug(id) }

func (b *builder) recAnchor(id string) string { return "r-" + b.c.slug(id) }

func csvName(path string) string { return "csv/" + strings.TrimSuffix(path, ".html") + ".csv" }

func (b *builder) all() error {
	c := b.c
	steps := []struct {
		path string
		csv  bool
		key  func() *hasher
		more []string
		f    func() error
	}{
		{"index.html", true, func() *hasher { return newHasher().s("home", c.allKey).n(len(c.Clusters)) }, []string{b.m.lang + "/search-index.js"}, b.home},
		{"search.html", false, func() *hasher { return newHasher().s("search", c.allKey) }, nil, b.search},
		{"method.html", true, func() *hasher { return newHasher().s("method") }, nil, b.method},
		{"clusters.html", true, func() *hasher { return newHasher().s("clusters", c.clustersKey) }, nil, b.clusterList},
	}
	for _, s := range steps {
		if b.fresh(s.path, s.csv, s.key, s.more...) {
			continue
		}
		if err := s.f(); err != nil {
			return err
		}
	}
	for _, cl := range c.Clusters {
		h := func() *hasher {
			h := c.recsKey(newHasher().s("cluster", cl.ID, cl.Label), cl.Recs)
			for _, a := range b.clusterActions(cl) {
				h.s(a.fp)
			}
			return h
		}
		if b.fresh("cluster/"+b.slug(cl.ID)+".html", true, h) {
			continue
		}
		if err := b.cluster(cl); err != nil {
			return err
		}
	}
	goals, targets, bodies, reviews := b.groups()
	for _, g := range sortedSDG(goals) {
		if b.fresh("goal/"+b.slug(g)+".html", true, func() *hasher { return c.recsKey(newHasher().s("goal", g), goals[g]) }) {
			continue
		}
		if err := b.goal(g, goals[g], targets); err != nil {
			return err
		}
	}
	for _, t := range sortedSDG(targets) {
		if b.fresh("target/"+b.slug(t)+".html", true, func() *hasher { return c.recsKey(newHasher().s("target", t), targets[t]) }) {
			continue
		}
		if err := b.target(t, targets[t]); err != nil {
			return err
		}
	}
	for _, body := range sortedKeys(bodies) {
		h := func() *hasher {
			h := c.recsKey(newHasher().s("body", body), bodies[body])
			for _, id := range bodies[body] {
				h.n(len(reviews[c.ByID[id].Review]))
			}
			return h
		}
		if b.fresh("body/"+b.slug(body)+".html", true, h) {
			continue
		}
		if err := b.body(body, bodies[body], reviews); err != nil {
			return err
		}
	}
	for _, rv := range sortedKeys(reviews) {
		if b.fresh("review/"+b.slug(rv)+".html", true, func() *hasher { return c.recsKey(newHasher().s("review", rv), reviews[rv]) }) {
			continue
		}
		if err := b.review(rv, reviews[rv]); err != nil {
			return err
		}
	}
	if c.Followup {
		if err := b.entities(); err != nil {
			return err
		}
	}
	return nil
}

// groups indexes the recommendations by goal, target, body and review.
func (b *builder) groups() (goals, targets, bodies, reviews map[string][]string) {
	goals, targets, bodies, reviews = map[string][]string{}, map[string][]string{}, map[string][]string{}, map[string][]string{}
	for _, r := range b.c.Recs {
		seenG := map[string]bool{}
		for _, l := range r.SDGs {
			g := goalOf(l.Code)
			if !seenG[g] {
				goals[g] = append(goals[g], r.ID)
				seenG[g] = true
			}
			if strings.Contains(l.Code, ".") {
				targets[l.Code] = append(targets[l.Code], r.ID)
			}
		}
		bodies[r.Body] = append(bodies[r.Body], r.ID)
		reviews[r.Review] = append(reviews[r.Review], r.ID)
	}
	return
}

// page starts a page at path (relative to the language root).
func (b *builder) page(path, title string) *Page {
	depth := strings.Count(path, "/")
	up := strings.Repeat("../", depth)
	m := b.m
	b.cur = path
	p := &Page{Lang: m.lang, Title: title, SiteTitle: siteTitle(m, b.c, b.title), Up: up, Top: up + "../", M: m,
		Skip: m.T("skip"), NavLabel: m.T("nav.main"), LangsLabel: m.T("nav.languages"), Downloads: m.T("downloads"),
		PageCSV: m.T("dl.page"), Footer: m.T("footer.made"),
		Cite: m.T("cite", b.c.RunID, b.c.RunDate)}
	p.Bundle, p.BundleLabel = p.Top+b.c.bundleName(), m.T("dl.bundle", b.c.Name)
	p.Nav = []Cell{{Text: Text{S: m.T("nav.home")}, Href: up + "index.html"}, {Text: Text{S: m.T("nav.search")}, Href: up + "search.html"},
		{Text: Text{S: m.T("nav.clusters")}, Href: up + "clusters.html"}}
	if b.c.Followup {
		p.Nav = append(p.Nav, Cell{Text: Text{S: m.T("nav.entities")}, Href: up + "entities.html"})
	}
	p.Nav = append(p.Nav, Cell{Text: Text{S: m.T("nav.method")}, Href: up + "method.html"})
	if len(b.langs) > 1 {
		for _, l := range b.langs {
			p.Langs = append(p.Langs, LangLink{Lang: l, Name: b.names[l], Href: p.Top + l + "/" + path, Current: l == m.lang})
		}
	}
	return p
}

// write renders p at path with its CSV.
func (b *builder) write(path string, p *Page, csv []byte) error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	if csv != nil {
		name := csvName(path)
		p.CSV = p.Top + name
		if err := b.w.putKeyed(name, b.key, csv); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return fmt.Errorf("render %s/%s: %w", b.m.lang, path, err)
	}
	return b.w.putKeyed(b.m.lang+"/"+path, b.key, buf.Bytes())
}

func (b *builder) t(s string) Text { return Text{S: s} }

func (b *builder) mech(code string) string {
	if _, ok := b.m.msg["mechanism."+code]; ok {
		return b.m.T("mechanism." + code)
	}
	return code
}

func (b *builder) response(s string) string {
	if s == "" {
		return b.m.T("unknown")
	}
	if _, ok := b.m.msg["response."+s]; ok {
		return b.m.T("response." + s)
	}
	return s
}

func (b *builder) status(s string) string {
	if s == "" {
		return b.m.T("no_status")
	}
	if _, ok := b.m.msg["status."+s]; ok {
		return b.m.T("status." + s)
	}
	return s
}

func (b *builder) sdgName(code string) Text {
	if strings.Contains(code, ".") {
		t := b.m.sdgTitle(code, b.c.Targets[code])
		t.S = code + " " + t.S
		return t
	}
	t := b.m.sdgTitle(code, b.c.Goals[code])
	t.S = b.m.T("goal", code) + ": " + t.S
	return t
}

func (b *builder) sdgHref(up, code string) string {
	if strings.Contains(code, ".") {
		return up + "target/" + b.slug(code) + ".html"
	}
	return up + "goal/" + b.slug(code) + ".html"
}

func (b *builder) reviewHref(up string, r *Rec) string {
	return up + "review/" + b.slug(r.Review) + ".html"
}

func (b *builder) entityName(code string) string {
	if e, ok := b.c.Entities[code]; ok {
		return e.Name
	}
	return code
}

// countChart counts values in a fixed or found order.
func (b *builder) countChart(id, title, head string, ids []string, key func(*Rec) []string, name func(string) Text, order []string) Chart {
	n := map[string]int{}
	for _, id := range ids {
		for _, k := range key(b.c.ByID[id]) {
			n[k]++
		}
	}
	if order == nil {
		order = sortedKeys(n)
	}
	var labels []Text
	var vals []float64
	var keys []string
	for _, k := range order {
		if n[k] == 0 {
			continue
		}
		labels = append(labels, name(k))
		vals = append(vals, float64(n[k]))
		keys = append(keys, k)
	}
	c := barChart(id, title, labels, vals, b.m, head)
	c.Keys = keys
	return c
}

func (b *builder) recView(up string, r *Rec, withReview bool) RecView {
	m := b.m
	// The text always carries its language, the page's or not.
	v := RecView{Anchor: b.recAnchor(r.ID), ID: r.ID, Text: b.shown(r)}
	if v.Versions = b.versions(up, r, v.Text.Lang); len(v.Versions) > 0 {
		v.VersionsLabel = m.T("versions")
	}
	v.Meta = []MetaItem{
		{Label: m.T("col.id"), Cell: Cell{Text: b.t(r.ID)}},
		{Label: m.T("col.body"), Cell: Cell{Text: b.t(r.Body), Href: up + "body/" + b.slug(r.Body) + ".html"}},
	}
	if withReview {
		v.Meta = append(v.Meta, MetaItem{Label: m.T("col.review"), Cell: Cell{Text: b.t(r.Review + " " + r.Paragraph), Href: b.reviewHref(up, r) + "#" + v.Anchor}})
	} else if r.Paragraph != "" {
		v.Meta = append(v.Meta, MetaItem{Label: "§", Cell: Cell{Text: b.t(r.Paragraph)}})
	}
	v.Meta = append(v.Meta, MetaItem{Label: m.T("col.date"), Cell: Cell{Text: b.t(r.Date)}},
		MetaItem{Label: m.T("col.response"), Cell: Cell{Text: b.t(b.response(r.Response))}})
	if b.c.Followup {
		v.Meta = append(v.Meta, MetaItem{Label: m.T("col.status"), Cell: Cell{Text: b.t(b.status(r.Status()))}})
		if r.Lead != "" {
			v.Meta = append(v.Meta, MetaItem{Label: m.T("col.lead"), Cell: Cell{Text: b.t(b.entityName(r.Lead)), Href: up + "entity/" + b.slug(r.Lead) + ".html"}})
		}
	}
	for _, l := range r.Themes {
		v.Themes = append(v.Themes, LabelView{Name: m.english(l.Code), Score: l.Score, Evidence: b.evidence(l)})
	}
	for _, l := range r.SDGs {
		// The code only: its title is one click away, and repeating it
		// under each of thousands of recommendations made pages heavy.
		name := l.Code
		if !strings.Contains(name, ".") {
			name = m.T("goal", name)
		}
		v.SDGs = append(v.SDGs, LabelView{Name: b.t(name), Href: b.sdgHref(up, l.Code), Score: l.Score, Evidence: b.evidence(l)})
	}
	for _, id := range r.Clusters {
		v.Clusters = append(v.Clusters, Cell{Text: b.t(m.T("cluster") + " " + id), Href: up + "cluster/" + b.slug(id) + ".html"})
	}
	for _, u := range r.History {
		u.Status = b.status(u.Status)
		u.Entity = b.entityName(u.Entity)
		v.History = append(v.History, u)
	}
	return v
}

func (b *builder) evidence(l Label) string {
	if l.Reviewed {
		return b.m.T("reviewed")
	}
	s := b.m.T("machine") + ", " + b.m.T("score") + " " + fmtScore(l.Score)
	if len(l.Evidence) > 0 {
		s += ", " + b.m.T("evidence") + ": " + strings.Join(l.Evidence, ", ")
	}
	return s
}

func (b *builder) recViews(up string, ids []string, withReview bool) []RecView {
	out := make([]RecView, 0, len(ids))
	for _, id := range ids {
		if r := b.c.ByID[id]; r != nil {
			out = append(out, b.recView(up, r, withReview))
		}
	}
	return out
}

// maxTableRows bounds a page's list of recommendations; the page's CSV and
// the search hold them all.
const maxTableRows = 500

// recTable is a compact list of recommendations linking to their review.
func (b *builder) recTable(up, caption string, ids []string) Table {
	m := b.m
	t := Table{Caption: caption, Head: []string{m.T("col.id"), m.T("col.body"), m.T("col.date"), m.T("col.response"), m.T("col.text")}}
	if b.c.Followup {
		t.Head = append(t.Head, m.T("col.status"))
	}
	if len(ids) > maxTableRows {
		t.Caption = m.T("col.first", maxTableRows, len(ids))
		ids = ids[:maxTableRows]
	}
	for _, id := range ids {
		r := b.c.ByID[id]
		if r == nil {
			continue
		}
		txt := b.shown(r)
		if rs := []rune(txt.S); len(rs) > 160 {
			txt.S = string(rs[:159]) + "…"
		}
		row := []Cell{{Text: b.t(r.ID), Href: b.reviewHref(up, r) + "#" + b.recAnchor(r.ID)}, {Text: b.t(r.Body)}, {Text: b.t(r.Date)},
			{Text: b.t(b.response(r.Response))}, {Text: txt}}
		if b.c.Followup {
			row = append(row, Cell{Text: b.t(b.status(r.Status()))})
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (b *builder) allIDs() []string {
	ids := make([]string, len(b.c.Recs))
	for i, r := range b.c.Recs {
		ids[i] = r.ID
	}
	return ids
}

func (b *builder) home() error {
	m, c := b.m, b.c
	p := b.page("index.html", c.Name)
	p.Intro = []Text{b.t(m.T("home.intro", len(c.Recs), c.Name, len(c.Clusters)))}
	ids := b.allIDs()
	one := func(f func(*Rec) string) func(*Rec) []string { return func(r *Rec) []string { return []string{f(r)} } }
	charts := []Chart{
		b.countChart("c-mech", m.T("chart.mechanism"), m.T("col.category"), ids, one(func(r *Rec) string { return r.Mechanism }), func(k string) Text { return b.t(b.mech(k)) }, nil),
		b.countChart("c-resp", m.T("chart.response"), m.T("col.response"), ids, one(func(r *Rec) string { return r.Response }), func(k string) Text { return b.t(b.response(k)) }, nil),
	}
	if c.Followup {
		charts = append(charts, b.countChart("c-status", m.T("chart.status"), m.T("col.status"), ids, one(func(r *Rec) string { return r.Status() }), func(k string) Text { return b.t(b.status(k)) },
			[]string{"not_started", "in_progress", "partially_implemented", "implemented", "not_applicable", ""}))
	}
	goals := make([]string, 17)
	for i := range goals {
		goals[i] = strconv.Itoa(i + 1)
	}
	charts = append(charts, b.countChart("c-goal", m.T("chart.goal"), m.T("col.category"), ids, func(r *Rec) []string {
		seen := map[string]bool{}
		var out []string
		for _, l := range r.SDGs {
			if g := goalOf(l.Code); !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
		return out
	}, func(k string) Text {
		return Text{S: m.T("goal", k) + " " + m.sdgTitleShort(k, c.Goals[k]).S, Lang: m.sdgTitleShort(k, c.Goals[k]).Lang}
	}, goals))
	p.Sections = append(p.Sections, Section{ID: "charts", Heading: m.T("recs"), Charts: charts})
	// Links to every goal and body with recommendations.
	goalIDs, _, bodies, _ := b.groups()
	var gl []Cell
	for _, g := range sortedSDG(goalIDs) {
		gl = append(gl, Cell{Text: b.sdgName(g), Href: b.sdgHref("", g)})
	}
	var bl []Cell
	for _, body := range sortedKeys(bodies) {
		bl = append(bl, Cell{Text: b.t(fmt.Sprintf("%s (%d)", body, len(bodies[body]))), Href: "body/" + b.slug(body) + ".html"})
	}
	p.Sections = append(p.Sections, Section{ID: "goals", Heading: m.T("goals"), Links: gl}, Section{ID: "bodies", Heading: m.T("bodies"), Links: bl})
	var rows [][]string
	for _, ch := range charts {
		// Codes, not labels: the CSV is the same in every language.
		for i, r := range ch.Data.Rows {
			rows = append(rows, []string{strings.TrimPrefix(ch.ID, "c-"), ch.Keys[i], r[1].S})
		}
	}
	if err := b.w.putKeyed(m.lang+"/search-index.js", b.key, b.searchIndex()); err != nil {
		return err
	}
	return b.write("index.html", p, csvBytes([]string{"by", "category", "recommendations"}, rows))
}

func (m *catalogue) sdgTitleShort(code, english string) Text {
	return m.sdgTitle(code, english)
}

func (b *builder) search() error {
	m, c := b.m, b.c
	p := b.page("search.html", m.T("search.title"))
	p.Script = true
	any := Cell{Text: b.t(m.T("search.any"))}
	f := &SearchForm{Submit: m.T("search.submit"), NoScript: m.T("search.noscript")}
	f.Fields = append(f.Fields, SearchField{ID: "q", Label: m.T("search.text")})
	themes, targets, bodies, statuses, ents := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range c.Recs {
		for _, l := range r.Themes {
			themes[l.Code] = true
		}
		for _, l := range r.SDGs {
			targets[l.Code] = true
		}
		bodies[r.Body] = true
		statuses[r.Status()] = true
		if r.Lead != "" {
			ents[r.Lead] = true
		}
	}
	opts := func(keys []string, name func(string) Text) []Cell {
		out := []Cell{any}
		for _, k := range keys {
			out = append(out, Cell{Text: name(k), Href: k})
		}
		return out
	}
	f.Fields = append(f.Fields,
		SearchField{ID: "theme", Label: m.T("search.theme"), Options: opts(sortedKeys(themes), m.english)},
		SearchField{ID: "target", Label: m.T("search.target"), Options: opts(sortedSDG(targets), b.sdgName)},
		SearchField{ID: "body", Label: m.T("search.body"), Options: opts(sortedKeys(bodies), b.t)})
	if c.Followup {
		f.Fields = append(f.Fields,
			SearchField{ID: "status", Label: m.T("search.status"), Options: opts(sortedKeys(statuses), func(s string) Text { return b.t(b.status(s)) })},
			SearchField{ID: "entity", Label: m.T("search.entity"), Options: opts(sortedKeys(ents), func(s string) Text { return b.t(b.entityName(s)) })})
	}
	p.Sections = []Section{{ID: "form", Heading: m.T("search.results"), Search: f}}
	return b.write("search.html", p, nil)
}

func (b *builder) method() error {
	m := b.m
	p := b.page("method.html", m.T("method.title"))
	paras := []Text{b.t(m.T("method.sources")), b.t(m.T("method.themes")), b.t(m.T("method.machine")), b.t(m.T("method.reviewed")), b.t(m.T("method.clusters")), b.t(m.T("method.lang"))}
	if b.c.Followup {
		paras = append(paras, b.t(m.T("method.followup")))
	}
	t := Table{Caption: m.T("method.models"), Head: []string{"model_id", "task"}}
	var rows [][]string
	for _, md := range b.c.Models {
		t.Rows = append(t.Rows, []Cell{{Text: Text{S: md.ID, Lang: "en"}}, {Text: Text{S: md.Task, Lang: "en"}}})
		rows = append(rows, []string{md.ID, md.Task})
	}
	p.Sections = []Section{{ID: "method", Heading: m.T("method.title"), Paras: paras}, {ID: "models", Heading: m.T("method.models"), Tables: []Table{t}}}
	return b.write("method.html", p, csvBytes([]string{"model_id", "task"}, rows))
}

func (b *builder) clusterList() error {
	m := b.m
	p := b.page("clusters.html", m.T("clusters"))
	t := Table{Caption: m.T("clusters"), Head: []string{m.T("cluster"), m.T("col.title"), m.T("col.count")}}
	var rows [][]string
	for _, cl := range b.c.Clusters {
		t.Rows = append(t.Rows, []Cell{{Text: b.t(cl.ID), Href: "cluster/" + b.slug(cl.ID) + ".html"}, {Text: m.english(cl.Label)}, {Text: b.t(strconv.Itoa(len(cl.Recs)))}})
		rows = append(rows, []string{cl.ID, cl.Label, strconv.Itoa(len(cl.Recs))})
	}
	p.Sections = []Section{{ID: "clusters", Heading: m.T("clusters"), Tables: []Table{t}}}
	return b.write("clusters.html", p, csvBytes([]string{"cluster_id", "label", "recommendations"}, rows))
}

func (b *builder) cluster(cl *Cluster) error {
	m, c := b.m, b.c
	path := "cluster/" + b.slug(cl.ID) + ".html"
	p := b.page(path, m.T("cluster")+" "+cl.ID)
	p.Intro = []Text{m.english(cl.Label)}
	// Texts, sources, responses and status; the labels with their scores
	// and evidence are on each recommendation's review page, one link away.
	views := b.recViews("../", cl.Recs, true)
	for i := range views {
		views[i].Themes, views[i].SDGs = nil, nil
	}
	p.Sections = append(p.Sections, Section{ID: "recs", Heading: m.T("recs"), Recs: views})
	if c.Followup {
		var acts []Table
		for _, a := range b.clusterActions(cl) {
			acts = append(acts, b.actionTable("../", a))
		}
		if len(acts) > 0 {
			p.Sections = append(p.Sections, Section{ID: "actions", Heading: m.T("actions"), Tables: acts})
		}
		leads := map[string]int{}
		for _, id := range cl.Recs {
			if l := c.ByID[id].Lead; l != "" {
				leads[l]++
			}
		}
		var ll []Cell
		for _, e := range sortedKeys(leads) {
			ll = append(ll, Cell{Text: b.t(fmt.Sprintf("%s (%d)", b.entityName(e), leads[e])), Href: "../entity/" + b.slug(e) + ".html"})
		}
		if len(ll) > 0 {
			p.Sections = append(p.Sections, Section{ID: "leads", Heading: m.T("entities"), Links: ll})
		}
	}
	targets := map[string]bool{}
	for _, id := range cl.Recs {
		for _, l := range c.ByID[id].SDGs {
			if strings.Contains(l.Code, ".") {
				targets[l.Code] = true
			}
		}
	}
	var tl []Cell
	var charts []Chart
	for _, t := range sortedSDG(targets) {
		tl = append(tl, Cell{Text: b.sdgName(t), Href: b.sdgHref("../", t)})
		charts = append(charts, b.seriesCharts(t)...)
	}
	if len(tl) > 0 {
		p.Sections = append(p.Sections, Section{ID: "targets", Heading: m.T("targets"), Links: tl})
	}
	if len(charts) > 0 {
		p.Sections = append(p.Sections, Section{ID: "indicators", Heading: m.T("indicators"), Charts: charts})
	}
	return b.write(path, p, c.recsCSV(cl.Recs))
}

// clusterActions are the actions linked to a recommendation of cl.
func (b *builder) clusterActions(cl *Cluster) []*Action {
	if !b.c.Followup || len(b.c.Actions) == 0 {
		return nil
	}
	in := make(map[string]bool, len(cl.Recs))
	for _, id := range cl.Recs {
		in[id] = true
	}
	var out []*Action
	for _, a := range b.c.Actions {
		for _, id := range a.Recs {
			if in[id] {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

func (b *builder) actionTable(up string, a *Action) Table {
	m := b.m
	t := Table{Caption: a.Title, Head: []string{m.T("col.date"), m.T("col.status"), m.T("col.entity"), m.T("col.update")}}
	if a.Lead != "" {
		t.Caption += " (" + m.T("col.lead") + ": " + b.entityName(a.Lead) + ")"
	}
	if a.TargetDate != "" {
		t.Caption += ", " + m.T("col.target_date") + ": " + a.TargetDate
	}
	for _, u := range a.History {
		t.Rows = append(t.Rows, []Cell{{Text: b.t(u.Date)}, {Text: b.t(b.status(u.Status))}, {Text: b.t(b.entityName(u.Entity))}, {Text: b.t(u.Text)}})
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []Cell{{Text: b.t("–")}, {Text: b.t(b.status(""))}, {Text: b.t("")}, {Text: b.t(a.Description)}})
	}
	return t
}

// seriesCharts draws the national series of a target's indicators.
func (b *builder) seriesCharts(target string) []Chart {
	var out []Chart
	for _, ind := range b.c.TargetInds[target] {
		for i, s := range b.c.Series[ind] {
			title := b.m.T("chart.series", s.Code)
			if s.Unit != "" {
				title += " (" + s.Unit + ")"
			}
			var labels []Text
			var vals []float64
			for _, pt := range s.Points {
				labels = append(labels, b.t(strconv.Itoa(pt.Year)))
				vals = append(vals, pt.Value)
			}
			ch := barChart(fmt.Sprintf("s-%s-%d", b.slug(s.Code), i), title, labels, vals, b.m, b.m.T("col.year"))
			ch.Data.Head[1] = b.m.T("col.value")
			out = append(out, ch)
		}
	}
	return out
}

func (b *builder) goal(g string, ids []string, targets map[string][]string) error {
	m := b.m
	path := "goal/" + b.slug(g) + ".html"
	p := b.page(path, m.T("goal", g))
	p.Intro = []Text{m.sdgTitle(g, b.c.Goals[g])}
	var tl []Cell
	for _, t := range sortedSDG(targets) {
		if goalOf(t) == g {
			tl = append(tl, Cell{Text: Text{S: fmt.Sprintf("%s (%d)", b.sdgName(t).S, len(targets[t])), Lang: b.sdgName(t).Lang}, Href: b.sdgHref("../", t)})
		}
	}
	if len(tl) > 0 {
		p.Sections = append(p.Sections, Section{ID: "targets", Heading: m.T("targets"), Links: tl})
	}
	p.Sections = append(p.Sections, Section{ID: "recs", Heading: m.T("recs"), Tables: []Table{b.recTable("../", m.T("recs"), ids)}})
	return b.write(path, p, b.c.recsCSV(ids))
}

func (b *builder) target(t string, ids []string) error {
	m := b.m
	path := "target/" + b.slug(t) + ".html"
	p := b.page(path, m.T("target", t))
	p.Intro = []Text{m.sdgTitle(t, b.c.Targets[t])}
	p.Sections = append(p.Sections, Section{ID: "goal", Heading: m.T("goals"), Links: []Cell{{Text: b.sdgName(goalOf(t)), Href: b.sdgHref("../", goalOf(t))}}})
	var inds []Text
	for _, ind := range b.c.TargetInds[t] {
		inds = append(inds, Text{S: ind + " " + m.sdgTitle(ind, b.c.Indicators[ind]).S, Lang: m.sdgTitle(ind, b.c.Indicators[ind]).Lang})
	}
	if len(inds) > 0 {
		p.Sections = append(p.Sections, Section{ID: "indicators", Heading: m.T("indicators"), Paras: inds, Charts: b.seriesCharts(t)})
	}
	p.Sections = append(p.Sections, Section{ID: "recs", Heading: m.T("recs"), Tables: []Table{b.recTable("../", m.T("recs"), ids)}})
	return b.write(path, p, b.c.recsCSV(ids))
}

func (b *builder) body(body string, ids []string, reviews map[string][]string) error {
	m := b.m
	path := "body/" + b.slug(body) + ".html"
	p := b.page(path, body)
	var rl []Cell
	seen := map[string]bool{}
	for _, id := range ids {
		r := b.c.ByID[id]
		if !seen[r.Review] {
			seen[r.Review] = true
			rl = append(rl, Cell{Text: b.t(fmt.Sprintf("%s (%d)", r.Review, len(reviews[r.Review]))), Href: b.reviewHref("../", r)})
		}
	}
	p.Intro = []Text{b.t(b.mech(b.c.ByID[ids[0]].Mechanism))}
	one := func(f func(*Rec) string) func(*Rec) []string { return func(r *Rec) []string { return []string{f(r)} } }
	p.Sections = append(p.Sections, Section{ID: "reviews", Heading: m.T("reviews"), Links: rl,
		Charts: []Chart{b.countChart("c-resp", m.T("chart.response"), m.T("col.response"), ids, one(func(r *Rec) string { return r.Response }), func(k string) Text { return b.t(b.response(k)) }, nil)}})
	return b.write(path, p, b.c.recsCSV(ids))
}

func (b *builder) review(rv string, ids []string) error {
	m := b.m
	path := "review/" + b.slug(rv) + ".html"
	p := b.page(path, rv)
	r0 := b.c.ByID[ids[0]]
	p.Intro = []Text{b.t(b.mech(r0.Mechanism) + ", " + r0.Body)}
	p.Sections = append(p.Sections, Section{ID: "body", Heading: m.T("bodies"), Links: []Cell{{Text: b.t(r0.Body), Href: "../body/" + b.slug(r0.Body) + ".html"}}},
		Section{ID: "recs", Heading: m.T("recs"), Recs: b.recViews("../", ids, false)})
	return b.write(path, p, b.c.recsCSV(ids))
}

func (b *builder) entities() error {
	m, c := b.m, b.c
	leads := map[string][]string{}
	for _, r := range c.Recs {
		if r.Lead != "" {
			leads[r.Lead] = append(leads[r.Lead], r.ID)
		}
	}
	codes := map[string]bool{}
	for k := range c.Entities {
		codes[k] = true
	}
	for k := range leads {
		codes[k] = true
	}
	for _, a := range c.Actions {
		if a.Lead != "" {
			codes[a.Lead] = true
		}
	}
	h := func() *hasher {
		h := newHasher().s("entities")
		for _, e := range sortedKeys(codes) {
			h.s(e).n(len(leads[e]))
		}
		return h
	}
	if !b.fresh("entities.html", true, h) {
		if err := b.entityList(codes, leads); err != nil {
			return err
		}
	}
	for _, e := range sortedKeys(codes) {
		path := "entity/" + b.slug(e) + ".html"
		h := func() *hasher {
			h := c.recsKey(newHasher().s("entity", e), leads[e])
			for _, a := range c.Actions {
				if a.Lead == e {
					h.s(a.fp)
				}
			}
			return h
		}
		if b.fresh(path, true, h) {
			continue
		}
		ep := b.page(path, b.entityName(e))
		var acts []Table
		for _, a := range c.Actions {
			if a.Lead == e {
				acts = append(acts, b.actionTable("../", a))
			}
		}
		if len(acts) > 0 {
			ep.Sections = append(ep.Sections, Section{ID: "actions", Heading: m.T("actions"), Tables: acts})
		}
		ep.Sections = append(ep.Sections, Section{ID: "recs", Heading: m.T("entity.leads"), Tables: []Table{b.recTable("../", m.T("entity.leads"), leads[e])}})
		if err := b.write(path, ep, c.recsCSV(leads[e])); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) entityList(codes map[string]bool, leads map[string][]string) error {
	m := b.m
	p := b.page("entities.html", m.T("entities"))
	t := Table{Caption: m.T("entities"), Head: []string{m.T("col.entity"), m.T("col.title"), m.T("col.count")}}
	var rows [][]string
	for _, e := range sortedKeys(codes) {
		t.Rows = append(t.Rows, []Cell{{Text: b.t(e), Href: "entity/" + b.slug(e) + ".html"}, {Text: b.t(b.entityName(e))}, {Text: b.t(strconv.Itoa(len(leads[e])))}})
		rows = append(rows, []string{e, b.entityName(e), strconv.Itoa(len(leads[e]))})
	}
	p.Sections = []Section{{ID: "entities", Heading: m.T("entities"), Tables: []Table{t}}}
	return b.write("entities.html", p, csvBytes([]string{"entity_code", "name", "recommendations_led"}, rows))
}

func siteTitle(m *catalogue, c *Country, title string) string {
	if title != "" {
		return title
	}
	return m.T("site.title", c.Name)
}

// languageChooser is the site's front door: one link per language.
func languageChooser(c *Country, cats []*catalogue, title string) []byte {
	var buf bytes.Buffer
	m := cats[0]
	p := &Page{Lang: m.lang, Title: m.T("nav.languages"), SiteTitle: siteTitle(m, c, title), Up: "", Top: "", M: m,
		Skip: m.T("skip"), NavLabel: m.T("nav.main"), LangsLabel: m.T("nav.languages"), Downloads: m.T("downloads"),
		PageCSV: m.T("dl.page"), Footer: m.T("footer.made"), Cite: m.T("cite", c.RunID, c.RunDate),
		Bundle: c.bundleName(), BundleLabel: m.T("dl.bundle", c.Name)}
	var links []Cell
	for _, cat := range cats {
		links = append(links, Cell{Text: Text{S: siteTitle(cat, c, title), Lang: cat.lang}, Href: cat.lang + "/index.html"})
		p.Nav = append(p.Nav, Cell{Text: Text{S: cat.T("lang.name")}, Href: cat.lang + "/index.html"})
	}
	p.Sections = []Section{{ID: "langs", Heading: m.T("nav.languages"), Links: links}}
	pageTemplate.Execute(&buf, p)
	return buf.Bytes()
}

// sortedSDG orders SDG codes as the framework does: 1, 1.1, 1.2, 1.10, 1.a.
func sortedSDG[V any](m map[string]V) []string {
	keys := sortedKeys(m)
	part := func(s string) (int, string) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 1 << 20, s
		}
		return n, ""
	}
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := strings.Split(keys[i], "."), strings.Split(keys[j], ".")
		for k := 0; k < len(a) && k < len(b); k++ {
			na, sa := part(a[k])
			nb, sb := part(b[k])
			if na != nb {
				return na < nb
			}
			if sa != sb {
				return sa < sb
			}
		}
		return len(a) < len(b)
	})
	return keys
}
