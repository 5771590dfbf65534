package tbco

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	pageNumRe    = regexp.MustCompile(`^(?:Page\s+)?\d{1,3}$`)
	jobNumRe     = regexp.MustCompile(`^GE\.\d{2}-\d{4,6}`)
	barcodeRe    = regexp.MustCompile(`^\*\d{5,}\*$`)
	adoptedRe    = regexp.MustCompile(`(?i)^\*?\s*Adopted by the Committee at its`)
	gluedPageRe  = regexp.MustCompile(`^(.*\S)\s+(\d{1,3})$`)
	sectionRe    = regexp.MustCompile(`^(?:[A-Z]|[IVX]{1,5})\.\s+([A-Z][^.;:]{2,200})$`)
	numberRe     = regexp.MustCompile(`^(\d{1,3})\.\s+(\S.*)$`)
	itemRe       = regexp.MustCompile(`^\(([a-z]{1,2})\)\s*(.*)$`)
	gluedNumRe   = regexp.MustCompile(`(?:^|\s)(\d{1,3})\.\s+[A-Z"“]`)
	gluedItemRe  = regexp.MustCompile(`\s\(([a-z]{1,2})\)\s+[A-Z"“]`)
	notNumBefore = regexp.MustCompile(`(?i)\b(?:no|nos|para|paras|art|arts|p|pp|vol|chap|rule|section)\.?\s*$`)
)

// removeFurniture drops what a page adds to the text: the running header
// (the symbol), page numbers, job numbers and bar codes, and the footnote
// saying when the Committee adopted the document. A page number glued to
// the last line of its page ("principles relating to the 2") is cut when it
// is the number the next page expects.
func removeFurniture(lines []line, symbol string) []line {
	var out []line
	lastPage, broken := 1, false
	for _, l := range lines {
		t := l.text
		switch {
		case t == "":
			continue
		case t == symbol || symbolRe.MatchString(t) && len(t) <= len(symbol)+2:
			if n := len(out) - 1; n >= 0 {
				if m := gluedPageRe.FindStringSubmatch(out[n].text); m != nil {
					if p, _ := strconv.Atoi(m[2]); p == lastPage+1 {
						out[n].text, lastPage = m[1], p
					}
				}
			}
			broken = true
			continue
		case pageNumRe.MatchString(t):
			p, _ := strconv.Atoi(strings.TrimPrefix(t, "Page "))
			if p > lastPage {
				lastPage = p
			}
			broken = true
			continue
		case jobNumRe.MatchString(t), barcodeRe.MatchString(t), t == "*", adoptedRe.MatchString(t):
			broken = true
			continue
		}
		l.pageBreak = l.pageBreak || broken
		broken = false
		out = append(out, l)
	}
	return out
}

// Section kinds.
const (
	secSkip    = iota // title, introduction, positive aspects
	secMain           // concerns and recommendations
	secClosing        // dissemination, follow-up, next report
)

func sectionKind(title string) int {
	t := strings.ToLower(title)
	switch {
	case strings.Contains(t, "introduction"), strings.Contains(t, "positive aspects"),
		strings.Contains(t, "progress achieved"), strings.Contains(t, "follow-up measures undertaken"),
		strings.Contains(t, "factors and difficulties"):
		return secSkip
	case strings.Contains(t, "concern"), strings.Contains(t, "recommendation"):
		return secMain
	case strings.Contains(t, "dissemination"), strings.Contains(t, "follow-up"), strings.Contains(t, "follow up"),
		strings.Contains(t, "next report"), strings.Contains(t, "next periodic report"), strings.Contains(t, "reporting"):
		return secClosing
	}
	return secMain
}

// part is a piece of a numbered paragraph: its own text (label ""), a
// lettered sub-paragraph, or an unnumbered block that follows it, as the
// older Human Rights Committee layout puts its recommendations.
type part struct {
	label string
	text  string
}

// paragraph is one numbered paragraph with the heading above it.
type paragraph struct {
	num     int
	heading string
	section int
	// closing marks a dissemination or follow-up paragraph.
	closing bool
	parts   []part
}

// parser turns lines into numbered paragraphs.
type parser struct {
	paras    []*paragraph
	cur      *paragraph
	last     int // number of the last paragraph
	section  int
	secTitle string
	heading  string
	fresh    bool // heading not yet used by a paragraph
	gaps     []string
}

func parse(ctx context.Context, lines []line) ([]*paragraph, []string, error) {
	p := &parser{section: secSkip}
	for i := 0; i < len(lines); i++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		l := lines[i]
		t := l.text
		if m := sectionRe.FindStringSubmatch(t); m != nil && (l.style != stylePlain || !strings.HasSuffix(t, ",")) && len(strings.Fields(t)) <= 25 {
			p.cur = nil
			p.section, p.secTitle = sectionKind(m[1]), m[1]
			p.heading, p.fresh = "", false
			continue
		}
		if l.style == styleSection {
			continue // a title styled as a chapter heading
		}
		if l.style == styleHeading {
			p.setHeading(t)
			continue
		}
		prefix, pieces := p.splitNumbers(t)
		if prefix != "" {
			if len(pieces) > 0 && headingLike(prefix) {
				p.setHeading(prefix)
			} else if p.orphanHead(prefix) {
				p.addText(prefix, l.pageBreak)
			} else if n := p.headingRun(lines, i); n > 0 && len(pieces) == 0 {
				var hs []string
				for _, h := range lines[i : i+n] {
					hs = append(hs, h.text)
				}
				p.setHeading(strings.Join(hs, " "))
				i += n - 1
				continue
			} else {
				p.addText(prefix, l.pageBreak)
			}
		}
		for _, pc := range pieces {
			p.open(pc.num, pc.text)
		}
	}
	return p.paras, p.gaps, nil
}

func (p *parser) setHeading(h string) {
	p.heading, p.fresh = strings.TrimRight(h, "* "), true
	p.cur = nil
}

type numbered struct {
	num  int
	text string
}

// splitNumbers cuts a line at the paragraph numbers it holds: one at its
// start, and others glued after the end of a paragraph ("(art. 23). 36. The
// State party …"). A number counts only if it is the next one expected, so
// that "Act No. 5. The" or a list of years cannot start a paragraph. What
// comes before the first number is returned as prefix: continued text or a
// heading glued to its paragraph ("Family reunification 35. The …").
func (p *parser) splitNumbers(t string) (prefix string, out []numbered) {
	next := p.last + 1
	if m := numberRe.FindStringSubmatch(t); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n == next || n == next+1 {
			if n != next {
				p.gaps = append(p.gaps, fmt.Sprintf("paragraph %d missing (found %d after %d)", next, n, p.last))
			}
			next = n + 1
			out = append(out, numbered{num: n})
			t = m[2]
		}
	}
	start := 0
	for {
		locs := gluedNumRe.FindAllStringSubmatchIndex(t[start:], -1)
		found := false
		for _, loc := range locs {
			n, _ := strconv.Atoi(t[start+loc[2] : start+loc[3]])
			if n != next {
				continue
			}
			before := strings.TrimSpace(t[:start+loc[2]])
			if notNumBefore.MatchString(before) {
				continue
			}
			ends := before == "" || strings.ContainsAny(before[len(before)-1:], ".;:)\"”")
			if !ends && !(len(out) == 0 && headingLike(before)) {
				continue
			}
			if len(out) == 0 {
				prefix = before
			} else {
				out[len(out)-1].text = before
			}
			out = append(out, numbered{num: n})
			t = t[start+loc[3]:]
			t = strings.TrimLeft(strings.TrimPrefix(strings.TrimLeft(t, " "), "."), " ")
			start = 0
			next++
			found = true
			break
		}
		if !found {
			break
		}
	}
	if len(out) == 0 {
		return t, nil
	}
	out[len(out)-1].text = t
	return prefix, out
}

// headingLike tells a topic heading from text: it starts with a capital,
// ends without punctuation and is short.
func headingLike(s string) bool {
	s = strings.TrimSpace(s)
	r, _ := utf8.DecodeRuneInString(s)
	if s == "" || !unicode.IsUpper(r) || strings.HasPrefix(s, "(") {
		return false
	}
	if strings.ContainsAny(s[len(s)-1:], ".;:,") || len(s) > 200 || len(strings.Fields(s)) > 25 {
		return false
	}
	return true
}

// headingRun returns how many lines from i form a heading: one or two
// heading-like lines followed by the paragraph number expected next.
func (p *parser) headingRun(lines []line, i int) int {
	for n := 1; n <= 2 && i+n < len(lines); n++ {
		if !headingLike(lines[i+n-1].text) {
			return 0
		}
		if m := numberRe.FindStringSubmatch(lines[i+n].text); m != nil {
			if k, _ := strconv.Atoi(m[1]); k == p.last+1 || k == p.last+2 {
				return n
			}
		}
	}
	return 0
}

// open starts paragraph num.
func (p *parser) open(num int, text string) {
	par := &paragraph{num: num, heading: p.heading, section: p.section}
	if p.section == secClosing {
		par.closing = true
		if par.heading == "" {
			par.heading = p.secTitle
		}
	} else if p.section == secMain && !p.fresh && closingLeadRe.MatchString(text) {
		// Older documents run the closing paragraphs on under the last
		// topic heading, which is not theirs.
		par.closing, par.heading = true, ""
		p.heading = ""
	}
	p.fresh = false
	p.paras = append(p.paras, par)
	p.cur, p.last = par, num
	par.parts = append(par.parts, part{})
	p.addItems(text)
}

// addText places a line that carries no paragraph number.
func (p *parser) addText(t string, pageBreak bool) {
	par := p.cur
	if par == nil {
		return
	}
	lastPart := &par.parts[len(par.parts)-1]
	if m := itemRe.FindStringSubmatch(t); m != nil {
		par.parts = append(par.parts, part{label: m[1]})
		p.addItems(m[2])
		return
	}
	r, _ := utf8.DecodeRuneInString(t)
	// pdftotext moves the start of a sub-paragraph below its last words:
	// "(g) 2011;" then "The strengthening of the mandate …, in".
	if lastPart.label != "" && unicode.IsUpper(r) && orphanTail(lastPart.text) {
		lastPart.text = t + " " + lastPart.text
		return
	}
	prev := strings.TrimSpace(lastPart.text)
	ended := prev == "" || strings.ContainsAny(prev[len(prev)-1:], ".;:")
	if !unicode.IsUpper(r) || (pageBreak && !ended) {
		lastPart.text = strings.TrimSpace(lastPart.text + " " + t)
		return
	}
	par.parts = append(par.parts, part{})
	p.addItems(t)
}

// orphanHead tells whether t is the start of a sub-paragraph whose last
// words stand above it.
func (p *parser) orphanHead(t string) bool {
	if p.cur == nil {
		return false
	}
	last := p.cur.parts[len(p.cur.parts)-1]
	r, _ := utf8.DecodeRuneInString(t)
	return last.label != "" && unicode.IsUpper(r) && orphanTail(last.text)
}

// orphanTail tells the remains of a sub-paragraph whose text pdftotext moved
// away: a word or two not starting with a capital ("2011;", "laws;").
func orphanTail(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && !unicode.IsUpper(r) && r != '(' && len(strings.Fields(s)) <= 3
}

// addItems appends t to the current part, cutting it at lettered
// sub-paragraphs glued on one line ("…(2006); (b) The …"), each the letter
// after the last one.
func (p *parser) addItems(t string) {
	par := p.cur
	for {
		cur := &par.parts[len(par.parts)-1]
		next := "a"
		if cur.label != "" {
			next = nextLabel(cur.label)
		}
		cut := -1
		var label string
		for _, loc := range gluedItemRe.FindAllStringSubmatchIndex(t, -1) {
			if t[loc[2]:loc[3]] != next {
				continue
			}
			before := strings.TrimSpace(t[:loc[0]])
			if before != "" && strings.ContainsAny(before[len(before)-1:], ";:.") {
				cut, label = loc[0], next
				break
			}
		}
		if cut < 0 {
			cur.text = strings.TrimSpace(cur.text + " " + t)
			return
		}
		cur.text = strings.TrimSpace(cur.text + " " + t[:cut])
		rest := strings.TrimSpace(t[cut:])
		rest = strings.TrimSpace(rest[len(label)+2:])
		par.parts = append(par.parts, part{label: label})
		t = rest
	}
}

func nextLabel(l string) string {
	if len(l) != 1 || l[0] < 'a' || l[0] >= 'z' {
		return ""
	}
	return string(l[0] + 1)
}
