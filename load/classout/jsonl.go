package classout

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// appendRecord appends r as one line of JSON, byte for byte what
// encoding/json's Encoder with SetEscapeHTML(false) writes of it (fields in
// struct order, empty lists left out, the line end included), without
// reflection.
func appendRecord(b []byte, r *record) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendString(b, r.ID)
	var err error
	for _, f := range []struct {
		name string
		ss   []scored
	}{{"issues", r.Issues}, {"uhri_themes", r.UHRIThemes}, {"sdg_goals", r.SDGGoals}, {"sdg_targets", r.SDGTargets}} {
		if len(f.ss) == 0 {
			continue
		}
		b = append(b, ',', '"')
		b = append(b, f.name...)
		b = append(b, '"', ':', '[')
		for i := range f.ss {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendScored(b, &f.ss[i]); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	b = appendStrings(b, "unclassified", r.Unclassified)
	b = appendStrings(b, "flags", r.Flags)
	return append(b, '}', '\n'), nil
}

func appendScored(b []byte, s *scored) ([]byte, error) {
	b = append(b, `{"label":`...)
	b = appendString(b, s.Label)
	b = append(b, `,"score":`...)
	b, err := appendFloat(b, s.Score)
	if err != nil {
		return b, err
	}
	b = appendStrings(b, "evidence", s.Evidence)
	if s.Extra {
		b = append(b, `,"extra":true`...)
	}
	return append(b, '}'), nil
}

// appendStrings appends ,"name":[...] unless ss is empty (omitempty).
func appendStrings(b []byte, name string, ss []string) []byte {
	if len(ss) == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':', '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendFloat formats f as encoding/json does: the shortest decimal that
// reads back as f, in exponent form below 1e-6 and from 1e21; NaN and the
// infinities are an error, as there.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s quoted as encoding/json does without HTML
// escaping: quote, backslash and control characters escaped (\b \f \n \r \t
// in short form), U+2028 and U+2029 escaped, each byte of invalid UTF-8
// written as \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
