// Package classify holds nmirf's text models: tokenising, sparse TF-IDF
// vectors, and the linear multi-label models and clustering built on them.
// It is pure: data comes in as values or io.Readers and goes out as values or
// io.Writers; it must not touch files, the network or a database.
package classify
