// Command gen writes un-sdg-global-database/Goal1-slice.xlsx from the CSV
// slice beside it, as the SDG Global Database's "Download as Excel" does: a
// data sheet with the same columns (TimePeriod and Value as numbers where
// they are numbers) and a code description sheet.
// Run from testdata: go run gen/main.go
package main

import (
	"encoding/csv"
	"log"
	"os"
	"strconv"

	"github.com/xuri/excelize/v2"
)

func main() {
	f := excelize.NewFile()
	defer f.Close()
	write := func(sheet, path string, numeric map[string]bool) {
		fh, err := os.Open(path)
		if err != nil {
			log.Fatal(err)
		}
		defer fh.Close()
		rows, err := csv.NewReader(fh).ReadAll()
		if err != nil {
			log.Fatal(err)
		}
		if _, err := f.NewSheet(sheet); err != nil {
			log.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				var val any = v
				if r > 0 && numeric[rows[0][c]] {
					if x, err := strconv.ParseFloat(v, 64); err == nil {
						val = x
					}
				}
				if err := f.SetCellValue(sheet, cell, val); err != nil {
					log.Fatal(err)
				}
			}
		}
	}
	write("Goal1", "un-sdg-global-database/Goal1-slice.csv", map[string]bool{"TimePeriod": true, "Value": true, "GeoAreaCode": true})
	write("CodeDescriptions", "un-sdg-global-database/Goal1_SI_POV_EMP1_pattanyj_2021.CodeDescriptions.csv", nil)
	if err := f.DeleteSheet("Sheet1"); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs("un-sdg-global-database/Goal1-slice.xlsx"); err != nil {
		log.Fatal(err)
	}
}
