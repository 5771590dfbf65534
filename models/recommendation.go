package models

import (
	"fmt"
	"sort"
	"strings"
)

// Mechanism is the family of UN human rights mechanism that issued a recommendation.
type Mechanism string

const (
	MechanismUPR      Mechanism = "UPR"      // Universal Periodic Review
	MechanismTB       Mechanism = "TB"       // Treaty bodies
	MechanismSP       Mechanism = "SP"       // Special procedures
	MechanismRegional Mechanism = "REGIONAL" // regional human rights systems
	MechanismOther    Mechanism = "OTHER"
)

// Response is the State's normalised position on a recommendation.
const (
	ResponseSupported = "supported"
	ResponseNoted     = "noted"
	ResponsePending   = "pending" // "will be examined", not yet answered
	ResponsePledge    = "pledge"  // voluntary pledge
	ResponseOther     = "other"
)

// Kinds of text a record can hold. UHRI and treaty-body documents mix both.
const (
	KindRecommendation = "recommendation"
	KindConcern        = "concern"
)

// Label schemes of the labels that arrive with an input. They are the ground
// truth later model training uses, so they are kept verbatim and by scheme.
const (
	SchemeUPRInfoIssue    = "upr-info-issue"
	SchemeUPRInfoAction   = "upr-info-action"
	SchemeUHRITheme       = "uhri-theme"
	SchemeUHRISDG         = "uhri-sdg"
	SchemeAffectedPersons = "uhri-affected-persons"
	SchemeGeneric         = "label"
)

// Recommendation is one recommendation (or concern) as nmirf stores it:
// normalised fields plus every source it was seen in and every label those
// sources carried.
type Recommendation struct {
	RecID       string
	Kind        string // KindRecommendation or KindConcern
	Text        string // cleaned text, without paragraph number or recommending states
	CountryISO3 string // State under review / country concerned
	CountryName string // as written in the source
	Mechanism   Mechanism
	Body        string // UPR, CRC, CEDAW, CESCR, CCPR, CAT, CERD, CRPD, CMW, CED, SR-…, …
	Session     int    // UPR Working Group session, 0 when unknown
	Cycle       int    // UPR cycle, 0 when unknown
	Symbol      string // document symbol, e.g. A/HRC/25/5 or CCPR/C/DNK/CO/6
	Paragraph   string // e.g. 186.28 or 12(a)
	Date        string // ISO date YYYY-MM-DD or empty
	Response    string // supported / noted / pending / pledge / other / ""
	ResponseRaw string
	// RecommendingStates are ISO3 codes of the States that made a UPR recommendation.
	RecommendingStates []string
	ActionCategory     int    // UPR Info action category 1–5, 0 when unknown
	Heading            string // topic sub-heading in treaty-body documents
	// Language is the ISO 639-1 code of Text ("en", "fr", "es"), set by an
	// importer that knows it or guessed from the text; "" when unknown.
	Language string

	Sources []Source
	Labels  []Label
}

// Source is the provenance of one appearance of a recommendation in an input.
type Source struct {
	Format     string // importer name, e.g. upr-info-csv
	File       string // file name as given on the command line (base name)
	FileSHA256 string
	Locator    string // where in the file: "row 12", "table 2 row 5", "paragraph 104.1"
	SourceID   string // identifier the source itself gives (UHRI annotation id), if any
	RawText    string // the text exactly as it appeared
}

// Label is one label that came with the input.
type Label struct {
	Scheme string
	Value  string
	Source string // Format of the source that carried it
}

// Validate checks the fields every stored recommendation must have.
func (r *Recommendation) Validate() error {
	var missing []string
	if strings.TrimSpace(r.Text) == "" {
		missing = append(missing, "text")
	}
	if r.CountryISO3 == "" {
		missing = append(missing, "country")
	}
	if r.Mechanism == "" {
		missing = append(missing, "mechanism")
	}
	if r.Body == "" {
		missing = append(missing, "body")
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	if len(r.CountryISO3) != 3 {
		return fmt.Errorf("country code %q is not ISO 3166-1 alpha-3", r.CountryISO3)
	}
	switch r.Kind {
	case KindRecommendation, KindConcern:
	default:
		return fmt.Errorf("kind %q is neither %s nor %s", r.Kind, KindRecommendation, KindConcern)
	}
	return nil
}

// Merge folds another appearance of the same recommendation into r: sources
// and labels are unioned, empty fields are filled from o. Fields r already has
// win, so the first source seen stays authoritative.
func (r *Recommendation) Merge(o Recommendation) {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&r.CountryName, o.CountryName)
	fill(&r.Symbol, o.Symbol)
	fill(&r.Paragraph, o.Paragraph)
	fill(&r.Date, o.Date)
	// A State's final position supersedes "pending": the Working Group
	// report says "will examine", the addendum and the UPR Info export give
	// the answer.
	if r.Response == "" || r.Response == ResponsePending && o.Response != "" && o.Response != ResponsePending {
		r.Response, r.ResponseRaw = o.Response, o.ResponseRaw
	}
	fill(&r.ResponseRaw, o.ResponseRaw)
	fill(&r.Heading, o.Heading)
	fill(&r.Language, o.Language)
	if r.Cycle == 0 {
		r.Cycle = o.Cycle
	}
	if r.Session == 0 {
		r.Session = o.Session
	}
	if r.ActionCategory == 0 {
		r.ActionCategory = o.ActionCategory
	}
	r.RecommendingStates = unionSorted(r.RecommendingStates, o.RecommendingStates)
	for _, s := range o.Sources {
		if !containsSource(r.Sources, s) {
			r.Sources = append(r.Sources, s)
		}
	}
	for _, l := range o.Labels {
		if !containsLabel(r.Labels, l) {
			r.Labels = append(r.Labels, l)
		}
	}
}

// Normalize puts r in the canonical form stored: recommending States sorted
// and unique, so that the same record read twice compares equal.
func (r *Recommendation) Normalize() {
	r.RecommendingStates = unionSorted(r.RecommendingStates, nil)
}

func unionSorted(a, b []string) []string {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(a)+len(b))
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func containsSource(ss []Source, s Source) bool {
	for _, x := range ss {
		if x.Format == s.Format && x.FileSHA256 == s.FileSHA256 && x.Locator == s.Locator || sameContent(x, s) {
			return true
		}
	}
	return false
}

// sameContent tells one appearance read from two saves of the same export:
// the .csv and .xls of a UPR Info export, or its MacRoman and UTF-8 copies,
// differ in bytes and importer but give the same row at the same place with
// the same text. A source is identified by that content, not by the file.
func sameContent(a, b Source) bool {
	return a.Locator == b.Locator && a.RawText != "" && a.RawText == b.RawText &&
		FormatFamily(a.Format) == FormatFamily(b.Format)
}

// FormatFamily is an importer name without the container it reads
// ("upr-info-csv" and "upr-info-xls" give "upr-info"): importers of one
// family read the same data published in several file formats.
func FormatFamily(format string) string {
	for _, suf := range []string{"-csv", "-xlsx", "-xls", "-json", "-docx"} {
		if f, ok := strings.CutSuffix(format, suf); ok {
			return f
		}
	}
	return format
}

func containsLabel(ls []Label, l Label) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}
