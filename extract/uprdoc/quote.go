package uprdoc

import (
	"regexp"
	"sort"
	"strings"

	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

var (
	recVerbRe     = regexp.MustCompile(`\b(?:recommended|urged|encouraged|called\s+(?:up)?on|invited|requested|asked|reiterated\s+(?:its|their|her|his)\s+recommendations?)\b`)
	concernVerbRe = regexp.MustCompile(`\b(?:(?:was|were|remained|is|are)\s+(?:(?:also|further|particularly|seriously|deeply|highly|gravely|still|especially)\s+)*(?:concerned|alarmed|worried|disturbed)|expressed\s+(?:(?:its|their|her|his|serious|deep|grave|particular)\s+)*(?:concern|regret)|noted\s+with\s+(?:(?:serious|deep|grave|particular)\s+)?concern|regretted|deplored)\b`)
	// otherVerbRe are the reporting verbs that open what a body said
	// without recommending or being concerned; the subject stands before
	// the first verb of any kind.
	otherVerbRe = regexp.MustCompile(`\b(?:noted|welcomed|stated|reported|indicated|observed|considered|acknowledged|commended|highlighted|emphasized|emphasised|stressed|recalled|added|appreciated|took|asserted|informed|explained|said|found|underlined|pointed|referred|proposed|suggested|concluded|praised|mentioned|underscored|affirmed|reiterated|was|were|remained|expressed|had|has|did|regarded|made|gave|provided|described|identified|cited)\b`)

	// tbNameRe ends a subject that names a treaty body.
	tbNameRe = regexp.MustCompile(`(?i)(?:^|[\s,(])(?:the\s+)?(Committee\s+on\s+the\s+Rights\s+of\s+the\s+Child|Committee\s+on\s+the\s+Elimination\s+of\s+Discrimination\s+against\s+Women|Committee\s+on\s+the\s+Elimination\s+of\s+Racial\s+Discrimination|Committee\s+on\s+Economic,\s+Social\s+and\s+Cultural\s+Rights|Human\s+Rights\s+Committee|HR\s+Committee|Committee\s+against\s+Torture|Subcommittee\s+on\s+(?:the\s+)?Prevention\s+of\s+Torture(?:\s+and\s+Other\s+Cruel,\s+Inhuman\s+or\s+Degrading\s+Treatment\s+or\s+Punishment)?|Committee\s+on\s+the\s+Rights\s+of\s+Persons\s+with\s+Disabilities|Committee\s+on\s+(?:the\s+Protection\s+of\s+the\s+Rights\s+of\s+All\s+)?Migrant\s+Workers(?:\s+and\s+Members\s+of\s+Their\s+Families)?|Committee\s+on\s+Enforced\s+Disappearances|(?-i:CRC|CEDAW|CERD|CESCR|CAT|SPT|CRPD|CMW|CED))(?:\s*\([A-Z-]+\))?(?:\s*,?\s*(?:also|further|however|moreover|again|therefore|subsequently|additionally|furthermore|in\s+addition|nonetheless)\s*,?)?\s*$`)
	// spNameRe opens a subject that names a special procedure.
	spNameRe = regexp.MustCompile(`(?i)^(?:the\s+)?(?:former\s+|then\s+)?(?:United\s+Nations\s+)?((?:Special\s+Rapporteurs?|Independent\s+Experts?|Special\s+Representatives?|Working\s+Group)\s+(?:on|of|for)\s+|mandate\s+holders?\b)`)
	// pronounRe is a subject that refers back to the last one.
	pronounRe = regexp.MustCompile(`(?i)^(?:and|but|,)?\s*(?:it|she|he|they|the\s+committee|the\s+same\s+committee|the\s+special\s+rapporteur|the\s+independent\s+expert|the\s+working\s+group|the\s+experts?|the\s+latter|the\s+mandate\s+holder)?\s*(?:also|further|however|moreover|again|therefore|subsequently|additionally|furthermore|in\s+addition|nonetheless)?\s*,?\s*$`)
)

// speaker is who a piece of the compilation quotes.
type speaker struct {
	mech models.Mechanism
	body string
}

// subjectOf reads who speaks in a piece: the body named just before a
// verb, or the one before when the piece refers back to it ("It", "The
// Committee", "and recommended …"). A leading clause may stand first
// ("Concerned that suicide was …, CRC urged"), so later verbs are tried
// when the first has no subject, but only for a body that follows a comma.
// ok is false for a piece with no verb, such as a list item after a
// semicolon. A speaker with an empty body is one that is neither a treaty
// body nor a special procedure (UNESCO, UNHCR, the State).
func subjectOf(text string, prev speaker) (who speaker, verbAt int, ok bool) {
	var verbs []int
	for _, re := range []*regexp.Regexp{recVerbRe, concernVerbRe, otherVerbRe} {
		for _, loc := range re.FindAllStringIndex(text, -1) {
			verbs = append(verbs, loc[0])
		}
	}
	if len(verbs) == 0 {
		return prev, -1, false
	}
	sort.Ints(verbs)
	for i, at := range verbs {
		region := text[:at]
		if i == 0 && pronounRe.MatchString(region) {
			return prev, at, true
		}
		if loc := tbNameRe.FindStringSubmatchIndex(region); loc != nil {
			before := strings.TrimSpace(region[:loc[2]])
			if i == 0 || strings.HasSuffix(before, ",") {
				if mech, code, ok := norm.Body(strings.Join(strings.Fields(region[loc[2]:loc[3]]), " ")); ok {
					return speaker{mech, code}, at, true
				}
			}
		}
		for r, lead := region, true; ; lead = false {
			if m := spNameRe.FindStringSubmatch(r); m != nil && (i == 0 || !lead) {
				if mech, code, ok := norm.Body(m[1]); ok {
					return speaker{mech, code}, at, true
				}
			}
			k := strings.Index(r, ", ")
			if k < 0 {
				break
			}
			r = r[k+2:]
		}
	}
	return speaker{}, verbs[0], true
}

// kindOf tells what a piece reports from the verbs after its subject: a
// recommendation, a concern, both (with where the second begins), or
// neither.
func kindOf(text string, from int) (first string, split int, second string) {
	rest := text[from:]
	r := recVerbRe.FindStringIndex(rest)
	c := concernVerbRe.FindStringIndex(rest)
	switch {
	case r == nil && c == nil:
		return "", -1, ""
	case c == nil:
		return models.KindRecommendation, -1, ""
	case r == nil:
		return models.KindConcern, -1, ""
	case c[0] < r[0]:
		return models.KindConcern, from + r[0], models.KindRecommendation
	default:
		return models.KindRecommendation, from + c[0], models.KindConcern
	}
}
