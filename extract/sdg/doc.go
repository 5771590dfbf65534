// Package sdg parses the official SDG global indicator framework as UNSD
// publishes it (the A/RES/71/313 annex as CSV) into goals, targets,
// indicators and the links between indicators and targets. It reads from an
// io.Reader and touches no file system.
package sdg
