// Package corpus assembles labelled example sets (text, labels, group)
// from the real data files nmirf's default models are trained and evaluated
// on (../shared/data), reading them with the project's own importers. It is
// for building models only and is not part of the nmirf binary. It knows
// nothing of models: mapping labels between taxonomies is left to the
// caller.
package corpus
