// Package modelgen is how nmirf's three default models are trained and
// measured from the shared real data: which sets, which label mappings,
// which settings. `make models` runs it through internal/modelgen/gen; its
// tests re-measure the quality floors. It is for building models only and
// is not part of the nmirf binary; it reads files only through
// internal/modelgen/corpus and trains with classify.Train.
package modelgen
