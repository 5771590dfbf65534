package classify

import (
	_ "embed"
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
	kindIndicatorRe = regexp.MustCompile(`^(?:indicator\s+\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2}\b|(?:proportion|number|percentage|share|rate|ratio|amount|total|average|prevalence|incidence|coverage|mortality rate|extent|existence|progress|degree|level|volume|value|index|direct economic loss)\b(?:\s+\w+){0,3}\s+(?:of|in|per|for|by|to|at|attributed|that)\b)`)
	// The field names of indicator metadata, before a colon.
	kindMetadataRe = regexp.MustCompile(`\b(?:unit of measure|computation method|data sources?|definition and concepts|custodian agenc(?:y|ies)|disaggregation)\s*:`)

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
	words := countWords(t)
	switch {
	case words <= 60 && (hasAnyPrefix(low, indicatorOpenings) && kindIndicatorRe.MatchString(low) || strings.IndexByte(low, ':') >= 0 && kindMetadataRe.MatchString(low)),
		words <= 25 && containsAny(low, measureWords) && kindMeasureRe.MatchString(low):
		return KindIndicator
	case words <= 150 && endsWithState(t):
		return KindRecommendation
	case words <= 120 && (opensWithVerb(t) || kindImperativeFrEs.MatchString(low)):
		return KindRecommendation
	case words <= 120 && opensWithInfinitive(low):
		return KindRecommendation
	}
	// Each regular expression runs only on a text holding a word that all
	// its matches hold: scanning a text for a few words is much cheaper.
	var should, concern []int
	if containsAny(low, shouldWords) {
		should = firstMatch(low, kindShould, kindShouldFrEs)
	}
	if containsAny(low, concernWords) {
		concern = firstMatch(low, kindConcernRe, kindConcernFrEs)
	}
	switch {
	case concern != nil && (should == nil || concern[0] < should[0]):
		return KindConcern
	case should != nil:
		return KindRecommendation
	case containsAny(low, nationalWords) && kindNationalRe.MatchString(low):
		return KindNationalReport
	}
	return KindGeneral
}

// Words every match of kindShould or kindShouldFrEs holds, of kindConcernRe
// or kindConcernFrEs, and of kindNationalRe.
var (
	shouldWords = []string{"should", "must", "urge", "encourag", "request", "invit", "recommend", "calls upon", "reiterates",
		"devrait", "doit", "prié", "prie", "recommand", "exhort", "engage", "demande",
		"debe", "recomienda", "insta", "alienta", "pide", "solicita"}
	concernWords = []string{"concerned", "alarm", "disturbed", "troubled", "note", "regret", "deplor", "déplore", "welcomes", "observ",
		"acknowledges", "expres", "préoccupé", "inquiet", "preocupado", "félicite", "constate", "lamenta", "acoge con", "toma nota"}
	nationalWords = []string{"government", "our ", "we have", "ministry of", "national assembly", "reporting period", "since the"}
)

// Words every match of kindIndicatorRe opens with, and words every match
// of kindMeasureRe holds.
var (
	indicatorOpenings = []string{"indicator", "proportion", "number", "percentage", "share", "rate", "ratio", "amount", "total", "average",
		"prevalence", "incidence", "coverage", "mortality rate", "extent", "existence", "progress", "degree", "level", "volume", "value",
		"index", "direct economic loss"}
	measureWords = []string{"ratio", "rate", "index", "coverage", "prevalence", "proportion"}
)

// hasAnyPrefix tells whether s opens with any of words.
func hasAnyPrefix(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// containsAny tells whether s holds any of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// endsWithState tells whether t ends with its recommending State(s) in
// brackets (kindStateEnd), trying the expression on the end of t only.
func endsWithState(t string) bool {
	end := strings.TrimRight(t, " \t\n\r;.,0123456789")
	if !strings.HasSuffix(end, ")") {
		return false
	}
	// The bracket opens at most 125 bytes (121 characters and their
	// multi-byte letters) before the end.
	from := max(0, len(end)-4*125)
	for from > 0 && from < len(t) && t[from]&0xC0 == 0x80 {
		from++
	}
	return kindStateEnd.MatchString(t[from:])
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

// countWords is len(strings.Fields(s)) without the slice.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// kindVerbsFile lists the verbs English recommendations open with, learnt
// from the UPR Info recommendations (its header says how; made by
// internal/modelgen).
//
//go:embed kindverbs.txt
var kindVerbsFile string

// kindVerbs are the verbs of kindVerbsFile, and a few more that
// recommendations use though seldom as their first word.
var kindVerbs = func() map[string]bool {
	v := map[string]bool{}
	for _, line := range strings.Split(kindVerbsFile, "\n") {
		if w, _, _ := strings.Cut(line, "\t"); w != "" && !strings.HasPrefix(w, "#") {
			v[w] = true
		}
	}
	for _, w := range strings.Fields("criminalise decriminalise finalise harmonise recognise redress ban stop cease " +
		"combat prosecute monitor train punish prevent reduce support") {
		v[w] = true
	}
	return v
}()

// maxOpeningSkips is how many adverbs and joining words may come before a
// recommendation's verb ("To also fully implement …").
const maxOpeningSkips = 4

// skipsOpening tells whether w, a lower-case word at the start of a
// recommendation, comes before its verb: an adverb ("Urgently ratify",
// "Fully implement") or a joining word ("To ratify", "Also consider").
func skipsOpening(w []byte) bool {
	switch string(w) {
	case "to", "and", "also", "further", "re", "both", "please", "kindly":
		return true
	case "apply", "comply", "supply", "multiply", "reply", "imply", "rely":
		return false
	}
	return len(w) >= 4 && w[len(w)-2] == 'l' && w[len(w)-1] == 'y'
}

// nextWord returns the ASCII letters of the first word of s from i on,
// lower-cased into buf, and where the word ends; ok is false when s has no
// more words or the word is not plain ASCII letters (a French or Spanish
// word, a number), or longer than buf.
func nextWord(s string, i int, buf *[24]byte) (w []byte, end int, ok bool) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '-' || s[i] == ',' || s[i] == '"') {
		i++
	}
	n := 0
	for ; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c < 'a' || c > 'z' {
			break
		}
		if n == len(buf) {
			return nil, i, false
		}
		buf[n] = c
		n++
	}
	if n == 0 || i < len(s) && s[i] >= 0x80 {
		return nil, i, false
	}
	return buf[:n], i, true
}

// skipNumbering returns where the text of t starts after a paragraph
// number or list mark: "104.1 ", "(a) ", "b) ", "3. ".
func skipNumbering(t string) int {
	i := 0
	if i < len(t) && t[i] == '(' {
		if j := strings.IndexByte(t[:min(len(t), 7)], ')'); j > 0 {
			return j + 1
		}
		return 0
	}
	j := i
	for j < len(t) && j-i < 5 && ('0' <= t[j] && t[j] <= '9' || 'a' <= t[j] && t[j] <= 'z' && j-i < 2) {
		j++
	}
	if j > i && j < len(t) && (t[j] == '.' || t[j] == ')') {
		for j < len(t) && (t[j] == '.' || t[j] == ')' || '0' <= t[j] && t[j] <= '9') {
			j++
		}
		return j
	}
	return 0
}

// opensWithVerb tells whether English text t opens, after any numbering,
// adverbs and joining words, with a verb of kindVerbs that is not read as a
// noun ("Review of the literature", "Work must be shared": the verb
// followed by "of", by a verb of being or having, or by a modal).
func opensWithVerb(t string) bool {
	if q := strings.IndexAny(t, ".?"); q >= 0 && t[q] == '?' {
		return false // a question: "Do immigrants take …?"
	}
	var buf [24]byte
	i := skipNumbering(t)
	if w, _, ok := nextWord(t, i, &buf); ok && leadsClause(w) {
		// "As previously recommended, explore …", "With regard to …,
		// implement …": the verb follows the opening clause's comma.
		if c := strings.IndexByte(t[i:min(len(t), i+maxClause)], ','); c > 0 {
			i += c + 1
		}
	}
	return verbAt(t, i, &buf)
}

// maxClause is the longest opening clause, in bytes, before the verb of a
// recommendation ("With regard to the new legislation on domestic
// violence, implement …").
const maxClause = 160

// leadsClause tells whether w opens a clause that comes before a
// recommendation's verb.
func leadsClause(w []byte) bool {
	switch string(w) {
	case "as", "with", "before", "after", "in", "within", "through", "following", "given", "bearing",
		"taking", "regarding", "pending", "until", "while", "whilst", "once", "where", "when", "upon", "on", "for":
		return true
	}
	return false
}

// verbAt tells whether t from i on opens with a verb of kindVerbs, after
// any adverbs and joining words (see opensWithVerb).
func verbAt(t string, i int, buf *[24]byte) bool {
	for range maxOpeningSkips + 1 {
		w, end, ok := nextWord(t, i, buf)
		if !ok {
			return false
		}
		i = end
		if kindVerbs[string(w)] {
			next, _, ok := nextWord(t, i, buf)
			if !ok {
				return true
			}
			switch string(next) {
			case "of", "is", "are", "was", "were", "has", "have", "had", "must", "should", "can", "will", "may", "could", "would":
				return false
			}
			return true
		}
		if !skipsOpening(w) {
			return false
		}
	}
	return false
}

// OpeningWord returns the lower-case first word of an English text after
// any numbering, adverbs and joining words, as DetectKind reads it to find
// the verb a recommendation opens with; "" when there is none.
func OpeningWord(text string) string {
	var buf [24]byte
	i := skipNumbering(strings.TrimSpace(text))
	t := strings.TrimSpace(text)
	for range maxOpeningSkips + 1 {
		w, end, ok := nextWord(t, i, &buf)
		if !ok {
			return ""
		}
		i = end
		if !skipsOpening(w) {
			return string(w)
		}
	}
	return ""
}
