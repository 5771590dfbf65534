package tbco

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// Name is the format name of treaty-body concluding observations.
const Name = "tb-concluding-observations"

// Importer reads concluding observations as pdftotext text, docstore HTML
// (UTF-8 or UTF-16) or .docx.
type Importer struct{}

// Name implements extract.Importer.
func (Importer) Name() string { return Name }

// Sniff implements extract.Importer: the title page carries a concluding
// observations symbol and says "Concluding observations".
func (Importer) Sniff(in *extract.Input) int {
	// Parsing a .docx or a whole text to look for the symbol cost more than
	// the import of the file that is really there; a concluding
	// observations document names "/CO/" or "Concluding observations"
	// early, which a byte search finds cheaply.
	if !mayBeCO(in) {
		return 0
	}
	var head string
	if in.Kind() == extract.KindZip {
		// The head first: a .docx without a symbol in it is not read
		// whole.
		h, err := docxHead(in)
		if err != nil {
			return 0
		}
		if symbol, _, _ := findSymbol(h); symbol == "" {
			return 0
		}
	}
	doc, err := readDocument(in)
	if err != nil {
		return 0
	}
	head = doc.head
	symbol, _, _ := findSymbol(head)
	switch {
	case symbol == "":
		return 0
	case coTitleRe.MatchString(head):
		return 95
	}
	return 20
}

// Import implements extract.Importer.
//
// Only the section of concerns and recommendations and the closing
// (dissemination, follow-up) paragraphs give records. A concern paragraph
// ("The Committee is concerned …") gives one concern record, its lettered
// items kept in its text. A recommendation paragraph gives one record per
// lettered sub-paragraph ("12(a)") and one for its own text when that says
// more than "The State party should:"; without sub-paragraphs it gives one
// record. In the older layout where the recommendation follows the concern
// unnumbered under the same number, the paragraph is split where "The State
// party should" begins. Closing paragraphs are kept as recommendations when
// they ask something of the State (dissemination, follow-up information,
// the next report) and skipped otherwise.
func (Importer) Import(ctx context.Context, in *extract.Input, opt extract.Options) (*extract.Result, error) {
	doc, err := readDocument(in)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	if len(doc.lines) == 0 || strings.TrimSpace(doc.head) == "" {
		return nil, models.InputError(in.Path, errors.New("document holds no text"))
	}
	h, err := readHeader(doc.head, opt)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	paras, gaps, err := parse(ctx, removeFurniture(doc.lines, h.symbol))
	if err != nil {
		return nil, err
	}
	res := &extract.Result{}
	for _, g := range gaps {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %s", in.Path, g))
	}
	main := false
	for _, par := range paras {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if par.section == secSkip {
			continue
		}
		main = main || par.section == secMain
		for _, u := range units(par) {
			rec := models.Recommendation{
				Kind: u.kind, Text: cleanUnit(u.text), CountryISO3: h.country, CountryName: h.countryStr,
				Mechanism: models.MechanismTB, Body: h.body, Symbol: h.symbol, Paragraph: u.paragraph,
				Date: h.date, Heading: models.CleanText(par.heading),
			}
			if rec.Text == "" {
				res.Rejected = append(res.Rejected, models.RowError{File: in.Path, Row: par.num, Field: "text",
					Msg: fmt.Sprintf("paragraph %s has no text", u.paragraph)})
				continue
			}
			rec.Sources = []models.Source{{Format: Name, File: in.Name, FileSHA256: in.SHA256,
				Locator: "paragraph " + u.paragraph, RawText: models.CleanText(u.raw)}}
			res.Records = append(res.Records, rec)
		}
	}
	if !main {
		return nil, models.InputError(in.Path, fmt.Errorf("%s: no numbered paragraphs under a section of concerns and recommendations", h.symbol))
	}
	return res, nil
}

var (
	// recMarkRe finds the words that make a paragraph a recommendation.
	recMarkRe = regexp.MustCompile(`(?i:\bState\s+party|\bState|\bGovernment)\s+(?i:should|must|is\s+(?:encouraged|requested|urged|invited|called upon))\b|\bIt\s+should\b|(?i:\bCommittee\s+(?:also\s+|further\s+|strongly\s+|therefore\s+|again\s+)?(?:recommends|urges|calls\s+upon|calls\s+on|encourages|requests|invites|reiterates\s+its\s+recommendation))`)
	// concernMarkRe finds the words of a concern.
	concernMarkRe = regexp.MustCompile(`(?i)\bconcern|\bregret|\bdeplor|\balarm|\bworr(?:y|ied)\b|\bdisturbed\b|\bdismay`)
	// recLeadRe finds where a recommendation begins inside a concern
	// paragraph: a sentence opening with the State party's duty or the
	// Committee's request.
	recLeadRe = regexp.MustCompile(`(?:^|[.;:]["”’)]?\s+)((?i:The\s+State\s+party)\s+(?:should|must|is\s+(?:encouraged|requested|urged))\b|The\s+Committee\s+(?:also\s+|further\s+|strongly\s+|therefore\s+)?(?:recommends|urges|calls\s+upon|encourages|requests|invites)\b)`)
	// closingLeadRe opens the closing paragraphs of a document.
	closingLeadRe = regexp.MustCompile(`(?i)^(?:The\s+State\s+party\s+should\s+(?:widely\s+)?disseminate|In\s+accordance\s+with\s+rule\s+\d+|The\s+Committee\s+requests\s+the\s+State\s+party\s+to\s+submit\s+its\s+next)`)
	// actionRe tells a closing paragraph that asks something of the State.
	actionRe = regexp.MustCompile(`(?i)\bshould\b|\brequest(?:s|ed)?\b|\burges?\b|\bencourage[sd]?\b|\binvites?\b|\brecommends?\b|\bcalls?\s+(?:up)?on\b`)
	// bareLeadRe is a lead-in that only introduces sub-paragraphs.
	bareLeadRe = regexp.MustCompile(`(?i)(?:^|[.;]\s+)(?:In\s+particular,?\s*)?(?:the\s+State\s+party|it)\s+should(?:,?\s*(?:also|further|furthermore|in\s+particular|inter\s+alia))*,?\s*:\s*$`)
	listEndRe  = regexp.MustCompile(`\s*(?:;\s*(?:and|or)?|,\s*(?:and|or))\s*$`)
)

// unit is one record to be made of a paragraph.
type unit struct {
	kind, paragraph, text, raw string
}

// isRec classifies a text by whichever comes first: a recommendation's
// wording or a concern's. Text with neither is an observation, kept as a
// concern.
func isRec(t string) bool {
	r := recMarkRe.FindStringIndex(t)
	c := concernMarkRe.FindStringIndex(t)
	return r != nil && (c == nil || r[0] < c[0])
}

// units cuts a paragraph into the records it gives.
func units(par *paragraph) []unit {
	num := strconv.Itoa(par.num)
	parts := par.parts
	var concern, rec []part
	switch {
	case par.closing:
		all := joinParts(parts)
		if !actionRe.MatchString(all) {
			return nil
		}
		rec = parts
	case isRec(parts[0].text):
		rec = parts
	default:
		// A concern, possibly followed by its recommendation in the same
		// paragraph: in the first part after a sentence, or as an
		// unnumbered block.
		split := len(parts)
		for i, pt := range parts {
			if pt.label != "" {
				continue
			}
			if loc := recLeadRe.FindStringSubmatchIndex(pt.text); loc != nil && (i > 0 || loc[2] > 0) {
				concern = append(concern, parts[:i]...)
				if before := strings.TrimSpace(pt.text[:loc[2]]); before != "" {
					concern = append(concern, part{text: before})
				}
				rec = append(rec, part{text: pt.text[loc[2]:]})
				rec = append(rec, parts[i+1:]...)
				split = i
				break
			}
		}
		if split == len(parts) {
			concern = parts
		}
	}
	var out []unit
	if len(concern) > 0 {
		t := joinParts(concern)
		out = append(out, unit{kind: models.KindConcern, paragraph: num, text: t, raw: t})
	}
	if len(rec) == 0 {
		return out
	}
	hasItems := false
	for _, pt := range rec {
		hasItems = hasItems || pt.label != ""
	}
	if !hasItems || par.closing {
		t := joinParts(rec)
		return append(out, unit{kind: models.KindRecommendation, paragraph: num, text: t, raw: t})
	}
	// The paragraph's own words (lead-in and any block after the list)
	// make one record when they say more than "The State party should:".
	var own []string
	var items []unit
	for _, pt := range rec {
		if pt.label != "" {
			items = append(items, unit{kind: models.KindRecommendation, paragraph: num + "(" + pt.label + ")",
				text: listEndRe.ReplaceAllString(pt.text, ""), raw: "(" + pt.label + ") " + pt.text})
			continue
		}
		if t := strings.TrimSpace(bareLeadRe.ReplaceAllStringFunc(pt.text, keepStop)); t != "" {
			own = append(own, t)
		}
	}
	if len(own) > 0 {
		t := strings.Join(own, " ")
		out = append(out, unit{kind: models.KindRecommendation, paragraph: num, text: t, raw: joinParts(rec)})
	}
	return append(out, items...)
}

func joinParts(parts []part) string {
	var b strings.Builder
	for _, pt := range parts {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if pt.label != "" {
			b.WriteString("(" + pt.label + ") ")
		}
		b.WriteString(pt.text)
	}
	return strings.TrimSpace(b.String())
}

// cleanUnit normalises white space and drops a colon left where the text
// introduced sub-paragraphs.
func cleanUnit(s string) string {
	return strings.TrimSpace(strings.TrimRight(models.CleanText(s), ": "))
}

// keepStop keeps the full stop before a removed lead-in.
func keepStop(m string) string {
	if strings.HasPrefix(m, ".") || strings.HasPrefix(m, ";") {
		return m[:1]
	}
	return ""
}

// mayBeCO looks for a concluding observations marker in the head of a text
// or HTML file, or anywhere in a .docx's document.xml.
func mayBeCO(in *extract.Input) bool {
	var hay []byte
	switch in.Kind() {
	case extract.KindZip:
		zr, err := extract.OpenZip(in.Data)
		if err != nil {
			return false
		}
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, err := f.Open()
				if err != nil {
					return false
				}
				found := streamHasMarker(io.LimitReader(rc, 64<<20))
				rc.Close()
				if found {
					return true
				}
			}
		}
	case extract.KindText, extract.KindHTML:
		text, _, err := in.Text()
		if err != nil {
			return false
		}
		hay = []byte(text[:min(len(text), 20000)])
	}
	return hasMarker(hay)
}

func hasMarker(hay []byte) bool {
	return bytes.Contains(hay, []byte("/CO/")) || bytes.Contains(bytes.ToLower(hay), []byte("concluding observations"))
}

// streamHasMarker is hasMarker over a reader, read a window at a time and
// stopping at the first marker: a document's XML can be tens of
// megabytes, and the marker, when there is one, is near its start.
func streamHasMarker(r io.Reader) bool {
	const overlap = len("concluding observations") - 1
	buf := make([]byte, 0, 256<<10)
	for {
		n, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if hasMarker(buf) {
			return true
		}
		if err != nil {
			return false
		}
		keep := min(overlap, len(buf))
		buf = append(buf[:0], buf[len(buf)-keep:]...)
	}
}
