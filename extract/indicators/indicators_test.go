package indicators

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in         string
		start, end int
		period     string
		wantErr    bool
	}{
		{"2019", 2019, 2019, "", false},
		{" 2021.0", 2021, 2021, "", false},
		{"2019/20", 2019, 2020, "", false},
		{"2019-20", 2019, 2020, "", false},
		{"1999/00", 1999, 2000, "", false},
		{"2019/2020", 2019, 2020, "", false},
		{"2015-2016", 2015, 2016, "", false},
		{"2015 to 2017", 2015, 2017, "", false},
		{"2019/20 to 2020/21", 2019, 2021, "", false},
		{"2019/20-2020/21", 2019, 2021, "", false},
		{"2019 [Note 1]", 2019, 2019, "", false},
		{"2019/20 [Note 5]", 2019, 2020, "", false},
		{"2015-2017 (baseline)", 2015, 2017, "", false},
		{"2019/20 (baseline)", 2019, 2020, "", false},
		{"2021-2022*", 2021, 2022, "", false},
		{"2020 Q1", 2020, 2020, "Q1", false},
		{"Q3 2020", 2020, 2020, "Q3", false},
		{"1993 01", 1993, 1993, "M01", false},
		{"2019-03", 2019, 2019, "M03", false},
		{"FY2019", 2019, 2019, "FY", false},
		{"FY 2019/20", 2019, 2020, "FY", false},
		{"1974a", 1974, 1974, "a", false},
		{"17 May to 11 June 2023", 2023, 2023, "17 May to 11 June 2023", false},
		{"December 2019 to January 2020", 2019, 2020, "December 2019 to January 2020", false},
		{"There is no data for this indicator yet", 0, 0, "", true},
		{"", 0, 0, "", true},
		{"20222", 0, 0, "", true},
		{"2015 16", 0, 0, "", true},
		{"1850", 0, 0, "", true},
		{"2020/2019", 0, 0, "", true},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseTime(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && (got.Start != tt.start || got.End != tt.end || got.Period != tt.period) {
			t.Errorf("ParseTime(%q) = %+v, want %d–%d %q", tt.in, got, tt.start, tt.end, tt.period)
		}
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		isNum   bool
		present bool
	}{
		{"38.200000000000003", 38.2, true, true},
		{"19618.00", 19618, true, true},
		{"-2.52", -2.52, true, true},
		{"<0.5", 0.5, true, true},
		{">95", 95, true, true},
		{"≥ 2.5", 2.5, true, true},
		{"1,234.5", 1234.5, true, true},
		{"12.3*", 12.3, true, true},
		{"N", 0, false, true},
		{"Yes", 0, false, true},
		{"", 0, false, false},
		{"NaN", 0, false, false},
		{" .. ", 0, false, false},
	}
	for _, tt := range tests {
		v, ok := parseValue(tt.in)
		if ok != tt.present || (v != nil) != tt.isNum || (v != nil && *v != tt.want) {
			t.Errorf("parseValue(%q) = %v, %v; want %v (number %v), present %v", tt.in, v, ok, tt.want, tt.isNum, tt.present)
		}
	}
}

func TestIndicatorFromFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"indicator_1-2-1.csv", "1.2.1"},
		{"data/indicator_17-a-1.csv", "17.a.1"},
		{"archived-1-a-1.csv", "1.a.1"},
		{"indicator_16-3-2-1.csv", "16.3.2.1"},
		{"indicator_5_5_1.csv", "5.5.1"},
		{"15.a.1.yml", "15.a.1"},
		{"1-2-1.yml", "1.2.1"},
		{"GDP1.csv", ""},
		{"2025_RW-SDG_Data.Data.csv", ""},
	}
	for _, tt := range tests {
		if got, _ := IndicatorFromFileName(tt.in); got != tt.want {
			t.Errorf("IndicatorFromFileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCountryFromDirName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"open-sdg-uk", "GBR"}, {"/x/open-sdg-canada", "CAN"}, {"open-sdg-kazakhstan", "KAZ"},
		{"open-sdg-usa", "USA"}, {"open-sdg-rwanda", "RWA"}, {"sdg-data-ghana", "GHA"},
		{"open-sdg-starter", ""}, {"open-sdg-data-starter", ""},
	}
	for _, tt := range tests {
		if got, _ := CountryFromDirName(tt.in); got != tt.want {
			t.Errorf("CountryFromDirName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func readInput(t testing.TB, path string) *extract.Input {
	t.Helper()
	in, err := extract.ReadInput(path)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// obsLine is a compact, comparable form of an observation.
func obsLine(o models.Observation) string {
	var dims []string
	for k, v := range o.Dimensions {
		dims = append(dims, k+"="+v)
	}
	sort.Strings(dims)
	v := "nil"
	if o.Value != nil {
		v = fmt.Sprint(*o.Value)
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s|%d-%d|%s|%s|%s|%s|%v|%t|%d",
		o.IndicatorCode, o.SeriesCode, o.GeoCode, o.GeoName, o.CountryISO3, o.YearStart, o.YearEnd, o.Period,
		o.ValueRaw, v, o.Unit, dims, o.IsTotal, o.Row)
}

func TestReadGlobalDatabase(t *testing.T) {
	tests := []struct {
		file     string
		n        int
		rejected []string // "row field"
		warnings int
		want     map[int]string // index → obsLine
	}{
		{"Goal14-slice.csv", 11, nil, 1, map[int]string{
			0:  "14.1.1|EN_MAR_BEALITSQ|1|World||2015-2015||19618.00|19618|NUMBER|[]|true|2",
			3:  "14.1.1|EN_MAR_BEALITSQ|8|Albania|ALB|2018-2018||1284797.00|1.284797e+06|NUMBER|[]|true|5",
			5:  "14.1.1|EN_MAR_CHLANM|1|World||2018-2018||2.29241|2.29241|PERCENT|[Frequency of Chlorophyll-a concentration=High]|false|7",
			7:  "14.3.1|ER_OAW_MNACD|36|Australia|AUS|2010-2010||8.094|8.094|PH|[Sampling Stations=NRSMAI]|false|9",
			9:  "14.c.1|ER_UNCLOS_IMPLE|31|Azerbaijan|AZE|2020-2021||80|80|PERCENT|[]|true|12",
			10: "14.c.1|ER_UNCLOS_IMPLE|32|Argentina|ARG|2020-2021||100|100|PERCENT|[]|true|13",
		}},
		{"Goal1-slice.csv", 8, nil, 0, map[int]string{
			2: "1.3.1|SI_COV_BENFTS|36|Australia|AUS|2018-2018||100|100|PERCENT|[Sex=FEMALE]|false|4",
			4: "1.3.1|SI_COV_LMKT|8|Albania|ALB|2008-2008||7.86586|7.86586|PERCENT|[Quantile=Q1]|false|6",
			6: "1.4.1|SP_ACS_BSRVH2O|4|Afghanistan|AFG|2000-2000||21|21|PERCENT|[Location=RURAL]|false|8",
		}},
		{"Goal1-slice.xlsx", 8, nil, 1, map[int]string{
			6: "1.4.1|SP_ACS_BSRVH2O|4|Afghanistan|AFG|2000-2000||21|21|PERCENT|[Location=RURAL]|false|8",
		}},
		{"Goal5-bad-rows.csv", 2, []string{`4 GeoAreaCode`, `5 TimePeriod`, `6 Indicator`}, 0, map[int]string{
			1: "5.1.1|SG_LGL_GENEQEMP|50|Bangladesh|BGD|2018-2018||20.00|20|PERCENT|[]|true|3",
		}},
	}
	for _, tt := range tests {
		in := readInput(t, filepath.Join("testdata/un-sdg-global-database", tt.file))
		r, err := ReadGlobalDatabase(context.Background(), in)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if len(r.Observations) != tt.n || len(r.Warnings) != tt.warnings {
			t.Errorf("%s: %d observations, %d warnings %v; want %d, %d", tt.file, len(r.Observations), len(r.Warnings), r.Warnings, tt.n, tt.warnings)
		}
		var rej []string
		for _, e := range r.Rejected {
			rej = append(rej, fmt.Sprintf("%d %s", e.Row, e.Field))
			if e.File != in.Path {
				t.Errorf("%s: rejected row names file %q", tt.file, e.File)
			}
		}
		if !reflect.DeepEqual(rej, tt.rejected) {
			t.Errorf("%s: rejected %v, want %v", tt.file, r.Rejected, tt.rejected)
		}
		for i, want := range tt.want {
			if i >= len(r.Observations) {
				t.Errorf("%s: no observation %d", tt.file, i)
				continue
			}
			o := r.Observations[i]
			if got := obsLine(o); got != want {
				t.Errorf("%s obs %d:\n got %s\nwant %s", tt.file, i, got, want)
			}
			if o.Dataset != DatasetGlobalDatabase || o.File != tt.file || o.Source == "" {
				t.Errorf("%s obs %d: dataset %q file %q source %q", tt.file, i, o.Dataset, o.File, o.Source)
			}
		}
	}
}

// The Data Portal's Excel download and its CSV give the same observations.
func TestGlobalDatabaseXLSXMatchesCSV(t *testing.T) {
	ctx := context.Background()
	a, err := ReadGlobalDatabase(ctx, readInput(t, "testdata/un-sdg-global-database/Goal1-slice.csv"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadGlobalDatabase(ctx, readInput(t, "testdata/un-sdg-global-database/Goal1-slice.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Observations) != len(b.Observations) {
		t.Fatalf("csv %d vs xlsx %d observations", len(a.Observations), len(b.Observations))
	}
	for i := range a.Observations {
		if x, y := obsLine(a.Observations[i]), obsLine(b.Observations[i]); x != y || a.Observations[i].Source != b.Observations[i].Source {
			t.Errorf("obs %d: csv %s, xlsx %s", i, x, y)
		}
	}
}

func TestReadOpenSDGDir(t *testing.T) {
	type check struct {
		file string
		row  int
		line string // obsLine; several observations of one wide row are told apart by year
	}
	tests := []struct {
		dir      string
		n        int
		rejected []string // "file row field"
		warnings []string // substrings, in order
		checks   []check
		meta     map[string]Meta
	}{
		{dir: "open-sdg-uk", n: 55, warnings: []string{"1 archived indicator file(s) skipped"},
			checks: []check{
				{"indicator_5-5-1.csv", 17, "5.5.1|House of Commons||United Kingdom of Great Britain and Northern Ireland|GBR|1974-1974|a|3.6|3.6|Percentage (%)|[]|true|17"},
				{"indicator_5-5-1.csv", 18, "5.5.1|House of Commons||United Kingdom of Great Britain and Northern Ireland|GBR|1974-1974|b|4.3|4.3|Percentage (%)|[]|true|18"},
				{"indicator_8-8-1.csv", 5, "8.8.1|Fatal injury||United Kingdom of Great Britain and Northern Ireland|GBR|2019-2020||6.26|6.26|Rate per 100,000 workers|[Industry sector=Agriculture, forestry and fishing]|false|5"},
				{"indicator_8-8-1.csv", 3, "8.8.1|Fatal injury||United Kingdom of Great Britain and Northern Ireland|GBR|2018-2019||0.22|0.22|Rate per 100,000 workers|[Age=60 to 64 Sex=Female]|false|3"},
				{"indicator_2-c-1.csv", 14, "2.c.1|12 month rolling average||United Kingdom of Great Britain and Northern Ireland|GBR|1994-1994|M01|-0.792119355039771|-0.792119355039771|Index|[Food type=All]|false|14"},
				{"indicator_3-3-5.csv", 3, "3.3.5|England, Wales and Northern Ireland||United Kingdom of Great Britain and Northern Ireland|GBR|2009-2009||223.0|223|Number|[]|true|3"},
				{"indicator_16-6-2.csv", 2, "16.6.2|Healthcare system||United Kingdom of Great Britain and Northern Ireland|GBR|2023-2023|17 May to 11 June 2023|53.9|53.9|Percentage (%)|[]|true|2"},
				{"indicator_16-6-2.csv", 4, "16.6.2|Healthcare system|E12000001|North East|GBR|2023-2023|17 May to 11 June 2023|51.6|51.6|Percentage (%)|[]|true|4"},
			},
			meta: map[string]Meta{"5.5.1": {Indicator: "5.5.1", Title: "Proportion of seats held by women in (a) national parliaments and (b) local governments", Units: "Percentage (%)", Source: "House of Commons Library"}},
		},
		{dir: "open-sdg-canada", n: 19, warnings: []string{"indicator_1-2-2.csv: 14 row(s) without a value skipped"},
			checks: []check{
				{"indicator_6-5-1.csv", 2, "6.5.1|||Canada|CAN|2023-2023||73|73||[]|true|2"},
				{"indicator_10-5-1.csv", 9, "10.5.1|||Canada|CAN|2006-2006||2.88|2.88||[Indicator=Ratio of non-performing loans net of provisions to capital]|false|9"},
			},
			meta: map[string]Meta{"1.2.2": {Indicator: "1.2.2", Title: "Proportion of men, women and children of all ages living in poverty in all its dimensions according to national definitions", Source: "Statistics Canada"}},
		},
		{dir: "open-sdg-kazakhstan", n: 22,
			// A real publisher duplicate: the later row's value is kept and the earlier one reported.
			warnings: []string{"indicator_11-3-1.csv: 1 value(s) superseded by a later row with the same indicator, series, place, time, unit and breakdown: row 2 (21.2) by row 3 (17.6)"},
			checks: []check{
				{"indicator_16-3-2-1.csv", 11, "16.3.2.1|||Kazakhstan|KAZ|2023-2023||211918.0|211918|PERSONS|[]|true|11"},
				{"indicator_1-4-2.csv", 3, "1.4.2||KZAKM||KAZ|2012-2012||7.33|7.33|PT|[]|true|3"},
				{"indicator_11-3-1.csv", 3, "11.3.1||KZABY||KAZ|2022-2022||17.6|17.6|SQ_METER|[URBANISATION=U]|false|3"},
			},
		},
		{dir: "open-sdg-usa", n: 18,
			checks: []check{
				{"indicator_1-2-1.csv", 2, "1.2.1|||United States of America|USA|2000-2000||11.3|11.3||[]|true|2"},
				{"indicator_8-8-1.csv", 4, "8.8.1|Annualized incidence rate of nonfatal cases of injuries and illnesses involving days away from work||United States of America|USA|2021-2022||122.4|122.4||[Sex=Male]|false|4"},
			},
			meta: map[string]Meta{
				"1.2.1":  {Indicator: "1.2.1", Title: "Percent of population living below the US poverty line", Source: "U.S. Census Bureau"},
				"15.a.1": {Indicator: "15.a.1", Title: "(a) Official development assistance on conservation and sustainable use of biodiversity", Source: "USAID"},
			},
		},
		{dir: "open-sdg-rwanda", n: 24,
			rejected: []string{"2025_RW-SDG_Data.Parameters.csv 0 ", "GDP1.csv 0 "},
			warnings: []string{"2025_RW-SDG_Data.Data.csv: 126 row(s) without a value skipped"},
			checks: []check{
				{"2025_RW-SDG_Data.Data.csv", 2, "1.1.1|SI_POV_DAY1|RW|Rwanda|RWA|2000-2000||82.3|82.3|PT|[]|true|2"},
				{"2025_RW-SDG_Data.Data.csv", 5, "1.2.1|SI_POV_NAHC|RW|Rwanda|RWA|2014-2014||35.9|35.9|PT|[Age=16+ Sex=Female]|false|5"},
			},
		},
		{dir: "open-sdg-starter", n: 6, warnings: []string{"country not given"},
			checks: []check{
				{"indicator_1-1-1.csv", 3, "1.1.1|||||2015-2015||3|3||[Group=B]|false|3"},
				{"indicator_1-1-1.csv", 4, "1.1.1|||||2015-2015||2|2||[]|true|4"},
			},
		},
	}
	for _, tt := range tests {
		r, err := ReadOpenSDGDir(context.Background(), filepath.Join("testdata", tt.dir), Options{})
		if err != nil {
			t.Errorf("%s: %v", tt.dir, err)
			continue
		}
		if len(r.Observations) != tt.n {
			t.Errorf("%s: %d observations, want %d", tt.dir, len(r.Observations), tt.n)
		}
		var rej []string
		for _, e := range r.Rejected {
			rej = append(rej, fmt.Sprintf("%s %d %s", filepath.Base(e.File), e.Row, e.Field))
		}
		if !reflect.DeepEqual(rej, tt.rejected) {
			t.Errorf("%s: rejected %v, want %v", tt.dir, r.Rejected, tt.rejected)
		}
		if len(r.Warnings) != len(tt.warnings) {
			t.Errorf("%s: warnings %q, want %q", tt.dir, r.Warnings, tt.warnings)
		} else {
			for i, w := range tt.warnings {
				if !strings.Contains(r.Warnings[i], w) {
					t.Errorf("%s: warning %q, want it to contain %q", tt.dir, r.Warnings[i], w)
				}
			}
		}
		for _, c := range tt.checks {
			found := false
			for _, o := range r.Observations {
				if o.File == c.file && o.Row == c.row && obsLine(o) == c.line {
					found = true
				}
			}
			if !found {
				var have []string
				for _, o := range r.Observations {
					if o.File == c.file && o.Row == c.row {
						have = append(have, obsLine(o))
					}
				}
				t.Errorf("%s %s row %d: no observation\n  %s\nhave\n  %s", tt.dir, c.file, c.row, c.line, strings.Join(have, "\n  "))
			}
		}
		for code, want := range tt.meta {
			if got := r.Meta[code]; got != want {
				t.Errorf("%s meta %s = %+v, want %+v", tt.dir, code, got, want)
			}
		}
		for _, o := range r.Observations {
			if o.Dataset != tt.dir {
				t.Errorf("%s: dataset %q", tt.dir, o.Dataset)
				break
			}
		}
	}
}

func TestReadOpenSDGFileOptions(t *testing.T) {
	ctx := context.Background()
	in := readInput(t, "testdata/open-sdg-rwanda/data/GDP1.csv")
	r, err := ReadOpenSDGFile(ctx, in, Options{CountryISO3: "rwa", Dataset: "rw", Indicator: "8.1.1"})
	if err != nil {
		t.Fatal(err)
	}
	want := "8.1.1|Sectoral Share of GDP (%)||Rwanda|RWA|2017-2017||21|21|Percentage (%)|[Sector=Agriculture]|false|2"
	if len(r.Observations) != 12 || obsLine(r.Observations[0]) != want {
		t.Errorf("GDP1 with Indicator option: %d observations, first %s; want 12, %s", len(r.Observations), obsLine(r.Observations[0]), want)
	}
	// Unit and source come from the metadata when the rows carry none.
	in = readInput(t, "testdata/open-sdg-starter/data/indicator_1-1-1.csv")
	r, err = ReadOpenSDGFile(ctx, in, Options{Dataset: "x", Meta: map[string]Meta{"1.1.1": {Units: "Percentage (%)", Source: "NSO"}}})
	if err != nil {
		t.Fatal(err)
	}
	if o := r.Observations[0]; o.Unit != "Percentage (%)" || o.Source != "NSO" {
		t.Errorf("meta fallback: unit %q source %q", o.Unit, o.Source)
	}
}

func TestReadErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, data string
		gdb        bool
		wantErr    string
	}{
		{"empty.csv", "", false, "empty.csv: file is empty"},
		{"bom.csv", "\xef\xbb\xbf", false, "bom.csv: file is empty"},
		{"bom-newline.csv", "\xef\xbb\xbf\r\n", true, "bom-newline.csv: file is empty"},
		{"indicator_1-1-1.csv", "Year,Sex\n2015,F\n", false, "indicator_1-1-1.csv: no Value column"},
		{"indicator_1-1-2.csv", "Sex,Value\nF,1\n", false, "indicator_1-1-2.csv: no Year column"},
		{"notes.csv", "Year,Value\n2015,1\n", false, "notes.csv: cannot tell the indicator"},
		{"page.csv", "<!DOCTYPE html><html><body>Not found</body></html>", true, "page.csv: file is an HTML page"},
		{"gdb.csv", "Goal,Target,Value\n1,1.1,3\n", true, "gdb.csv: not a Global Database export: missing column(s) Indicator, GeoAreaCode, TimePeriod"},
		{"bad.xlsx", "PK\x03\x04 not really a zip", true, "bad.xlsx: unreadable workbook"},
	}
	for _, tt := range tests {
		in := &extract.Input{Path: tt.name, Name: tt.name, Data: []byte(tt.data)}
		var err error
		if tt.gdb {
			_, err = ReadGlobalDatabase(ctx, in)
		} else {
			_, err = ReadOpenSDGFile(ctx, in, Options{Dataset: "t"})
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		}
		if models.CodeOf(err) != models.ExitBadInput {
			t.Errorf("%s: exit code %d, want %d", tt.name, models.CodeOf(err), models.ExitBadInput)
		}
	}
	if _, err := ReadOpenSDGDir(ctx, "testdata/un-sdg-global-database", Options{}); err == nil || !strings.Contains(err.Error(), "no data folder") {
		t.Errorf("ReadOpenSDGDir without data/: %v", err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadGlobalDatabase(ctx, readInput(t, "testdata/un-sdg-global-database/Goal14-slice.csv")); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadGlobalDatabase: %v", err)
	}
	if _, err := ReadOpenSDGDir(ctx, "testdata/open-sdg-uk", Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadOpenSDGDir: %v", err)
	}
}

// TestRealData imports every indicator file of the shared data and reports
// the totals per dataset. Files that are not Global Database exports (the
// code lists published beside them) must be refused as such, and nothing
// else may fail.
func TestRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("full import of the shared indicator data")
	}
	root := shared.Path(t, "indicators")
	ctx := context.Background()
	want := map[string][3]int{ // observations, rejected, total observations
		"open-sdg-uk":            {161726, 0, 27049},
		"open-sdg-canada":        {110216, 0, 3363},
		"open-sdg-kazakhstan":    {45266, 0, 16120},
		"open-sdg-usa":           {6014, 0, 2058},
		"open-sdg-rwanda":        {2330, 2, 1508},
		"open-sdg-starter":       {6, 0, 2},
		"un-sdg-global-database": {78193, 0, 26155},
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "open-sdg-*"))
	for _, d := range dirs {
		r, err := ReadOpenSDGDir(ctx, d, Options{})
		if err != nil {
			t.Errorf("%s: %v", d, err)
			continue
		}
		name := filepath.Base(d)
		if got, w := report(t, name, r), want[name]; got != w {
			t.Errorf("%s: observations, rejected, totals = %v; want %v", name, got, w)
		}
		// Publisher duplicates with conflicting values: reported, later row kept.
		superseded := 0
		for _, w := range r.Warnings {
			var n int
			if i := strings.Index(w, " value(s) superseded"); i > 0 {
				fmt.Sscan(w[strings.LastIndex(w[:i], " ")+1:i], &n)
			}
			superseded += n
		}
		if w := map[string]int{"open-sdg-uk": 77, "open-sdg-kazakhstan": 219}[name]; superseded != w {
			t.Errorf("%s: %d superseded values reported, want %d", name, superseded, w)
		}
	}
	files, _ := filepath.Glob(filepath.Join(root, "un-sdg-global-database", "*"))
	all := &Result{}
	exports := 0
	for _, f := range files {
		r, err := ReadGlobalDatabase(ctx, readInput(t, f))
		if err != nil {
			if !strings.Contains(err.Error(), "not a Global Database export") {
				t.Errorf("%s: %v", f, err)
			}
			continue
		}
		exports++
		merge(all, r)
	}
	if got, w := report(t, "un-sdg-global-database", all), want["un-sdg-global-database"]; exports != 5 || got != w {
		t.Errorf("global database: %d exports; observations, rejected, totals = %v; want 5, %v", exports, got, w)
	}
}

func report(t *testing.T, name string, r *Result) [3]int {
	totals, countries := 0, map[string]bool{}
	for _, o := range r.Observations {
		if o.IsTotal {
			totals++
		}
		countries[o.CountryISO3] = true
	}
	t.Logf("%-24s %7d observations (%d totals), %d rejected, %d warnings, %d countries, %d metadata files",
		name, len(r.Observations), totals, len(r.Rejected), len(r.Warnings), len(countries), len(r.Meta))
	for _, o := range r.Observations {
		if err := o.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
			break
		}
	}
	return [3]int{len(r.Observations), len(r.Rejected), totals}
}

func BenchmarkFullImport(b *testing.B) {
	root := shared.Path(b, "indicators")
	files, _ := filepath.Glob(filepath.Join(root, "un-sdg-global-database", "*.data.csv"))
	dirs, _ := filepath.Glob(filepath.Join(root, "open-sdg-*"))
	var size int64
	for _, f := range files {
		st, _ := os.Stat(f)
		size += st.Size()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for _, d := range dirs {
			r, err := ReadOpenSDGDir(context.Background(), d, Options{})
			if err != nil {
				b.Fatal(err)
			}
			n += len(r.Observations)
		}
		for _, f := range files {
			in, err := extract.ReadInput(f)
			if err != nil {
				b.Fatal(err)
			}
			r, err := ReadGlobalDatabase(context.Background(), in)
			if err != nil {
				b.Fatal(err)
			}
			n += len(r.Observations)
		}
		b.ReportMetric(float64(n), "obs/op")
	}
}

// models.Observation.Validate is exercised here, where observations are made.
func TestObservationValidate(t *testing.T) {
	v := 1.5
	good := models.Observation{IndicatorCode: "5.2.1", YearStart: 2019, YearEnd: 2020, Value: &v, ValueRaw: "1.5",
		IsTotal: true, Dataset: "d", File: "f.csv", Row: 2}
	tests := []struct {
		name    string
		edit    func(o *models.Observation)
		wantErr string
	}{
		{"good", func(o *models.Observation) {}, ""},
		{"sub-indicator", func(o *models.Observation) { o.IndicatorCode = "16.3.2.1" }, ""},
		{"bad code", func(o *models.Observation) { o.IndicatorCode = "5.2" }, `indicator code "5.2"`},
		{"year order", func(o *models.Observation) { o.YearEnd = 2018 }, "end year 2018 before start year 2019"},
		{"no value", func(o *models.Observation) { o.ValueRaw = " " }, "no value"},
		{"total mismatch", func(o *models.Observation) { o.Dimensions = map[string]string{"Sex": "F"} }, "IsTotal disagrees"},
		{"country", func(o *models.Observation) { o.CountryISO3 = "UK" }, `country "UK"`},
	}
	for _, tt := range tests {
		o := good
		tt.edit(&o)
		err := o.Validate()
		if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: Validate() = %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}
