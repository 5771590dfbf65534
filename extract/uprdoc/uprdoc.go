package uprdoc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// Name is the format name of UPR compilations.
const Name = "upr-compilation"

// Importer reads UN compilations for the UPR as text (pdftotext, with or
// without layout) or as legal-sources JSON records ({"text", "symbol",
// "country_code", "doc_type": "un_compilation", …}).
type Importer struct{}

// Name implements extract.Importer.
func (Importer) Name() string { return Name }

var (
	// compSymbolRe matches the compilation's symbol; pdftotext may cut it
	// after the "A" ("A\nUnited Nations\n/HRC/WG.6/29/BRB/2").
	compSymbolRe = regexp.MustCompile(`\bA?/HRC/WG\.6/(\d{1,2})/([A-Z]{3})/2\b(/Corr\.\d)?`)
	compTitleRe  = regexp.MustCompile(`(?i)\bcompilation\s+(?:prepared\s+by|on\s+)`)
	notesRe      = regexp.MustCompile(`(?im)^\s*(?:End)?notes\s*$`)
	jobRe        = regexp.MustCompile(`^GE[.:]\d{2}-\d{4,6}`)
	barcodeRe    = regexp.MustCompile(`^\*\d{5,}\*$`)
	pageRe       = regexp.MustCompile(`^(?:Page\s+)?\d{1,3}$`)
)

// record is a legal-sources JSON record.
type record struct {
	Text        string `json:"text"`
	Symbol      string `json:"symbol"`
	CountryCode string `json:"country_code"`
	Country     string `json:"country_reviewed"`
	DocType     string `json:"doc_type"`
}

// compilation is an input read as a compilation.
type compilation struct {
	text, symbol, country string
	session               int
	corrigendum           bool
}

// read decodes in once for Sniff and Import.
func read(in *extract.Input) (*compilation, error) {
	v, err := in.Memo("uprdoc.compilation", func() (any, error) {
		switch k := in.Kind(); k {
		case extract.KindText:
		default:
			return nil, fmt.Errorf("file is %s data, not a UPR compilation as text or JSON", k)
		}
		text, _, err := in.Text()
		if err != nil {
			return nil, err
		}
		c := &compilation{text: text}
		if trimmed := strings.TrimSpace(text); strings.HasPrefix(trimmed, "{") {
			var rec record
			dec := json.NewDecoder(bytes.NewReader([]byte(trimmed)))
			if err := dec.Decode(&rec); err != nil {
				return nil, fmt.Errorf("read JSON record: %w", err)
			}
			if rec.DocType != "" && rec.DocType != "un_compilation" {
				return nil, fmt.Errorf("JSON record is a %s, not a UN compilation (doc_type un_compilation)", rec.DocType)
			}
			if strings.TrimSpace(rec.Text) == "" {
				return nil, errors.New(`JSON record has no "text"`)
			}
			c.text, c.symbol, c.country = extract.NormaliseNewlines(rec.Text), rec.Symbol, rec.CountryCode
			if c.country == "" {
				c.country = rec.Country
			}
		}
		head := c.text[:min(len(c.text), 3000)]
		m := compSymbolRe.FindStringSubmatch(head)
		if c.symbol == "" && m != nil {
			c.symbol = "A" + strings.TrimPrefix(m[0], "A")
		}
		if m != nil {
			c.session, _ = strconv.Atoi(m[1])
			c.corrigendum = m[3] != ""
			if c.country == "" {
				c.country = m[2]
			}
		}
		if c.symbol == "" || !compTitleRe.MatchString(head) {
			return nil, errors.New("not a UPR compilation: no A/HRC/WG.6/…/2 symbol and \"Compilation\" title on the first page")
		}
		return c, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*compilation), nil
}

// Sniff implements extract.Importer.
func (Importer) Sniff(in *extract.Input) int {
	// A compilation names itself (A/HRC/WG.6/20/SVN/2) at the top of its
	// first page; reading the whole document of every other text file to
	// find out cost more than importing it.
	if !mayBeCompilation(in) {
		return 0
	}
	c, err := read(in)
	if err != nil || c.corrigendum {
		return 0
	}
	if !notesRe.MatchString(c.text) {
		return 40
	}
	return 90
}

// Import implements extract.Importer.
//
// Every statement of a treaty body or special procedure that recommends
// ("recommended", "urged", "encouraged", "called upon", "invited",
// "requested") or is concerned ("was concerned", "expressed concern",
// "regretted") becomes a record of that body, cited to the document and
// paragraph of the note it carries. Statements are cut at note marks, so
// that "X was concerned …,50 and recommended …51" gives a concern and a
// recommendation; a statement without a mark of its own takes the next one
// of its paragraph. What UN agencies, the State or others said is skipped.
func (Importer) Import(ctx context.Context, in *extract.Input, opt extract.Options) (*extract.Result, error) {
	c, err := read(in)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	if c.corrigendum {
		return nil, models.InputError(in.Path, fmt.Errorf("%s is a corrigendum, not a compilation", c.symbol))
	}
	iso3, ok := norm.Country(c.country)
	if !ok {
		if iso3, ok = norm.Country(opt.Country); !ok {
			return nil, models.InputError(in.Path, fmt.Errorf("%s: cannot tell the State under review (%q)", c.symbol, c.country))
		}
	}
	lines := strings.Split(c.text, "\n")
	cut := -1
	for i, l := range lines {
		if notesRe.MatchString(l) {
			cut = i
		}
	}
	if cut < 0 {
		return nil, models.InputError(in.Path, fmt.Errorf("%s: no \"Notes\" section, so quotations cannot be traced to their sources", c.symbol))
	}
	// In the notes a number alone on a line starts a note more often
	// than it numbers a page; parseNotes tells them apart by order.
	noteFurniture := func(t string) bool {
		return t == c.symbol || strings.HasPrefix(t, c.symbol+" ") || jobRe.MatchString(t) || barcodeRe.MatchString(t) ||
			strings.HasSuffix(c.symbol, t) && strings.HasPrefix(t, "/HRC/")
	}
	furniture := func(t string) bool { return noteFurniture(t) || pageRe.MatchString(t) }
	notes := parseNotes(lines[cut+1:], noteFurniture)
	paras := paragraphs(lines[:cut], furniture)
	if len(paras) == 0 || len(notes) == 0 {
		return nil, models.InputError(in.Path, fmt.Errorf("%s: found %d numbered paragraphs and %d notes", c.symbol, len(paras), len(notes)))
	}
	res := &extract.Result{}
	last := 0
	var prev speaker
	for _, p := range paras {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ps := pieces(p.text, &last, notes)
		for i := range ps {
			if ps[i].note == 0 {
				ps[i].note = nearNote(ps, i)
			}
		}
		prevKind := ""
		for _, pc := range ps {
			who, at, ok := subjectOf(pc.text, prev)
			var kinds []quote
			switch {
			case !ok && !pc.first:
				// A list item or object after a note mark ("(b) a
				// national strategy …;71") continues the statement before.
				if prevKind != "" {
					kinds = []quote{{prevKind, pc.text}}
				}
			case ok:
				prev = who
				k1, split, k2 := kindOf(pc.text, at)
				prevKind = k1
				if split < 0 {
					if k1 != "" {
						kinds = []quote{{k1, pc.text}}
					}
				} else {
					kinds = []quote{{k1, pc.text[:split]}, {k2, pc.text[split:]}}
					prevKind = k2
				}
			default:
				// A sentence whose verb is not known: its speaker is not
				// known either, and an "It" after it is not guessed.
				prev, prevKind = speaker{}, ""
			}
			if prev.body == "" {
				continue
			}
			for _, q := range kinds {
				rec, rerr := makeRecord(c, iso3, prev, q, pc, p, notes)
				if rerr != nil {
					rerr.File = in.Path
					res.Rejected = append(res.Rejected, *rerr)
					continue
				}
				rec.Sources[0].File, rec.Sources[0].FileSHA256 = in.Name, in.SHA256
				res.Records = append(res.Records, rec)
			}
		}
	}
	return res, nil
}

// quote is one statement of a piece.
type quote struct{ kind, text string }

// nearNote returns the note a piece without its own mark shares: the next
// one in its paragraph, else the one before.
func nearNote(ps []piece, i int) int {
	for j := i + 1; j < len(ps); j++ {
		if ps[j].note != 0 {
			return ps[j].note
		}
	}
	for j := i - 1; j >= 0; j-- {
		if ps[j].note != 0 {
			return ps[j].note
		}
	}
	return 0
}

var edgeRe = regexp.MustCompile(`^(?:and|but)\s+|[\s,;]+(?:and|or)?\s*$`)

func makeRecord(c *compilation, iso3 string, who speaker, q quote, pc piece, p cpara, notes map[int]*note) (models.Recommendation, *models.RowError) {
	text := strings.TrimSpace(edgeRe.ReplaceAllString(models.CleanText(q.text), ""))
	nt := notes[pc.note]
	if nt == nil || text == "" {
		return models.Recommendation{}, &models.RowError{Row: p.num, Field: "note",
			Msg: fmt.Sprintf("paragraph %d: %s quoted from %s carries no note to trace its source: %q", p.num, q.kind, who.body, text)}
	}
	r := nt.pick(who.body, who.mech)
	return models.Recommendation{
		Kind: q.kind, Text: text, CountryISO3: iso3, CountryName: norm.CountryName(iso3),
		Mechanism: who.mech, Body: who.body, Symbol: r.symbol, Paragraph: r.paragraph,
		Heading: p.heading,
		Sources: []models.Source{{Format: Name,
			Locator: fmt.Sprintf("%s paragraph %d note %d", c.symbol, p.num, pc.note),
			RawText: models.CleanText(pc.sentence)}},
	}, nil
}

var ownSymbolRe = regexp.MustCompile(`A/HRC/WG\.6/\d{1,2}/[A-Z]{3}/2\b`)

// mayBeCompilation is the cheap look at the head of the file that Sniff
// takes before parsing: a JSON record, or the compilation's own symbol in
// the first lines.
func mayBeCompilation(in *extract.Input) bool {
	if in.Kind() != extract.KindText {
		return false
	}
	text, _, err := in.Text()
	if err != nil {
		return false
	}
	head := strings.TrimSpace(text[:min(len(text), 3000)])
	return strings.HasPrefix(head, "{") || ownSymbolRe.MatchString(head[:min(len(head), 1500)])
}
