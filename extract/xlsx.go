package extract

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Sheet is one worksheet read as a table: its first non-empty row is the
// header; Row.Line is the 1-based spreadsheet row number.
type Sheet struct {
	Name string
	Table
}

// ReadXLSX reads every worksheet of an .xlsx workbook. Cells come back as
// their raw values (dates as Excel serial numbers), so that importers decide
// what a number means. It holds every sheet; an importer that needs one
// sheet of a large workbook uses ScanXLSX.
func ReadXLSX(in *Input) ([]Sheet, error) {
	var out []Sheet
	err := ScanXLSX(in, func(name string, header []string) func(Row) error {
		out = append(out, Sheet{Name: name, Table: Table{Header: header}})
		sh := &out[len(out)-1]
		return func(r Row) error {
			sh.Rows = append(sh.Rows, r)
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ScanXLSX reads the worksheets of an .xlsx workbook in order, one row at a
// time, without holding them. For each sheet with data, use gets its name
// and header (its first non-empty row, trimmed) and returns the function
// that takes the sheet's rows, or nil to skip the sheet. An error from that
// function ends the scan and is returned as it is. Blank rows are skipped;
// Row.Line is the spreadsheet row number. A workbook with no sheet holding
// data is an error.
func ScanXLSX(in *Input, use func(name string, header []string) func(Row) error) error {
	if k := in.Kind(); k != KindZip {
		if k == KindHTML {
			return errors.New("file is an HTML page, not an .xlsx workbook")
		}
		return fmt.Errorf("file is %s data, not an .xlsx workbook (zip)", k)
	}
	f, err := OpenWorkbook(in.Data)
	if err != nil {
		return err
	}
	defer f.Close()
	withData := false
	for _, name := range f.GetSheetList() {
		found, err := scanSheet(f, name, use)
		if err != nil {
			return err
		}
		withData = withData || found
	}
	if !withData {
		return errors.New("workbook has no sheet with data")
	}
	return nil
}

// scanSheet streams one sheet to use; found tells whether it had a header.
func scanSheet(f *excelize.File, name string, use func(string, []string) func(Row) error) (found bool, err error) {
	rows, err := f.Rows(name)
	if err != nil {
		return false, fmt.Errorf("sheet %q: %w", name, err)
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("sheet %q: %w", name, cerr)
		}
	}()
	var take func(Row) error
	for n := 1; rows.Next(); n++ {
		if n > MaxRows {
			return found, fmt.Errorf("sheet %q has over %d rows, Excel's own limit", name, MaxRows)
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return found, fmt.Errorf("sheet %q row %d: %w", name, n, err)
		}
		if len(cols) > MaxColumns {
			return found, fmt.Errorf("sheet %q row %d: %d columns, over the limit of %d (Excel's own)", name, n, len(cols), MaxColumns)
		}
		if blank(cols) {
			continue
		}
		if !found {
			found = true
			for i := range cols {
				cols[i] = strings.TrimSpace(cols[i])
			}
			if take = use(name, cols); take == nil {
				return found, nil
			}
			continue
		}
		if err := take(Row{Line: n, Fields: cols}); err != nil {
			return found, err
		}
	}
	if err := rows.Error(); err != nil {
		return found, fmt.Errorf("sheet %q: %w", name, err)
	}
	return found, nil
}

// OpenWorkbook opens an .xlsx workbook after OpenZip's checks on what it
// inflates to. Worksheets larger than excelize's in-memory limit are
// streamed from a temporary file rather than held, so memory stays bounded
// while rows are read.
func OpenWorkbook(data []byte) (*excelize.File, error) {
	zr, err := OpenZip(data)
	if err != nil {
		return nil, fmt.Errorf("unreadable workbook: %w", err)
	}
	if err := VerifyZip(zr); err != nil {
		return nil, fmt.Errorf("unreadable workbook: %w", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: MaxInflatedTotal})
	if err != nil {
		return nil, fmt.Errorf("unreadable workbook: %w", err)
	}
	return f, nil
}
