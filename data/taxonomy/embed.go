package taxonomy

import _ "embed"

// UHRIThemes is uhri-themes.csv: theme, uhri_records, description.
//
//go:embed uhri-themes.csv
var UHRIThemes []byte

// UHRIOldTo2026 is uhri-old-to-2026.csv: scheme, code, old_name, themes_2026, note.
//
//go:embed uhri-old-to-2026.csv
var UHRIOldTo2026 []byte

// UPRIssueToSDG is upr-issue-to-sdg.csv: issue, keywords, sdg, note.
//
//go:embed upr-issue-to-sdg.csv
var UPRIssueToSDG []byte

// UPRIssueToUHRI is upr-issue-to-uhri.csv: issue, keywords, themes_2026, note.
//
//go:embed upr-issue-to-uhri.csv
var UPRIssueToUHRI []byte
