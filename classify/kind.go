package classify

import (
	"regexp"
	"strings"
	"unicode"

	ilang "github.com/nmirf/nmirf/internal/lang"
)

// Kinds of text a model may be calibrated for: the same words weigh
// differently in a one-line recommendation and in a paragraph of a study,
// so a model can hold thresholds per kind (MultiLabel.KindThreshold).
const (
	// KindRecommendation: a recommendation to a State ("Ratify the OP-CAT
	// (Denmark);", "The State party should …").
	KindRecommendation = "recommendation"
	// KindConcern: a concern or observation of a treaty body or special
	// procedure ("The Committee is concerned that …").
	KindConcern = "concern"
	// KindNationalReport: a paragraph of a State's national report
	// ("The Government adopted …").
	KindNationalReport = "national-report"
	// KindIndicator: SDG indicator names and metadata ("Proportion of
	// women aged 20-24 years who were married …").
	KindIndicator = "indicator"
	// KindGeneral: any other text: policy papers, abstracts, news.
	KindGeneral = "general"
)

// TextKinds lists the kinds of text, in the order reports show them.
var TextKinds = []string{KindRecommendation, KindConcern, KindNationalReport, KindIndicator, KindGeneral}

// IsTextKind tells whether kind is one of TextKinds.
func IsTextKind(kind string) bool {
	for _, k := range TextKinds {
		if k == kind {
			return true
		}
	}
	return false
}

var (
	// A UPR recommendation ends with its recommending State(s) in
	// brackets: "… (Mexico);", "… (Chile, Peru)." (before a footnote mark).
	kindStateEnd = regexp.MustCompile(`\([A-Z][\p{L} ,.'’()-]{2,120}\)\s*[;.,]?\s*\d{0,3}$`)
	// The verbs recommendations start with, in the imperative.
	kindImperative = regexp.MustCompile(`^(?:\(?[a-z0-9]{1,4}[.)]\s*)?(?:[\d.]+\s+)?(?:(?:to|and|also|further|urgently|promptly|immediately|swiftly|effectively|fully|carefully|closely|duly|thoroughly|systematically|progressively|vigorously|actively)\s+)*` +
		`(?:abolish|accede|adopt|address|align|allocate|amend|consider|continue|combat|comply|conduct|cooperate|create|criminali[sz]e|decriminali[sz]e|develop|eliminate|end|enact|enhance|ensure|establish|expedite|extend|facilitate|finali[sz]e|guarantee|implement|improve|include|increase|incorporate|integrate|intensify|introduce|investigate|lift|maintain|make|monitor|pass|promote|prosecute|protect|provide|pursue|raise|ratify|redouble|reform|release|remove|repeal|respect|revise|review|seek|sign|step|strengthen|submit|take|undertake|uphold|withdraw|work|accept|allow|invite|issue|put|bring|carry|give|set|fight|prevent|prohibit|punish|reduce|reinforce|share|support|train|recogni[sz]e|become|harmoni[sz]e|refrain|stop|cease|ban|launch|redress)\b`)
	// The same in French and Spanish, where recommendations open with an
	// infinitive ("Ratifier …", "Ratificar …").
	kindImperativeFrEs = regexp.MustCompile(`^(?:\(?[a-z0-9]{1,4}[.)]\s*)?(?:[\d.]+\s+)?` +
		`(?:abolir|abroger|accepter|accroître|achever|adhérer|adopter|allouer|améliorer|appliquer|assurer|augmenter|combattre|continuer|coopérer|créer|dispenser|éliminer|élaborer|enquêter|envisager|établir|étudier|examiner|faire|fournir|garantir|harmoniser|inclure|incorporer|intégrer|intensifier|interdire|inviter|lever|lutter|mettre|modifier|offrir|poursuivre|prendre|prévenir|promouvoir|protéger|ratifier|reconnaître|redoubler|réduire|renforcer|respecter|retirer|réviser|sanctionner|sensibiliser|signer|soumettre|veiller|adresser|accélérer|` +
		`abolir|aceptar|adherirse|adherir|adoptar|ampliar|apoyar|aplicar|armonizar|asegurar|asignar|aumentar|capacitar|castigar|colaborar|combatir|concluir|considerar|continuar|cooperar|crear|cumplir|cursar|dar|derogar|elaborar|eliminar|emprender|enmendar|erradicar|establecer|estudiar|examinar|extender|facilitar|firmar|formar|fortalecer|garantizar|hacer|impulsar|incluir|incorporar|incrementar|integrar|intensificar|investigar|invitar|levantar|llevar|luchar|mejorar|modificar|ofrecer|poner|presentar|prevenir|procurar|prohibir|promover|proporcionar|proseguir|proteger|ratificar|realizar|reconocer|redoblar|reducir|reforzar|respetar|retirar|revisar|sancionar|seguir|sensibilizar|tomar|velar)\b`)
	// A treaty body's recommendation paragraph.
	kindShould = regexp.MustCompile(`\b(?:the state party|the government|the authorities|it) (?:should|must|is (?:urged|encouraged|requested|invited))\b|\b(?:the committee|the working group|the special rapporteur|the subcommittee|the expert) (?:recommends|urges|encourages|calls upon|requests|invites|reiterates its recommendation)\b`)
	// The same in French and Spanish.
	kindShouldFrEs = regexp.MustCompile(`\b(?:l[’']état partie|le gouvernement|les autorités) (?:devrait|doit|est (?:invité|encouragé|prié))\b|\b(?:le comité|le groupe de travail|le rapporteur spécial|la rapporteuse spéciale|le sous-comité) (?:recommande|exhorte|encourage|engage|prie|invite|demande)\b|\b(?:el estado parte|el gobierno|las autoridades) (?:debe|debería|deberían|deben)\b|\b(?:el comité|el grupo de trabajo|el relator especial|la relatora especial|el subcomité) (?:recomienda|insta|alienta|exhorta|pide|invita|solicita)\b`)
	// A treaty body's or special procedure's concern or observation.
	kindConcernRe = regexp.MustCompile(`\b(?:the committee|the working group|the special rapporteur|the subcommittee|the expert|it) (?:is|remains|was) (?:(?:also|further|deeply|seriously|particularly|gravely) )?(?:concerned|alarmed|disturbed|troubled)\b|\b(?:the committee|the working group|the special rapporteur|the subcommittee|the expert) (?:notes|regrets|deplores|welcomes|observes|takes note|acknowledges|expresses (?:its )?concern)\b`)
	// A national report speaks of what the State did, in the first person
	// plural or naming its own institutions.
	kindConcernFrEs = regexp.MustCompile(`\b(?:le comité|el comité|le groupe de travail|el grupo de trabajo) (?:(?:est|reste|demeure|está|sigue) (?:(?:également|aussi|profondément|vivement|también|profundamente|seriamente) )?(?:préoccupé|inquiet|alarmé|preocupado|alarmado)|(?:note|regrette|déplore|se félicite|prend note|constate|observa|lamenta|deplora|acoge con (?:beneplácito|satisfacción)|toma nota|expresa (?:su )?preocupación))\b`)
	kindNationalRe  = regexp.MustCompile(`\b(?:the government has|the government of [a-z]+ has|our (?:country|government|constitution)|we have|the ministry of [a-z ]{3,40} (?:has|adopted|launched|established)|the national assembly (?:has )?adopted|in the reporting period|since the (?:first|second|third|previous) (?:cycle|review|universal periodic review))\b`)
	// SDG indicator names and metadata.
	kindIndicatorRe = regexp.MustCompile(`^(?:indicator\s+\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}\b|(?:proportion|number|percentage|share|rate|ratio|amount|total|average|prevalence|incidence|coverage|mortality rate|extent|existence|progress|degree|level|volume|value|index|direct economic loss)\b(?:\s+\w+){0,3}\s+(?:of|in|per|for|by|to|at|attributed|that)\b)|\b(?:unit of measure|computation method|data sources?|definition and concepts|custodian agenc(?:y|ies)|disaggregation)\s*:`)

	// A measure named in a few words: "Maternal mortality ratio",
	// "Completion rate (primary education, …)".
	kindMeasureRe = regexp.MustCompile(`^[\p{L}\d ,'’-]{0,80}\b(?:ratio|rate|index|coverage|prevalence|proportion)(?:\s*\(.*\))?\s*\.?$`)
)

// DetectKind guesses the kind of a text from its wording, for texts whose
// importer does not say (a standalone file, `nmirf eval` on mixed texts):
// recommendations are short imperative sentences ("Ratify …", "… (State);",
// "The State party should …"), concerns say the body is concerned or notes,
// national reports speak of what the government did, indicator metadata
// names a measure ("Proportion of …"); anything else is general text.
func DetectKind(text string) string {
	t := strings.TrimSpace(text)
	if t == "" {
		return KindGeneral
	}
	low := strings.ToLower(t)
	words := len(strings.Fields(t))
	switch {
	case words <= 60 && kindIndicatorRe.MatchString(low), words <= 25 && kindMeasureRe.MatchString(low):
		return KindIndicator
	case kindStateEnd.MatchString(t) && words <= 150:
		return KindRecommendation
	case words <= 120 && (kindImperative.MatchString(low) || kindImperativeFrEs.MatchString(low)):
		return KindRecommendation
	case words <= 120 && opensWithInfinitive(low):
		return KindRecommendation
	}
	should := firstMatch(low, kindShould, kindShouldFrEs)
	concern := firstMatch(low, kindConcernRe, kindConcernFrEs)
	switch {
	case concern != nil && (should == nil || concern[0] < should[0]):
		return KindConcern
	case should != nil:
		return KindRecommendation
	case kindNationalRe.MatchString(low):
		return KindNationalReport
	}
	return KindGeneral
}

// firstMatch is the leftmost match in s of any of res, nil when none matches.
func firstMatch(s string, res ...*regexp.Regexp) []int {
	var first []int
	for _, re := range res {
		if m := re.FindStringIndex(s); m != nil && (first == nil || m[0] < first[0]) {
			first = m
		}
	}
	return first
}

// opensWithInfinitive tells whether a French or Spanish text opens with an
// infinitive ("Surveiller …", "Promulgar …"), as recommendations in those
// languages do: its first word ends in -er, -ir, -re or -ar and the text is
// French or Spanish (an English text may well open with "Under" or "Other").
func opensWithInfinitive(low string) bool {
	first := strings.FieldsFunc(low, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(first) == 0 || len([]rune(first[0])) < 4 {
		return false
	}
	w := first[0]
	if !strings.HasSuffix(w, "er") && !strings.HasSuffix(w, "ir") && !strings.HasSuffix(w, "re") && !strings.HasSuffix(w, "ar") &&
		!strings.HasSuffix(w, "erse") && !strings.HasSuffix(w, "arse") && !strings.HasSuffix(w, "irse") {
		return false
	}
	switch ilang.Detect(low) {
	case "fr", "es":
		return true
	}
	return false
}
