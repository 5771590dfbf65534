// Package pipeline runs nmirf's stages for a batch: it chooses importers,
// merges what they produce by recommendation id, applies the per-record error
// policy, holds the warehouse lock and publishes results atomically. It
// wires extract, classify and load together and holds no format knowledge.
package pipeline
