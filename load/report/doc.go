// Package report builds the gap and cluster reports from the warehouse views
// (load.CreateViews) and writes them as self-contained HTML, Markdown, CSV
// and XLSX. It only reads the warehouse; it must not change it, and the HTML
// it writes must load nothing from the network.
package report
