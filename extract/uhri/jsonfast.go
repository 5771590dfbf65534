package uhri

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The export is one JSON array of flat records whose values are strings
// without escapes, lists of such strings, numbers and nulls. encoding/json
// reads it twice over (the decoder scans each record to find its end, the
// unmarshaller validates it again before decoding by reflection); these
// two readers take that common shape in one pass each and leave anything
// else to encoding/json, so that what a record decodes to, and every error
// message, stays encoding/json's.

// splitArray cuts a top-level JSON array into its elements' bytes. ok is
// false when data is not an array whose elements are separated as JSON
// says; an element's own syntax is checked when it is decoded (a
// *json.SyntaxError). Bytes after the closing bracket are not read, as the
// streaming decoder does not read them.
func splitArray(data []byte) (elems [][]byte, ok bool) {
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '[' {
		return nil, false
	}
	i = skipWS(data, i+1)
	if i < len(data) && data[i] == ']' {
		return nil, true
	}
	for {
		end, ok := valueEnd(data, i)
		if !ok {
			return nil, false
		}
		elems = append(elems, data[i:end])
		i = skipWS(data, end)
		if i >= len(data) {
			return nil, false
		}
		switch data[i] {
		case ',':
			i = skipWS(data, i+1)
		case ']':
			return elems, true
		default:
			return nil, false
		}
	}
}

func isWS(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipWS(b []byte, i int) int {
	for i < len(b) && isWS(b[i]) {
		i++
	}
	return i
}

// valueEnd returns the end of the JSON value starting at b[i], found by its
// brackets and quotes alone.
func valueEnd(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				if j = stringEnd(b, j); j < 0 {
					return 0, false
				}
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1, true
				}
			}
		}
		return 0, false
	case '"':
		j := stringEnd(b, i)
		return j + 1, j >= 0
	case ',', ']', '}', ':':
		return 0, false
	}
	j := i
	for j < len(b) && !isWS(b[j]) && b[j] != ',' && b[j] != ']' && b[j] != '}' {
		j++
	}
	return j, true
}

// stringEnd returns the index of the quote closing the string that opens
// at b[i], or -1.
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		bs := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			bs++
		}
		if bs%2 == 0 {
			return q
		}
		j = q + 1
	}
	return -1
}

// plainReader reads one record of the export's common shape.
type plainReader struct {
	b []byte
	i int
}

// decodePlainRecord decodes raw into r as json.Unmarshal would, when raw
// is a record of the common shape: an object whose keys are the fields'
// names exactly, with values of the types each field takes (strings with no
// escape, lists of such strings, numbers, null), or other keys with such
// values or true or false. It returns false for anything else (r is then
// partly filled), which encoding/json decodes or rejects.
func decodePlainRecord(raw []byte, r *jsonRecord) bool {
	p := plainReader{b: raw}
	if !p.byte('{') {
		return false
	}
	if p.peek() == '}' {
		p.i++
		return p.end()
	}
	for {
		key, ok := p.str()
		if !ok || !p.byte(':') {
			return false
		}
		switch string(key) {
		case "AnnotationId":
			ok = p.flexString(&r.AnnotationID)
		case "Text":
			ok = p.text(&r.Text)
		case "Symbol":
			ok = p.flexString(&r.Symbol)
		case "DocumentId":
			ok = p.flexString(&r.DocumentID)
		case "Body":
			ok = p.flexList(&r.Body)
		case "AnnotationType":
			ok = p.flexString(&r.AnnotationType)
		case "Countries":
			ok = p.flexList(&r.Countries)
		case "Regions":
			ok = p.flexList(&r.Regions)
		case "Themes":
			ok = p.flexList(&r.Themes)
		case "Sdgs":
			ok = p.flexList(&r.Sdgs)
		case "AffectedPersons":
			ok = p.flexList(&r.AffectedPersons)
		case "PublicationDate":
			ok = p.flexString(&r.PublicationDate)
		case "UprCycle":
			ok = p.flexString(&r.UprCycle)
		case "UprSession":
			ok = p.flexString(&r.UprSession)
		case "UprPositions":
			ok = p.flexList(&r.UprPositions)
		case "UprRecommendingCountry":
			ok = p.flexList(&r.UprRecommendingCountry)
		default:
			// Another key is ignored, as encoding/json ignores it, unless
			// it names a field in another case, which encoding/json
			// matches to the field.
			ok = !namesField(key) && p.skip()
		}
		if !ok {
			return false
		}
		switch p.peek() {
		case ',':
			p.i++
		case '}':
			p.i++
			return p.end()
		default:
			return false
		}
	}
}

// recordKeys are the keys of jsonRecord's fields.
var recordKeys = []string{"AnnotationId", "Text", "Symbol", "DocumentId", "Body", "AnnotationType", "Countries", "Regions",
	"Themes", "Sdgs", "AffectedPersons", "PublicationDate", "UprCycle", "UprSession", "UprPositions", "UprRecommendingCountry"}

// namesField tells whether encoding/json could match key to a field: any
// key that is not plain ASCII is taken as one, to be safe.
func namesField(key []byte) bool {
	for _, c := range key {
		if c >= 0x80 {
			return true
		}
	}
	for _, f := range recordKeys {
		if bytes.EqualFold(key, []byte(f)) {
			return true
		}
	}
	return false
}

// skip reads a value of a key no field takes: a plain string, a number,
// true, false, null or a list of those.
func (p *plainReader) skip() bool {
	if p.peek() != '[' {
		return p.scalar()
	}
	p.i++
	if p.peek() == ']' {
		p.i++
		return true
	}
	for {
		if !p.scalar() {
			return false
		}
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return true
		default:
			return false
		}
	}
}

// scalar reads a plain string, a number, true, false or null.
func (p *plainReader) scalar() bool {
	switch c := p.peek(); {
	case c == '"':
		_, ok := p.str()
		return ok
	case c == '-' || c >= '0' && c <= '9':
		_, ok := p.number()
		return ok
	}
	for _, lit := range []string{"null", "true", "false"} {
		if bytes.HasPrefix(p.b[p.i:], []byte(lit)) {
			p.i += len(lit)
			return true
		}
	}
	return false
}

// peek returns the next byte after white space, or 0 at the end.
func (p *plainReader) peek() byte {
	p.i = skipWS(p.b, p.i)
	if p.i >= len(p.b) {
		return 0
	}
	return p.b[p.i]
}

// byte consumes c, after white space.
func (p *plainReader) byte(c byte) bool {
	if p.peek() != c {
		return false
	}
	p.i++
	return true
}

func (p *plainReader) end() bool { return skipWS(p.b, p.i) == len(p.b) }

func (p *plainReader) null() bool {
	if bytes.HasPrefix(p.b[p.i:], []byte("null")) {
		p.i += 4
		return true
	}
	return false
}

// str reads a string with no escape, no control character and valid
// UTF-8, and returns its content.
func (p *plainReader) str() ([]byte, bool) {
	if p.peek() != '"' {
		return nil, false
	}
	start := p.i + 1
	k := bytes.IndexByte(p.b[start:], '"')
	if k < 0 {
		return nil, false
	}
	s := p.b[start : start+k]
	ascii := true
	for _, c := range s {
		if c < 0x20 || c == '\\' {
			return nil, false
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(s) {
		return nil, false
	}
	p.i = start + k + 1
	return s, true
}

// strs reads a list of strings str takes.
func (p *plainReader) strs() ([]string, bool) {
	if !p.byte('[') {
		return nil, false
	}
	var items []string
	if p.peek() == ']' {
		p.i++
		return items, true
	}
	for {
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		items = append(items, string(s))
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return items, true
		default:
			return nil, false
		}
	}
}

// number reads a JSON number and returns its text.
func (p *plainReader) number() ([]byte, bool) {
	b, i := p.b, p.i
	digits := func() bool {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return nil, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return nil, false
		}
	}
	num := b[p.i:i]
	p.i = i
	return num, true
}

// text reads Text: a string, or null (no text).
func (p *plainReader) text(dst **string) bool {
	switch p.peek() {
	case 'n':
		*dst = nil
		return p.null()
	case '"':
		s, ok := p.str()
		if ok {
			t := string(s)
			*dst = &t
		}
		return ok
	}
	return false
}

// flexString reads what flexString.UnmarshalJSON takes, as it does.
func (p *plainReader) flexString(dst *flexString) bool {
	switch c := p.peek(); {
	case c == 'n':
		*dst = ""
		return p.null()
	case c == '"':
		s, ok := p.str()
		*dst = flexString(s)
		return ok
	case c == '[':
		items, ok := p.strs()
		*dst = ""
		if len(items) > 0 {
			*dst = flexString(items[0])
		}
		return ok
	case c == '-' || c >= '0' && c <= '9':
		num, ok := p.number()
		*dst = flexString(num)
		return ok
	}
	return false
}

// flexList reads what flexList.UnmarshalJSON takes, as it does.
func (p *plainReader) flexList(dst *flexList) bool {
	switch p.peek() {
	case 'n':
		*dst = nil
		return p.null()
	case '"':
		s, ok := p.str()
		*dst = splitList(string(s))
		return ok
	case '[':
		items, ok := p.strs()
		for i, it := range items {
			items[i] = strings.TrimSpace(it)
		}
		*dst = items
		return ok
	}
	return false
}
