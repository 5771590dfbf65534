// Package recipe is how nmirf's three default models are trained and
// measured from the shared real data: which sets, which label mappings,
// which settings. `make models` runs it through data/models/gen; its tests
// re-measure the quality floors. It reads files but only through
// extract/training.
package recipe
