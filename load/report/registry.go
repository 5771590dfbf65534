package report

import (
	"context"
	"database/sql"
	"io"
	"slices"
	"time"
)

// Kind is a kind of report (`nmirf report KIND`, [[reports]] kind in the
// config): what it reads from the warehouse. The formats it is written in
// are registered apart (RegisterFormat), so that a new format is one file.
//
// A kind registers itself from its own file (func init() {
// RegisterKind(...) }); the command line, the config check and the batch
// run take kinds and formats from here and nowhere else.
type Kind struct {
	Name  string // gaps, clusters
	Short string // one line of help
	// EachCountry: asked for no country, the kind writes one report per
	// country of the warehouse; otherwise one report over all of them.
	EachCountry bool
	// StaleYears: the kind flags stale indicator data, after
	// Request.StaleYears (--stale-years, [[reports]] stale_years).
	StaleYears bool
	// OwnCommand: the command line builds this kind's subcommand itself
	// (it has flags of its own); the registry still gives its formats.
	OwnCommand bool
	// Read reads one report, for one country ("" for all), once; it is
	// then written in every format asked for.
	Read func(ctx context.Context, db *sql.DB, r Request) (Report, error)
}

// Request is what a report is asked for.
type Request struct {
	Country    string    // ISO3 code, or "" for every country
	StaleYears int       // for kinds that flag stale data; 0: the default
	Now        time.Time // the report date; zero: now
	RunID      string    // the run the report cites; "": the latest
	Names      Names     // country names; nil shows codes only

	// The follow-up kinds.
	Entity      string    // followup: lead or supporting entity code
	Body        string    // followup: one body, with a draft of the follow-up section of its next report
	StaleMonths int       // followup: no update for longer than this is listed
	From, To    time.Time // parliament: the period reported on, both days included
}

// Report is one report read from the warehouse.
type Report interface {
	// Empty says why the report would say nothing, and what to run, with
	// warehouse naming the warehouse; "" when it has something to say.
	Empty(warehouse string) string
}

// Format writes the reports of one kind in one format.
type Format struct {
	Kind, Name string // gaps, html
	Write      func(w io.Writer, r Report) error
}

var (
	kinds   []*Kind
	formats []Format
)

// RegisterKind adds a report kind. Call it from an init function.
func RegisterKind(k *Kind) { kinds = append(kinds, k) }

// RegisterFormat adds a format to a kind; the first registered for a kind
// is its default. Call it from an init function.
func RegisterFormat(f Format) { formats = append(formats, f) }

// Kinds returns the report kinds in the order they were registered.
func Kinds() []*Kind { return slices.Clone(kinds) }

// KindOf returns the kind named name, or nil.
func KindOf(name string) *Kind {
	for _, k := range kinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// KindNames lists the names of the kinds.
func KindNames() []string {
	var out []string
	for _, k := range kinds {
		out = append(out, k.Name)
	}
	return out
}

// Formats lists the formats of the kind, its default first.
func (k *Kind) Formats() []string {
	var out []string
	for _, f := range formats {
		if f.Kind == k.Name {
			out = append(out, f.Name)
		}
	}
	return out
}

// Writer returns the writer of the kind in format f, or nil.
func (k *Kind) Writer(f string) func(io.Writer, Report) error {
	for _, x := range formats {
		if x.Kind == k.Name && x.Name == f {
			return x.Write
		}
	}
	return nil
}
