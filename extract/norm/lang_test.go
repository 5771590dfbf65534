package norm

import "testing"

// French and Spanish names as the French and Spanish versions of UN
// documents print them after recommendations, for a broad sample of States
// from every region, with the forms that differ most from English.
func TestCountryFrenchSpanish(t *testing.T) {
	tests := []struct{ name, iso3 string }{
		{"France", "FRA"}, {"Espagne", "ESP"}, {"Allemagne", "DEU"}, {"Royaume-Uni de Grande-Bretagne et d'Irlande du Nord", "GBR"},
		{"États-Unis d'Amérique", "USA"}, {"Etats-Unis d’Amérique", "USA"}, {"Côte d'Ivoire", "CIV"}, {"Pays-Bas", "NLD"},
		{"Fédération de Russie", "RUS"}, {"République de Corée", "KOR"}, {"République populaire démocratique de Corée", "PRK"},
		{"République démocratique du Congo", "COD"}, {"Congo", "COG"}, {"Iran (République islamique d')", "IRN"},
		{"Bolivie (État plurinational de)", "BOL"}, {"Venezuela (République bolivarienne du)", "VEN"}, {"Saint-Siège", "VAT"},
		{"Algérie", "DZA"}, {"Maroc", "MAR"}, {"Égypte", "EGY"}, {"Arabie saoudite", "SAU"}, {"Émirats arabes unis", "ARE"},
		{"Chine", "CHN"}, {"Japon", "JPN"}, {"Inde", "IND"}, {"Thaïlande", "THA"}, {"Nouvelle-Zélande", "NZL"},
		{"Suisse", "CHE"}, {"Suède", "SWE"}, {"Norvège", "NOR"}, {"Danemark", "DNK"}, {"Slovénie", "SVN"}, {"Tchéquie", "CZE"},
		{"République tchèque", "CZE"}, {"Hongrie", "HUN"}, {"Turquie", "TUR"}, {"Ouzbékistan", "UZB"}, {"Kirghizistan", "KGZ"},
		{"Afrique du Sud", "ZAF"}, {"Soudan du Sud", "SSD"}, {"Guinée équatoriale", "GNQ"}, {"Maurice", "MUS"}, {"Tchad", "TCD"},
		{"Brésil", "BRA"}, {"Mexique", "MEX"}, {"Pérou", "PER"}, {"Équateur", "ECU"}, {"Haïti", "HTI"}, {"Trinité-et-Tobago", "TTO"},
		{"Saint-Vincent-et-les Grenadines", "VCT"}, {"Sao Tomé-et-Principe", "STP"}, {"République-Unie de Tanzanie", "TZA"},
		{"ex-République yougoslave de Macédoine", "MKD"}, {"Jamahiriya arabe libyenne", "LBY"},
		{"Estados Unidos de América", "USA"}, {"Reino Unido de Gran Bretaña e Irlanda del Norte", "GBR"}, {"Alemania", "DEU"},
		{"España", "ESP"}, {"Francia", "FRA"}, {"Países Bajos", "NLD"}, {"Federación de Rusia", "RUS"}, {"República de Corea", "KOR"},
		{"República Democrática del Congo", "COD"}, {"Irán (República Islámica del)", "IRN"}, {"República Islámica del Irán", "IRN"},
		{"Bolivia (Estado Plurinacional de)", "BOL"}, {"Venezuela (República Bolivariana de)", "VEN"}, {"Santa Sede", "VAT"},
		{"Argelia", "DZA"}, {"Marruecos", "MAR"}, {"Egipto", "EGY"}, {"Arabia Saudita", "SAU"}, {"Emiratos Árabes Unidos", "ARE"},
		{"Japón", "JPN"}, {"Tailandia", "THA"}, {"Nueva Zelandia", "NZL"}, {"Suiza", "CHE"}, {"Suecia", "SWE"}, {"Noruega", "NOR"},
		{"Dinamarca", "DNK"}, {"Eslovenia", "SVN"}, {"Chequia", "CZE"}, {"Hungría", "HUN"}, {"Turquía", "TUR"}, {"Sudáfrica", "ZAF"},
		{"Sudán del Sur", "SSD"}, {"Guinea Ecuatorial", "GNQ"}, {"Mauricio", "MUS"}, {"Brasil", "BRA"}, {"México", "MEX"},
		{"Perú", "PER"}, {"Haití", "HTI"}, {"Trinidad y Tabago", "TTO"}, {"San Vicente y las Granadinas", "VCT"},
		{"Santo Tomé y Príncipe", "STP"}, {"República Unida de Tanzanía", "TZA"}, {"República Árabe Siria", "SYR"},
		{"Kazajstán", "KAZ"}, {"Belarús", "BLR"}, {"Yibuti", "DJI"}, {"Granada", "GRD"}, {"Túnez", "TUN"},
		// English names still resolve as before.
		{"Germany", "DEU"}, {"United States of America", "USA"}, {"Guinea", "GIN"}, {"Niger", "NER"}, {"Nigeria", "NGA"},
	}
	for _, tt := range tests {
		if got, ok := Country(tt.name); !ok || got != tt.iso3 {
			t.Errorf("Country(%q) = %q, %v; want %q", tt.name, got, ok, tt.iso3)
		}
	}
	// Every Member State has its French and Spanish names in the table.
	for iso3, names := range frEsNames {
		for _, n := range names {
			if got, ok := Country(n); !ok || got != iso3 {
				t.Errorf("Country(%q) = %q, %v; want %q", n, got, ok, iso3)
			}
		}
	}
	if len(frEsNames) < 193 {
		t.Errorf("%d States have French/Spanish names, want the 193 Member States and more", len(frEsNames))
	}
}

func TestDateFrenchSpanish(t *testing.T) {
	for raw, want := range map[string]string{
		"4 janvier 2011": "2011-01-04", "1er mars 2011": "2011-03-01", "23 mai 2008": "2008-05-23", "15 août 2012": "2012-08-15",
		"4 de enero de 2011": "2011-01-04", "31 de diciembre de 2012": "2012-12-31", "7 mayo 2009": "2009-05-07",
	} {
		if got, err := Date(raw); err != nil || got != want {
			t.Errorf("Date(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}

// Positions as French and Spanish thematic lists write them.
func TestResponseFrenchSpanish(t *testing.T) {
	for raw, want := range map[string]string{
		"Acceptée": "supported", "Notée": "noted", "Non acceptée": "noted", "Notée (voir l'additif)": "noted",
		"Acceptée, déjà mise en œuvre": "supported", "Engagement volontaire": "pledge",
		"Aceptada": "supported", "Apoyada": "supported", "Anotada": "noted", "Se toma nota": "noted",
		"Aceptada, ya aplicada": "supported", "Compromiso voluntario": "pledge", "Pendiente": "pending",
	} {
		if got := response(raw); got != want {
			t.Errorf("response(%q) = %q, want %q", raw, got, want)
		}
	}
}
