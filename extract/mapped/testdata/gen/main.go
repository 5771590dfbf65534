//go:build ignore

// Command gen writes ccpr-recommendations.xlsx from ccpr-recommendations.csv:
// the same rows under a title row, without the Committee column, with the
// dates as date cells, on a sheet named "Recommendations". Run it from the
// testdata folder: go run gen/main.go
package main

import (
	"encoding/csv"
	"log"
	"os"
	"time"

	"github.com/xuri/excelize/v2"
)

func main() {
	f, err := os.Open("ccpr-recommendations.csv")
	if err != nil {
		log.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		log.Fatal(err)
	}
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "Recommendations"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		log.Fatal(err)
	}
	x.SetCellValue(sheet, "A1", "Human Rights Committee: recommendations followed up by the NMIRF")
	dateStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 15}) // d-mmm-yy
	for i, rec := range recs {
		row := i + 2
		col := 0
		for j, v := range rec {
			if j == 2 { // Committee
				continue
			}
			col++
			cell, _ := excelize.CoordinatesToCellName(col, row)
			var val any = v
			if j == 3 && i > 0 {
				for _, layout := range []string{"2 January 2006", "02/01/2006"} {
					if t, err := time.Parse(layout, v); err == nil {
						val = t
						x.SetCellStyle(sheet, cell, cell, dateStyle)
					}
				}
			}
			if err := x.SetCellValue(sheet, cell, val); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := x.SaveAs("ccpr-recommendations.xlsx"); err != nil {
		log.Fatal(err)
	}
}
