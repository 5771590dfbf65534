package extract

import (
	"strings"
	"testing"
	"unicode"
)

// notEnglishByFields is NotEnglish as first written: the lower-cased text
// split at every rune that is not a letter. NotEnglish must agree with it.
func notEnglishByFields(text string) bool {
	en, other := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if englishWords[w] {
			en++
		} else if foreignWords[w] {
			other++
		}
	}
	return other >= 2 && other > en
}

// notEnglishSeeds are texts in the languages the word lists name, and the
// corner cases of splitting: capitals, accents, letters that change length
// when lower-cased (İ, K), digits and marks between letters, invalid UTF-8.
var notEnglishSeeds = []string{
	"Ratifier le Protocole facultatif se rapportant à la Convention contre la torture et mettre en place un mécanisme national de prévention.",
	"Ratify the Optional Protocol to the Convention against Torture and establish a national preventive mechanism.",
	"Ratify OP-CAT",
	"Ratificar el Protocolo Facultativo de la Convención contra la Tortura y establecer un mecanismo nacional",
	"Das Fakultativprotokoll zum Übereinkommen gegen Folter ratifizieren und einen nationalen Präventionsmechanismus für die Länder",
	"Ratificar o Protocolo Facultativo da Convenção contra a Tortura, não adiar, com uma lei",
	"LE LA LES DES İN THE ANd\u212a FÜR NÃO",
	"le1la2les3 de\u0301s du\xffet\xfe une un",
	"İİİİİİİİ le la les",
	"",
}

func TestNotEnglishSameAsSplitting(t *testing.T) {
	for _, text := range notEnglishSeeds {
		if got, want := NotEnglish(text), notEnglishByFields(text); got != want {
			t.Errorf("NotEnglish(%q) = %v, splitting the lower-cased text gives %v", text, got, want)
		}
	}
	if !NotEnglish(notEnglishSeeds[0]) || NotEnglish(notEnglishSeeds[1]) || !NotEnglish(notEnglishSeeds[3]) {
		t.Error("the French and Spanish recommendations must read as not English, the English one as English")
	}
}

func FuzzNotEnglish(f *testing.F) {
	for _, text := range notEnglishSeeds {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := NotEnglish(text), notEnglishByFields(text); got != want {
			t.Errorf("NotEnglish(%q) = %v, splitting the lower-cased text gives %v", text, got, want)
		}
	})
}
