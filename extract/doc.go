// Package extract turns the files an NMIRF receives into models.Recommendation
// values with provenance. It defines the importer contract, content sniffing
// and text decoding shared by the importers in its sub-packages. It knows
// nothing of classifying or storing.
package extract
