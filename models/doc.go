// Package models holds nmirf's domain types: recommendations with their
// provenance and source labels, identifiers, validation and the error type
// that carries an exit code. It uses the standard library only and does no I/O.
package models
