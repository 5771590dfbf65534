package norm

import (
	"strings"

	"github.com/nmirf/nmirf/models"
)

// responses maps the positions sources write, as normalised by bodyKey, to
// the values of models. UPR Info writes Accepted / Noted / Voluntary Pledge,
// OHCHR matrices Supported / Noted, the UPR Info database also Not Supported.
var responses = map[string]string{
	"accepted":                   models.ResponseSupported,
	"accept":                     models.ResponseSupported,
	"supported":                  models.ResponseSupported,
	"support":                    models.ResponseSupported,
	"enjoys the support":         models.ResponseSupported,
	"enjoyed the support":        models.ResponseSupported,
	"noted":                      models.ResponseNoted,
	"not supported":              models.ResponseNoted,
	"not accepted":               models.ResponseNoted,
	"rejected":                   models.ResponseNoted,
	"reject":                     models.ResponseNoted,
	"did not enjoy the support":  models.ResponseNoted,
	"does not enjoy the support": models.ResponseNoted,
	"will not enjoy the support": models.ResponseNoted,
	"voluntary pledge":           models.ResponsePledge,
	"voluntary commitment":       models.ResponsePledge,
	"pledge":                     models.ResponsePledge,
	"pending":                    models.ResponsePending,
	"will examine":               models.ResponsePending,
	"will be examined":           models.ResponsePending,
	"to be examined":             models.ResponsePending,
	"under examination":          models.ResponsePending,
	"under consideration":        models.ResponsePending,
	"awaiting response":          models.ResponsePending,
	// French and Spanish thematic lists and databases, accents folded.
	"acceptee":              models.ResponseSupported,
	"acceptees":             models.ResponseSupported,
	"soutenue":              models.ResponseSupported,
	"appuyee":               models.ResponseSupported,
	"notee":                 models.ResponseNoted,
	"notees":                models.ResponseNoted,
	"prise en note":         models.ResponseNoted,
	"non acceptee":          models.ResponseNoted,
	"non soutenue":          models.ResponseNoted,
	"rejetee":               models.ResponseNoted,
	"engagement volontaire": models.ResponsePledge,
	"en attente":            models.ResponsePending,
	"aceptada":              models.ResponseSupported,
	"aceptadas":             models.ResponseSupported,
	"apoyada":               models.ResponseSupported,
	"cuenta con apoyo":      models.ResponseSupported,
	"anotada":               models.ResponseNoted,
	"tomada en nota":        models.ResponseNoted,
	"se toma nota":          models.ResponseNoted,
	"no aceptada":           models.ResponseNoted,
	"no apoyada":            models.ResponseNoted,
	"rechazada":             models.ResponseNoted,
	"compromiso voluntario": models.ResponsePledge,
	"pendiente":             models.ResponsePending,
}

// response normalises a State's position. Partial positions ("Accepted in
// part", "Supported/Noted" for a recommendation split in two) are "other":
// neither value would be true of the whole text, and the caller keeps the raw
// value in ResponseRaw.
func response(raw string) string {
	k := bodyKey(raw)
	if k == "" {
		return ""
	}
	if r, ok := responses[k]; ok {
		return r
	}
	if strings.Contains(k, "part") || strings.Contains(raw, "/") {
		return models.ResponseOther
	}
	// Longer phrases such as "Supported, already implemented" or "Noted
	// (reasons given in the addendum)" are read by how they begin.
	switch {
	case strings.HasPrefix(k, "not support"), strings.HasPrefix(k, "not accept"),
		strings.HasPrefix(k, "did not enjoy"), strings.HasPrefix(k, "does not enjoy"),
		strings.HasPrefix(k, "reject"), strings.HasPrefix(k, "noted"),
		strings.HasPrefix(k, "notee"), strings.HasPrefix(k, "non accept"), strings.HasPrefix(k, "non soutenu"), strings.HasPrefix(k, "rejet"),
		strings.HasPrefix(k, "anotada"), strings.HasPrefix(k, "tomada en"), strings.HasPrefix(k, "no acept"), strings.HasPrefix(k, "no apoy"), strings.HasPrefix(k, "rechaz"):
		return models.ResponseNoted
	case strings.HasPrefix(k, "supported"), strings.HasPrefix(k, "accepted"),
		strings.HasPrefix(k, "enjoys the support"),
		strings.HasPrefix(k, "acceptee"), strings.HasPrefix(k, "soutenue"), strings.HasPrefix(k, "aceptada"), strings.HasPrefix(k, "apoyada"):
		return models.ResponseSupported
	case strings.Contains(k, "examine"), strings.Contains(k, "pending"):
		return models.ResponsePending
	case strings.Contains(k, "pledge"):
		return models.ResponsePledge
	}
	return models.ResponseOther
}
