package norm

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// UPRCycle returns the UPR cycle a Working Group session belongs to, 0 for
// an unknown session. Cycle 1 had 12 sessions, later cycles 14.
func UPRCycle(session int) int {
	switch {
	case session <= 0:
		return 0
	case session <= 12:
		return 1
	}
	// From the second cycle on, each cycle has 14 Working Group sessions
	// (13–26, 27–40, 41–54, 55–68, …).
	return 2 + (session-13)/14
}

// maxExcelSerial is 9999-12-31, the last day Excel can show.
const maxExcelSerial = 2958465

// ExcelDate turns an Excel 1900-system serial ("41944", "41944.5") into
// "YYYY-MM-DD", dropping the time of day. Excel counts 1900-02-29, a day that
// never was, so serials from 61 on are one day ahead of a plain count and
// serial 60 is refused.
func ExcelDate(serial string) (string, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(serial), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("read Excel date %q: not a number", serial)
	}
	day := int(math.Floor(f))
	switch {
	case day < 1 || day > maxExcelSerial:
		return "", fmt.Errorf("read Excel date %q: serial outside 1 to %d", serial, maxExcelSerial)
	case day == 60:
		return "", fmt.Errorf("read Excel date %q: serial 60 is Excel's 1900-02-29, which did not exist", serial)
	case day < 60:
		day++ // before the phantom leap day a plain count from 1899-12-31 holds
	}
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day).Format(time.DateOnly), nil
}

var months = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
	"nov": 11, "november": 11, "dec": 12, "december": 12,
	// French and Spanish, as UN documents in those languages date them
	// ("4 janvier 2011", "1er mars 2011", "4 de enero de 2011").
	"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
	"juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
	"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
	"septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}

// Date reads a date as sources write it and returns "YYYY-MM-DD": ISO dates
// with or without a time ("2014-10-31", "2024-07-19T00:00:00Z"), day-month
// names ("19 Jul 2024", "20 JULY 2009", "July 20, 2009"), numeric dates with
// the day first ("31/10/2014", "31.10.2014") and Excel serials. An empty
// value is no date and gives "" without error. A bare year is refused: it
// is not a day, and as an Excel serial it would be a day in 1905.
func Date(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	d, err := parseDate(s)
	if err != nil {
		return "", fmt.Errorf("read date %q: %w", raw, err)
	}
	return d, nil
}

func parseDate(s string) (string, error) {
	// ISO date, possibly followed by a time and zone, kept as written.
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' && (len(s) == 10 || s[10] == 'T' || s[10] == ' ') {
		t, err := time.Parse(time.DateOnly, s[:10])
		if err != nil {
			return "", errors.New("not a valid ISO date")
		}
		return t.Format(time.DateOnly), nil
	}
	if isNumber(s) {
		if strings.IndexByte(s, '.') < 0 && len(s) == 8 {
			// 20141031: too large for an Excel serial, read as YYYYMMDD.
			y, _ := strconv.Atoi(s[:4])
			m, _ := strconv.Atoi(s[4:6])
			d, _ := strconv.Atoi(s[6:])
			return ymd(y, m, d)
		}
		if f, _ := strconv.ParseFloat(s, 64); f < 10000 {
			return "", errors.New("a bare number below 10000 is a year or a count, not an Excel date serial")
		}
		return ExcelDate(s)
	}
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == ',' || r == '/' || r == '-' || r == '.'
	})
	if len(parts) == 5 && strings.EqualFold(parts[1], "de") && strings.EqualFold(parts[3], "de") {
		parts = []string{parts[0], parts[2], parts[4]} // 4 de enero de 2011
	}
	if len(parts) == 3 && strings.HasSuffix(parts[0], "er") {
		parts[0] = strings.TrimSuffix(parts[0], "er") // 1er mars 2011
	}
	if len(parts) != 3 {
		return "", errors.New("not a date in a known format")
	}
	a, b, c := parts[0], parts[1], parts[2]
	if m, ok := months[strings.ToLower(b)]; ok { // 19 Jul 2024
		return ymdText(c, int(m), a)
	}
	if m, ok := months[strings.ToLower(a)]; ok { // July 19, 2024
		return ymdText(c, int(m), b)
	}
	if len(a) == 4 { // 2014/10/31
		mm, err := strconv.Atoi(b)
		if err != nil {
			return "", errors.New("not a date in a known format")
		}
		return ymdText(a, mm, c)
	}
	mm, err := strconv.Atoi(b) // 31/10/2014, day first as outside the US
	if err != nil {
		return "", errors.New("not a date in a known format")
	}
	return ymdText(c, mm, a)
}

func ymdText(year string, month int, day string) (string, error) {
	y, err1 := strconv.Atoi(year)
	d, err2 := strconv.Atoi(day)
	if err1 != nil || err2 != nil || len(year) != 4 {
		return "", errors.New("not a date in a known format")
	}
	return ymd(y, month, d)
}

func ymd(y, m, d int) (string, error) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1900 || y > 2200 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", fmt.Errorf("no such day %04d-%02d-%02d", y, m, d)
	}
	return t.Format(time.DateOnly), nil
}

func isNumber(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
		case s[i] == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return true
}
