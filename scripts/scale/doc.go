// Command scale writes a UHRI-scale corpus for `make bench-scale`: a UHRI
// JSON export of n distinct recommendations resampled from the real texts in
// ../shared/data (UPR Info, OHCHR matrices, Human Rights Committee concluding
// observations), with countries, bodies, sessions and dates varied, and
// optionally a second file of new records for an incremental run. It is a
// benchmark tool, not part of nmirf, and is deterministic for a seed.
package main
