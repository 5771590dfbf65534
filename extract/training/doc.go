// Package training assembles labelled example sets (text, labels, group)
// from the real data files nmirf's default models are trained and evaluated
// on, reading them with the project's own importers. It knows nothing of
// models: mapping labels between taxonomies is left to the caller.
package training
