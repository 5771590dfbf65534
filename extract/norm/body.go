package norm

import (
	"strings"

	"github.com/nmirf/nmirf/models"
)

type bodyRef struct {
	mech models.Mechanism
	code string
}

// bodyNames maps the codes and full names of bodies, as normalised by
// bodyKey, to mechanism and code.
var bodyNames = map[string]bodyRef{}

func init() {
	add := func(mech models.Mechanism, code string, names ...string) {
		for _, n := range append([]string{code}, names...) {
			bodyNames[bodyKey(n)] = bodyRef{mech, code}
		}
	}
	add(models.MechanismUPR, "UPR", "Universal Periodic Review", "Working Group on the Universal Periodic Review", "UPR Working Group")
	tb := models.MechanismTB
	add(tb, "CRC", "Committee on the Rights of the Child")
	add(tb, "CEDAW", "Committee on the Elimination of Discrimination against Women")
	add(tb, "CESCR", "Committee on Economic, Social and Cultural Rights")
	add(tb, "CCPR", "Human Rights Committee", "HR Committee", "HRCttee")
	add(tb, "CAT", "Committee against Torture")
	add(tb, "SPT", "Subcommittee on Prevention of Torture", "Subcommittee on the Prevention of Torture",
		"Subcommittee on Prevention of Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment")
	add(tb, "CERD", "Committee on the Elimination of Racial Discrimination")
	add(tb, "CRPD", "Committee on the Rights of Persons with Disabilities")
	add(tb, "CMW", "Committee on Migrant Workers",
		"Committee on the Protection of the Rights of All Migrant Workers and Members of Their Families")
	add(tb, "CED", "Committee on Enforced Disappearances")
	reg := models.MechanismRegional
	add(reg, "IACHR", "Inter-American Commission on Human Rights", "CIDH")
	add(reg, "IACtHR", "Inter-American Court of Human Rights", "Corte IDH")
	add(reg, "ACHPR", "African Commission on Human and Peoples' Rights")
	add(reg, "AfCHPR", "African Court on Human and Peoples' Rights")
	add(reg, "ACERWC", "African Committee of Experts on the Rights and Welfare of the Child")
	add(reg, "ECtHR", "European Court of Human Rights", "ECHR")
	add(reg, "CoE", "Council of Europe", "Council of Europe Commissioner for Human Rights")
	add(reg, "ECSR", "European Committee of Social Rights")
	add(reg, "ECRI", "European Commission against Racism and Intolerance")
	add(reg, "CPT", "European Committee for the Prevention of Torture",
		"European Committee for the Prevention of Torture and Inhuman or Degrading Treatment or Punishment")
	add(reg, "GRETA", "Group of Experts on Action against Trafficking in Human Beings")
	add(reg, "GREVIO", "Group of Experts on Action against Violence against Women and Domestic Violence")
	add(reg, "OSCE", "Organization for Security and Co-operation in Europe", "OSCE/ODIHR", "ODIHR")
	add(reg, "AICHR", "ASEAN Intergovernmental Commission on Human Rights")
	add(reg, "AHRC", "Arab Human Rights Committee")
}

// spPrefixes tell special procedures by how their names begin; UHRI writes
// "SR on torture", "IE on …", "WG on Arbitrary Detention".
var spPrefixes = []struct{ prefix, code string }{
	{"sr", "SR"},
	{"special rapporteur", "SR"},
	{"special rapporteurs", "SR"},
	{"ie", "IE"},
	{"independent expert", "IE"},
	{"wg", "WG"},
	{"wgad", "WG"},
	{"wgeid", "WG"},
	{"working group", "WG"},
}

func body(raw string) (models.Mechanism, string, bool) {
	k := bodyKey(raw)
	if k == "" {
		return "", "", false
	}
	if b, ok := bodyNames[k]; ok {
		return b.mech, b.code, true
	}
	// "Committee on the Rights of the Child (CRC)" or "CRC (Committee on …)"
	if s := cleanBody(raw); strings.HasSuffix(s, ")") {
		if i := strings.LastIndexByte(s, '('); i > 0 {
			for _, part := range []string{s[i+1 : len(s)-1], s[:i]} {
				if b, ok := bodyNames[bodyKey(part)]; ok {
					return b.mech, b.code, true
				}
			}
		}
	}
	// Optional-protocol reporting such as "CRC-OP-AC" goes to the committee.
	if i := strings.Index(k, " op"); i > 0 {
		if b, ok := bodyNames[k[:i]]; ok && b.mech == models.MechanismTB {
			return b.mech, b.code, true
		}
	}
	if strings.Contains(k, "universal periodic review") {
		return models.MechanismUPR, "UPR", true
	}
	for _, p := range spPrefixes {
		if k == p.prefix || strings.HasPrefix(k, p.prefix+" ") {
			return models.MechanismSP, p.code, true
		}
	}
	return "", "", false
}

// BodyMandate returns the mandate of a special procedure as the source wrote
// it ("SR on torture" for "- SR on torture"), and "" for any other body.
func BodyMandate(raw string) string {
	if mech, _, ok := body(raw); !ok || mech != models.MechanismSP {
		return ""
	}
	return cleanBody(raw)
}

// cleanBody removes the list dash UHRI puts before each value and extra
// white space.
func cleanBody(raw string) string {
	s := strings.TrimSpace(raw)
	s = strings.TrimLeft(s, "-–•* \t")
	return strings.Join(strings.Fields(s), " ")
}

// bodyKey is countryKey's normalisation without the inversion of names,
// plus the removal of a leading "UN" that some sources prefix bodies with.
func bodyKey(raw string) string {
	var b strings.Builder
	b.Grow(len(raw))
	writeKey(&b, cleanBody(raw))
	k := strings.TrimPrefix(b.String(), "the ")
	k = strings.TrimPrefix(k, "un ")
	return strings.TrimPrefix(k, "united nations ")
}
