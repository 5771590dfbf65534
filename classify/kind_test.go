package classify

import (
	"strings"
	"testing"
)

// Real texts of each kind, from the documents named.
func TestDetectKind(t *testing.T) {
	cases := []struct{ from, text, want string }{
		{"OHCHR thematic list, China 2018", "Continue to provide assistance to low-income groups in urban and rural areas (Angola);", KindRecommendation},
		{"OHCHR thematic list, China 2018", "Make additional efforts to close the gap between rural and urban areas (Oman);", KindRecommendation},
		{"OHCHR thematic list, China 2013", "Ratify as soon as possible ICCPR (Brazil); Speed up the ratification of the ICCPR", KindRecommendation},
		{"UPR recommendation without its State", "Consider ratifying the Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families.", KindRecommendation},
		{"CCPR/C/NAM/CO/2 para 8", "The State party should increase resources allocated to the Office of the Ombudsman to ensure that it can adequately fulfil its mandate. It is furthermore encouraged to adopt the proposed amendments to the Ombudsman Act (Act No. 7 of 1990).", KindRecommendation},
		{"CCPR/C/NAM/CO/2 para 7", "The Committee is concerned that the Office of the Ombudsman is insufficiently resourced (art. 2).", KindConcern},
		{"CCPR/C/NAM/CO/2 para 9", "While noting the measures taken to eliminate discrimination, the Committee is concerned that protection against discrimination is insufficient. It is particularly concerned about:", KindConcern},
		{"A/HRC/WG.6/20/SVN/1 para 34", "The Government has adopted the Commitment to citizens to improve the situation in the judiciary, signed by the presidents of the courts.", KindNationalReport},
		{"SDG indicator 5.3.1", "Proportion of women aged 20-24 years who were married or in a union before age 15 and before age 18", KindIndicator},
		{"SDG indicator 1.5.2", "Direct economic loss attributed to disasters in relation to global gross domestic product (GDP)", KindIndicator},
		{"SwissText 2024 / ZORA abstract", "Identifying phrasemes via interlingual association measures. In corpus linguistics, statistical association measures play a major role in identifying collocations such as 'play' and 'role' in 'play a role'. Those two words that appear considerably more often in the same context than one would expect from a random distribution are collocates.", KindGeneral},
		{"TU Berlin SDG sentences", "Assessing adverse human rights impacts of suppliers.", KindGeneral},
		{"A/HRC/WG.6/20/SVN/1 para 31", "Judicial reform aimed at increasing efficiency has been implemented; Slovenia is continuing its projects to reduce court backlogs. As a result, backlogs have been reduced to the point where they can no longer be considered a systemic problem.", KindGeneral},
		{"empty", "  ", KindGeneral},
		// Recommendations of OHCHR's China 2018 thematic list as its importer
		// gives them, without the recommending State: verbs learnt from the
		// UPR Info recommendations (kindverbs.txt), an opening clause.
		{"OHCHR thematic list, China 2018", "Adhere to supply-side reform and promote sustainable and sound economic and social development in the Xinjiang Autonomous Region", KindRecommendation},
		{"OHCHR thematic list, China 2018", "Safeguard its political system and the development path chosen by its own people", KindRecommendation},
		{"OHCHR thematic list, China 2018", "Grant access to the Office of the United Nations High Commissioner for Human Rights to all regions of the country including the Xinjiang Uighur Autonomous Region", KindRecommendation},
		{"OHCHR thematic list, China 2018", "As previously recommended, explore options to accede to the Rome Statute of the International Criminal Court", KindRecommendation},
		{"OHCHR thematic list, China 2018", "With regard to the new legislation on domestic violence, implement as soon as possible the obligations towards women victims, which ensue from it", KindRecommendation},
		{"UPR Info, session 6", "Fully enforce the commitment to abolishing female genital mutilation ", KindRecommendation},
		{"UPR Working Group report, Georgia 2011, para 105.64", "105.64. Safeguard full and unhampered enjoyment of freedom of expression", KindRecommendation},
		// A verb read as a noun or in a question: general text.
		{"SwissText 2024 / ZORA abstract", "Do Immigrants Take or Create Residents' Jobs? Evidence from Free Movement of Workers in Switzerland.", KindGeneral},
		{"TU Berlin SDG sentences", "work must be shared out more equally between members of society to avoid overwork and underemployment", KindGeneral},
	}
	for _, c := range cases {
		if got := DetectKind(c.text); got != c.want {
			t.Errorf("%s: DetectKind = %q, want %q (%.60s…)", c.from, got, c.want, c.text)
		}
	}
	for _, k := range TextKinds {
		if !IsTextKind(k) {
			t.Errorf("IsTextKind(%q) = false", k)
		}
	}
	if IsTextKind("recommendations") || IsTextKind("") {
		t.Error("IsTextKind accepts a name that is not a kind")
	}
}

// DetectKind runs once per text on the classification path: it must stay
// cheap (a few microseconds) and allocate little.
func BenchmarkDetectKind(b *testing.B) {
	texts := []string{
		"Adhere to supply-side reform and promote sustainable and sound economic and social development in the Xinjiang Autonomous Region",
		"Continue to provide assistance to low-income groups in urban and rural areas (Angola);",
		"The Committee is concerned that the Office of the Ombudsman is insufficiently resourced (art. 2).",
		"Identifying phrasemes via interlingual association measures. In corpus linguistics, statistical association measures play a major role in identifying collocations such as 'play' and 'role' in 'play a role'.",
		"Ratificar el Protocolo Facultativo de la Convención contra la Tortura.",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		DetectKind(texts[i%len(texts)])
	}
}

// TestKindKeyWords checks that DetectKind tries kindIndicatorRe and
// kindMeasureRe only where they may match: every text they match opens
// with one of indicatorOpenings, or holds one of measureWords. Over the
// indicator names and measures below, which match, and the real texts of
// testdata.
func TestKindKeyWords(t *testing.T) {
	texts := []string{
		"Proportion of women aged 20-24 years who were married or in a union before age 15 and before age 18",
		"Direct economic loss attributed to disasters in relation to global gross domestic product (GDP)",
		"Indicator 5.3.1 Proportion of women aged 20-24 years", "Mortality rate attributed to unsafe water",
		"Maternal mortality ratio", "Completion rate (primary education, lower secondary education)", "Coverage index.",
		"Number of victims of intentional homicide per 100,000 population", "Share of women in managerial positions",
	}
	for _, text := range readTexts(t) {
		texts = append(texts, text)
	}
	for _, d := range sampleUPR(t) {
		texts = append(texts, d.Text)
	}
	matched := 0
	for _, text := range texts {
		low := strings.ToLower(strings.TrimSpace(text))
		if kindIndicatorRe.MatchString(low) {
			matched++
			if !hasAnyPrefix(low, indicatorOpenings) {
				t.Errorf("kindIndicatorRe matches %q, which opens with none of indicatorOpenings", low)
			}
		}
		if kindMeasureRe.MatchString(low) {
			matched++
			if !containsAny(low, measureWords) {
				t.Errorf("kindMeasureRe matches %q, which holds none of measureWords", low)
			}
		}
	}
	if matched < 10 {
		t.Errorf("%d matches of the two patterns over %d texts, want the 10 given at least", matched, len(texts))
	}
}
