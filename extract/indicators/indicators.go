package indicators

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/models"
)

// DatasetGlobalDatabase names observations read from UN SDG Global Database exports.
const DatasetGlobalDatabase = "un-sdg-global-database"

// Options say what a file of an Open SDG platform does not: whose data it is.
type Options struct {
	// CountryISO3 is the platform's country ("GBR"). ReadOpenSDGDir guesses
	// it from the folder name ("open-sdg-uk") when it is empty.
	CountryISO3 string
	// Dataset names the source on every observation ("open-sdg-uk");
	// ReadOpenSDGDir uses the folder name when it is empty.
	Dataset string
	// Indicator is the indicator code to assume when neither the file name
	// ("indicator_1-2-1.csv") nor an Indicator column gives it.
	Indicator string
	// Meta is metadata by indicator code, used for the unit and source of
	// rows that carry none. ReadOpenSDGDir fills it from meta/*.yml.
	Meta map[string]Meta
}

// Result is what was read from one file or platform.
type Result struct {
	Observations []models.Observation
	Rejected     []models.RowError // rows (or, for a folder, whole files) not imported
	Warnings     []string          // things a user should know that cost no observation
	Meta         map[string]Meta   // indicator metadata read by ReadOpenSDGDir
}

// Meta is what an Open SDG meta/*.yml file says about an indicator.
type Meta struct {
	Indicator string // "1.2.1"
	Title     string
	Units     string
	Source    string
}

var indicatorInTextRe = regexp.MustCompile(`\b\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}(?:\.\d{1,2})?\b`)

// missingValues are the ways publishers write "no figure"; such rows hold no
// observation and are skipped, counted in a warning.
var missingValues = map[string]bool{
	"": true, "nan": true, "na": true, "n/a": true, "..": true, "...": true, "…": true,
	"-": true, "–": true, "—": true, ":": true, "null": true,
}

var thousandsRe = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)

// parseValue reads a published value. It returns ok false for a missing
// value. A censored value ("<0.5", ">95") gives its bound as the number; the
// qualifier stays in the raw text. Text that is no number ("N", "Yes") gives
// a nil number.
func parseValue(raw string) (v *float64, ok bool) {
	s := strings.TrimSpace(raw)
	if missingValues[strings.ToLower(s)] {
		return nil, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == f && f < 1e300 && f > -1e300 {
		return &f, true // the common case, without the regular expressions below
	}
	s = strings.TrimSpace(timeNoteRe.ReplaceAllString(s, ""))
	for _, p := range []string{"<=", ">=", "≤", "≥", "<", ">", "~"} {
		if strings.HasPrefix(s, p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	if thousandsRe.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || f != f || f > 1e300 || f < -1e300 {
		return nil, true
	}
	return &f, true
}

// totalValues mark a total in a disaggregation column: blank in Open SDG,
// SDMX codes in the Global Database.
var totalValues = map[string]bool{"": true, "_T": true, "_Z": true, "BOTHSEX": true, "ALLAGE": true, "ALLAREA": true}

// setDim records a disaggregation unless its value is a total.
func setDim(dims map[string]string, name, value string) {
	value = strings.TrimSpace(value)
	if totalValues[strings.ToUpper(value)] {
		return
	}
	dims[name] = value
}

var headerSpaces = strings.NewReplacer("_", " ", "-", " ")

// headerKey is the form columns are compared in: lower case, "_" and "-"
// as spaces, brackets of "[Sex]" dropped.
func headerKey(h string) string {
	h = strings.Trim(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), "[]")
	h = headerSpaces.Replace(strings.ToLower(h))
	return strings.Join(strings.Fields(h), " ")
}

// collector gathers observations of one input and reports duplicates.
type collector struct {
	res      *Result
	file     string
	index    map[string]int // duplicate key → index in res.Observations
	rowOf    []int          // row of each observation, for messages
	missing  int
	sameDups int
	// superseded lists earlier rows replaced by a later one with another value.
	superseded []string
	times      map[string]timeResult // a file repeats a handful of periods
}

type timeResult struct {
	t   Time
	err error
}

func (c *collector) parseTime(raw string) (Time, error) {
	r, ok := c.times[raw]
	if !ok {
		r.t, r.err = ParseTime(raw)
		c.times[raw] = r
	}
	return r.t, r.err
}

func newCollector(file string) *collector {
	return &collector{res: &Result{}, file: file, index: map[string]int{}, times: map[string]timeResult{}}
}

func (c *collector) reject(row int, field, format string, a ...any) {
	c.res.Rejected = append(c.res.Rejected, models.RowError{File: c.file, Row: row, Field: field, Msg: fmt.Sprintf(format, a...)})
}

// add keeps o. When an observation with the same indicator, series, place,
// time, unit and breakdown was already read, the later row wins: publishers
// append corrections at the end. Duplicates are counted warnings, those with
// a different value listed with both rows: no row of the file is lost that a
// reader of the published table would keep.
func (c *collector) add(o models.Observation) {
	o.IsTotal = len(o.Dimensions) == 0
	if err := o.Validate(); err != nil {
		c.reject(o.Row, "", "%v", err)
		return
	}
	k := obsKey(&o)
	if i, ok := c.index[k]; ok {
		prev := c.res.Observations[i]
		if prev.ValueRaw == o.ValueRaw {
			c.sameDups++
		} else {
			c.superseded = append(c.superseded, fmt.Sprintf("row %d (%s) by row %d (%s)", prev.Row, prev.ValueRaw, o.Row, o.ValueRaw))
		}
		c.res.Observations[i] = o
		return
	}
	c.index[k] = len(c.res.Observations)
	c.res.Observations = append(c.res.Observations, o)
}

func obsKey(o *models.Observation) string {
	var b strings.Builder
	for _, p := range []string{o.IndicatorCode, o.SeriesCode, o.GeoCode, o.GeoName, strconv.Itoa(o.YearStart), strconv.Itoa(o.YearEnd), o.Period, o.Unit} {
		b.WriteString(p)
		b.WriteByte(0)
	}
	names := make([]string, 0, len(o.Dimensions))
	for n := range o.Dimensions {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(1)
		b.WriteString(o.Dimensions[n])
		b.WriteByte(0)
	}
	return b.String()
}

func (c *collector) finish() *Result {
	if c.missing > 0 {
		c.res.Warnings = append(c.res.Warnings, fmt.Sprintf("%s: %d row(s) without a value skipped", c.file, c.missing))
	}
	if n := len(c.superseded); n > 0 {
		list := c.superseded
		if n > 5 {
			list = append(list[:5:5], fmt.Sprintf("… %d more", n-5))
		}
		c.res.Warnings = append(c.res.Warnings, fmt.Sprintf("%s: %d value(s) superseded by a later row with the same indicator, series, place, time, unit and breakdown: %s",
			c.file, n, strings.Join(list, "; ")))
	}
	if c.sameDups > 0 {
		c.res.Warnings = append(c.res.Warnings, fmt.Sprintf("%s: %d row(s) repeated an earlier row with the same value", c.file, c.sameDups))
	}
	return c.res
}

// safely runs a third-party parser, turning a panic into an error.
func safely(what string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: parser failed: %v", what, r)
		}
	}()
	return fn()
}
