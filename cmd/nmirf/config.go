package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/nmirf/nmirf/extract/formats"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/load/report"
	"github.com/nmirf/nmirf/load/site"
	"github.com/nmirf/nmirf/models"
	"github.com/nmirf/nmirf/pipeline"
)

// config is the batch job's configuration file (nmirf.toml). Values
// resolve in this order: the embedded default config (when no file is
// given), the file, NMIRF_* environment variables, then flags.
type config struct {
	Warehouse string `toml:"warehouse" json:"warehouse"`
	Ingest    struct {
		Paths     []string `toml:"paths" json:"paths"`
		Exclude   []string `toml:"exclude" json:"exclude,omitempty"` // globs of files under paths not to read
		Sample    bool     `toml:"sample" json:"sample"`             // the sample embedded in the binary
		Format    string   `toml:"format" json:"format"`
		Mapping   string   `toml:"mapping" json:"mapping"`
		Country   string   `toml:"country" json:"country"`
		KeepGoing bool     `toml:"keep_going" json:"keep_going"`
	} `toml:"ingest" json:"ingest"`
	Fetch    fetchConfig `toml:"fetch" json:"fetch"`
	Classify struct {
		Models []string `toml:"models" json:"models"`
		All    bool     `toml:"all" json:"all"`
		Skip   bool     `toml:"skip" json:"skip"`
	} `toml:"classify" json:"classify"`
	Cluster struct {
		Threshold float64 `toml:"threshold" json:"threshold"`
	} `toml:"cluster" json:"cluster"`
	Indicators struct {
		Paths   []string `toml:"paths" json:"paths"`
		Exclude []string `toml:"exclude" json:"exclude,omitempty"`
		Country string   `toml:"country" json:"country"`
		Sample  bool     `toml:"sample" json:"sample"`
	} `toml:"indicators" json:"indicators"`
	Followup struct {
		Responsibility string   `toml:"responsibility" json:"responsibility"` // mapping file; "": the embedded default
		Paths          []string `toml:"paths" json:"paths"`                   // returned workbooks and other follow-up files
		Sample         bool     `toml:"sample" json:"sample"`                 // the filled workbook embedded in the binary
	} `toml:"followup" json:"followup"`
	Reports []struct {
		Kind       string   `toml:"kind" json:"kind"`
		Countries  []string `toml:"countries" json:"countries"`
		Formats    []string `toml:"formats" json:"formats"`
		Out        string   `toml:"out" json:"out"` // relative: under the warehouse
		StaleYears int      `toml:"stale_years" json:"stale_years"`
	} `toml:"reports" json:"reports"`
	Site siteConfig `toml:"site" json:"site"`
	// Stage holds the [stage.NAME] sections of stages that have no section
	// of their own (see stageSettings); Stages is what they decoded to, as
	// the run's manifest records it.
	Stage  map[string]toml.Primitive `toml:"stage" json:"-"`
	Stages map[string]any            `toml:"-" json:"stages,omitempty"`
}

// siteConfig is the [site] section: the public static site that `nmirf
// run` writes after publishing, and the defaults of `nmirf report site`.
// Its values are checked as they are decoded, so that an error names the
// line.
type siteConfig struct {
	Country      siteCountry `toml:"country" json:"country,omitempty"`
	Languages    []siteLang  `toml:"languages" json:"languages,omitempty"`
	Out          string      `toml:"out" json:"out,omitempty"` // relative: under the warehouse
	Title        string      `toml:"title" json:"title,omitempty"`
	HideEntities []string    `toml:"hide_entities" json:"hide_entities,omitempty"`
	HideFields   []siteField `toml:"hide_fields" json:"hide_fields,omitempty"`
}

// siteCountry is a country name or code, kept as its ISO3 code.
type siteCountry string

func (c *siteCountry) UnmarshalText(b []byte) error {
	iso, ok := norm.Country(string(b))
	if !ok {
		return fmt.Errorf("unknown country %q", b)
	}
	*c = siteCountry(iso)
	return nil
}

// siteLang is an interface language of the site.
type siteLang string

func (l *siteLang) UnmarshalText(b []byte) error {
	if !slices.Contains(site.Languages(), string(b)) {
		return fmt.Errorf("no interface strings for language %q (%s)", b, strings.Join(site.Languages(), ", "))
	}
	*l = siteLang(b)
	return nil
}

// siteField is a field the site never publishes.
type siteField string

func (f *siteField) UnmarshalText(b []byte) error {
	if !slices.Contains(site.HideableFields, string(b)) {
		return fmt.Errorf("%q is not a field that can be hidden (%s)", b, strings.Join(site.HideableFields, ", "))
	}
	*f = siteField(b)
	return nil
}

// options are the site's options from the section; out is resolved under
// the warehouse when relative, WAREHOUSE/site when empty.
func (s siteConfig) options(warehouse string) pipeline.SiteOptions {
	o := pipeline.SiteOptions{Country: string(s.Country), Out: s.Out, Title: s.Title, HideEntities: s.HideEntities}
	for _, l := range s.Languages {
		o.Langs = append(o.Langs, string(l))
	}
	for _, f := range s.HideFields {
		o.HideFields = append(o.HideFields, string(f))
	}
	if o.Out == "" {
		o.Out = "site"
	}
	if !filepath.IsAbs(o.Out) {
		o.Out = filepath.Join(warehouse, o.Out)
	}
	return o
}

//go:embed default.toml
var defaultConfig []byte

// loadConfig reads the config file, or the embedded default when path is "".
// Every error is a usage error naming the file and the key at fault, as
// "nmirf.toml: [ingest] keep_going: expected a boolean (true or false)".
func loadConfig(path string) (*config, error) {
	data, name := defaultConfig, "embedded default config"
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, models.UsageError("read config %s: %v", path, err)
		}
		data, name = b, path
	}
	var c config
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&c)
	if err != nil {
		return nil, models.UsageError("%s", tomlError(name, err))
	}
	if err := c.decodeStages(md); err != nil {
		return nil, models.UsageError("%s: %v", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, models.UsageError("%s: %s: unknown setting", name, keyName(und[0].String()))
	}
	if err := c.check(); err != nil {
		return nil, models.UsageError("%s: %v", name, err)
	}
	return &c, nil
}

// check validates the values the decoder cannot: ranges, names, globs.
func (c *config) check() error {
	if f := c.Ingest.Format; f != "" && f != "auto" && !slices.Contains(formats.Names(), f) {
		return fmt.Errorf("[ingest] format: unknown format %q (auto, %s)", f, strings.Join(formats.Names(), ", "))
	}
	if c.Ingest.Country != "" {
		if _, ok := norm.Country(c.Ingest.Country); !ok {
			return fmt.Errorf("[ingest] country: unknown country %q", c.Ingest.Country)
		}
	}
	if c.Indicators.Country != "" {
		if _, ok := norm.Country(c.Indicators.Country); !ok {
			return fmt.Errorf("[indicators] country: unknown country %q", c.Indicators.Country)
		}
	}
	for _, ex := range []struct {
		key   string
		globs []string
	}{{"[ingest] exclude", c.Ingest.Exclude}, {"[indicators] exclude", c.Indicators.Exclude}} {
		for _, g := range ex.globs {
			if _, err := filepath.Match(g, ""); err != nil || g == "" {
				return fmt.Errorf("%s: %q is not a glob pattern", ex.key, g)
			}
		}
	}
	// Files the job needs are looked for now, so a typo is named with its
	// key before any work starts.
	for _, f := range []struct{ key, path string }{{"[ingest] mapping", c.Ingest.Mapping}} {
		if f.path != "" {
			if _, err := os.Stat(f.path); err != nil {
				return fmt.Errorf("%s: %s: %v", f.key, f.path, statReason(err))
			}
		}
	}
	for _, m := range c.Classify.Models {
		if _, err := os.Stat(m); err != nil {
			return fmt.Errorf("[classify] models: %s: %v", m, statReason(err))
		}
	}
	if t := c.Cluster.Threshold; t < 0 || t > 1 {
		return fmt.Errorf("[cluster] threshold: must be between 0 and 1 (0: the default), not %g", t)
	}
	if c.Fetch.DelaySeconds < 0 {
		return fmt.Errorf("[fetch] delay_seconds: must be 0 or more, not %g", c.Fetch.DelaySeconds)
	}
	if c.Fetch.CacheHours < 0 {
		return fmt.Errorf("[fetch] cache_hours: must be 0 or more, not %g", c.Fetch.CacheHours)
	}
	if st := c.Site; st.Country == "" && (len(st.Languages) > 0 || st.Out != "" || st.Title != "" || len(st.HideEntities) > 0 || len(st.HideFields) > 0) {
		return errors.New("[site] country: missing; the section needs the country whose site to write")
	}
	for _, e := range c.Site.HideEntities {
		if strings.TrimSpace(e) == "" {
			return errors.New("[site] hide_entities: an empty entity code")
		}
	}
	for i, r := range c.Reports {
		at := fmt.Sprintf("[[reports]] #%d", i+1)
		allowed := pipeline.ReportFormats(r.Kind)
		if allowed == nil {
			return fmt.Errorf("%s kind: %q is not a report kind (%s)", at, r.Kind, strings.Join(report.KindNames(), ", "))
		}
		for _, f := range r.Formats {
			if !slices.Contains(allowed, f) {
				return fmt.Errorf("%s formats: a %s report has no format %q (%s)", at, r.Kind, f, strings.Join(allowed, ", "))
			}
		}
		for _, n := range r.Countries {
			if _, ok := norm.Country(n); !ok {
				return fmt.Errorf("%s countries: unknown country %q", at, n)
			}
		}
		if r.StaleYears < 0 {
			return fmt.Errorf("%s stale_years: must be 0 or more (0: the default), not %d", at, r.StaleYears)
		}
	}
	return nil
}

// typeErrorRe matches the decoder's message for a value of the wrong type,
// which it returns as plain text.
var typeErrorRe = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]+)"\): incompatible types: TOML value has type ([^;]+); destination has type (.+)$`)

// tomlError rewrites a decoder error as "FILE: line N: [table] key: what".
func tomlError(name string, err error) string {
	if m := typeErrorRe.FindStringSubmatch(err.Error()); m != nil {
		want := map[string]string{"boolean": "a boolean (true or false)", "string": "a string in quotes", "integer": "a whole number",
			"float": "a number", "slice": "a list, like [\"a\", \"b\"]", "array": "a list", "struct": "a table"}[m[4]]
		if want == "" {
			want = m[4]
		}
		return fmt.Sprintf("%s: line %s: %s: expected %s", name, m[1], keyName(m[2]), want)
	}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		if pe.LastKey != "" {
			return fmt.Sprintf("%s: line %d: %s: %s", name, pe.Position.Line, keyName(pe.LastKey), pe.Message)
		}
		return fmt.Sprintf("%s: line %d: %s", name, pe.Position.Line, pe.Message)
	}
	return fmt.Sprintf("%s: %v", name, strings.TrimPrefix(err.Error(), "toml: "))
}

// keyName writes a dotted key as it reads in the file: "ingest.keep_going"
// is "[ingest] keep_going", "reports.kind" is "[[reports]] kind",
// "fetch.treaty_bodies.base" is "[fetch.treaty_bodies] base".
func keyName(dotted string) string {
	i := strings.LastIndex(dotted, ".")
	if i < 0 {
		return dotted
	}
	table, key := dotted[:i], dotted[i+1:]
	if table == "reports" {
		return "[[reports]] " + key
	}
	return "[" + table + "] " + key
}

// statReason is the reason of a failed os.Stat without the repeated path.
func statReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
