package data

import (
	"embed"
	"io/fs"
)

//go:embed sdg/i18n
var sdgI18n embed.FS

// SDGTranslations holds the official French and Spanish titles of the SDG
// goals, targets and indicators as Open SDG publishes them
// (global_{goals,targets,indicators}.{fr,es}.yml; see sdg/PROVENANCE.md).
func SDGTranslations() fs.FS {
	sub, err := fs.Sub(sdgI18n, "sdg/i18n")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	return sub
}
