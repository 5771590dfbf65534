// Package mapped imports any CSV or XLSX table of recommendations, such as an
// NMIRF's own tracking spreadsheet or a treaty body's list, through a mapping
// file that names which column holds what and which values to assume.
// It is never chosen by sniffing: the user names it with --format mapped
// --mapping FILE.
//
// The mapping is TOML (.toml) or YAML (.yaml, .yml), chosen by extension:
//
//	[columns]
//	text = "Recommendation"          # required: the recommendation or concern
//	country = "State"                # State concerned (name or ISO code)
//	body = "Committee"               # body name or code: CRC, UPR, "SR on torture", …
//	mechanism = "Mechanism"          # UPR, TB, SP, REGIONAL or OTHER; else derived from body
//	date = "Date"                    # ISO, "19 Jul 2024", 31/10/2014 or an Excel serial
//	symbol = "Symbol"                # document symbol
//	paragraph = "Para"               # else taken from a leading "12." or "115.16"
//	response = "Status"              # State's position: Supported, Noted, …
//	recommending_states = "From"     # UPR: States, split on list_separator, "," or " and "
//	kind = "Type"                    # recommendation / concern (Concerns/Observations …)
//	session = "Session"              # UPR Working Group session number
//	heading = "Heading"              # topic sub-heading
//	id = "Ref"                       # the table's own identifier, kept as the source id
//	labels = { "theme" = "Theme", "uhri-sdg" = "SDG" }  # scheme -> column
//
//	[columns.followup]               # a tracking sheet's follow-up (all optional)
//	entity = "Responsible"           # entity code or name: confirms the lead entity
//	action = "Action"                # an action's title; rows naming the same one share it
//	status = "Status"                # not_started … implemented, or "Partially implemented", "Mis en œuvre", …
//	update = "Progress"              # what was done
//	date = "Updated"                 # the date the status applies to (required with status)
//	evidence = "Evidence"            # a link
//
//	[defaults]                       # used where a row's cell is empty or has no column
//	country = "GBR"
//	mechanism = "TB"
//	body = "CRC"
//	kind = "recommendation"
//	symbol = "CRC/C/GBR/CO/6-7"
//	date = "2023-06-02"
//
//	[options]
//	sheet = "Sheet1"                 # XLSX sheet; default the first
//	list_separator = ";"             # splits label and State cells; default ";"
//	header_row = 1                   # 1-based row of the headers; default the first non-empty row
//
// Column names are matched without regard to case or surrounding space.
// Unknown keys, a mapped column the file lacks, and a mapping file that is
// neither TOML nor YAML are errors; a row without text, or with an unknown
// country, kind or body, is rejected with its row and column. A follow-up
// status outside the vocabulary or a date that cannot be read or lies in the
// future rejects the update (named by row and column), not the
// recommendation.
package mapped
