package uprdoc

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

var (
	// refSymbolRe matches the symbols endnotes cite: CRC/C/SVN/CO/3-4,
	// E/C.12/BRB/CO/2, CCPR/CO/84/SVN, A/HRC/18/33/Add.2. "CO/3para. 10"
	// (sic) ends the symbol at the digit.
	refSymbolRe = regexp.MustCompile(`\b(?:CCPR|CESCR|CRC|CEDAW|CAT|CERD|CRPD|CMW|CED|SPT|E|A)(?:/(?:(?:Add|Corr|Rev|CRP|L)\.\d{1,3}|[A-Z]{1,8}(?:\.\d{1,3})?|\d{1,4}(?:-\d{1,4})?))+`)
	// paraRe reads the paragraph cited after a symbol or "Ibid.":
	// ", para. 45", ", paras. 34(a) (b)", "para.12", "para. 58 (c)".
	paraRe   = regexp.MustCompile(`^\s*,?\s*(?:and\s+)?paras?\.?\s*(\d{1,3})(?:\s*\(([a-z]{1,2})\))?`)
	ibidRe   = regexp.MustCompile(`^(?i:see\s+)?Ibid\.?`)
	noteHead = regexp.MustCompile(`^(\d{1,3})(?:\s+(\S.*))?$`)
)

// ref is one document cited by a note.
type ref struct {
	symbol, paragraph string
}

// note is one endnote with the documents it cites, in order, "Ibid."
// resolved to the last document of the note before.
type note struct {
	text string
	refs []ref
}

// parseNotes reads the endnotes section: each note starts with its number,
// alone on a line or before its text, and notes come in order, which tells
// a note number from a line of a note that starts with digits.
func parseNotes(lines []string, furniture func(string) bool) map[int]*note {
	notes := map[int]*note{}
	next := 1
	var cur *note
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || furniture(t) {
			continue
		}
		if m := noteHead.FindStringSubmatch(t); m != nil {
			if n, _ := strconv.Atoi(m[1]); n == next {
				cur = &note{text: m[2]}
				notes[n] = cur
				next++
				continue
			}
		}
		if cur != nil {
			cur.text = strings.TrimSpace(cur.text + " " + t)
		}
	}
	last := ""
	for n := 1; n < next; n++ {
		nt := notes[n]
		nt.text = models.CleanText(nt.text)
		rest := nt.text
		if m := ibidRe.FindString(rest); m != "" {
			r := ref{symbol: last}
			rest = rest[len(m):]
			if p := paraRe.FindStringSubmatch(rest); p != nil {
				r.paragraph = para(p)
			}
			if last != "" {
				nt.refs = append(nt.refs, r)
			}
		}
		for _, loc := range refSymbolRe.FindAllStringIndex(rest, -1) {
			sym := rest[loc[0]:loc[1]]
			if strings.Count(sym, "/") < 2 || symbolBody(sym) == "" {
				continue
			}
			r := ref{symbol: sym}
			if p := paraRe.FindStringSubmatch(rest[loc[1]:]); p != nil {
				r.paragraph = para(p)
			}
			nt.refs = append(nt.refs, r)
		}
		if len(nt.refs) > 0 {
			last = nt.refs[len(nt.refs)-1].symbol
		} else {
			last = ""
		}
	}
	return notes
}

func para(m []string) string {
	if m[2] != "" {
		return m[1] + "(" + m[2] + ")"
	}
	return m[1]
}

// symbolBody tells which body issued a document from its symbol: the
// treaty body of CRC/C/…, CESCR for E/C.12/…, and "SP" for the Human Rights
// Council documents (A/HRC/…) where special procedures report.
func symbolBody(sym string) string {
	switch {
	case strings.HasPrefix(sym, "E/C.12/"):
		return "CESCR"
	case strings.HasPrefix(sym, "A/HRC/"):
		return "SP"
	case strings.HasPrefix(sym, "A/") || strings.HasPrefix(sym, "E/"):
		return ""
	}
	prefix := sym[:strings.IndexByte(sym, '/')]
	if mech, code, ok := norm.Body(prefix); ok && mech == models.MechanismTB {
		return code
	}
	return ""
}

// pick chooses the document a quotation comes from: the first cited by the
// quoting body, else the first cited at all.
func (n *note) pick(body string, mech models.Mechanism) ref {
	want := body
	if mech == models.MechanismSP {
		want = "SP"
	}
	for _, r := range n.refs {
		if symbolBody(r.symbol) == want {
			return r
		}
	}
	if len(n.refs) > 0 {
		return n.refs[0]
	}
	return ref{}
}
