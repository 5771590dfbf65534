package report

// reportCSS is the stylesheet of every HTML report: the gap report page
// adds gapCSS (A4 printing of its wide tables), the follow-up and
// parliament documents add docCSS.
const reportCSS = `body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #00689D; padding-bottom: .2rem; }
h3 { font-size: 1rem; }
.meta { color: #555; margin: 0 0 1rem; }
.meta span { margin-right: 1.5rem; }
figure { margin: 0; overflow-x: auto; }
svg text { font-family: inherit; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
caption { text-align: left; color: #555; font-size: .85rem; }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: break-word; hyphens: auto; }
th { background: #eef3f7; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #fafafa; }
.legend span { display: inline-block; margin-right: 1rem; }
.legend i { display: inline-block; width: .9rem; height: .9rem; margin-right: .3rem; vertical-align: -2px; border: 1px solid #999; }
.note { color: #555; font-size: .85rem; }
@media print {
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`

// gapCSS sizes the gap report's columns and fits its tables on A4.
const gapCSS = `td.t { width: 28%; }
td.ex { min-width: 14rem; }
td.d { white-space: nowrap; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  table { font-size: 7pt; }
  th, td { padding: .1rem .2rem; }
  td.ex { min-width: 0; width: 32%; }
  td.d { white-space: normal; }
  figure { overflow: visible; }
  svg { max-width: 100%; height: auto; }
}
`
