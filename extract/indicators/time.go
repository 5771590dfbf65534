package indicators

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Time is a published time period reduced to whole years, with what is
// finer than a year kept in Period.
type Time struct {
	Start, End int
	Period     string // "", "Q1", "M03", "FY", a footnote letter, or a date range's text
}

var (
	// Notes publishers append to a period: "[Note 1]", "(baseline)", "*".
	timeNoteRe  = regexp.MustCompile(`\s*(\[[^\]]*\]|\([^)]*\)|\*+)\s*`)
	yearRe      = regexp.MustCompile(`^(\d{4})(?:\.0+)?$`)
	yearLetter  = regexp.MustCompile(`^(\d{4})([a-z])$`)
	yearPairRe  = regexp.MustCompile(`^(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$`)
	fiscalRe    = regexp.MustCompile(`^(?i:FY)\s*(\d{4}(?:\s*[/\-–]\s*(?:\d{2}|\d{4}))?)$`)
	quarterRe   = regexp.MustCompile(`^(?:(\d{4})\s*-?\s*Q([1-4])|Q([1-4])\s*(\d{4}))$`)
	monthRe     = regexp.MustCompile(`^(\d{4})(?:\s+|-)(\d{2})$`)
	rangeSepRe  = regexp.MustCompile(`^(.+?)\s+(?:to|–|-)\s+(.+)$|^(\d{4}/\d{2,4})-(\d{4}/\d{2,4})$`)
	fourDigitRe = regexp.MustCompile(`\b(\d{4})\b`)
	monthNameRe = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b`)
)

// ParseTime reads the year strings statistics offices publish: "2019",
// "2019.0", "2019/20" and "2019-20" (2019–2020), "2019/2020", "2015 to 2017",
// "2019/20 to 2020/21", "2019 [Note 1]", "2015-2017 (baseline)", "2021-2022*",
// "2020 Q1", "Q1 2020", "1993 01" (a month), "FY2019", "1974a" (UK elections
// held twice in a year), and day ranges such as "17 May to 11 June 2023".
func ParseTime(raw string) (Time, error) {
	s := strings.TrimSpace(timeNoteRe.ReplaceAllString(raw, " "))
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return Time{}, fmt.Errorf("time %q is empty", raw)
	}
	t, ok := parseSpan(s)
	if !ok {
		t, ok = parseRange(s)
	}
	if !ok {
		return Time{}, fmt.Errorf("time %q is not a year or year range", raw)
	}
	if t.Start < 1900 || t.End > 2100 || t.End < t.Start {
		return Time{}, fmt.Errorf("time %q gives years %d–%d, out of range", raw, t.Start, t.End)
	}
	return t, nil
}

// parseSpan reads one period: a year, a pair of years, a quarter or month.
func parseSpan(s string) (Time, bool) {
	if m := yearRe.FindStringSubmatch(s); m != nil {
		y := atoi(m[1])
		return Time{Start: y, End: y}, true
	}
	if m := yearLetter.FindStringSubmatch(s); m != nil {
		y := atoi(m[1])
		return Time{Start: y, End: y, Period: m[2]}, true
	}
	if m := fiscalRe.FindStringSubmatch(s); m != nil {
		t, ok := parseSpan(m[1])
		t.Period = "FY"
		return t, ok
	}
	if m := quarterRe.FindStringSubmatch(s); m != nil {
		y, q := m[1], m[2]
		if y == "" {
			y, q = m[4], m[3]
		}
		return Time{Start: atoi(y), End: atoi(y), Period: "Q" + q}, true
	}
	if m := yearPairRe.FindStringSubmatch(s); m != nil {
		a, b := atoi(m[1]), atoi(m[2])
		if len(m[2]) == 2 {
			// "2019/20", "1999/00"; but "2019-03" is March when 03 cannot follow 19.
			next := a/100*100 + b
			if next < a {
				next += 100
			}
			if next != a+1 && strings.Contains(s, "-") && b >= 1 && b <= 12 {
				return Time{Start: a, End: a, Period: fmt.Sprintf("M%02d", b)}, true
			}
			b = next
		}
		return Time{Start: a, End: b}, true
	}
	if m := monthRe.FindStringSubmatch(s); m != nil {
		if mo := atoi(m[2]); mo >= 1 && mo <= 12 {
			y := atoi(m[1])
			return Time{Start: y, End: y, Period: fmt.Sprintf("M%02d", mo)}, true
		}
	}
	return Time{}, false
}

// parseRange reads "A to B" where A and B are spans, and date ranges whose
// only numbers besides days are years ("17 May to 11 June 2023").
func parseRange(s string) (Time, bool) {
	if m := rangeSepRe.FindStringSubmatch(s); m != nil {
		a, b := m[1], m[2]
		if a == "" {
			a, b = m[3], m[4]
		}
		ta, okA := parseSpan(a)
		tb, okB := parseSpan(b)
		if okA && okB {
			return Time{Start: ta.Start, End: tb.End}, true
		}
	}
	if monthNameRe.MatchString(s) {
		ys := fourDigitRe.FindAllString(s, -1)
		rest := monthNameRe.ReplaceAllString(fourDigitRe.ReplaceAllString(s, ""), "")
		rest = strings.NewReplacer("to", "", "-", "", "–", "", ",", "").Replace(rest)
		if len(ys) == 0 || strings.Trim(rest, " 0123456789") != "" {
			return Time{}, false
		}
		t := Time{Start: atoi(ys[0]), End: atoi(ys[0]), Period: s}
		for _, y := range ys[1:] {
			t.Start, t.End = min(t.Start, atoi(y)), max(t.End, atoi(y))
		}
		return t, true
	}
	return Time{}, false
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
