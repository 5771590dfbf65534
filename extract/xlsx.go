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
// what a number means.
func ReadXLSX(in *Input) ([]Sheet, error) {
	if k := SniffKind(in.Data); k != KindZip {
		if k == KindHTML {
			return nil, errors.New("file is an HTML page, not an .xlsx workbook")
		}
		return nil, fmt.Errorf("file is %s data, not an .xlsx workbook (zip)", k)
	}
	f, err := OpenWorkbook(in.Data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Sheet
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", name, err)
		}
		sh := Sheet{Name: name}
		n := 0
		for rows.Next() {
			n++
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("sheet %q row %d: %w", name, n, err)
			}
			if n > MaxRows {
				rows.Close()
				return nil, fmt.Errorf("sheet %q has over %d rows, Excel's own limit", name, MaxRows)
			}
			if len(cols) > MaxColumns {
				rows.Close()
				return nil, fmt.Errorf("sheet %q row %d: %d columns, over the limit of %d (Excel's own)", name, n, len(cols), MaxColumns)
			}
			if blank(cols) {
				continue
			}
			if sh.Header == nil {
				for i := range cols {
					cols[i] = strings.TrimSpace(cols[i])
				}
				sh.Header = cols
				continue
			}
			sh.Rows = append(sh.Rows, Row{Line: n, Fields: cols})
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", name, err)
		}
		if sh.Header != nil {
			out = append(out, sh)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("workbook has no sheet with data")
	}
	return out, nil
}

// OpenWorkbook opens an .xlsx workbook after OpenZip's checks on what it
// inflates to. Worksheets larger than excelize's in-memory limit are
// streamed from a temporary file rather than held, so memory stays bounded
// while rows are read.
func OpenWorkbook(data []byte) (*excelize.File, error) {
	if _, err := OpenZip(data); err != nil {
		return nil, fmt.Errorf("unreadable workbook: %w", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: MaxInflatedTotal})
	if err != nil {
		return nil, fmt.Errorf("unreadable workbook: %w", err)
	}
	return f, nil
}
