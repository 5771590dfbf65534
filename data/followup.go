package data

import _ "embed"

//go:embed followup/responsibility.toml
var responsibility []byte

// Responsibility returns the default responsibility mapping (TOML): the
// entities of a generic government and the rules proposing a lead entity
// from a recommendation's labels.
func Responsibility() []byte { return responsibility }

//go:embed sample/followup-GBR-MOJ.xlsx
var sampleFollowup []byte

// SampleFollowup returns the embedded sample of a returned review
// workbook: the Ministry of Justice's workbook of the United Kingdom's
// sample recommendations, filled in (see PROVENANCE.md).
func SampleFollowup() SampleFile {
	return SampleFile{Name: "sample/followup-GBR-MOJ.xlsx", Data: sampleFollowup}
}
