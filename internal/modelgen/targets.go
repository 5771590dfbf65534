package modelgen

import (
	"slices"

	"github.com/nmirf/nmirf/classify"
	"github.com/nmirf/nmirf/models"
)

// uprIssueTargets returns the SDG labels of a UPR Info recommendation
// labelled with issues, through data/taxonomy/upr-issue-to-sdg.csv, each
// issue giving its most specific target of a goal: where one of an issue's
// keyword rules names a target (Women's rights + "violence" → 5.2, Labour
// + "forced labour" → 8.7, Right to education + "discrimination" → 4.5),
// the issue's own default targets of that goal (5.1; 8.5 and 8.8; 4.1)
// are left out. Human reviewers and OHCHR's index tag the specific target,
// seldom the general one beside it; labelled with both, every
// violence-against-women recommendation taught the 5.1 head as much as the
// 5.2 one, and the model could not tell them apart. Another issue's
// targets stay: a second issue is a second component of the
// recommendation (Justice's 16.3 beside the Rights of the Child's 16.2).
// Goal codes and targets of other goals stay.
func uprIssueTargets(tx *classify.Taxonomy, issues []string, text string) []string {
	var out []string
	for _, issue := range issues {
		keyed := tx.UPRIssueSDGKeyed(issue, text)
		var goals []string // the goals a keyword rule names a target of
		for _, c := range keyed {
			if models.IsSDGTarget(c) {
				goals = append(goals, models.SDGGoalOf(c))
			}
		}
		for _, c := range tx.UPRIssueSDG(issue, text) {
			if models.IsSDGTarget(c) && !slices.Contains(keyed, c) && slices.Contains(goals, models.SDGGoalOf(c)) {
				continue
			}
			out = append(out, c)
		}
	}
	slices.SortFunc(out, models.CompareSDG)
	return slices.Compact(out)
}
