// Package matrix imports the OHCHR "matrix" or "thematic list of
// recommendations" .docx files published for UPR reviews: one table row per
// recommendation with its position, UHRI themes, SDGs and affected persons.
// It reads the docx with archive/zip and encoding/xml only and knows nothing
// of classifying or storing.
package matrix
