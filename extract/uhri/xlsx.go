package uhri

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/models"
)

// Column headers of the XLSX export, misspellings included.
const (
	colText      = "Text"
	colCountries = "Countries Concerned"
	colBody      = "Reccomending Body"
	colSession   = "UPR Session"
	colSymbol    = "Document Symbol"
	colStates    = "UPR Reccomending States"
	colPosition  = "UPR Position"
	colThemes    = "Themes"
	colPersons   = "Affected Persons"
	colSDGs      = "Sdgs"
	colDate      = "Document Publication Date"
	colID        = "OHCHR Annotation Id"
	colType      = "Type"
)

// XLSX imports the UHRI XLSX export (export-full-en.xlsx or a search
// result's "Export to Excel").
type XLSX struct{}

// Name implements extract.Importer.
func (XLSX) Name() string { return "uhri-xlsx" }

// Sniff looks for the export's misspelt headers in the workbook's strings.
func (XLSX) Sniff(in *extract.Input) (score int) {
	defer func() {
		if recover() != nil {
			score = 0
		}
	}()
	if in.Kind() != extract.KindZip {
		return 0
	}
	// A workbook cut short, damaged or a zip bomb is claimed low, so that
	// detection hands it to Import, which says what is wrong.
	const broken = 10
	zr, err := extract.OpenZip(in.Data)
	if err != nil {
		if extract.BrokenZipOf(in.Data, "xl/") {
			return broken
		}
		return 0
	}
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" && !strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue
		}
		// The header strings come first; a full export's strings run to
		// hundreds of megabytes, so only the head is read.
		head, _ := io.ReadAll(io.LimitReader(rc, 256<<10))
		rc.Close()
		if bytes.Contains(head, []byte(colBody)) && bytes.Contains(head, []byte(colCountries)) {
			return 95
		}
	}
	if extract.BrokenZipOf(in.Data, "xl/") {
		return broken
	}
	return 0
}

// Import implements extract.Importer. The export sheet is streamed row by
// row rather than held: a full UHRI export runs to hundreds of megabytes.
func (x XLSX) Import(ctx context.Context, in *extract.Input, opt extract.Options) (res *extract.Result, err error) {
	defer guard(in, &err)
	m := newMapper(x.Name(), in, xlsxFields)
	var (
		picked       bool
		firstSheet   string
		firstMissing []string
	)
	err = extract.ScanXLSX(in, func(name string, header []string) func(extract.Row) error {
		if picked {
			return nil
		}
		sh := &extract.Table{Header: header}
		if missing := missingColumns(sh); len(missing) > 0 {
			if firstSheet == "" {
				firstSheet, firstMissing = name, missing
			}
			return nil
		}
		picked = true
		col := func(names ...string) int { return sh.Col(names...) }
		var (
			cText, cCountries, cBody = col(colText), col(colCountries), col(colBody, "Recommending Body")
			cSession, cSymbol        = col(colSession), col(colSymbol)
			cStates, cPosition       = col(colStates, "UPR Recommending States"), col(colPosition)
			cThemes, cPersons, cSDGs = col(colThemes), col(colPersons), col(colSDGs)
			cDate, cID, cType        = col(colDate), col(colID), col(colType)
		)
		return func(row extract.Row) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			date := strings.TrimSpace(row.Get(cDate))
			_, numErr := strconv.ParseFloat(date, 64)
			m.add(annotation{
				pos:       row.Line,
				rawText:   row.Get(cText),
				text:      row.Get(cText),
				typ:       row.Get(cType),
				countries: splitList(row.Get(cCountries)),
				body:      splitList(row.Get(cBody)),
				session:   firstInt(row.Get(cSession)),
				symbol:    cleanItem(row.Get(cSymbol)),
				states:    splitList(row.Get(cStates)),
				positions: splitList(row.Get(cPosition)),
				themes:    splitList(row.Get(cThemes)),
				persons:   splitList(row.Get(cPersons)),
				sdgs:      splitList(row.Get(cSDGs)),
				date:      date,
				dateIsNum: date != "" && numErr == nil,
				id:        cleanItem(row.Get(cID)),
			})
			return nil
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, models.InputError(in.Path, err)
	}
	if !picked {
		return nil, models.InputError(in.Path, fmt.Errorf("not a UHRI export: sheet %q has no column %s", firstSheet, strings.Join(firstMissing, ", ")))
	}
	return m.finish(), nil
}

// missingColumns names the required columns a sheet lacks.
func missingColumns(sh *extract.Table) []string {
	var missing []string
	for _, c := range []string{colText, colCountries, colBody} {
		if sh.Col(c) < 0 && !(c == colBody && sh.Col("Recommending Body") >= 0) {
			missing = append(missing, fmt.Sprintf("%q", c))
		}
	}
	return missing
}
