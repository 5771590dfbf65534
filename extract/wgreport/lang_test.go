package wgreport

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nmirf/nmirf/models"
)

// The French and Spanish versions of Andorra's report (A/HRC/16/8), as
// excerpts: the French holds 83.1–83.6, 84.1–84.5 and 85.1–85.2 (6+5+2 =
// 13), the Spanish 83.1–83.4, 84.1–84.3 and 85.1–85.2 (4+3+2 = 9), counted
// by hand. Paragraph numbers, States and responses are those of the English
// report in andorra2011.txt.
func TestImportFrenchSpanish(t *testing.T) {
	tests := []struct {
		file, language string
		n              int
		responses      map[string]int
		samples        []sample
	}{
		{file: "andorra2011.fr.txt", language: "fr", n: 13, responses: map[string]int{"supported": 6, "pending": 5, "noted": 2},
			samples: []sample{
				{"83.2", "Adopter et appliquer une législation qui interdise sans ambiguïté tous les châtiments corporels au sein de la famille", "supported", []string{"NLD"}},
				{"84.2", "Signer et ratifier le Pacte international relatif aux droits économiques, sociaux et culturels ainsi que les Protocoles facultatifs s'y rapportant", "pending", []string{"FRA", "NLD", "PRT"}},
				{"84.3", "Devenir partie au Protocole facultatif se rapportant à la Convention contre la torture", "pending", []string{"GBR"}},
				{"85.1", "Permettre aux résidents étrangers de voter aux élections locales, et prendre toutes les mesures nécessaires pour garantir que les non-ressortissants jouissent des droits de l'homme en général", "noted", []string{"SWE"}},
			}},
		{file: "andorra2011.es.txt", language: "es", n: 9, responses: map[string]int{"supported": 4, "pending": 3, "noted": 2},
			samples: []sample{
				{"83.1", "Vigilar atentamente los efectos de la legislación, las políticas y los programas destinados a eliminar la desigualdad entre mujeres y hombres, y adoptar medidas para garantizar el disfrute de hecho de la igualdad de derechos", "supported", []string{"AZE"}},
				{"84.3", "Adherirse al Protocolo Facultativo de la Convención contra la Tortura", "pending", []string{"GBR"}},
				{"85.2", "Considerar la posibilidad de adoptar las medidas necesarias para garantizar el acceso a los derechos sociales fundamentales, como la atención de la salud y la educación, a los residentes extranjeros, incluidos sus hijos, independientemente de su situación migratoria", "noted", []string{"BRA"}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res := importPath(t, filepath.Join("testdata", tt.file))
			if len(res.Rejected) != 0 {
				t.Errorf("rejected %v", res.Rejected)
			}
			if len(res.Records) != tt.n {
				t.Fatalf("got %d records, want %d", len(res.Records), tt.n)
			}
			got := map[string]int{}
			byPara := map[string]models.Recommendation{}
			for _, r := range res.Records {
				got[r.Response]++
				byPara[r.Paragraph] = r
				if r.CountryISO3 != "AND" || r.Symbol != "A/HRC/16/8" || r.Date != "2011-01-04" || r.Session != 9 || r.Cycle != 1 {
					t.Errorf("paragraph %s: header %s %s %s session %d cycle %d", r.Paragraph, r.CountryISO3, r.Symbol, r.Date, r.Session, r.Cycle)
				}
				if r.Language != tt.language {
					t.Errorf("paragraph %s: language %q, want %q", r.Paragraph, r.Language, tt.language)
				}
			}
			if !reflect.DeepEqual(got, tt.responses) {
				t.Errorf("responses %v, want %v", got, tt.responses)
			}
			for _, s := range tt.samples {
				r := byPara[s.paragraph]
				if r.Text != s.text || r.Response != s.response || !reflect.DeepEqual(r.RecommendingStates, s.states) {
					t.Errorf("paragraph %s\n got %q %s %v\nwant %q %s %v", s.paragraph, r.Text, r.Response, r.RecommendingStates, s.text, s.response, s.states)
				}
			}
		})
	}
	// The English report is recorded as English.
	for _, r := range importPath(t, filepath.Join("testdata", "andorra2011.txt")).Records {
		if r.Language != "en" {
			t.Fatalf("English paragraph %s: language %q", r.Paragraph, r.Language)
		}
	}
}

// Lead-ins as the French and Spanish versions of Working Group reports
// word them across sessions.
func TestLeadResponseFrenchSpanish(t *testing.T) {
	tests := []struct{ lead, want string }{
		{"Les recommandations ci-après, formulées au cours du dialogue, ont l'appui de la Zambie:", models.ResponseSupported},
		{"Les recommandations formulées au cours du dialogue et énumérées ci-après ont été examinées par Andorre et ont recueilli son appui:", models.ResponseSupported},
		{"Les recommandations ci-après ont été examinées par le Chili et recueillent son adhésion:", models.ResponseSupported},
		{"Les recommandations ci-après seront examinées par la France, qui y répondra en temps voulu, et au plus tard à la vingt-deuxième session du Conseil des droits de l’homme:", models.ResponsePending},
		{"Les recommandations ci-après n’ont pas recueilli l’appui du Maroc:", models.ResponseNoted},
		{"Les recommandations ci-après ont été examinées par le Burundi et ont été notées:", models.ResponseNoted},
		{"Las recomendaciones que figuran a continuación, formuladas durante el diálogo interactivo, cuentan con el apoyo de España:", models.ResponseSupported},
		{"Las recomendaciones formuladas durante el diálogo interactivo que figuran a continuación han sido examinadas por Andorra y cuentan con su apoyo:", models.ResponseSupported},
		{"Las recomendaciones que figuran a continuación serán examinadas por el Ecuador, que les dará respuesta a su debido tiempo:", models.ResponsePending},
		{"Las recomendaciones que figuran a continuación no contaron con el apoyo de Andorra:", models.ResponseNoted},
		{"Las recomendaciones que figuran a continuación han sido examinadas por Cuba y han sido tomadas en consideración:", models.ResponseNoted},
		{"Las recomendaciones siguientes han sido tomadas en nota por el Paraguay:", models.ResponseNoted},
	}
	for _, tt := range tests {
		got, raw, comment := leadResponse(tt.lead)
		if got != tt.want || comment || raw == "" {
			t.Errorf("leadResponse(%q) = %q, comment %v; want %q", tt.lead, got, comment, tt.want)
		}
	}
}

// Recommending States in parentheses, written in French or Spanish.
func TestParseParagraphFrenchSpanish(t *testing.T) {
	tests := []struct {
		in, text string
		states   []string
	}{
		{"104.1 Ratifier le Protocole facultatif (Côte d'Ivoire); renforcer l'indépendance de la justice (Allemagne, États-Unis d'Amérique);",
			"Ratifier le Protocole facultatif; renforcer l'indépendance de la justice", []string{"Côte d'Ivoire", "Allemagne", "États-Unis d'Amérique"}},
		{"104.2 Ratificar la Convención (Estados Unidos de América) (Espagne);",
			"Ratificar la Convención", []string{"Estados Unidos de América", "Espagne"}},
		{"104.3 Adoptar medidas (República Bolivariana de Venezuela, Reino Unido de Gran Bretaña e Irlanda del Norte).",
			"Adoptar medidas", []string{"República Bolivariana de Venezuela", "Reino Unido de Gran Bretaña e Irlanda del Norte"}},
	}
	for _, tt := range tests {
		_, text, states := ParseParagraph(tt.in)
		if text != tt.text || !reflect.DeepEqual(states, tt.states) {
			t.Errorf("ParseParagraph(%q)\n = %q %v\nwant %q %v", tt.in, text, states, tt.text, tt.states)
		}
	}
}
