// Package pipeline runs nmirf's stages against a warehouse. It holds the
// stage contract (Stage, stage.go), the order of a batch run (the registry,
// stages.go) and the runner that does everything around the stages once:
// the warehouse lock, the run's row and status, the error policy,
// publication, the manifest and the log. It wires extract, classify and
// load together and holds no format knowledge: importers are extract's,
// report kinds and formats load/report's.
package pipeline
