// Package report builds the gap, cluster, follow-up and parliament reports
// from the warehouse views (load.CreateViews) and writes them as
// self-contained HTML, Markdown, CSV, XLSX and DOCX (its own small
// WordprocessingML writer). It only reads the warehouse; it must not change
// it, and the HTML it writes must load nothing from the network.
package report
