// Package formats lists every importer nmirf knows, for detection by
// content and for --format.
package formats

import (
	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/followup"
	"github.com/nmirf/nmirf/extract/mapped"
	"github.com/nmirf/nmirf/extract/matrix"
	"github.com/nmirf/nmirf/extract/tbco"
	"github.com/nmirf/nmirf/extract/uhri"
	"github.com/nmirf/nmirf/extract/uprdoc"
	"github.com/nmirf/nmirf/extract/uprinfo"
	"github.com/nmirf/nmirf/extract/wgreport"
)

// All returns the importers, in the order ties are broken in detection.
func All() []extract.Importer {
	return []extract.Importer{
		uprinfo.CSV,
		uprinfo.XLS,
		uhri.XLSX{},
		uhri.JSON{},
		matrix.New(),
		wgreport.Importer{},
		tbco.Importer{},
		uprdoc.Importer{},
		mapped.Importer{},
		followup.Workbook{},
		followup.ImpactOSS{},
	}
}

// Names returns the importer names.
func Names() []string {
	var n []string
	for _, imp := range All() {
		n = append(n, imp.Name())
	}
	return n
}
