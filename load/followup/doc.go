// Package followup writes the workbooks an NMIRF secretariat sends to the
// focal points of the responsible entities: one sheet of recommendations
// grouped by cluster, with locked identifying columns and empty columns to
// fill in, a sheet saying how, and a hidden sheet recording what was
// exported so that the returned file can be checked. Reading returned
// workbooks is extract/followup's job.
package followup
