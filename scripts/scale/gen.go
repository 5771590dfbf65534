package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"html"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// record is one annotation of the UHRI JSON export, keys in the export's order.
type record struct {
	AnnotationID           string   `json:"AnnotationId"`
	Text                   string   `json:"Text"`
	Symbol                 string   `json:"Symbol"`
	DocumentID             string   `json:"DocumentId"`
	Body                   string   `json:"Body"`
	AnnotationType         string   `json:"AnnotationType"`
	Countries              []string `json:"Countries"`
	Regions                []string `json:"Regions"`
	Themes                 []string `json:"Themes"`
	Sdgs                   []string `json:"Sdgs"`
	AffectedPersons        []string `json:"AffectedPersons"`
	PublicationDate        string   `json:"PublicationDate"`
	UprCycle               *string  `json:"UprCycle"`
	UprSession             *string  `json:"UprSession"`
	UprPositions           []string `json:"UprPositions"`
	UprRecommendingCountry []string `json:"UprRecommendingCountry"`
}

// Shares of the mechanisms and kinds, roughly UHRI's.
const (
	shareUPR       = 0.70
	shareTB        = 0.25 // the rest are special procedures
	tbConcernShare = 0.35
	spConcernShare = 0.40
	maxSession     = 50
	// A TB or SP record takes its text from the concluding observations
	// this often, else from the UPR texts, which read the same way and keep
	// the texts of one country varied.
	coTextShare = 0.25
	// maxTries bounds the draws for one new distinct record.
	maxTries = 200
)

// treatyBodies are drawn by weight; prefix is how the body's concluding
// observations symbols begin.
var treatyBodies = []struct {
	code, prefix string
	weight       int
}{
	{"CRC", "CRC/C", 20}, {"CEDAW", "CEDAW/C", 18}, {"CCPR", "CCPR/C", 14}, {"CERD", "CERD/C", 14},
	{"CESCR", "E/C.12", 12}, {"CAT", "CAT/C", 10}, {"CRPD", "CRPD/C", 8}, {"CMW", "CMW/C", 2}, {"CED", "CED/C", 2},
}

// mandates are special procedures as UHRI names them in Body.
var mandates = []string{
	"SR Water and sanitation", "SR Torture", "SR Freedom of expression", "SR Food", "SR Health",
	"SR Education", "SR Adequate housing", "SR Extreme poverty", "SR Human rights defenders",
	"SR Indigenous peoples", "SR Violence against women", "SR Migrants", "SR Trafficking in persons",
	"SR Freedom of religion or belief", "SR Independence of judges and lawyers", "WG Arbitrary detention",
	"WG Enforced or involuntary disappearances", "IE Foreign debt", "IE Sexual orientation and gender identity",
	"IE Older persons",
}

// stats describes what was generated, for the log and the tests.
type stats struct {
	Records    int
	Distinct   int // distinct (country, body, session or symbol, identity text)
	ByBody     map[string]int
	ByType     map[string]int
	Countries  int
	Redraws    int // draws that repeated an earlier record and were drawn again
	CoTexts    int // records with a concluding-observations text
	UPRTexts   int // records with a UPR Info or matrix text
	MinDate    string
	MaxDate    string
	MaxSession int
}

// generator draws distinct records. Everything it draws comes from one
// seeded source and no map is iterated, so a seed gives the same corpus.
type generator struct {
	src        *sources
	rng        *rand.Rand
	countryCum []int
	tbCum      []int
	seen       map[string]struct{}
	paraNext   map[string]int
	countries  map[string]bool
	st         stats
}

func newGenerator(src *sources, seed uint64) *generator {
	g := &generator{src: src, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		seen: map[string]struct{}{}, paraNext: map[string]int{}, countries: map[string]bool{},
		st: stats{ByBody: map[string]int{}, ByType: map[string]int{}}}
	total := 0
	for _, c := range src.countries {
		total += c.weight
		g.countryCum = append(g.countryCum, total)
	}
	total = 0
	for _, b := range treatyBodies {
		total += b.weight
		g.tbCum = append(g.tbCum, total)
	}
	return g
}

// pick returns an index drawn by the running totals cum.
func (g *generator) pick(cum []int) int {
	return sort.SearchInts(cum, g.rng.IntN(cum[len(cum)-1])+1)
}

// labels draws up to k distinct values of w, k itself drawn in [lo, hi].
func (g *generator) labels(w *weighted, lo, hi int) []string {
	k := lo + g.rng.IntN(hi-lo+1)
	out := []string{}
	for i := 0; i < k*3 && len(out) < k; i++ {
		v := w.values[g.pick(w.cum)]
		dup := false
		for _, o := range out {
			dup = dup || o == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// next draws records until one is new, and returns it.
func (g *generator) next(ctx context.Context) (record, error) {
	for try := 0; try < maxTries; try++ {
		if err := ctx.Err(); err != nil {
			return record{}, err
		}
		r, key, co, ok := g.draw()
		if !ok {
			g.st.Redraws++
			continue
		}
		if _, dup := g.seen[key]; dup {
			g.st.Redraws++
			continue
		}
		g.seen[key] = struct{}{}
		g.count(r, co)
		return r, nil
	}
	return record{}, fmt.Errorf("record %d: no new distinct record in %d draws; the text pool is too small for this size", g.st.Records+1, maxTries)
}

func (g *generator) count(r record, co bool) {
	g.st.Records++
	if co {
		g.st.CoTexts++
	} else {
		g.st.UPRTexts++
	}
	g.st.Distinct = len(g.seen)
	g.st.ByBody[strings.TrimPrefix(r.Body, "- ")]++
	g.st.ByType[r.AnnotationType]++
	if !g.countries[r.Countries[0]] {
		g.countries[r.Countries[0]] = true
		g.st.Countries++
	}
	d := r.PublicationDate[:10]
	if g.st.MinDate == "" || d < g.st.MinDate {
		g.st.MinDate = d
	}
	if d > g.st.MaxDate {
		g.st.MaxDate = d
	}
}

// draw makes one candidate record and its identity key; co tells whether
// its text is from the concluding observations; ok is false for a draw that
// cannot stand (a State recommending to itself).
func (g *generator) draw() (r record, key string, co, ok bool) {
	c := g.src.countries[g.pick(g.countryCum)]
	r = record{
		AnnotationID:           g.uuid(),
		Countries:              []string{c.name},
		Regions:                []string{c.region},
		Themes:                 g.labels(&g.src.themes, 1, 3),
		Sdgs:                   g.labels(&g.src.sdgs, 0, 2),
		AffectedPersons:        g.labels(&g.src.persons, 0, 2),
		UprPositions:           []string{},
		UprRecommendingCountry: []string{},
	}
	var bodyCode, period, text string
	switch u := g.rng.Float64(); {
	case u < shareUPR:
		t := g.src.upr[g.rng.IntN(len(g.src.upr))]
		for _, s := range t.states {
			if s == c.name {
				return r, "", false, false
			}
		}
		session := g.session(c)
		para := g.paragraph(c, session)
		states := ""
		if len(t.states) > 0 {
			states = " (" + strings.Join(t.states, ", ") + ")"
		}
		r.Text = "<p>" + para + " " + html.EscapeString(t.text) + states + ";</p>"
		r.Symbol = fmt.Sprintf("A/HRC/%d/%d", session+8, 1+hash(c.iso3)%16)
		r.Body, r.AnnotationType = "- UPR", "Recommendations"
		r.PublicationDate = sessionDate(session)
		cycle, sess := strconv.Itoa(norm.UPRCycle(session)), strconv.Itoa(session)
		r.UprCycle, r.UprSession = &cycle, &sess
		if t.position != "" {
			r.UprPositions = []string{t.position}
		}
		r.UprRecommendingCountry = append(r.UprRecommendingCountry, t.states...)
		bodyCode, period, text = "UPR", "session "+sess, t.text
		g.st.MaxSession = max(g.st.MaxSession, session)
	case u < shareUPR+shareTB:
		b := treatyBodies[g.pick(g.tbCum)]
		h := hash(c.iso3 + b.code)
		first := 2008 + int(h%5)
		review := g.rng.IntN((2026-first)/5 + 1)
		year := first + 5*review
		r.Symbol = fmt.Sprintf("%s/%s/CO/%d", b.prefix, c.iso3, 1+int(h>>4)%4+review)
		r.PublicationDate = fmt.Sprintf("%d-%02d-%02dT00:00:00Z", year, 1+int(h>>8)%12, 1+int(h>>12)%28)
		r.Body = "- " + b.code
		text, co = g.text(&r, tbConcernShare)
		bodyCode, period = b.code, r.Symbol
	default:
		m := mandates[g.rng.IntN(len(mandates))]
		h := hash(c.iso3 + m)
		visit := g.rng.IntN(2)
		year := 2008 + int(h+7*uint32(visit))%19
		r.Symbol = fmt.Sprintf("A/HRC/%d/%d/Add.%d", 8+3*(year-2008)+int(h>>4)%3, 20+int(h>>8)%40, 1+int(h>>12)%4+visit)
		r.PublicationDate = fmt.Sprintf("%d-%02d-%02dT00:00:00Z", year, 1+int(h>>16)%12, 1+int(h>>20)%28)
		r.Body = "- " + m
		text, co = g.text(&r, spConcernShare)
		_, bodyCode, _ = norm.Body(m)
		period = r.Symbol
	}
	r.DocumentID = uuidOf(r.Symbol + "\x00" + c.iso3)
	key = strings.Join([]string{c.iso3, bodyCode, strings.ToUpper(period), models.IdentityText(text)}, "\x00")
	return r, key, co, true
}

// text sets the type and text of a treaty-body or special-procedure record
// and returns the plain text and whether it is from the concluding
// observations.
func (g *generator) text(r *record, concernShare float64) (string, bool) {
	concern := g.rng.Float64() < concernShare
	r.AnnotationType = "Recommendations"
	pool := g.src.tbRec
	if concern {
		r.AnnotationType, pool = "Concerns/Observations", g.src.tbConcern
	}
	t, co := g.src.upr[g.rng.IntN(len(g.src.upr))].text+".", false
	if g.rng.Float64() < coTextShare {
		t, co = pool[g.rng.IntN(len(pool))], true
	}
	r.Text = "<p>" + html.EscapeString(t) + "</p>"
	return t, co
}

// session draws one of the country's UPR sessions: its first-cycle session
// as UPR Info has it, then the same place in each later 14-session cycle.
// Later cycles made more recommendations, so they are drawn more often.
func (g *generator) session(c country) int {
	offset := (c.firstSession - 1) * 13 / 11
	var sessions, cum []int
	total := 0
	for cycle := 1; cycle <= 4; cycle++ {
		s := c.firstSession
		if cycle > 1 {
			s = 13 + offset + 14*(cycle-2)
		}
		if s > maxSession {
			break
		}
		total += min(cycle, 3)
		sessions, cum = append(sessions, s), append(cum, total)
	}
	return sessions[g.pick(cum)]
}

// paragraph numbers a country's recommendations in a session's report as
// UHRI does ("186.54").
func (g *generator) paragraph(c country, session int) string {
	k := c.iso3 + strconv.Itoa(session)
	g.paraNext[k]++
	return fmt.Sprintf("%d.%d", 90+int(hash(k)%70), g.paraNext[k])
}

// sessionDate approximates when a session's Working Group report was
// published: sessions run three a year from April 2008, and the report
// follows a few months later.
func sessionDate(session int) string {
	d := time.Date(2008, 7, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (session-1)*365/3)
	return d.Format("2006-01-02") + "T00:00:00Z"
}

func (g *generator) uuid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return formatUUID(a, b)
}

func uuidOf(s string) string {
	h := fnv.New128a()
	h.Write([]byte(s))
	sum := h.Sum(nil)
	var a, b uint64
	for i := 0; i < 8; i++ {
		a, b = a<<8|uint64(sum[i]), b<<8|uint64(sum[8+i])
	}
	return formatUUID(a, b)
}

func formatUUID(a, b uint64) string {
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
