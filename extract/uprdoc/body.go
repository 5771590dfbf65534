package uprdoc

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	paraStartRe = regexp.MustCompile(`^(\d{1,3})\.\s+(\S.*)$`)
	headingRe   = regexp.MustCompile(`^(?:[IVX]{1,5}|[A-Z]|\d{1,2})\.\s+\S`)
	subHeadRe   = regexp.MustCompile(`^(?:[A-Z]|\d{1,2})\.\s+(.+)$`)
	tableRe     = regexp.MustCompile(`\S\s{3,}\S`)
	trailNoteRe = regexp.MustCompile(`[\d\s,]+$`)
)

// cpara is one numbered paragraph of the compilation.
type cpara struct {
	num     int
	heading string
	text    string
}

// paragraphs reads the numbered paragraphs of the body. A numbered line is a
// paragraph when its number is the next one and it is not a numbered
// heading ("1. International human rights treaties2", followed by a blank
// line, not by more text). Headings, tables and text after a blank line
// that no page break explains end a paragraph.
func paragraphs(lines []string, furniture func(string) bool) []cpara {
	var out []cpara
	open := false
	gap, page := false, false
	heading := ""
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if t == "" {
			gap = true
			continue
		}
		if furniture(t) {
			page = true
			continue
		}
		brokenByPage := page
		wasGap := gap
		gap, page = false, false
		if m := paraStartRe.FindStringSubmatch(t); m != nil {
			n, _ := strconv.Atoi(m[1])
			next := len(out) + 1
			if len(out) > 0 {
				next = out[len(out)-1].num + 1
			}
			if (n == next || n == next+1) && !numberedHeading(m[2], lines, i, furniture) {
				out = append(out, cpara{num: n, heading: heading, text: m[2]})
				open = true
				continue
			}
		}
		if headingRe.MatchString(t) {
			open = false
			if m := subHeadRe.FindStringSubmatch(t); m != nil {
				heading = strings.TrimSpace(trailNoteRe.ReplaceAllString(m[1], ""))
			}
			continue
		}
		if tableRe.MatchString(t) {
			open = false
			continue
		}
		if !open || (wasGap && !brokenByPage) {
			open = false
			continue
		}
		out[len(out)-1].text += " " + t
	}
	return out
}

// numberedHeading tells "1. International human rights treaties2" from the
// first line of a paragraph: it does not end a sentence and no text line
// follows it.
func numberedHeading(text string, lines []string, i int, furniture func(string) bool) bool {
	t := strings.TrimRight(text, "0123456789, ")
	if t == "" || strings.ContainsAny(t[len(t)-1:], ".;:") {
		return false
	}
	for _, l := range lines[i+1:] {
		l = strings.TrimSpace(l)
		if furniture(l) {
			continue
		}
		return l == "" || headingRe.MatchString(l) || paraStartRe.MatchString(l) || tableRe.MatchString(l)
	}
	return true
}

// markRe finds a note number glued to the text it annotates: "ICRMW.9",
// "resources21 and", "rights,50 and", "(2012-2013)80".
var markRe = regexp.MustCompile(`[A-Za-z)\]”"’.,;:](\d{1,3})(?:[\s,;:.)]|$)`)

// maxNoteGap bounds how many notes may pass unseen between two marks of
// the body: the notes of headings and tables, which are not read.
const maxNoteGap = 40

// piece is a stretch of a sentence ending at a note mark, or the rest of a
// sentence without one.
type piece struct {
	text     string
	note     int // 0 when none
	sentence string
	first    bool // first piece of its sentence
}

// pieces cuts a paragraph into sentences and the sentences at note marks.
// Marks are note numbers taken in order through the whole document (last is
// the last one taken); a number that is not a later note is text.
func pieces(text string, last *int, notes map[int]*note) []piece {
	var marks []noteMark
	for _, loc := range markRe.FindAllStringSubmatchIndex(text, -1) {
		n, _ := strconv.Atoi(text[loc[2]:loc[3]])
		if n <= *last || n > *last+maxNoteGap || notes[n] == nil {
			continue
		}
		marks = append(marks, noteMark{loc[2], loc[3], n})
		*last = n
	}
	var out []piece
	start, mi := 0, 0
	sentStart := 0
	first := true
	emit := func(end, n, next int) {
		t := strings.TrimSpace(text[start:end])
		if t != "" {
			out = append(out, piece{text: t, note: n, first: first})
			first = false
		}
		start = next
	}
	for i := 0; i < len(text); i++ {
		if mi < len(marks) && i == marks[mi].start {
			emit(i, marks[mi].n, marks[mi].end)
			i = marks[mi].end - 1
			mi++
			continue
		}
		// A sentence ends at a full stop (after any note mark) followed by
		// a capital.
		if text[i] == '.' && sentenceEnd(text, i) {
			emit(i+1, 0, i+1)
			j := skipMarks(text, i+1, marks, &mi, &out)
			start, i = j, j-1
			setSentence(out, text, sentStart, j)
			sentStart, first = j, true
		}
	}
	emit(len(text), 0, len(text))
	setSentence(out, text, sentStart, len(text))
	return out
}

// noteMark is a note number in the text: text[start:end] is the number.
type noteMark struct{ start, end, n int }

// skipMarks gives the note marks right after a full stop to the piece that
// the full stop ended.
func skipMarks(text string, j int, marks []noteMark, mi *int, out *[]piece) int {
	for *mi < len(marks) && marks[*mi].start == j && len(*out) > 0 {
		p := &(*out)[len(*out)-1]
		if p.note == 0 {
			p.note = marks[*mi].n
		}
		j = marks[*mi].end
		*mi++
	}
	return j
}

func sentenceEnd(text string, i int) bool {
	j := i + 1
	for j < len(text) && text[j] >= '0' && text[j] <= '9' {
		j++
	}
	if j >= len(text) || text[j] != ' ' {
		return j >= len(text)
	}
	for j < len(text) && text[j] == ' ' {
		j++
	}
	if j >= len(text) {
		return true
	}
	c := text[j]
	if !(c >= 'A' && c <= 'Z') && c != '"' && !strings.HasPrefix(text[j:], "“") {
		return false
	}
	// "No. 189", "para. 3", "Mr. Smith" do not end sentences.
	w := text[:i]
	if k := strings.LastIndexAny(w, " (\n"); k >= 0 {
		w = w[k+1:]
	}
	switch w {
	case "No", "Nos", "para", "paras", "p", "pp", "art", "arts", "Mr", "Ms", "Mrs", "Dr", "St", "i.e", "e.g", "Corr":
		return false
	}
	return true
}

// setSentence records the sentence, as printed with its note numbers, on
// its pieces.
func setSentence(out []piece, text string, from, to int) {
	s := strings.TrimSpace(text[from:to])
	for i := len(out) - 1; i >= 0 && out[i].sentence == ""; i-- {
		out[i].sentence = s
	}
}
