// Package lang tells the language of a recommendation's text for the
// importers. The detector itself is internal/lang, shared with classify;
// this package keeps the importers' name for it and its real-data tests.
package lang
