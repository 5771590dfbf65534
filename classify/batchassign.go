package classify

import (
	"strings"

	"github.com/nmirf/nmirf/models"
)

// Assignments turns m's prediction of one text into the text's assignments,
// as Assign makes them: ranked by score within each scheme, SDG labels split
// into targets and goals. For the evidence to be in the readable form Assign
// gives, p must come from PredictOptions.ReadableEvidence.
func (m *Model) Assignments(p Prediction) []models.Assignment {
	return assignmentsOf(p, m, models.SchemeOf(m.Task))
}

// BatchTextFlags are TextFlags of a text classified by a Batch of the
// models, from its KnownShare instead of tokenising the text again.
func BatchTextFlags(text string, notEnglish bool, c Classified) []string {
	if strings.TrimSpace(text) == "" {
		return []string{FlagEmpty}
	}
	var flags []string
	if notEnglish {
		flags = append(flags, FlagNotEnglish)
	}
	if c.KnownShare < 0.3 {
		flags = append(flags, FlagUnknownWords)
	}
	return flags
}
