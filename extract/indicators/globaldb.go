package indicators

import (
	"context"
	"fmt"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// gdbAttributes are Global Database columns that describe a figure rather
// than break it down; every other column is a disaggregation.
var gdbAttributes = map[string]bool{
	"goal": true, "target": true, "indicator": true, "seriescode": true, "seriesdescription": true,
	"geoareacode": true, "geoareaname": true, "timeperiod": true, "value": true, "time detail": true,
	"timecoverage": true, "upperbound": true, "lowerbound": true, "baseperiod": true, "source": true,
	"geoinfourl": true, "footnote": true, "nature": true, "observation status": true, "reporting type": true,
	"units": true, "unit multiplier": true, "unitmultiplier": true, "record id": true,
}

// ReadGlobalDatabase reads a UN SDG Global Database export, CSV or XLSX
// (every sheet with the export's columns). GeoAreaCode is an M49 code:
// countries get their ISO3 code, regions and aggregates (World, Africa) keep
// CountryISO3 "". Rows whose area code is not a number, whose time cannot be
// read or whose indicator is not a code are rejected with their row.
func ReadGlobalDatabase(ctx context.Context, in *extract.Input) (*Result, error) {
	tables, issues, err := readTables(in)
	if err != nil {
		return nil, err
	}
	out := &Result{Rejected: issues}
	used := 0
	for _, nt := range tables {
		if nt.t.Col("GeoAreaCode") < 0 && nt.name != "" {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: sheet %q has no GeoAreaCode column; skipped", in.Path, nt.name))
			continue
		}
		used++
		r, err := readGlobalTable(ctx, in, nt.name, nt.t)
		if err != nil {
			return nil, err
		}
		merge(out, r)
	}
	if used == 0 {
		return nil, models.InputError(in.Path, fmt.Errorf("no sheet has the Global Database columns (GeoAreaCode, TimePeriod, Value)"))
	}
	return out, nil
}

func readGlobalTable(ctx context.Context, in *extract.Input, sheet string, t *extract.Table) (*Result, error) {
	file := in.Path
	if sheet != "" {
		file = fmt.Sprintf("%s sheet %q", in.Path, sheet)
	}
	col := func(names ...string) int { return t.Col(names...) }
	ci, cs, cg, cn := col("Indicator"), col("SeriesCode"), col("GeoAreaCode"), col("GeoAreaName")
	ct, cv, cd := col("TimePeriod"), col("Value"), col("Time_Detail")
	cu, csrc := col("Units", "[Units]"), col("Source")
	var missing []string
	for _, req := range []struct {
		name string
		idx  int
	}{{"Indicator", ci}, {"GeoAreaCode", cg}, {"TimePeriod", ct}, {"Value", cv}} {
		if req.idx < 0 {
			missing = append(missing, req.name)
		}
	}
	if len(missing) > 0 {
		return nil, models.InputError(file, fmt.Errorf("not a Global Database export: missing column(s) %s", strings.Join(missing, ", ")))
	}
	var dimCols []int
	for i, h := range t.Header {
		if !gdbAttributes[headerKey(h)] && strings.TrimSpace(h) != "" {
			dimCols = append(dimCols, i)
		}
	}
	c := newCollector(file)
	for n, row := range t.Rows {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rawValue := strings.TrimSpace(row.Get(cv))
		value, ok := parseValue(rawValue)
		if !ok {
			c.missing++
			continue
		}
		codes := indicatorInTextRe.FindAllString(row.Get(ci), -1)
		if len(codes) == 0 {
			c.reject(row.Line, "Indicator", "indicator %q is not a code like 1.2.1", row.Get(ci))
			continue
		}
		geo := strings.TrimSpace(row.Get(cg))
		if geo == "" || strings.Trim(geo, "0123456789") != "" {
			c.reject(row.Line, "GeoAreaCode", "area code %q is not an M49 number", geo)
			continue
		}
		iso3, _ := norm.CountryFromM49(geo)
		tm, err := c.parseTime(row.Get(ct))
		if err != nil {
			c.reject(row.Line, "TimePeriod", "%v", err)
			continue
		}
		timeRaw := strings.TrimSpace(row.Get(ct))
		// Time_Detail holds the span behind a figure dated by one year ("2015-2019").
		if d := strings.TrimSpace(row.Get(cd)); d != "" && d != timeRaw {
			if td, err := c.parseTime(d); err == nil && td.End > td.Start {
				tm, timeRaw = td, d
			}
		}
		dims := map[string]string{}
		for _, i := range dimCols {
			setDim(dims, strings.Trim(strings.TrimSpace(t.Header[i]), "[]"), row.Get(i))
		}
		for _, code := range codes {
			c.add(models.Observation{
				IndicatorCode: code,
				SeriesCode:    strings.TrimSpace(row.Get(cs)),
				GeoCode:       geo,
				GeoName:       strings.TrimSpace(row.Get(cn)),
				CountryISO3:   iso3,
				YearStart:     tm.Start,
				YearEnd:       tm.End,
				Period:        tm.Period,
				TimeRaw:       timeRaw,
				Value:         value,
				ValueRaw:      rawValue,
				Unit:          strings.TrimSpace(row.Get(cu)),
				Dimensions:    dims,
				Source:        strings.TrimSpace(row.Get(csrc)),
				Dataset:       DatasetGlobalDatabase,
				File:          in.Name,
				Row:           row.Line,
			})
		}
	}
	return c.finish(), nil
}

// namedTable is a CSV file (name "") or one sheet of a workbook.
type namedTable struct {
	name string
	t    *extract.Table
}

// readTables reads a CSV or XLSX input into tables, with the rows the CSV
// reader refused. An empty file or one with only a byte-order mark is an
// error naming it.
func readTables(in *extract.Input) ([]namedTable, []models.RowError, error) {
	if in == nil || len(in.Data) == 0 || strings.TrimSpace(strings.TrimPrefix(string(in.Data), "\ufeff")) == "" {
		path := ""
		if in != nil {
			path = in.Path
		}
		return nil, nil, models.InputError(path, fmt.Errorf("file is empty"))
	}
	if in.Kind() == extract.KindZip {
		var sheets []extract.Sheet
		err := safely("read workbook", func() error {
			var err error
			sheets, err = extract.ReadXLSX(in)
			return err
		})
		if err != nil {
			return nil, nil, models.InputError(in.Path, err)
		}
		out := make([]namedTable, len(sheets))
		for i := range sheets {
			out[i] = namedTable{name: sheets[i].Name, t: &sheets[i].Table}
		}
		return out, nil, nil
	}
	var t *extract.Table
	var issues []extract.RowIssue
	err := safely("read CSV", func() error {
		var err error
		t, issues, err = extract.ReadCSV(in)
		return err
	})
	if err != nil {
		return nil, nil, models.InputError(in.Path, err)
	}
	var rejected []models.RowError
	for _, is := range issues {
		rejected = append(rejected, models.RowError{File: in.Path, Row: is.Line, Field: is.Field, Msg: is.Msg})
	}
	return []namedTable{{t: t}}, rejected, nil
}

func merge(dst, src *Result) {
	dst.Observations = append(dst.Observations, src.Observations...)
	dst.Rejected = append(dst.Rejected, src.Rejected...)
	dst.Warnings = append(dst.Warnings, src.Warnings...)
}
