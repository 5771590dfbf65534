package indicators

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// Column roles in an Open SDG table. Any column without one is a
// disaggregation, named as its header.
const (
	roleDim = iota
	roleYear
	roleValue
	roleIndicator
	roleSeries
	roleSeriesCode
	roleUnit
	roleMultiplier
	roleGeoCode
	roleSource
	roleIgnore   // attributes that describe a figure: observation status, comments
	roleYearCol  // wide layout: one column per year
	roleCodeOnly // "Sex_Code" beside "Sex": used only when the label is blank
)

var openSDGRoles = map[string]int{
	"year": roleYear, "value": roleValue, "indicator": roleIndicator,
	"series": roleSeries, "series code": roleSeriesCode, "seriescode": roleSeriesCode,
	"units": roleUnit, "unit": roleUnit, "unit measure": roleUnit, "unit code": roleUnit,
	"unit multiplier": roleMultiplier, "unit mult": roleMultiplier,
	"geocode": roleGeoCode, "geo code": roleGeoCode, "ref area": roleGeoCode, "geoareacode": roleGeoCode,
	"data source": roleSource, "source detail": roleSource,
	"observation status": roleIgnore, "obs status": roleIgnore, "comment obs": roleIgnore,
	"nature": roleIgnore, "reporting type": roleIgnore, "description": roleIgnore,
	"footnote": roleIgnore, "footnotes": roleIgnore, "freq": roleIgnore, "time detail": roleIgnore,
}

// geoNameCols name the place a row is about; they become GeoName.
var geoNameCols = map[string]bool{"geography": true, "country": true, "region": true, "local authority": true, "province": true, "district": true}

var (
	fileIndicatorRe = regexp.MustCompile(`(?i)(?:^|[^0-9a-z])(\d{1,2})[-_.]([0-9a-z]{1,2})[-_.](\d{1,2})(?:[-_.](\d{1,2}))?$`)
	yearHeaderRe    = regexp.MustCompile(`^\d{4}([/-]\d{2,4})?$`)
)

// IndicatorFromFileName reads the indicator code of an Open SDG file name:
// "indicator_1-2-1.csv" and "archived-17-a-1.csv" give "1.2.1" and
// "17.a.1"; national sub-indicators ("16-3-2-1") keep their fourth part.
func IndicatorFromFileName(name string) (string, bool) {
	stem := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	m := fileIndicatorRe.FindStringSubmatch(stem)
	if m == nil {
		return "", false
	}
	code := strings.ToLower(m[1] + "." + m[2] + "." + m[3])
	if m[4] != "" {
		code += "." + m[4]
	}
	return code, true
}

type column struct {
	idx  int
	name string // header as published, trimmed
	role int
	code int  // for a label column, the index of its "_Code" column, or -1
	geo  bool // names the place: Geography, Region, …
}

// ReadOpenSDGFile reads one data file of an Open SDG platform: the long
// layout (Year, disaggregations, Value) or the wide one of the SDG data
// template (one column per year, an Indicator column). A blank
// disaggregation is the total. Place columns (Geography, Country, Region,
// Local authority, Province, District) give GeoName rather than a
// disaggregation; GeoCode or REF_AREA gives GeoCode. The country comes from
// opt, not the data, and rows without a place are the country's.
func ReadOpenSDGFile(ctx context.Context, in *extract.Input, opt Options) (*Result, error) {
	tables, issues, err := readTables(in)
	if err != nil {
		return nil, err
	}
	out := &Result{Rejected: issues}
	for _, nt := range tables {
		file := in.Path
		if nt.name != "" {
			file = fmt.Sprintf("%s sheet %q", in.Path, nt.name)
		}
		r, err := readOpenSDGTable(ctx, in, file, nt.t, opt)
		if err != nil {
			if nt.name != "" && len(tables) > 1 {
				// A workbook mixes data sheets with parameter sheets.
				out.Warnings = append(out.Warnings, fmt.Sprintf("%v; sheet skipped", err))
				continue
			}
			return nil, err
		}
		merge(out, r)
	}
	return out, nil
}

func readOpenSDGTable(ctx context.Context, in *extract.Input, file string, t *extract.Table, opt Options) (*Result, error) {
	cols, err := classify(t)
	if err != nil {
		return nil, models.InputError(file, err)
	}
	fileCode, fromName := IndicatorFromFileName(in.Name)
	if !fromName {
		fileCode = opt.Indicator
	}
	hasIndicatorCol := false
	for _, c := range cols {
		hasIndicatorCol = hasIndicatorCol || c.role == roleIndicator
	}
	if fileCode == "" && !hasIndicatorCol {
		return nil, models.InputError(file, fmt.Errorf("cannot tell the indicator: the file name has no code like 1-2-1 and there is no Indicator column"))
	}
	country := strings.ToUpper(opt.CountryISO3)
	countryName := norm.CountryName(country)
	codeIsCountry := map[string]bool{} // "RW" in Rwanda's REF_AREA is Rwanda itself
	c := newCollector(file)
	for n, row := range t.Rows {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		base := models.Observation{
			IndicatorCode: fileCode, CountryISO3: country, GeoName: countryName,
			Dataset: opt.Dataset, File: in.Name, Row: row.Line, Dimensions: map[string]string{},
		}
		var series, seriesCode, mult, yearRaw, valueRaw, geoName string
		var yearCols []column
		for _, col := range cols {
			v := strings.TrimSpace(row.Get(col.idx))
			if v == "" && col.code >= 0 {
				v = strings.TrimSpace(row.Get(col.code))
			}
			switch col.role {
			case roleYear:
				yearRaw = v
			case roleValue:
				valueRaw = v
			case roleIndicator:
				if v != "" {
					base.IndicatorCode = strings.ToLower(v)
				}
			case roleSeries:
				series = v
			case roleSeriesCode:
				seriesCode = v
			case roleUnit:
				if base.Unit == "" {
					base.Unit = v
				}
			case roleMultiplier:
				mult = v
			case roleGeoCode:
				base.GeoCode = v
			case roleSource:
				base.Source = v
			case roleYearCol:
				yearCols = append(yearCols, col)
			case roleDim:
				if col.geo {
					// Places are not breakdowns: as in the Global Database, a
					// region's figure is that region's total. The last
					// named place is the finest (Country, then Region).
					if v != "" {
						geoName = v
					}
					continue
				}
				setDim(base.Dimensions, col.name, v)
			}
		}
		base.SeriesCode = seriesCode
		if base.SeriesCode == "" {
			base.SeriesCode = series
		}
		switch {
		case geoName != "":
			base.GeoName = geoName
		case base.GeoCode != "":
			is, ok := codeIsCountry[base.GeoCode]
			if !ok {
				iso, found := norm.Country(base.GeoCode)
				is = found && iso == country
				codeIsCountry[base.GeoCode] = is
			}
			if !is {
				base.GeoName = "" // a place known only by its code
			}
		}
		if m := strings.ToLower(mult); m != "" && m != "units" && m != "unit" && !strings.EqualFold(mult, base.Unit) && base.Unit != "" {
			base.Unit += " (" + mult + ")"
		}
		if meta, ok := opt.Meta[base.IndicatorCode]; ok {
			if base.Unit == "" {
				base.Unit = meta.Units
			}
			if base.Source == "" {
				base.Source = meta.Source
			}
		}
		if !models.IsIndicatorCode(base.IndicatorCode) {
			c.reject(row.Line, "Indicator", "indicator %q is not a code like 1.2.1", base.IndicatorCode)
			continue
		}
		if len(yearCols) == 0 {
			addOpenSDG(c, base, "Year", yearRaw, valueRaw)
			continue
		}
		for _, yc := range yearCols {
			addOpenSDG(c, base, yc.name, yc.name, strings.TrimSpace(row.Get(yc.idx)))
		}
	}
	return c.finish(), nil
}

func addOpenSDG(c *collector, o models.Observation, yearField, yearRaw, valueRaw string) {
	value, ok := parseValue(valueRaw)
	if !ok {
		c.missing++
		return
	}
	tm, err := c.parseTime(yearRaw)
	if err != nil {
		c.reject(o.Row, yearField, "%v", err)
		return
	}
	o.YearStart, o.YearEnd, o.Period, o.TimeRaw = tm.Start, tm.End, tm.Period, yearRaw
	o.Value, o.ValueRaw = value, valueRaw
	if len(o.Dimensions) > 0 {
		// Each year of a wide row is its own observation; they must not share the map.
		d := make(map[string]string, len(o.Dimensions))
		for k, v := range o.Dimensions {
			d[k] = v
		}
		o.Dimensions = d
	}
	c.add(o)
}

// classify gives each column its role. A table needs a Value column and a
// Year column, or else year columns (the wide layout).
func classify(t *extract.Table) ([]column, error) {
	keys := map[string]int{}
	for i, h := range t.Header {
		if _, ok := keys[headerKey(h)]; !ok {
			keys[headerKey(h)] = i
		}
	}
	var cols []column
	var hasYear, hasValue, hasYearCols bool
	for i, h := range t.Header {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		k := headerKey(h)
		col := column{idx: i, name: name, role: roleDim, code: -1, geo: geoNameCols[k]}
		if r, ok := openSDGRoles[k]; ok {
			col.role = r
		} else if yearHeaderRe.MatchString(name) {
			if _, err := ParseTime(name); err == nil {
				col.role, hasYearCols = roleYearCol, true
			}
		} else if label, ok := strings.CutSuffix(k, " code"); ok {
			if _, ok := keys[label]; ok {
				col.role = roleCodeOnly
			}
		}
		if col.role == roleDim {
			if j, ok := keys[k+" code"]; ok {
				col.code = j
			}
		}
		switch col.role {
		case roleYear:
			hasYear = true
		case roleValue:
			hasValue = true
		case roleIndicator:
			if !allCodes(t, i) {
				col.role = roleDim // Canada's 10.5.1 names financial ratios "Indicator"
			}
		}
		if name == "" {
			if columnBlank(t, i) {
				continue
			}
			col.name = fmt.Sprintf("column %d", i+1)
		}
		cols = append(cols, col)
	}
	switch {
	case hasYear && hasValue:
		for i := range cols {
			if cols[i].role == roleYearCol {
				cols[i].role = roleDim
			}
		}
	case hasYearCols && !hasYear && !hasValue:
	case !hasValue && !hasYearCols:
		return nil, fmt.Errorf("no Value column and no year columns (header %s)", clipHeader(t.Header))
	default:
		return nil, fmt.Errorf("no Year column and no year columns (header %s)", clipHeader(t.Header))
	}
	return cols, nil
}

func allCodes(t *extract.Table, i int) bool {
	seen := false
	for _, r := range t.Rows {
		v := strings.TrimSpace(r.Get(i))
		if v == "" {
			continue
		}
		if !models.IsIndicatorCode(strings.ToLower(v)) {
			return false
		}
		seen = true
	}
	return seen
}

func columnBlank(t *extract.Table, i int) bool {
	for _, r := range t.Rows {
		if strings.TrimSpace(r.Get(i)) != "" {
			return false
		}
	}
	return true
}

func clipHeader(h []string) string {
	s := strings.Join(h, ",")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return fmt.Sprintf("%q", s)
}
