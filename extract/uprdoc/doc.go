// Package uprdoc imports the UN compilations prepared for the Universal
// Periodic Review (A/HRC/WG.6/N/XXX/2), as text or as legal-sources JSON
// records, and keeps the treaty-body and special-procedure recommendations
// and concerns they quote, each traced through its endnote to the source
// document and paragraph. It does not classify, merge or store anything.
package uprdoc
