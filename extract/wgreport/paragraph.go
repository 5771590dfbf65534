package wgreport

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// leadNumberRe is the item number a paragraph starts with: "104.1", "95.1."
// or the older "12.".
var leadNumberRe = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3})?)\.?\s+`)

// ParseParagraph splits one recommendation paragraph as the reports print it,
// "104.1 Sign the OP-CAT (France); ratify it (Spain, Chile);", into its
// number ("104.1"), its text without the States ("Sign the OP-CAT; ratify
// it") and the recommending States as written ("France", "Spain", "Chile").
// White space is collapsed; quotes and dashes are left as printed.
//
// A paragraph can hold several recommendations, each closed by its own list
// of States; they stay one paragraph, as the report numbers them, joined with
// "; " where the report had a semicolon. A parenthesis counts as States when
// every name in it is a known State, or, for the last one of the paragraph,
// when it merely looks like a list of names, so that a misspelt State is
// still reported rather than left in the text. Known States inside a
// sentence ("Sign (Uganda) and ratify (Sweden) OP-CAT") are taken too. What
// follows "(State):" is the State's comment and is dropped. Footnote digits
// glued to a list ("(Spain)14;") are dropped.
func ParseParagraph(s string) (number, text string, states []string) {
	s = strings.Join(strings.Fields(s), " ")
	if m := leadNumberRe.FindStringSubmatch(s); m != nil {
		number, s = m[1], s[len(m[0]):]
	}
	groups := parenGroups(s)
	var (
		b       strings.Builder
		last    int // end of what was consumed so far
		sep     string
		comment bool
	)
	appendPiece := func(piece string) {
		piece = strings.TrimSpace(piece)
		if !hasLetter(piece) {
			return
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(piece)
	}
	for i := 0; i < len(groups); {
		// A chain is a run of groups with nothing but blanks and footnote
		// digits between them: "(Argentina) (Namibia) (Togo);".
		j := i
		for j+1 < len(groups) && isGap(s[groups[j].end:groups[j+1].start]) {
			j++
		}
		after := chainEnd(s, groups[j].end)
		final := !hasLetter(s[after.next:])
		// Take the longest tail of the chain that is all known States; the
		// last group of the paragraph may also be a name not known. Inside
		// a sentence ("(Iraq), evaluate ... (Argentina) the Convention")
		// only known States count.
		first := j + 1
		for k := j; k >= i; k-- {
			if groups[k].known || (k == j && final && after.closes && groups[k].namey) {
				first = k
				continue
			}
			break
		}
		if first > j {
			i = j + 1
			continue
		}
		appendPiece(s[last:groups[first].start])
		for k := first; k <= j; k++ {
			states = append(states, groups[k].names...)
		}
		last, sep, comment = after.next, after.sep, after.comment
		i = j + 1
	}
	if !comment {
		appendPiece(s[last:])
	}
	text = strings.TrimRight(b.String(), " ;,.")
	return number, text, dedupe(states)
}

type group struct {
	start, end int // s[start:end] is "(...)"
	names      []string
	known      bool // every name is a known State
	namey      bool // looks like a list of State names
}

// parenGroups returns the outermost parenthesised groups of s, each with its
// reading as a list of States. A parenthesis the report never closes
// ("(OP.CRPD (Spain);") is read as a plain character, so that the groups
// after it are still found.
func parenGroups(s string) []group {
	var out []group
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			if depth == 0 {
				start = i
			}
			depth++
		case ')':
			if depth == 0 {
				continue
			}
			depth--
			if depth == 0 {
				out = append(out, readGroup(s, start, i+1))
			}
		}
	}
	if depth > 0 {
		for _, g := range parenGroups(s[start+1:]) {
			g.start += start + 1
			g.end += start + 1
			out = append(out, g)
		}
	}
	return out
}

func readGroup(s string, start, end int) group {
	g := group{start: start, end: end}
	// A footnote mark can sit inside the brackets: "(Democratic People's
	// Republic of Korea 1)".
	inner := strings.TrimRight(s[start+1:end-1], " 0123456789")
	inner = strings.TrimSpace(inner)
	if inner == "" {
		return g
	}
	// "(Brazil/Spain)" joins two States as a comma would.
	g.names = models.SplitStateList(strings.ReplaceAll(inner, "/", ","))
	g.known, g.namey = len(g.names) > 0, len(g.names) > 0 && !strings.ContainsAny(inner, "0123456789")
	for _, n := range g.names {
		if _, ok := norm.Country(models.CleanText(n)); !ok {
			g.known = false
		}
		if !looksLikeName(n) {
			g.namey = false
		}
	}
	return g
}

// looksLikeName tells a State name from an acronym ("OP-CAT") or an ordinary
// phrase in brackets: it starts with a capital, is mostly letters and is not
// a long sentence.
func looksLikeName(n string) bool {
	r, _ := utf8.DecodeRuneInString(n)
	if !unicode.IsUpper(r) || len(strings.Fields(n)) > 8 {
		return false
	}
	if n == strings.ToUpper(n) && !strings.Contains(n, " ") {
		return false
	}
	return true
}

// isGap reports whether what lies between two groups leaves them one chain.
func isGap(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsDigit(r) }) == ""
}

type ending struct {
	closes bool   // the chain ends a recommendation, or else stands inside one
	sep    string // how the recommendations before and after it are joined
	next   int    // where the text after the chain and its punctuation starts
	// comment says the text after the chain is the State's comment on the
	// recommendation, not more of it.
	comment bool
}

// chainEnd looks at what follows a chain of groups ending at i. A list of
// States is followed by ";" or "." or the end of the paragraph, possibly
// after footnote digits glued to it ("(Spain)14;", "(Canada).3").
func chainEnd(s string, i int) ending {
	j := skipDigits(s, i)
	rest := strings.TrimLeft(s[j:], " ")
	j = len(s) - len(rest)
	switch {
	case rest == "":
		return ending{closes: true, sep: " ", next: j}
	case rest[0] == ';':
		return ending{closes: true, sep: "; ", next: skipDigits(s, j+1)}
	case rest[0] == ':':
		// "(Canada): The Dominican Republic does not accept this
		// recommendation": what follows is the State's comment.
		return ending{closes: true, sep: "; ", next: j + 1, comment: true}
	case rest[0] == '.' || rest[0] == ',':
		k := skipDigits(s, j+1)
		if strings.TrimSpace(s[k:]) == "" || rest[0] == '.' {
			return ending{closes: true, sep: ". ", next: k}
		}
	}
	if !hasLetter(rest) {
		return ending{closes: true, sep: " ", next: len(s)}
	}
	if rest[0] == ',' {
		return ending{sep: ", ", next: j + 1}
	}
	return ending{sep: " ", next: j}
}

func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
