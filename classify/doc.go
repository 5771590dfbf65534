// Package classify holds nmirf's text models: tokenising, sparse TF-IDF
// vectors, the linear multi-label models and their training (Train,
// CrossValidate) and evaluation, the rows a prediction becomes
// (Assign), the label taxonomies and clustering. French and Spanish texts
// are read by the English models through bilingual lexicons (Projection,
// Lexicon, LearnLexicon; see data/models/MODELS.md). It is pure: data comes in
// as values or io.Readers — its taxonomy too (ParseTaxonomy), which the
// caller reads — and goes out as values or io.Writers; it must not touch
// files, the network or a database.
package classify
