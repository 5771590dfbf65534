package site

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// The interface strings, one file per language: a new language is a new
// messages/LANG.json with the keys of en.json.
//
//go:embed messages/*.json
var messageFiles embed.FS

// catalogue is one language's interface strings.
type catalogue struct {
	lang string
	msg  map[string]string
	// SDG titles in this language, keyed "1", "1.1", "1.1.1"; empty for
	// English, whose titles come from the warehouse.
	sdg map[string]string
	// UHRI theme names in this language, keyed by the English name; empty
	// when no official translation is known.
	themes map[string]string
}

// Languages lists the languages that have a message catalogue.
func Languages() []string {
	ents, _ := messageFiles.ReadDir("messages")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}

func loadCatalogue(lang string, sdg fs.FS) (*catalogue, error) {
	b, err := messageFiles.ReadFile("messages/" + lang + ".json")
	if err != nil {
		return nil, fmt.Errorf("no interface strings for language %q (have %s)", lang, strings.Join(Languages(), ", "))
	}
	c := &catalogue{lang: lang, msg: map[string]string{}, sdg: map[string]string{}, themes: map[string]string{}}
	if err := json.Unmarshal(b, &c.msg); err != nil {
		return nil, fmt.Errorf("read messages/%s.json: %w", lang, err)
	}
	if lang != "en" {
		en, _ := messageFiles.ReadFile("messages/en.json")
		var base map[string]string
		json.Unmarshal(en, &base)
		for k := range base {
			if _, ok := c.msg[k]; !ok {
				return nil, fmt.Errorf("messages/%s.json lacks %q", lang, k)
			}
		}
	}
	if lang == "en" || sdg == nil {
		return c, nil
	}
	for _, kind := range []string{"goals", "targets", "indicators"} {
		name := "global_" + kind + "." + lang + ".yml"
		b, err := fs.ReadFile(sdg, name)
		if err != nil {
			continue // titles stay in English, marked as such
		}
		var m map[string]string
		if err := yaml.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("read %s: %w", path.Join("sdg", name), err)
		}
		for k, v := range m {
			code, ok := strings.CutSuffix(k, "-title")
			if !ok {
				continue
			}
			// Some titles are stored decomposed (e + U+0300); pages carry NFC.
			c.sdg[strings.ReplaceAll(code, "-", ".")] = norm.NFC.String(strings.Join(strings.Fields(v), " "))
		}
	}
	return c, nil
}

// T returns the string of key with {0}, {1}… replaced by args.
func (c *catalogue) T(key string, args ...any) string {
	s, ok := c.msg[key]
	if !ok {
		s = key
	}
	for i, a := range args {
		s = strings.ReplaceAll(s, fmt.Sprintf("{%d}", i), fmt.Sprint(a))
	}
	return s
}

// sdgTitle is the title of an SDG code in the catalogue's language, with
// the language it is actually in.
func (c *catalogue) sdgTitle(code, english string) Text {
	if t, ok := c.sdg[code]; ok && c.lang != "en" {
		return Text{S: t}
	}
	return c.english(english)
}

// english marks text that has no translation.
func (c *catalogue) english(s string) Text {
	if c.lang == "en" {
		return Text{S: s}
	}
	return Text{S: s, Lang: "en"}
}
