package uprinfo

import "strings"

// knownIssues are the UPR Info issue names: the HURIDOCS list of UPR Info
// issues (taxonomies/upr_info_issues_huridocs_label.vocab) plus the older
// short forms the 2008–2013 export writes ("NHRI", "Right to water").
var knownIssues = []string{
	"Asylum-seekers - refugees", "Business and human rights", "CP rights - general", "Civil society",
	"Corruption", "Counter-terrorism", "Death penalty", "Detention", "Development", "Disabilities",
	"ESC rights - general", "Elections", "Enforced disappearances", "Environment", "Extrajudicial executions",
	"Freedom of association and peaceful assembly", "Freedom of movement", "Freedom of opinion and expression",
	"Freedom of religion and belief", "Freedom of the press", "General", "HIV - Aids", "Human rights defenders",
	"Human rights education and training", "Human rights violations by state agents", "Impunity",
	"Indigenous peoples", "Internally displaced persons", "International humanitarian law",
	"International instruments", "Justice", "Labour", "Migrants", "Minorities",
	"National Human Rights Institution", "NHRI", "National plan of action", "Other", "Poverty", "Privacy",
	"Public security", "Racial discrimination", "Right to education", "Right to food", "Right to health",
	"Right to housing", "Right to land", "Right to water", "Right to water and sanitation",
	"Rights of the Child", "Sexual Orientation and Gender Identity", "Special procedures",
	"Statelessness and the right to nationality", "Technical assistance and cooperation",
	"Torture and other CID treatment", "Trafficking", "Treaty bodies", "UPR process", "Women's rights",
}

var issueIndex = func() map[string]string {
	m := make(map[string]string, len(knownIssues))
	for _, s := range knownIssues {
		m[issueKey(s)] = s
	}
	return m
}()

// issueKey compares issue names regardless of case, spacing and the space
// after a comma.
func issueKey(s string) string {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	return strings.ReplaceAll(strings.ReplaceAll(s, ", ", ","), " ,", ",")
}

// splitIssues splits the export's comma-joined Issue cell. The export joins
// with "," and does not quote names, so a name that itself holds a comma
// would be cut apart: the longest run of parts that rejoins to a known issue
// wins. Known issues come back in their canonical spelling; parts that are
// no known issue are kept as written and also returned in unknown.
func splitIssues(raw string) (issues, unknown []string) {
	parts := strings.Split(raw, ",")
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			issues = append(issues, s)
		}
	}
	for i := 0; i < len(parts); {
		n := 0
		for j := len(parts); j > i; j-- {
			if name, ok := issueIndex[issueKey(strings.Join(parts[i:j], ","))]; ok {
				add(name)
				n = j - i
				break
			}
		}
		if n == 0 {
			if p := strings.Join(strings.Fields(parts[i]), " "); p != "" {
				add(p)
				unknown = append(unknown, p)
			}
			n = 1
		}
		i += n
	}
	return issues, unknown
}
