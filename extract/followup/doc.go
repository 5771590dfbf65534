// Package followup reads follow-up inputs: the workbooks nmirf exported
// for review, returned filled in by focal points (status updates,
// corrected labels, confirmed lead entities), IMPACT OSS CSV exports, and
// the responsibility mapping. It checks a workbook against its own hidden
// export sheet; checks against the warehouse are load's.
package followup
