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
	for i, r := range c.Reports {
		at := fmt.Sprintf("[[reports]] #%d", i+1)
		allowed := pipeline.ReportFormats(r.Kind)
		if allowed == nil {
			return fmt.Errorf("%s kind: %q is neither gaps nor clusters", at, r.Kind)
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
