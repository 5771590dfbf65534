package mapped

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// Mapping says how the columns of a table become recommendation fields.
type Mapping struct {
	Columns  Columns  `toml:"columns" yaml:"columns"`
	Defaults Defaults `toml:"defaults" yaml:"defaults"`
	Options  Options  `toml:"options" yaml:"options"`

	path string // where it was loaded from, for messages
}

// Columns names the column that holds each field; empty means none.
type Columns struct {
	Text               string            `toml:"text" yaml:"text"`
	Country            string            `toml:"country" yaml:"country"`
	Body               string            `toml:"body" yaml:"body"`
	Mechanism          string            `toml:"mechanism" yaml:"mechanism"`
	Date               string            `toml:"date" yaml:"date"`
	Symbol             string            `toml:"symbol" yaml:"symbol"`
	Paragraph          string            `toml:"paragraph" yaml:"paragraph"`
	Response           string            `toml:"response" yaml:"response"`
	RecommendingStates string            `toml:"recommending_states" yaml:"recommending_states"`
	Kind               string            `toml:"kind" yaml:"kind"`
	Session            string            `toml:"session" yaml:"session"`
	Heading            string            `toml:"heading" yaml:"heading"`
	ID                 string            `toml:"id" yaml:"id"`
	Labels             map[string]string `toml:"labels" yaml:"labels"` // scheme -> column
	// Followup names the columns of a tracking sheet that say who
	// implements a recommendation and how far it has come.
	Followup FollowupColumns `toml:"followup" yaml:"followup"`
}

// FollowupColumns are the columns of a tracking sheet's follow-up: the
// responsible entity (code or name), an action taken, the status (nmirf's
// vocabulary or assessment wording such as "partially implemented"), the
// text of the update, its date and an evidence link.
type FollowupColumns struct {
	Entity   string `toml:"entity" yaml:"entity"`
	Action   string `toml:"action" yaml:"action"`
	Status   string `toml:"status" yaml:"status"`
	Update   string `toml:"update" yaml:"update"`
	Date     string `toml:"date" yaml:"date"`
	Evidence string `toml:"evidence" yaml:"evidence"`
}

// Defaults are the values assumed where a row has none.
type Defaults struct {
	Country   string `toml:"country" yaml:"country"`
	Mechanism string `toml:"mechanism" yaml:"mechanism"`
	Body      string `toml:"body" yaml:"body"`
	Kind      string `toml:"kind" yaml:"kind"`
	Symbol    string `toml:"symbol" yaml:"symbol"`
	Date      string `toml:"date" yaml:"date"`
}

// Options shape how the table is read.
type Options struct {
	Sheet         string `toml:"sheet" yaml:"sheet"`
	ListSeparator string `toml:"list_separator" yaml:"list_separator"`
	HeaderRow     int    `toml:"header_row" yaml:"header_row"`
}

// LoadMapping reads and checks a mapping file.
func LoadMapping(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping %s: %w", path, err)
	}
	m, err := ParseMapping(path, data)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w", path, err)
	}
	m.path = path
	return m, nil
}

// ParseMapping parses a mapping in the language its file name's extension
// says, and checks it.
func ParseMapping(name string, data []byte) (*Mapping, error) {
	var m Mapping
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".toml":
		md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&m)
		if err != nil {
			return nil, fmt.Errorf("parse TOML: %w", err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			keys := make([]string, len(und))
			for i, k := range und {
				keys[i] = k.String()
			}
			sort.Strings(keys)
			return nil, fmt.Errorf("unknown key(s) %s", strings.Join(keys, ", "))
		}
	case ".yaml", ".yml":
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("parse YAML: %w", err)
		}
	default:
		return nil, fmt.Errorf("mapping file must be TOML (.toml) or YAML (.yaml, .yml), not %q", ext)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return &m, nil
}

var mechanisms = map[string]models.Mechanism{
	"UPR": models.MechanismUPR, "TB": models.MechanismTB, "SP": models.MechanismSP,
	"REGIONAL": models.MechanismRegional, "OTHER": models.MechanismOther,
}

func (m *Mapping) check() error {
	var errs []error
	if strings.TrimSpace(m.Columns.Text) == "" {
		errs = append(errs, errors.New(`columns.text is required`))
	}
	d := m.Defaults
	if d.Country != "" {
		if _, ok := norm.Country(d.Country); !ok {
			errs = append(errs, fmt.Errorf("defaults.country %q is not a known country", d.Country))
		}
	}
	if d.Mechanism != "" {
		if _, ok := mechanisms[strings.ToUpper(strings.TrimSpace(d.Mechanism))]; !ok {
			errs = append(errs, fmt.Errorf("defaults.mechanism %q is none of UPR, TB, SP, REGIONAL, OTHER", d.Mechanism))
		}
	}
	if d.Body != "" && d.Mechanism == "" {
		if _, _, ok := norm.Body(d.Body); !ok {
			errs = append(errs, fmt.Errorf("defaults.body %q is not a known body; give defaults.mechanism too", d.Body))
		}
	}
	if d.Kind != "" {
		if _, ok := kindOf(d.Kind); !ok {
			errs = append(errs, fmt.Errorf("defaults.kind %q is neither recommendation nor concern", d.Kind))
		}
	}
	if d.Date != "" {
		if _, err := norm.Date(d.Date); err != nil {
			errs = append(errs, fmt.Errorf("defaults.date: %w", err))
		}
	}
	if f := m.Columns.Followup; (f.Update != "" || f.Evidence != "") && f.Status == "" {
		errs = append(errs, errors.New("columns.followup: update and evidence columns need a status column"))
	}
	if f := m.Columns.Followup; f.Status != "" && f.Date == "" {
		errs = append(errs, errors.New("columns.followup.status needs columns.followup.date, the date each status applies to"))
	}
	if m.Options.HeaderRow < 0 {
		errs = append(errs, fmt.Errorf("options.header_row %d is below 1", m.Options.HeaderRow))
	}
	for scheme, col := range m.Columns.Labels {
		if strings.TrimSpace(scheme) == "" || strings.TrimSpace(col) == "" {
			errs = append(errs, fmt.Errorf("columns.labels: scheme %q and column %q must both be named", scheme, col))
		}
	}
	return errors.Join(errs...)
}

func (m *Mapping) separator() string {
	if m.Options.ListSeparator == "" {
		return ";"
	}
	return m.Options.ListSeparator
}

// mapped lists the mapping's columns as key -> column name, in a fixed order.
func (m *Mapping) mapped() [][2]string {
	c := m.Columns
	out := [][2]string{{"text", c.Text}, {"country", c.Country}, {"body", c.Body}, {"mechanism", c.Mechanism},
		{"date", c.Date}, {"symbol", c.Symbol}, {"paragraph", c.Paragraph}, {"response", c.Response},
		{"recommending_states", c.RecommendingStates}, {"kind", c.Kind}, {"session", c.Session},
		{"heading", c.Heading}, {"id", c.ID},
		{"followup.entity", c.Followup.Entity}, {"followup.action", c.Followup.Action}, {"followup.status", c.Followup.Status},
		{"followup.update", c.Followup.Update}, {"followup.date", c.Followup.Date}, {"followup.evidence", c.Followup.Evidence}}
	schemes := make([]string, 0, len(c.Labels))
	for s := range c.Labels {
		schemes = append(schemes, s)
	}
	sort.Strings(schemes)
	for _, s := range schemes {
		out = append(out, [2]string{"labels." + s, c.Labels[s]})
	}
	var set [][2]string
	for _, kv := range out {
		if strings.TrimSpace(kv[1]) != "" {
			set = append(set, kv)
		}
	}
	return set
}

// kindOf reads the kinds spreadsheets write.
func kindOf(s string) (string, bool) {
	k := strings.ToLower(strings.TrimSpace(strings.TrimLeft(s, "-– ")))
	switch {
	case k == "" || strings.HasPrefix(k, "recommendation") || k == "rec":
		return models.KindRecommendation, true
	case strings.HasPrefix(k, "concern") || strings.HasPrefix(k, "observation"):
		return models.KindConcern, true
	}
	return "", false
}
