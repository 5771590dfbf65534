// Package matrix imports the OHCHR "matrix" or "thematic list of
// recommendations" .docx files published for UPR reviews: one table row per
// recommendation with its position, UHRI themes, SDGs and affected persons.
// Every layout OHCHR has published is read, from the 2013 matrices to the
// 2025 fourth-cycle lists; columns are found by the words of their titles.
// It reads the docx with archive/zip and encoding/xml only and knows nothing
// of classifying or storing.
package matrix
