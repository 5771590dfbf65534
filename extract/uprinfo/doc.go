// Package uprinfo imports the UPR Info database export (sessions as CSV in
// MacRoman with CR line ends, or UTF-8 re-saves, and as legacy BIFF8 .xls)
// into recommendations carrying UPR Info's issue and action labels. It reads
// only that export's layout and leaves classifying and storing to others.
package uprinfo
