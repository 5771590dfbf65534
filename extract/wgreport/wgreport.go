package wgreport

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/lang"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// Name is the format name of Working Group report text.
const Name = "upr-wg-report"

// Importer reads UPR Working Group reports as text.
type Importer struct{}

// Name implements extract.Importer.
func (Importer) Name() string { return Name }

// wgTitleRe is matched against lowerASCII text: with (?i) the search has no
// literal prefix and is several times slower.
// The French and Spanish titles may be in capitals, whose accented letters
// lowerASCII leaves as they are.
var wgTitleRe = regexp.MustCompile(`working\s+group\s+on\s+the\s+universal\s*periodic\s+review|groupe\s+de\s+travail\s+sur\s+l.{1,3}examen\s+p(?:é|É|e)riodique\s+universel|grupo\s+de\s+trabajo\s+sobre\s+el\s+examen\s+peri(?:ó|Ó|o)dico\s+universal`)

// Sniff implements extract.Importer: a Working Group report names the
// Working Group and has a conclusions and recommendations section.
func (Importer) Sniff(in *extract.Input) int {
	if in.Kind() != extract.KindText {
		return 0
	}
	text, _, err := in.Text()
	if err != nil {
		return 0
	}
	// The title stands on the first page; searching it case-insensitively
	// through whole reports cost more than importing them.
	if head := lowerASCII(text[:min(len(text), 16<<10)]); !wgTitleRe.MatchString(head) {
		return 0
	}
	if _, ok := sectionOf(in, text); ok {
		return 90
	}
	return 30
}

// Import implements extract.Importer. Each numbered item of the
// conclusions and recommendations section becomes one record, however many
// recommendations and States the item holds: the report's paragraph is the
// unit an NMIRF tracks. An item without a known recommending State is
// rejected with its position; paragraphs that only comment are skipped with
// a warning.
func (Importer) Import(ctx context.Context, in *extract.Input, opt extract.Options) (*extract.Result, error) {
	switch k := in.Kind(); k {
	case extract.KindText:
	case extract.KindHTML:
		return nil, models.InputError(in.Path, errors.New("file is an HTML page, not a Working Group report as text"))
	default:
		return nil, models.InputError(in.Path, fmt.Errorf("file is %s data, not a Working Group report as text", k))
	}
	text, _, err := in.Text()
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	if strings.TrimSpace(text) == "" {
		return nil, models.InputError(in.Path, errors.New("file holds only white space"))
	}
	h, err := readHeader(text, in.Name, opt)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	sec, ok := sectionOf(in, text)
	if !ok {
		return nil, models.InputError(in.Path, errors.New(`no "Conclusions and/or recommendations" section found (nor "Conclusions et/ou recommandations", "Conclusiones y/o recomendaciones")`))
	}
	paras, err := splitSection(ctx, sec)
	if err != nil {
		return nil, err
	}
	// The report's language is that of its section: the title page of a
	// translation still quotes English names and symbols.
	h.language = lang.Detect(sec[:min(len(sec), 4000)])
	res := &extract.Result{}
	row := 0
	for _, p := range paras {
		resp, raw, comment := leadResponse(p.leadIn)
		if len(p.items) > 0 && comment {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s paragraph %d: %d numbered item(s) under a comment, not recommendations, skipped", in.Path, p.number, len(p.items)))
			continue
		}
		for _, it := range p.items {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			row++
			rec, rerr := h.record(it, resp, raw)
			if rerr != nil {
				rerr.File, rerr.Row = in.Path, row
				res.Rejected = append(res.Rejected, *rerr)
				continue
			}
			rec.Sources = []models.Source{{
				Format: Name, File: in.Name, FileSHA256: in.SHA256,
				Locator: "paragraph " + it.number, RawText: strings.TrimSpace(it.raw),
			}}
			res.Records = append(res.Records, rec)
		}
	}
	if row == 0 {
		return nil, models.InputError(in.Path, errors.New("the conclusions and recommendations section holds no numbered recommendations"))
	}
	return res, nil
}

// record builds the recommendation of one item, or says why it cannot.
func (h *header) record(it item, resp, raw string) (models.Recommendation, *models.RowError) {
	_, text, names := ParseParagraph(it.raw)
	text = models.CleanText(text)
	if text == "" {
		return models.Recommendation{}, &models.RowError{Field: "text", Msg: fmt.Sprintf("paragraph %s has no text", it.number)}
	}
	if len(names) == 1 && strings.EqualFold(names[0], "none") {
		// Early reports print "(None)" for what no State recommended; it
		// is a record without recommending States, not an unknown State.
		names = nil
	} else if len(names) == 0 {
		return models.Recommendation{}, &models.RowError{Field: "recommending states",
			Msg: fmt.Sprintf("paragraph %s names no recommending State in parentheses", it.number)}
	}
	var states, unknown []string
	for _, n := range names {
		iso3, ok := norm.Country(models.CleanText(n))
		if !ok {
			unknown = append(unknown, n)
			continue
		}
		if !contains(states, iso3) {
			states = append(states, iso3)
		}
	}
	if len(unknown) > 0 {
		return models.Recommendation{}, &models.RowError{Field: "recommending states",
			Msg: fmt.Sprintf("paragraph %s: unknown State %q", it.number, strings.Join(unknown, `", "`))}
	}
	return models.Recommendation{
		Kind:               models.KindRecommendation,
		Text:               text,
		CountryISO3:        h.country,
		CountryName:        h.countryName,
		Mechanism:          models.MechanismUPR,
		Body:               "UPR",
		Session:            h.session,
		Cycle:              norm.UPRCycle(h.session),
		Symbol:             h.symbol,
		Paragraph:          it.number,
		Date:               h.date,
		Response:           resp,
		ResponseRaw:        raw,
		RecommendingStates: states,
		Language:           h.language,
	}, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Lead-in phrases, read in this order: a paragraph "noting" recommendations
// on which the State "will provide responses" is still pending. They are
// matched against the lower-cased lead-in: (?i) made them slow.
var (
	//
	// French and Spanish lead-ins say the same in the UN's fixed formulas:
	// "seront examinées par …, qui y répondra" / "serán examinadas por …,
	// que responderá" (pending); "n'ont pas recueilli l'appui", "ont été
	// notées" / "no cuentan con el apoyo", "han sido tomadas en
	// consideración" (noted); "ont l'appui de", "recueillent son adhésion" /
	// "cuentan con el apoyo de" (supported).
	pendingRe = regexp.MustCompile(`will\s+(?:be\s+)?(?:further\s+)?examined?\b|will\s+provide\s+(?:its\s+|appropriate\s+)?responses?|responses?\s+will\s+be\s+provided|will\s+respond|would\s+study|will\s+study|responses?\s+in\s+due\s+(?:time|course)|will\s+be\s+included\s+in\s+the\s+outcome` +
		`|seront\s+(?:ultérieurement\s+|dûment\s+)?examinées|examinera\b|y\s+répondra|répondra\s+en\s+temps|fera\s+connaître\s+(?:sa|ses)\s+réponses?` +
		`|serán\s+(?:nuevamente\s+|debidamente\s+)?examinadas|examinará\b|responderá|dará\s+(?:a\s+conocer\s+)?(?:su|sus)\s+respuestas?`)
	notedRe = regexp.MustCompile(`(?:did|does|do)\s+not\s+enjoy|not\s+supported|not\s+accepted|\bnoted\b|\bnotes\b|takes?\s+note|\breject` +
		`|n.(?:ont|a)\s+pas\s+(?:recueilli|obtenu|eu|l.appui)|ne\s+(?:recueillent|bénéficient|sont)\s+pas|ont\s+été\s+notées|(?:prend|a\s+pris|pris)\s+note|\brejet` +
		`|no\s+(?:cuentan|contaron|gozan|gozaron|recibieron|obtuvieron)|no\s+(?:son|fueron)\s+aceptadas|tomadas?\s+en\s+(?:consideración|nota)|tom(?:a|ó)\s+nota|\brechaz`)
	supportedRe = regexp.MustCompile(`\benjoy|\bsupport|\bagree|\baccept|already\s+(?:being\s+)?implemented|process\s+of\s+implementation` +
		`|\bappui|son\s+adhésion|acceptées|\bsoutien|déjà\s+(?:été\s+)?(?:mises?\s+en\s+œuvre|appliquées)` +
		`|\bapoyo\b|\bapoya|aceptadas|\bacepta|ya\s+(?:se\s+)?(?:han\s+)?(?:aplicado|aplican)`)
	commentRe     = regexp.MustCompile(`\bcomments?\b|\bcommentaires?\b|\bcomentarios?\b`)
	conclusionsRe = regexp.MustCompile(`following\s+conclusions|conclusions\s+ci-après|siguientes\s+conclusiones`)
	listRe        = regexp.MustCompile(`recommendations?\s+(?:listed\s+)?below|following\s+recommendations?|recommendations?\s+listed|recommandations?\s+(?:ci-après|énumérées|figurant)|recomendaciones?\s+(?:que\s+figuran|enumeradas|siguientes)|siguientes\s+recomendaciones`)
)

// leadResponse reads the State's position from a lead-in paragraph: the
// normalised response, the lead-in as printed, and whether the paragraph
// only introduces the State's comments rather than recommendations.
func leadResponse(lead string) (resp, raw string, comment bool) {
	if len(lead) > 4000 {
		// Only the first 500 characters are kept; cleaning the rest of a
		// lead-in that runs on cost more than the whole parse.
		cut := 4000
		for cut > 0 && !utf8.RuneStart(lead[cut]) {
			cut--
		}
		lead = lead[:cut]
	}
	raw = strings.TrimRight(models.CleanText(lead), " :")
	if r := []rune(raw); len(r) > 500 {
		raw = string(r[:500])
	}
	lower := lowerASCII(raw)
	switch {
	case pendingRe.MatchString(lower):
		resp = models.ResponsePending
	case notedRe.MatchString(lower):
		resp = models.ResponseNoted
	case supportedRe.MatchString(lower):
		resp = models.ResponseSupported
	}
	comment = (commentRe.MatchString(lower) || conclusionsRe.MatchString(lower)) && !listRe.MatchString(lower)
	return resp, raw, comment
}

// header is what the report's title page says about the review.
type header struct {
	country, countryName string
	symbol, date         string
	session              int
	language             string // ISO 639-1 of the report's text
}

var (
	contentsRe = regexp.MustCompile(`(?i)\n\s*contents\s*\n`)
	symbolRe   = regexp.MustCompile(`\bA/HRC/\d{1,2}/\d{1,3}(?:/Add\.\d+)?\b`)
	wgSymRe    = regexp.MustCompile(`\bA/HRC/WG\.6/(\d{1,2})\.?/(L\.\d{1,3})?`)
	heldRe     = regexp.MustCompile(`(?i)held\s+its\s+([a-z]+(?:[\s-][a-z]+)?)\s+session|a\s+tenu\s+sa\s+(\pL+(?:[\s-]\pL+)??)\s+session|celebró\s+su\s+(\pL+(?:\s\pL+)??)\s+período`)
	dateRe     = regexp.MustCompile(`(?i)\b\d{1,2}(?:er)?\s+(?:de\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\s+(?:de\s+)?\d{4}\b`)
	titleRe    = regexp.MustCompile(`(?i)Working\s+Group\s+on\s+the\s+Universal\s*Periodic\s+Review|UNIVERSAL\s+PERIODIC\s+REVIEW|Groupe\s+de\s+travail\s+sur\s+l.{1,3}Examen\s+périodique\s+universel|Grupo\s+de\s+Trabajo\s+sobre\s+el\s+Examen\s+Periódico\s+Universal`)
)

// readHeader reads the State under review, symbol, session and date from
// the title page, falling back to the file name and then opt.Country for
// the State.
func readHeader(text, name string, opt extract.Options) (*header, error) {
	head := text[:min(len(text), 32<<10)]
	if loc := contentsRe.FindStringIndex(head); loc != nil {
		head = text[:loc[0]]
	} else if len(head) > 4000 {
		head = head[:4000]
	}
	h := &header{}
	h.country, h.countryName = titleCountry(head)
	if h.country == "" {
		if iso3, ok := norm.CountryFromSlug(name); ok {
			h.country = iso3
		} else if iso3, ok := norm.Country(opt.Country); ok {
			h.country = iso3
		} else {
			return nil, errors.New("cannot tell the State under review: the title does not name a known State, nor does the file name, and no country was given")
		}
	}
	if m := symbolRe.FindString(head); m != "" {
		h.symbol = m
	}
	if m := wgSymRe.FindStringSubmatch(text); m != nil {
		h.session, _ = strconv.Atoi(m[1])
		if h.symbol == "" && m[2] != "" {
			// Many title pages lost the final symbol; the symbol the
			// report was first issued under still names it. Rebuilt,
			// because some print it with a stray dot ("WG.6/8./L.8").
			h.symbol = "A/HRC/WG.6/" + m[1] + "/" + m[2]
		}
	}
	if h.session == 0 {
		if m := heldRe.FindStringSubmatch(text); m != nil {
			h.session = ordinal(m[1] + m[2] + m[3])
		}
	}
	if m := dateRe.FindString(head); m != "" {
		if d, err := norm.Date(m); err == nil {
			h.date = d
		}
	}
	return h, nil
}

// titleCountry finds the State named on the lines after the report's title,
// skipping footnote marks ("*", or "." where a symbol font was lost) and the
// footnotes themselves.
func titleCountry(head string) (iso3, name string) {
	for _, loc := range titleRe.FindAllStringIndex(head, -1) {
		lines := strings.Split(head[loc[1]:], "\n")
		tried := 0
		for _, l := range lines {
			l = strings.Trim(strings.TrimSpace(l), "*. \t")
			if l == "" || strings.HasPrefix(l, "_") {
				continue
			}
			if tried++; tried > 6 {
				break
			}
			if iso3, ok := norm.Country(models.CleanText(l)); ok {
				return iso3, models.CleanText(l)
			}
		}
	}
	return "", ""
}

var (
	units = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
		"thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
		"eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}
	tens = map[string]int{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
	// French and Spanish ordinals as the reports spell the sessions
	// ("sa neuvième session", "su noveno período de sesiones").
	frEsOrdinals = map[string]int{"première": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
		"sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10, "onzième": 11, "douzième": 12,
		"treizième": 13, "quatorzième": 14, "quinzième": 15, "seizième": 16, "dix-septième": 17, "dix-huitième": 18,
		"dix-neuvième": 19, "vingtième": 20,
		"primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4, "quinto": 5, "sexto": 6, "séptimo": 7, "octavo": 8,
		"noveno": 9, "décimo": 10, "undécimo": 11, "duodécimo": 12, "decimotercer": 13, "decimocuarto": 14,
		"decimoquinto": 15, "decimosexto": 16, "decimoséptimo": 17, "decimoctavo": 18, "decimonoveno": 19, "vigésimo": 20}
)

// ordinal reads a spelt ordinal ("fifth", "twenty-first"), 0 when it is not
// one.
func ordinal(s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, ok := units[s]; ok {
		return n
	}
	if n, ok := frEsOrdinals[s]; ok {
		return n
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' })
	if len(parts) == 2 {
		if t, ok := tens[parts[0]]; ok {
			if u, ok := units[parts[1]]; ok && u < 10 {
				return t + u
			}
		}
	}
	return 0
}

type sectionResult struct {
	sec string
	ok  bool
}

// sectionOf finds the recommendations section once for Sniff and Import.
func sectionOf(in *extract.Input, text string) (string, bool) {
	v, _ := in.Memo("wgreport.section", func() (any, error) {
		sec, ok := section(text)
		return sectionResult{sec, ok}, nil
	})
	r := v.(sectionResult)
	return r.sec, r.ok
}
