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
	if extract.SniffKind(in.Data) != extract.KindZip {
		return 0
	}
	zr, err := extract.OpenZip(in.Data)
	if err != nil {
		if extract.BrokenZipOf(in.Data, "xl/") {
			// A workbook cut short or damaged: claimed low, so that
			// detection hands it to Import, which says what is wrong.
			return 10
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
	return 0
}

// Import implements extract.Importer.
func (x XLSX) Import(ctx context.Context, in *extract.Input, opt extract.Options) (res *extract.Result, err error) {
	defer guard(in, &err)
	sheets, err := extract.ReadXLSX(in)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	sh, err := exportSheet(sheets)
	if err != nil {
		return nil, models.InputError(in.Path, err)
	}
	col := func(names ...string) int { return sh.Col(names...) }
	var (
		cText, cCountries, cBody = col(colText), col(colCountries), col(colBody, "Recommending Body")
		cSession, cSymbol        = col(colSession), col(colSymbol)
		cStates, cPosition       = col(colStates, "UPR Recommending States"), col(colPosition)
		cThemes, cPersons, cSDGs = col(colThemes), col(colPersons), col(colSDGs)
		cDate, cID, cType        = col(colDate), col(colID), col(colType)
	)
	m := newMapper(x.Name(), in, xlsxFields)
	for _, row := range sh.Rows {
		if err := ctx.Err(); err != nil {
			return nil, err
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
	}
	return m.finish(), nil
}

// exportSheet finds the sheet holding the export: the first with the
// required columns. When none has them, the error names what the first
// sheet lacks.
func exportSheet(sheets []extract.Sheet) (*extract.Sheet, error) {
	required := []string{colText, colCountries, colBody}
	var firstMissing []string
	for i := range sheets {
		var missing []string
		for _, c := range required {
			if sheets[i].Col(c) < 0 && !(c == colBody && sheets[i].Col("Recommending Body") >= 0) {
				missing = append(missing, fmt.Sprintf("%q", c))
			}
		}
		if len(missing) == 0 {
			return &sheets[i], nil
		}
		if i == 0 {
			firstMissing = missing
		}
	}
	return nil, fmt.Errorf("not a UHRI export: sheet %q has no column %s", sheets[0].Name, strings.Join(firstMissing, ", "))
}
