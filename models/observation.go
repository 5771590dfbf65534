package models

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// SDGGoal is one of the 17 Sustainable Development Goals.
type SDGGoal struct {
	Code  string // "5"
	Title string // "Achieve gender equality and empower all women and girls"
}

// SDGTarget is one of the 169 targets, such as 5.2.
type SDGTarget struct {
	Code  string // "5.2"
	Goal  string // "5"
	Title string
}

// SDGIndicator is one indicator of the global indicator framework. An
// indicator that the framework lists under several targets (1.5.1 = 11.5.1 =
// 13.1.1) appears once per code, each with the same UNSDCode; the links are
// listed in SDGIndicatorTarget.
type SDGIndicator struct {
	Code     string // "5.2.1"
	Target   string // "5.2", the target its code belongs to
	Title    string
	UNSDCode string // "C050201": UNSD's code, shared by repeated indicators
	Tier     string // "I", "II", "III" where a source says; empty otherwise
}

// SDGIndicatorTarget links an indicator to a target it is listed under.
type SDGIndicatorTarget struct {
	Indicator string // "13.1.1"
	Target    string // "13.1"
}

// SDGFramework is the global indicator framework: every goal, target and
// listed indicator in the order of the annex.
type SDGFramework struct {
	Goals   []SDGGoal
	Targets []SDGTarget
	// Indicators holds one entry per listed code: a repeated indicator such
	// as 1.5.1 = 11.5.1 = 13.1.1 is three entries sharing one UNSDCode.
	Indicators []SDGIndicator
	// Links lists each indicator under the target whose row it is written in.
	Links []SDGIndicatorTarget
}

// Observation is one data point of an SDG indicator for one place, period and
// breakdown, as a statistics office or the UN SDG Global Database publishes it.
type Observation struct {
	IndicatorCode string // "1.2.1"; national sub-indicators keep their extra part ("16.3.2.1")
	SeriesCode    string // UN series code (SI_POV_DAY1) or the publisher's series label
	GeoCode       string // M49 code for the Global Database; the publisher's area code otherwise
	GeoName       string // the place as named; a country's own name when the row names none
	CountryISO3   string // "" for regions and aggregates (World, Africa, …)
	YearStart     int
	YearEnd       int // equal to YearStart for a single year; 2020 for "2019/20"
	// Period names the part of the year or the span when the time is not
	// whole years: "Q1", "M03", "FY", a footnote letter ("a"), or the text
	// of a date range. Empty for plain years.
	Period   string
	TimeRaw  string   // the time as published: "2019/20 [Note 1]"
	Value    *float64 // nil when the published value is not a number ("N", "Yes")
	ValueRaw string   // as published: "<0.5", "38.200000000000003", "N"
	Unit     string
	// Dimensions are the disaggregations (Sex, Age, Location, …) with their
	// values. Totals ("", "_T", "BOTHSEX", "ALLAGE", "ALLAREA") are left out,
	// so an empty map means the total.
	Dimensions map[string]string
	IsTotal    bool   // len(Dimensions) == 0
	Source     string // data source as the publisher names it
	Dataset    string // "un-sdg-global-database", "open-sdg-uk", …
	File       string // base name of the file it was read from
	Row        int    // 1-based line or sheet row in File
}

var indicatorCodeRe = regexp.MustCompile(`^\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}(\.\d{1,2})?$`)

// IsIndicatorCode tells whether s is an SDG indicator code such as "5.2.1",
// "17.a.1" or a national sub-indicator "16.3.2.1".
func IsIndicatorCode(s string) bool { return indicatorCodeRe.MatchString(s) }

// Validate checks the fields every stored observation must have.
func (o *Observation) Validate() error {
	var problems []string
	if !IsIndicatorCode(o.IndicatorCode) {
		problems = append(problems, fmt.Sprintf("indicator code %q is not like 5.2.1", o.IndicatorCode))
	}
	if o.YearStart < 1900 || o.YearStart > 2100 {
		problems = append(problems, fmt.Sprintf("start year %d out of range", o.YearStart))
	}
	if o.YearEnd < o.YearStart || o.YearEnd > 2100 {
		problems = append(problems, fmt.Sprintf("end year %d before start year %d or out of range", o.YearEnd, o.YearStart))
	}
	if strings.TrimSpace(o.ValueRaw) == "" {
		problems = append(problems, "no value")
	}
	if o.Value != nil && (math.IsNaN(*o.Value) || math.IsInf(*o.Value, 0)) {
		problems = append(problems, "value is not finite")
	}
	if o.CountryISO3 != "" && len(o.CountryISO3) != 3 {
		problems = append(problems, fmt.Sprintf("country %q is not an ISO3 code", o.CountryISO3))
	}
	if o.IsTotal != (len(o.Dimensions) == 0) {
		problems = append(problems, "IsTotal disagrees with Dimensions")
	}
	if o.Dataset == "" {
		problems = append(problems, "no dataset")
	}
	if len(problems) > 0 {
		return fmt.Errorf("observation %s %s row %d: %s", o.IndicatorCode, o.File, o.Row, strings.Join(problems, "; "))
	}
	return nil
}
