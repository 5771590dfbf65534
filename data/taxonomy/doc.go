// Package taxonomy holds nmirf's hand-made label tables (the UHRI 2026
// themes with descriptions, the old-UHRI-code to 2026-theme mapping, the
// UPR Info issue to SDG and to UHRI mappings) as embedded CSV, with their
// provenance in PROVENANCE.md. It only hands out bytes; classify parses them.
package taxonomy
