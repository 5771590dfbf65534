package data

import _ "embed"

//go:embed followup/responsibility.toml
var responsibility []byte

// Responsibility returns the default responsibility mapping (TOML): the
// entities of a generic government and the rules proposing a lead entity
// from a recommendation's labels.
func Responsibility() []byte { return responsibility }
