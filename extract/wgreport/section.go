package wgreport

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// headingRe finds the section heading, written with or without
	// "and/or" and sometimes with a footnote mark. It and the next two
	// are matched against lowerASCII(text): a case-insensitive search
	// through whole reports took most of the importer's time.
	// French and Spanish reports title it "Conclusions et/ou
	// recommandations" and "Conclusiones y/o recomendaciones".
	headingRe = regexp.MustCompile(`conclusions\s+and\s*(?:/\s*or\s+)?recommendations|conclusions\s+et\s*(?:/\s*ou\s+)?recommandations|conclusiones\s+y\s*(?:/\s*o\s+)?recomendaciones`)
	// tocRe tells the table of contents entry from the heading itself.
	tocRe = regexp.MustCompile(`^\s*\.{3}`)
	// leadInRe finds the first lead-in when a report prints no heading.
	leadInRe = regexp.MustCompile(`\b\d{2,3}\.\s+(?:the (?:following )?recommendations (?:formulated|listed|below)|in the course of the (?:interactive )?(?:discussion|dialogue)|les recommandations (?:ci-apr|formul|figurant|énum)|las recomendaciones (?:que figuran|formuladas|enumeradas))`)
	// sectionEnds mark what follows the section: its closing paragraph,
	// the voluntary commitments, or the annex. They are tried one by one:
	// each starts with a literal, which the regexp package finds fast.
	sectionEnds = []endMark{
		newEndMark(`all conclusions and\s*/?\s*or\s+recommendations contained|toutes les conclusions et\s*/?\s*ou\s+recommandations (?:figurant|contenues)|todas las conclusiones y\s*/?\s*o\s+recomendaciones (?:que figuran|contenidas)`,
			"all conclusions", "toutes les conclusions", "todas las conclusiones"),
		newEndMark(`composition of the delegation|composition de la délégation|composición de la delegación`, "composi"),
		newEndMark(`(?m)iii\.\s+(?:voluntary|engagements\s+volontaires|compromisos\s+voluntarios)`, "iii."),
		newEndMark(`(?m)(?:annex|annexe|anexo)[ \t]*$`, "annex", "anexo"),
	}
	// footnoteBodyRe is a footnote printed into the running text at a page
	// break, quoting the recommendation as first read, with its own State.
	footnoteBodyRe = regexp.MustCompile(`The (?:original (?:recommendation|wording)|recommendation (?:as )?read)`)
	// noiseRe removes page furniture and editorial notes printed into the
	// section.
	noiseRe    = regexp.MustCompile(`(?i)\*+\s*(?:The )?conclusions and recommendations have not been edited\.?`)
	pageLineRe = regexp.MustCompile(`(?im)^[ \t]*(?:A/HRC/[\w./]+(?:[ \t]+(?:page|página)[ \t]+\d+)?|(?:page|página)[ \t]+\d+|GE\.\d\d-\d+[^\n]*)[ \t]*$`)
)

// endMark is a section end: its pattern, and the literals every match
// starts with. The regexp package finds no literal prefix in these
// alternations and ran its slow matcher over whole sections, most of the
// importer's time; first looks for the literals instead and tries the
// pattern only where one stands.
type endMark struct {
	re     *regexp.Regexp // the pattern
	at     *regexp.Regexp // the pattern, matched only at the start of the text
	starts []string
}

func newEndMark(pattern string, starts ...string) endMark {
	return endMark{re: regexp.MustCompile(pattern), at: regexp.MustCompile(`\A(?:` + pattern + `)`), starts: starts}
}

// first returns the position of the first match of the pattern in s that
// ok accepts, or -1: the first such match of re.FindAllStringIndex(s, -1).
func (e endMark) first(s string, ok func(at int) bool) int {
	for from := 0; from < len(s); {
		p := -1
		for _, lit := range e.starts {
			if i := strings.Index(s[from:], lit); i >= 0 && (p < 0 || from+i < p) {
				p = from + i
			}
		}
		if p < 0 {
			return -1
		}
		if m := e.at.FindStringIndex(s[p:]); m != nil {
			if ok(p) {
				return p
			}
			from = p + max(m[1], 1)
			continue
		}
		from = p + 1
	}
	return -1
}

// section returns the text of the "Conclusions and/or recommendations"
// section, or false when the report has none.
func section(text string) (string, bool) {
	lower := lowerASCII(text)
	start := -1
	for _, m := range headingRe.FindAllStringIndex(lower, -1) {
		if tocRe.MatchString(lower[m[1]:]) || closingRef(lower[max(0, m[0]-12):m[0]]) {
			continue
		}
		start = m[1]
		break
	}
	if start < 0 {
		m := leadInRe.FindStringIndex(lower)
		if m == nil {
			return "", false
		}
		start = m[0]
	}
	end := len(text)
	for i, e := range sectionEnds {
		if at := e.first(lower[start:end], func(at int) bool { return i < 2 || lineStart(lower, start+at) }); at >= 0 {
			end = start + at
		}
	}
	return text[start:end], true
}

// closingRef reports whether the words before a heading match make it the
// closing paragraph's "All conclusions and/or recommendations contained in
// the present report", in any of the report's languages.
func closingRef(before string) bool {
	b := strings.TrimSpace(before)
	return strings.HasSuffix(b, "all") || strings.HasSuffix(b, "toutes les") || strings.HasSuffix(b, "todas las")
}

// lineStart reports whether only blanks stand between the line's start and i.
func lineStart(s string, i int) bool {
	j := strings.LastIndexByte(s[:i], '\n')
	return strings.TrimSpace(s[j+1:i]) == ""
}

// lowerASCII lowers ASCII letters only, so that byte offsets in the result
// are offsets in s.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// paragraph is one top-level paragraph of the section: a lead-in such as
// "The following recommendations will be examined by X" and the numbered
// items under it.
type paragraph struct {
	number int
	leadIn string
	items  []item
}

type item struct {
	number string // "95.3" composed for the older style
	raw    string
}

type marker struct {
	start, end int // the marker and its trailing blanks
	a, b       int // "a.b" or "a."; b is 0 for a single number
	dot        bool
}

// splitSection cuts the section into its paragraphs and items by following
// the numbering: the next paragraph is P+1, the next item k+1 (a few missing
// numbers are tolerated), written "P.k" in newer reports and "k." in older
// ones. Numbers that do not continue the sequence are text ("resolution
// 9/12", "paragraph 15.").
func splitSection(ctx context.Context, sec string) ([]paragraph, error) {
	sec = cleanSection(sec)
	ms := markers(sec)
	var (
		out   []paragraph
		cur   = -1 // index in out of the paragraph being read
		style int  // 0 unknown, 1 "k.", 2 "P.k"
		k     int
		prev  int // end of the previous accepted marker
	)
	closeChunk := func(end int) {
		if cur < 0 {
			return
		}
		p := &out[cur]
		if n := len(p.items); n > 0 {
			p.items[n-1].raw = sec[prev:end]
		} else {
			p.leadIn = sec[prev:end]
		}
	}
	for i, m := range ms {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if cur < 0 {
			if m.b == 0 && m.dot {
				out = append(out, paragraph{number: m.a})
				cur, prev = 0, m.end
			}
			continue
		}
		P := out[cur].number
		top := m.b == 0 && m.dot && m.a == P+1
		oldItem := m.b == 0 && m.dot && style != 2 && m.a > k && m.a <= k+3
		newItem := m.b > 0 && m.a == P && style != 1 && m.b > k && m.b <= k+3
		if top && oldItem && endsWithStates(sec[m.end:nextStart(ms, i, sec)]) {
			top = false // item P+1 of a long list, not paragraph P+1
		}
		switch {
		case top:
			closeChunk(m.start)
			out = append(out, paragraph{number: m.a})
			cur, prev, style, k = len(out)-1, m.end, 0, 0
		case newItem, oldItem:
			closeChunk(m.start)
			if newItem {
				style, k = 2, m.b
			} else {
				style, k = 1, m.a
			}
			out[cur].items = append(out[cur].items, item{number: strconv.Itoa(P) + "." + strconv.Itoa(k)})
			prev = m.end
		}
	}
	closeChunk(len(sec))
	return out, nil
}

// nextStart is where the candidate marker after ms[i] begins.
func nextStart(ms []marker, i int, sec string) int {
	if i+1 < len(ms) {
		return ms[i+1].start
	}
	return len(sec)
}

// endsWithStates reports whether a chunk ends the way items do, with a list
// of States in parentheses, rather than the way lead-ins do.
func endsWithStates(chunk string) bool {
	c := strings.TrimRight(chunk, " \t\n;.,:0123456789")
	return strings.HasSuffix(c, ")")
}

// markers finds the numbers that may start a paragraph or an item: after the
// start, a blank or punctuation, and followed by a letter or an opening
// quote.
//
// It is a hand-written scan for `(\d{1,3})(?:\.(\d{1,3}))?(\.)?\s+`: the
// regular expression took a third of the importer's time.
func markers(sec string) []marker {
	var out []marker
	n := len(sec)
	for i := 0; i < n; i++ {
		if !isDigit(sec[i]) {
			continue
		}
		j := i
		for j < n && isDigit(sec[j]) {
			j++
		}
		m, ok := readMarker(sec, i, j)
		if !ok {
			i = j - 1
			continue
		}
		i = m.end - 1
		if m.start > 0 {
			r, _ := utf8.DecodeLastRuneInString(sec[:m.start])
			if !unicode.IsSpace(r) && !strings.ContainsRune(";:.)\"”", r) {
				continue
			}
			// "NOTE 1." numbers the State's notes on what it rejected.
			if strings.HasSuffix(strings.TrimRight(sec[:m.start], " \t\n"), "NOTE") {
				continue
			}
		}
		r, _ := utf8.DecodeRuneInString(sec[m.end:])
		if !unicode.IsLetter(r) && !strings.ContainsRune("\"“‘'", r) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// readMarker reads a marker whose first number is sec[i:j]: "95 ", "95. ",
// "95.1 " or "95.1. ", followed by blanks.
func readMarker(sec string, i, j int) (marker, bool) {
	n := len(sec)
	if j-i > 3 {
		return marker{}, false
	}
	m := marker{start: i}
	m.a, _ = strconv.Atoi(sec[i:j])
	k := j
	if k < n && sec[k] == '.' {
		d := k + 1
		for d < n && isDigit(sec[d]) {
			d++
		}
		p, dot := d, false
		if p < n && sec[p] == '.' {
			p++
			dot = true
		}
		switch {
		case d > k+1 && d-(k+1) <= 3 && p < n && isBlank(sec[p]):
			m.b, _ = strconv.Atoi(sec[k+1 : d])
			m.dot, k = dot, p
		case k+1 < n && isBlank(sec[k+1]):
			m.dot, k = true, k+1
		default:
			return marker{}, false
		}
	} else if k >= n || !isBlank(sec[k]) {
		return marker{}, false
	}
	for k < n && isBlank(sec[k]) {
		k++
	}
	m.end = k
	return m, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isBlank is the \s of regular expressions: ASCII white space.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// cleanSection removes footnote bodies and page furniture printed into the
// section, so that their quoted recommendations and States are not read as
// items.
func cleanSection(sec string) string {
	// Case-insensitive expressions get no literal prefix to search for, so
	// they run only where a cheap look says they can match.
	lower := lowerASCII(sec)
	if strings.Contains(lower, "have not been edited") {
		sec = noiseRe.ReplaceAllString(sec, "")
	}
	if strings.Contains(lower, "a/hrc/") || strings.Contains(lower, "page") || strings.Contains(lower, "página") || strings.Contains(lower, "ge.") {
		sec = pageLineRe.ReplaceAllString(sec, "")
	}
	var b strings.Builder
	for from := 0; ; {
		loc := footnoteBodyRe.FindStringIndex(sec[from:])
		if loc == nil {
			b.WriteString(sec[from:])
			break
		}
		at, end := from+loc[0], from+loc[1]
		mark := footnoteMark(sec, at)
		if mark < from {
			b.WriteString(sec[from:end])
			from = end
			continue
		}
		b.WriteString(sec[from:mark])
		b.WriteString(" ")
		from = footnoteEnd(sec, end)
	}
	return b.String()
}

// footnoteMark returns where the footnote number before position i starts
// ("\n3 \tThe original ...", "\n2\n The recommendation as read ..."), or -1
// when no number stands there.
func footnoteMark(s string, i int) int {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\n') {
		j--
	}
	if j == i {
		return -1
	}
	k := j
	for k > 0 && j-k < 3 && s[k-1] >= '0' && s[k-1] <= '9' {
		k--
	}
	if k == j || (k > 0 && !unicode.IsSpace(rune(s[k-1]))) {
		return -1
	}
	return k
}

// footnoteEnd finds where a footnote body starting before i ends: at the end
// of its line, or, in a report without line breaks, at the end of its first
// sentence ("... (Ecuador). 89.46. Evaluate"). When neither is near, the
// footnote is left in place rather than risk cutting recommendations.
func footnoteEnd(sec string, i int) int {
	if nl := strings.IndexByte(sec[i:], '\n'); nl >= 0 && nl < 1500 {
		return i + nl
	}
	if loc := sentenceEndRe.FindStringIndex(sec[i:]); loc != nil && loc[1] < 1500 {
		return i + loc[1]
	}
	return i
}

var sentenceEndRe = regexp.MustCompile(`[.;]["”]?(?:\s|$)`)
