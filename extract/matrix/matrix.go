package matrix

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// Format is the importer's name in --format and in provenance.
const Format = "ohchr-matrix-docx"

// Importer reads OHCHR matrices of UPR recommendations (.docx).
type Importer struct{}

// New returns the matrix importer.
func New() *Importer { return &Importer{} }

// Name implements extract.Importer.
func (*Importer) Name() string { return Format }

// brokenDocx is the score for a .docx cut short or damaged: low, but
// enough that detection hands it to Import, which says what is wrong.
const brokenDocx = 10

var errNoTable = errors.New("no table of recommendations found (a table whose header has a Recommendation and a Position column)")

// Sniff implements extract.Importer: a .docx with a table whose header names
// a recommendation and a position column is certainly a matrix; a .docx that
// only talks of recommendations might be one laid out otherwise.
func (*Importer) Sniff(in *extract.Input) (score int) {
	defer func() {
		if recover() != nil {
			score = 0
		}
	}()
	if in.Kind() != extract.KindZip {
		return 0
	}
	doc, err := parsedDocx(in)
	if err != nil {
		if extract.BrokenZipOf(in.Data, "word/") {
			return brokenDocx
		}
		return 0
	}
	if hasRecommendationTable(doc) {
		return 95
	}
	for _, b := range doc.blocks {
		if l := strings.ToLower(b.para); strings.Contains(l, "recommendation") || strings.Contains(l, "recommandation") || strings.Contains(l, "recomendaci") {
			return 20
		}
	}
	return 5
}

func hasRecommendationTable(doc *document) bool {
	for _, b := range doc.blocks {
		if b.table == nil {
			continue
		}
		for _, r := range b.table.rows {
			if _, ok := headerColumns(r); ok {
				return true
			}
		}
	}
	return false
}

// Import implements extract.Importer. The State under review, the cycle and
// the session come from the document's title (in the page header in OHCHR's
// layouts); Options.Country is used when the title names no State.
func (im *Importer) Import(ctx context.Context, in *extract.Input, opt extract.Options) (res *extract.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, models.InputError(in.Path, fmt.Errorf("read matrix: unexpected failure: %v", r))
		}
	}()
	switch k := in.Kind(); k {
	case extract.KindZip:
	case extract.KindHTML:
		return nil, models.InputError(in.Path, errors.New("file is an HTML page, not a .docx matrix (a download error page?)"))
	default:
		return nil, models.InputError(in.Path, fmt.Errorf("file is %s data, not a .docx matrix (zip)", k))
	}
	doc, err := parsedDocx(in)
	if err != nil {
		return nil, models.InputError(in.Path, fmt.Errorf("read docx: %w", err))
	}
	return im.convert(ctx, in, opt, doc)
}

// review is what the title says about the review the matrix covers.
type review struct {
	country, countryName string
	cycle, session       int
	symbol               string
}

func (im *Importer) convert(ctx context.Context, in *extract.Input, opt extract.Options, doc *document) (*extract.Result, error) {
	if !hasRecommendationTable(doc) {
		return nil, models.InputError(in.Path, errNoTable)
	}
	res := &extract.Result{}
	rv, err := findReview(doc, opt)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	found := false // a header row has been seen
	var pending []assessment
	heading := ""
	var cols columns
	tableNo := 0
	warned := map[string]bool{} // unknown column titles already reported
	for _, b := range doc.blocks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if b.table == nil {
			if h, ok := headingOf(b.para); ok {
				heading = h
			}
			continue
		}
		tableNo++
		haveCols := false
		for i, r := range b.table.rows {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if c, ok := headerColumns(r); ok {
				cols, haveCols, found = c, true, true
				for _, u := range c.unknown {
					if !warned[u] {
						warned[u] = true
						res.Warnings = append(res.Warnings, fmt.Sprintf("%s: table %d has a column %q that nmirf does not know; its content is not imported", in.Path, tableNo, u))
					}
				}
				continue
			}
			if !haveCols {
				// A table split at a page keeps its columns only when it
				// has as many cells as the header it continues.
				if !found || len(r.cells) != cols.n {
					continue
				}
				haveCols = true
			}
			if h, ok := headingRow(r, cols); ok {
				heading = h
				continue
			}
			rec, rerr := im.record(in, rv, cols, r, heading, tableNo, i+1)
			if rerr != nil {
				res.Rejected = append(res.Rejected, *rerr)
				continue
			}
			if rec != nil {
				if t := r.cell(cols.assessment).text(); cols.assessment >= 0 && strings.TrimSpace(t) != "" {
					pending = append(pending, assessment{record: len(res.Records), text: t, row: i + 1, table: tableNo})
				}
				res.Records = append(res.Records, *rec)
			}
		}
	}
	// A row without a source of position belongs to the same Working Group
	// report as the rows that have one.
	symbol := rv.symbol
	for i := 0; symbol == "" && i < len(res.Records); i++ {
		symbol = res.Records[i].Symbol
	}
	for i := range res.Records {
		if res.Records[i].Symbol == "" {
			res.Records[i].Symbol = symbol
		}
	}
	if len(res.Records) == 0 && len(res.Rejected) == 0 {
		return nil, models.InputError(in.Path, errors.New("table of recommendations has no recommendation rows"))
	}
	assessments(in, res, pending)
	if rv.session == 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: the document names no UPR session; Session left 0", in.Path))
	}
	if rv.cycle == 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s: the document names no UPR cycle; Cycle left 0", in.Path))
	}
	return res, nil
}

// columns maps the header of a recommendations table.
type columns struct {
	n                             int // cells in the header row
	rec, position, states, themes int
	affected, sdgs                int
	para, source                  int      // own columns for the paragraph number and the source of position
	assessment                    int      // "Assessment/comments on level of implementation", when filled in
	unknown                       []string // header titles of columns nmirf does not read
}

// Column roles, as told by the words of a header cell.
const (
	colNone = iota
	colRec
	colStates
	colPosition
	colThemes
	colAffected
	colSDGs
	colNotes      // a column left for the State's own notes: known, not read
	colAssessment // the State's assessment of implementation: read as status updates
	colPara
	colSource
)

// numberRe matches a title naming a number column: "No.", "Para.", "Ref".
// French and Spanish lists write "N°", "Nº", "Numéro", "Número", "Párr.".
var numberRe = regexp.MustCompile(`\b(no|nr|number|para|paragraph|ref|reference)\b|n[°º]|\bnum[ée]ro\b|\bnúmero\b|\bnúm\b|\bpárr(?:afo)?\b|\bparagraphe\b`)

// wordRe finds the short French and Spanish header words that would also
// match inside longer words ("ods" in "methods").
var wordRe = regexp.MustCompile(`\b(?:odd|ods)\b`)

// columnRole tells what a header cell holds by its words rather than its
// exact text, so that a retitled column is still read. OHCHR's layouts
// have used "Recommendation", "Recommendation and recommending State",
// "Recommending state/s", "Position", "Position of the State under review",
// "Full list of themes", "Full list of rights/affected persons", "Human
// rights themes and groups of persons", "Relevant SDGs" and "Assessment/
// comments on level of implementation". French and Spanish lists title the
// same columns "Recommandation" / "Recomendación", "État(s) auteur(s)" /
// "Estado(s) recomendante(s)", "Position" / "Posición", "Thèmes" / "Temas",
// "ODD" / "ODS" and "Personnes concernées" / "Personas afectadas".
func columnRole(t string) int {
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(t, w) {
				return true
			}
		}
		return false
	}
	recWord := has("recommendation", "recommandation", "recomendación", "recomendacion")
	switch {
	case recWord && numberRe.MatchString(t) && !has("text", "state", "texte", "état", "texto", "estado"):
		return colPara // "Recommendation No."
	case recWord && (strings.HasPrefix(t, "état") || strings.HasPrefix(t, "etat") || strings.HasPrefix(t, "estado")):
		return colStates // "État(s) auteur(s) de la recommandation" names States first
	case recWord:
		return colRec // "Recommendation and recommending State" is the text first
	case has("recommending", "recommended by", "auteur", "recomendante"):
		return colStates
	case has("source", "fuente"):
		return colSource // "Source of position", before "position" below
	case numberRe.MatchString(t) && len(t) < 16:
		return colPara
	case has("position", "response", "posición", "posicion", "réponse", "respuesta"):
		return colPosition
	case has("state/s", "states", "états", "etats", "estados"):
		return colStates
	case has("sdg", "sustainable development", "goal", "développement durable", "desarrollo sostenible") || wordRe.MatchString(t):
		return colSDGs
	case has("theme", "rights", "issue", "thème", "droits", "tema", "derechos"):
		return colThemes
	case has("affected", "groups of persons", "persons", "groups", "personnes", "groupes", "personas", "grupos"):
		return colAffected
	case has("assessment", "level of implementation", "évaluation", "niveau de mise en œuvre", "evaluación", "nivel de aplicación"):
		return colAssessment
	case has("comment", "implementation", "status", "follow-up", "follow up", "notes",
		"commentaire", "mise en œuvre", "suivi", "comentario", "aplicación", "seguimiento"):
		return colNotes
	}
	return colNone
}

// headerColumns recognises a header row by its column titles: a table is
// one of recommendations when a column holds the recommendation and another
// the State's position. Other columns are read by what their titles say;
// a titled column that says nothing nmirf knows is listed in unknown.
func headerColumns(r row) (columns, bool) {
	c := columns{n: len(r.cells), rec: -1, position: -1, states: -1, themes: -1, affected: -1, sdgs: -1, para: -1, source: -1, assessment: -1}
	var unknown []string
	for i, cl := range r.cells {
		raw := models.CleanText(cl.text())
		t := strings.ToLower(raw)
		if t == "" || len(t) > 80 {
			continue
		}
		first := func(p *int) {
			if *p < 0 {
				*p = i
			}
		}
		switch columnRole(t) {
		case colRec:
			first(&c.rec)
		case colStates:
			first(&c.states)
		case colPosition:
			first(&c.position)
		case colThemes:
			first(&c.themes)
		case colAffected:
			first(&c.affected)
		case colSDGs:
			first(&c.sdgs)
		case colPara:
			first(&c.para)
		case colSource:
			first(&c.source)
		case colAssessment:
			first(&c.assessment)
		case colNotes:
		default:
			unknown = append(unknown, raw)
		}
	}
	c.unknown = unknown
	return c, c.rec >= 0 && c.position >= 0
}

// headingRe matches the theme headings matrices group rows under:
// "Theme: A12 Acceptance of international norms", "Right or area: 2.1. …".
var headingRe = regexp.MustCompile(`(?i)^\s*(theme|thematic area|right or area|right|area|issue|cluster|thème|tema)s?\s*:\s*(\S.*)$`)

func headingOf(p string) (string, bool) {
	m := headingRe.FindStringSubmatch(models.CleanText(p))
	if m == nil {
		return "", false
	}
	return strings.TrimSpace(m[2]), true
}

// headingRow tells a theme heading row (one merged cell, or text only in
// the first cell) from a recommendation row.
func headingRow(r row, cols columns) (string, bool) {
	text := models.CleanText(r.cell(0).text())
	if text == "" {
		return "", false
	}
	for _, c := range r.cells[1:] {
		if models.CleanText(c.text()) != "" {
			return "", false
		}
	}
	if h, ok := headingOf(text); ok {
		return h, true
	}
	if len(r.cells) < cols.n && !paraNumRe.MatchString(text) {
		return text, true
	}
	return "", false
}

var (
	paraNumRe   = regexp.MustCompile(`^\s*(\d{1,3}(?:\.\d{1,3})+)\.?(?:\s+|$)`)
	sourcePosRe = regexp.MustCompile(`(?i)^\s*(?:source of (?:the )?position|source de la position|fuente de la posición)\s*:\s*(.*)$`)
	commentRe   = regexp.MustCompile(`(?i)^\s*comments?\s*:`)
	affectedRe  = regexp.MustCompile(`(?i)^\s*(?:affected persons(?: or groups)?\s*:?|(?:affected\s+)?groups of persons(?: affected)?\s*:|personnes concernées\s*:|personas afectadas\s*:)\s*(.*)$`)
	sdgHeadRe   = regexp.MustCompile(`(?i)^\s*(?:sdgs?|sustainable development goals?|odd|ods)\s*:\s*(.*)$`)
	sdgLineRe   = regexp.MustCompile(`^S\d{0,2}\s+\S`)
	wgSymbolRe  = regexp.MustCompile(`\bA/HRC/\d+/\d+\b`)
	// French and Spanish titles: "50e session", "50.º período de sesiones",
	// "4e cycle", "4.º ciclo".
	sessionRe   = regexp.MustCompile(`(?i)\b(\d{1,2})\s*(?:st|nd|rd|th|e|ème|\.?º|°)?\s+(?:UPR\s+|de l.EPU\s+)?(?:session\b|período de sesiones)`)
	cycleNumRe  = regexp.MustCompile(`(?i)\b(\d)\s*(?:st|nd|rd|th|e|ème|\.?º|°)\s+(?:cycle|ciclo)\b`)
	cycleWordRe = regexp.MustCompile(`(?i)\b(first|second|third|fourth|fifth)\s+cycle\b`)
	// "EPU du Pérou (4e cycle …)", "EPU de la France", "EPU d'Andorre",
	// "EPU del Perú (4.º ciclo …)", "EPU de España".
	titleStateFrEsRe = regexp.MustCompile(`(?i)\b(?:EPU|Examen\s+p[ée]riodique\s+universel|Examen\s+peri[óo]dico\s+universal)\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|del\s+|de\s+los\s+|de\s+las\s+|de\s+|d['’]\s*)(.+?)\s*(?:\(|\s[-–—]\s|[-–—]\s*\d|$)`)
	titleStateRe     = regexp.MustCompile(`(?i)\b(?:UPR|Universal Periodic Review)\s+of\s+(.+?)\s*(?:\(\s*(?:\d|first|second|third|fourth|fifth)|\s[-–—]\s|[-–—]\s*(?:\d|first|second|third|fourth|fifth)|thematic|matrix|\bcycle\b|$)`)
)

var cycleWords = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}

// findReview reads the State under review, cycle, session and Working Group
// report symbol from the page headers and the paragraphs outside tables.
func findReview(doc *document, opt extract.Options) (review, error) {
	var meta []string
	for _, h := range doc.headers {
		meta = append(meta, models.CleanText(h))
	}
	for _, b := range doc.blocks {
		if b.table == nil {
			meta = append(meta, models.CleanText(b.para))
		}
	}
	var rv review
	for _, m := range meta {
		if rv.countryName == "" {
			s := titleStateRe.FindStringSubmatch(m)
			if s == nil {
				s = titleStateFrEsRe.FindStringSubmatch(m)
			}
			if s != nil {
				name := strings.Trim(s[1], " ,;:-–—(")
				if iso, ok := norm.Country(name); ok {
					rv.country, rv.countryName = iso, name
				}
			}
		}
		if rv.session == 0 {
			if s := sessionRe.FindStringSubmatch(m); s != nil {
				rv.session, _ = strconv.Atoi(s[1])
			}
		}
		if rv.cycle == 0 {
			if s := cycleNumRe.FindStringSubmatch(m); s != nil {
				rv.cycle, _ = strconv.Atoi(s[1])
			} else if s := cycleWordRe.FindStringSubmatch(m); s != nil {
				rv.cycle = cycleWords[strings.ToLower(s[1])]
			}
		}
		if rv.symbol == "" {
			rv.symbol = wgSymbolRe.FindString(m)
		}
	}
	if rv.country == "" && opt.Country != "" {
		iso, ok := norm.Country(opt.Country)
		if !ok {
			return rv, fmt.Errorf("unknown country %q given for the State under review", opt.Country)
		}
		rv.country, rv.countryName = iso, opt.Country
	}
	if rv.country == "" {
		return rv, errors.New("the document title names no State under review (expected \"UPR of <State>\" in the page header); give the country explicitly")
	}
	if rv.cycle == 0 && rv.session > 0 {
		rv.cycle = norm.UPRCycle(rv.session)
	}
	return rv, nil
}

// record turns one table row into a recommendation. It returns nil, nil for
// a row without text (an empty spacer row).
func (im *Importer) record(in *extract.Input, rv review, cols columns, r row, heading string, tableNo, rowNo int) (*models.Recommendation, *models.RowError) {
	locator := fmt.Sprintf("table %d row %d", tableNo, rowNo)
	reject := func(field, format string, a ...any) *models.RowError {
		return &models.RowError{File: in.Path, Row: rowNo, Field: field,
			Msg: fmt.Sprintf(format, a...) + fmt.Sprintf(" (table %d)", tableNo)}
	}
	recCell := r.cell(cols.rec)
	var textParts []string
	recLines, sourceID := takeSource(recCell.lines())
	for _, l := range recLines {
		if commentRe.MatchString(l) {
			continue // OHCHR's note on the position, not part of the recommendation
		}
		textParts = append(textParts, l)
	}
	text := models.CleanText(strings.Join(textParts, " "))
	if text == "" {
		if models.CleanText(r.cell(cols.position).text()) == "" {
			return nil, nil
		}
		return nil, reject("recommendation", "row has a position but no recommendation text")
	}
	if len(text) > extract.MaxFieldSize {
		return nil, reject("recommendation", "text is %d bytes, over the %d-byte limit", len(text), extract.MaxFieldSize)
	}
	para := ""
	if m := paraNumRe.FindStringSubmatch(text); m != nil {
		para = m[1]
		text = strings.TrimSpace(text[len(m[0]):])
	} else if m := paraNumRe.FindStringSubmatch(models.CleanText(r.cell(cols.para).text())); m != nil {
		para = m[1]
	}
	if sourceID == "" && cols.source >= 0 {
		sourceID = models.CleanText(r.cell(cols.source).text())
	}
	text, groups := splitStates(text)
	if cols.states >= 0 {
		if listed := r.cell(cols.states).lines(); len(listed) > 0 {
			groups = listed
		}
	}
	states, bad := resolveStates(groups)
	if bad != "" {
		return nil, reject("recommending states", "unknown recommending State %q", bad)
	}
	if text == "" {
		return nil, reject("recommendation", "recommendation has no text besides its paragraph number and States")
	}

	// Since 2025 the source of the position is inside the position cell.
	posLines, posSource := takeSource(r.cell(cols.position).lines())
	if sourceID == "" {
		sourceID = posSource
	}
	posRaw := models.CleanText(strings.Join(posLines, " "))
	rec := &models.Recommendation{
		Kind:               models.KindRecommendation,
		Text:               text,
		CountryISO3:        rv.country,
		CountryName:        rv.countryName,
		Mechanism:          models.MechanismUPR,
		Body:               "UPR",
		Session:            rv.session,
		Cycle:              rv.cycle,
		Symbol:             rv.symbol,
		Paragraph:          para,
		ResponseRaw:        posRaw,
		RecommendingStates: states,
		Heading:            heading,
		Sources: []models.Source{{
			Format:     Format,
			File:       in.Name,
			FileSHA256: in.SHA256,
			Locator:    locator,
			SourceID:   sourceID,
			RawText:    recCell.text(),
		}},
	}
	if posRaw != "" {
		rec.Response = norm.Response(posRaw)
	}
	if s := wgSymbolRe.FindString(sourceID); s != "" {
		rec.Symbol = s
	}
	rec.Labels = labels(r, cols)
	if cols.themes < 0 && heading != "" {
		// Without a themes column the heading is the row's only theme.
		rec.Labels = append([]models.Label{{Scheme: models.SchemeUHRITheme, Value: heading, Source: Format}}, rec.Labels...)
	}
	return rec, nil
}

// takeSource separates the "Source of position: …" line from the other
// lines of a cell, taking the next line as the source when the label
// stands alone in its paragraph.
func takeSource(lines []string) (rest []string, source string) {
	for i := 0; i < len(lines); i++ {
		m := sourcePosRe.FindStringSubmatch(lines[i])
		if m == nil {
			rest = append(rest, lines[i])
			continue
		}
		v := models.CleanText(m[1])
		if v == "" && i+1 < len(lines) {
			i++
			v = models.CleanText(lines[i])
		}
		if source == "" {
			source = v
		}
	}
	return rest, source
}

// splitStates peels the recommending States off the end of a recommendation
// ("… (Chile); (Estonia);" or "… (Uruguay) (Mali);") and collects those a
// merged row names in the middle ("… (Argentina); Ratify … (France);"). The
// last group is taken as States whatever it says when it looks like a list of
// names, so that a misspelt State is reported; the others only when every
// name in them is a known State, since "(Convention on the Rights of the
// Child);" is no State and "(the former Yugoslav Republic of Macedonia)" is.
func splitStates(s string) (string, []string) {
	text, last := models.SplitTrailingStates(s)
	var groups []string
	if last == "" {
		text = s
	}
	text, groups = peelKnown(text)
	if last != "" {
		groups = append(groups, last)
	}
	text = strings.TrimRight(text, " ;,.")
	if len(groups) == 0 {
		return strings.TrimRight(s, " ;"), nil
	}
	var mid []string
	for i := 0; i < len(text); i++ {
		if text[i] == ';' {
			_, g := peelKnown(text[:i+1])
			mid = append(mid, g...)
		}
	}
	return text, append(mid, groups...)
}

// peelKnown removes trailing parenthesised groups of known States from s,
// returning them in reading order.
func peelKnown(s string) (string, []string) {
	var groups []string
	for {
		t, g := trailingGroup(s)
		if g == "" {
			return s, groups
		}
		if _, bad := resolveStates([]string{g}); bad != "" {
			return s, groups
		}
		s = t
		groups = append([]string{g}, groups...)
	}
}

// trailingGroup splits "text (inner);" into "text" and "inner", minding
// nested parentheses as in "(Bolivia (Plurinational State of))".
func trailingGroup(s string) (string, string) {
	body := strings.TrimRight(s, " ;.,:")
	if !strings.HasSuffix(body, ")") {
		return s, ""
	}
	depth := 0
	for i := len(body) - 1; i >= 0; i-- {
		switch body[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return strings.TrimSpace(body[:i]), strings.TrimSpace(body[i+1 : len(body)-1])
			}
		}
	}
	return s, ""
}

// resolveStates maps raw State lists to ISO3 codes, in order and without
// repeats. bad is the first name no code was found for.
func resolveStates(groups []string) (iso []string, bad string) {
	seen := map[string]bool{}
	for _, g := range groups {
		for _, name := range models.SplitStateList(g) {
			code, ok := country(name)
			if !ok {
				return nil, name
			}
			if !seen[code] {
				seen[code] = true
				iso = append(iso, code)
			}
		}
	}
	return iso, ""
}

// country resolves a State name, falling back to the name without its
// parenthesis: OHCHR's files carry typing slips such as
// "Bolivia (Plurinational S tate of)".
func country(name string) (string, bool) {
	name = models.CleanText(name)
	if iso, ok := norm.Country(name); ok {
		return iso, true
	}
	if i := strings.Index(name, "("); i > 0 {
		return norm.Country(strings.TrimSpace(name[:i]))
	}
	return "", false
}

// labels reads the themes cell: UHRI theme lines ("A12 Acceptance of
// international norms"), SDG lines ("S16 SDG 16 - …"), then after
// "Affected persons:" one group per "- " line. Separate SDG or affected-person
// columns are read the same way.
func labels(r row, cols columns) []models.Label {
	var out []models.Label
	add := func(scheme, v string) {
		v = strings.TrimSpace(strings.TrimLeft(models.CleanText(v), "-–•· "))
		if v == "" {
			return
		}
		l := models.Label{Scheme: scheme, Value: v, Source: Format}
		for _, x := range out {
			if x == l {
				return
			}
		}
		out = append(out, l)
	}
	read := func(col int, mode string) {
		if col < 0 {
			return
		}
		for _, line := range r.cell(col).lines() {
			line = models.CleanText(line)
			if m := affectedRe.FindStringSubmatch(line); m != nil {
				mode = models.SchemeAffectedPersons
				add(mode, m[1])
				continue
			}
			if m := sdgHeadRe.FindStringSubmatch(line); m != nil {
				mode = models.SchemeUHRISDG
				add(mode, m[1])
				continue
			}
			if mode == models.SchemeUHRITheme && sdgLineRe.MatchString(line) {
				add(models.SchemeUHRISDG, line)
				continue
			}
			add(mode, line)
		}
	}
	read(cols.themes, models.SchemeUHRITheme)
	read(cols.sdgs, models.SchemeUHRISDG)
	read(cols.affected, models.SchemeAffectedPersons)
	return out
}

var _ extract.Importer = (*Importer)(nil)

// parsedDocx parses the document once for both Sniff and Import.
func parsedDocx(in *extract.Input) (*document, error) {
	v, err := in.Memo("matrix.docx", func() (any, error) { return readDocx(in.Data) })
	if err != nil {
		return nil, err
	}
	return v.(*document), nil
}
