//go:build ignore

// Command gen writes the UHRI export fixtures uhri-export-sample.xlsx and
// uhri-export-sample.json from the records below, in the layouts of the real
// UHRI bulk export. Run from the package folder:
//
//	cd testdata && go run gen/main.go
//
// Every text is copied from the shared data; PROVENANCE.md says from where.
// Annotation and document ids are derived from the text, not OHCHR's.
package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"html"
	"log"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

type rec struct {
	Type      string // Recommendations, Concerns/Observations, Others
	Text      string
	Countries []string
	Regions   []string
	Body      string
	Session   int
	Symbol    string
	States    []string
	Position  string
	Themes    []string
	Persons   []string
	SDGs      []string
	Date      string // YYYY-MM-DD, "" for none
	Cycle     string
	Origin    string // where the text comes from in ../shared/data
}

const (
	tortureTheme = "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)"
	ccprDNK      = "CCPR/C/DNK/CO/6"
	ccprNAM      = "CCPR/C/NAM/CO/2"
	ccprUSA      = "CCPR/C/USA/CO/4"
	ccprPRY      = "CCPR/C/PRY/CO/4"
	spSVN        = "A/HRC/18/33/Add.2"
	rec_         = "Recommendations"
	concern      = "Concerns/Observations"
)

var records = []rec{
	// UPR recommendations from the OHCHR matrices.
	{Type: rec_, Text: "186.54 Continue its ongoing review of national laws to ensure that they are in line with its international human rights law obligations (Turkmenistan);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 17, Symbol: "A/HRC/25/5", States: []string{"Turkmenistan"}, Position: "Supported", Themes: []string{"Constitutional & legislative framework"}, Date: "2013-12-04", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2013.docx para 186.54"},
	{Type: rec_, Text: "186.164 Investigate activities of fabrication and dissemination of false information, and take measures with regard to persons engaged in illegal activities through Internet (Cuba);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 17, Symbol: "A/HRC/25/5", States: []string{"Cuba"}, Position: "Supported", Themes: []string{"Access to justice & remedy", "Administration of justice & fair trial", "Freedom of opinion and expression & access to information"}, Date: "2013-12-04", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2013.docx para 186.164"},
	{Type: rec_, Text: "186.7 Continue the actions undertaken with the view to ratifying the ICCPR (Guatemala);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 17, Symbol: "A/HRC/25/5", States: []string{"Guatemala"}, Position: "Supported", Themes: []string{"Civil & political rights - general measures of implementation", "Ratification of & accession to international instruments"}, Date: "2013-12-04", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2013.docx para 186.7"},
	{Type: rec_, Text: "186.10 Move towards ratification of the ICCPR at the earliest possible date (New Zealand);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 17, Symbol: "A/HRC/25/5", States: []string{"New Zealand"}, Position: "Supported", Themes: []string{"Civil & political rights - general measures of implementation", "Ratification of & accession to international instruments"}, Date: "2013-12-04", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2013.docx para 186.10"},
	{Type: rec_, Text: "28.191 Ensure freedom of religion or belief and end the detention, harassment and so-called re-education of ethnic minorities, including in Xinjiang (Czechia);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 31, Symbol: "A/HRC/40/6", States: []string{"Czechia"}, Position: "Noted", Themes: []string{"Arbitrary arrest & detention", "Freedom of thought, conscience & religion"}, Persons: []string{"Minorities/ racial, ethnic, linguistic, religious or descent-based groups"}, SDGs: []string{"16 - PEACE, JUSTICE AND STRONG INSTITUTIONS"}, Date: "2018-12-26", Cycle: "3", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2018.docx para 28.191"},
	{Type: rec_, Text: "28.290 With regard to the new legislation on domestic violence, implement as soon as possible the obligations towards women victims, which ensue from it (Switzerland);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 31, Symbol: "A/HRC/40/6", States: []string{"Switzerland"}, Position: "Supported", Themes: []string{"Constitutional & legislative framework", "Sexual & gender-based violence"}, Persons: []string{"Women & girls"}, SDGs: []string{"5 - GENDER EQUALITY"}, Date: "2018-12-26", Cycle: "3", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2018.docx para 28.290"},
	{Type: rec_, Text: "28.201 Remove restrictions on freedom of expression and press freedom, including on the Internet, that are not in accordance with international law (Sweden);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 31, Symbol: "A/HRC/40/6", States: []string{"Sweden"}, Position: "Supported", Themes: []string{"Freedom of opinion and expression & access to information"}, SDGs: []string{"16 - PEACE, JUSTICE AND STRONG INSTITUTIONS"}, Date: "2018-12-26", Cycle: "3", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2018.docx para 28.201"},
	{Type: rec_, Text: "28.272 Continue to implement the free education policy in the Tibet Autonomous Region (Nepal);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 31, Symbol: "A/HRC/40/6", States: []string{"Nepal"}, Position: "Supported", Themes: []string{"Right to education"}, Persons: []string{"Minorities/ racial, ethnic, linguistic, religious or descent-based groups"}, SDGs: []string{"4 - QUALITY EDUCATION"}, Date: "2018-12-26", Cycle: "3", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2018.docx para 28.272"},
	{Type: rec_, Text: "28.24 Respond positively to the invitation addressed to it by the Special Rapporteur on freedom of religion or belief (Poland);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 31, Symbol: "A/HRC/40/6", States: []string{"Poland"}, Position: "Supported", Themes: []string{"Cooperation & Follow up with Special Procedures", "Freedom of thought, conscience & religion"}, Persons: []string{"Minorities/ racial, ethnic, linguistic, religious or descent-based groups"}, SDGs: []string{"16 - PEACE, JUSTICE AND STRONG INSTITUTIONS"}, Date: "2018-12-26", Cycle: "3", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2018.docx para 28.24"},
	{Type: rec_, Text: "28.258 Continue to improve the quality of maternity services (Morocco);", Countries: []string{"China"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 31, Symbol: "A/HRC/40/6", States: []string{"Morocco"}, Position: "Supported", Themes: []string{"Right to health"}, Persons: []string{"Women & girls"}, SDGs: []string{"3 - GOOD HEALTH AND WELL-BEING"}, Date: "2018-12-26", Cycle: "3", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2018.docx para 28.258"},
	{Type: rec_, Text: "166.61 Issue a standing invitation to all special procedures (Ghana);", Countries: []string{"Egypt"}, Regions: []string{"Middle East and North Africa"}, Body: "- UPR", Session: 20, Symbol: "A/HRC/28/16", States: []string{"Ghana"}, Position: "Noted", Themes: []string{"Cooperation & Follow up with Special Procedures"}, Date: "2014-12-22", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv EgyptMatriceRecommendations.docx para 166.61"},
	{Type: rec_, Text: "166.131 Strengthen human rights training and awareness-raising programmes for the police (United Arab Emirates);", Countries: []string{"Egypt"}, Regions: []string{"Middle East and North Africa"}, Body: "- UPR", Session: 20, Symbol: "A/HRC/28/16", States: []string{"United Arab Emirates"}, Position: "Supported", Themes: []string{"Human rights education, trainings & awareness raising"}, Date: "2014-12-22", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv EgyptMatriceRecommendations.docx para 166.131"},
	{Type: rec_, Text: "166.135 Develop efficient programmes designed to enhance the human rights knowledge of law enforcement officials (Ethiopia);", Countries: []string{"Egypt"}, Regions: []string{"Middle East and North Africa"}, Body: "- UPR", Session: 20, Symbol: "A/HRC/28/16", States: []string{"Ethiopia"}, Position: "Supported", Themes: []string{"Human rights education, trainings & awareness raising"}, Date: "2014-12-22", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv EgyptMatriceRecommendations.docx para 166.135"},
	{Type: rec_, Text: "166.89 Continue economic empowerment of women (Mauritania);", Countries: []string{"Egypt"}, Regions: []string{"Middle East and North Africa"}, Body: "- UPR", Session: 20, Symbol: "A/HRC/28/16", States: []string{"Mauritania"}, Position: "Supported", Themes: []string{"Discrimination against women"}, Persons: []string{"Women & girls"}, Date: "2014-12-22", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv EgyptMatriceRecommendations.docx para 166.89"},
	{Type: rec_, Text: "115.13 Continue its efforts to ratify ICRMW (Indonesia);", Countries: []string{"Slovenia"}, Regions: []string{"Europe and Central Asia"}, Body: "- UPR", Session: 20, Symbol: "A/HRC/28/15", States: []string{"Indonesia"}, Position: "Noted", Themes: []string{"Ratification of & accession to international instruments"}, Persons: []string{"Migrants"}, Date: "2014-12-10", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv UPR20__Slovenia_ThematicListRecommendations_E.docx para 115.13"},
	{Type: rec_, Text: "115.16 Ratify the International Convention for the Protection of All Persons from Enforced Disappearance (Belgium, France, Tunisia, Sierra Leone, Argentina);", Countries: []string{"Slovenia"}, Regions: []string{"Europe and Central Asia"}, Body: "- UPR", Session: 20, Symbol: "A/HRC/28/15", States: []string{"Belgium", "France", "Tunisia", "Sierra Leone", "Argentina"}, Position: "Supported", Themes: []string{"Enforced disappearances", "Ratification of & accession to international instruments"}, Persons: []string{"Disappeared persons"}, Date: "2014-12-10", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv UPR20__Slovenia_ThematicListRecommendations_E.docx para 115.16"},
	{Type: rec_, Text: "115.75 Guarantee the right of Roma people to adequate housing, water and sanitation, work, education, and security of tenure of their settlements (Venezuela (Bolivarian Republic of));", Countries: []string{"Slovenia"}, Regions: []string{"Europe and Central Asia"}, Body: "- UPR", Session: 20, Symbol: "A/HRC/28/15", States: []string{"Venezuela (Bolivarian Republic of)"}, Position: "Supported", Themes: []string{"Equality & non-discrimination", "Racial discrimination", "Right to adequate housing", "Right to education", "Safe drinking water & sanitation"}, Persons: []string{"Minorities/ racial, ethnic, linguistic, religious or descent-based groups"}, Date: "2014-12-10", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv UPR20__Slovenia_ThematicListRecommendations_E.docx para 115.75"},
	{Type: rec_, Text: "115.31 Broaden the mandate of its equality bodies and increase their human and financial resources (Australia);", Countries: []string{"Slovenia"}, Regions: []string{"Europe and Central Asia"}, Body: "- UPR", Session: 20, Symbol: "A/HRC/28/15", States: []string{"Australia"}, Position: "Supported", Themes: []string{"Equality & non-discrimination"}, Date: "2014-12-10", Cycle: "2", Origin: "uhri-matrices/matrices-parsed.csv UPR20__Slovenia_ThematicListRecommendations_E.docx para 115.31"},

	// Human Rights Committee concluding observations.
	{Type: concern, Text: "The Committee is concerned at the absence of a national human rights institution to monitor the implementation of human rights in the Faroe Islands (art. 2).", Countries: []string{"Denmark"}, Regions: []string{"Europe and Central Asia"}, Body: "- CCPR", Symbol: ccprDNK, Themes: []string{"National Human Rights Institution (NHRI)"}, SDGs: []string{"16 - PEACE, JUSTICE AND STRONG INSTITUTIONS", "16.a - Strong institutions to prevent violence, terrorism and crime"}, Date: "2016-08-15", Origin: "tb-concluding-observations/CCPR_C_DNK_CO_6.txt para 9"},
	{Type: rec_, Text: "The State party should ensure that a national human rights institution compliant with the principles relating to the status of national institutions for the promotion and protection of human rights (the Paris Principles) is established in the Faroe Islands with a view to monitoring the implementation of human rights in the territory.", Countries: []string{"Denmark"}, Regions: []string{"Europe and Central Asia"}, Body: "- CCPR", Symbol: ccprDNK, Themes: []string{"National Human Rights Institution (NHRI)"}, SDGs: []string{"16 - PEACE, JUSTICE AND STRONG INSTITUTIONS", "16.a - Strong institutions to prevent violence, terrorism and crime"}, Date: "2016-08-15", Origin: "tb-concluding-observations/CCPR_C_DNK_CO_6.txt para 10"},
	{Type: concern, Text: "While noting measures taken by the State party to improve gender equality, the Committee remains concerned at the underrepresentation of women in political and public life, particularly in locally elected and executive bodies, including in Greenland and in the Faroe Islands. The Committee is also concerned that, despite the adoption of new rules governing gender representation on the company boards of the largest limited liability companies and State-owned companies, the representation of women in management and on boards remains low (arts. 2, 3 and 26).", Countries: []string{"Denmark"}, Regions: []string{"Europe and Central Asia"}, Body: "- CCPR", Symbol: ccprDNK, Themes: []string{"Discrimination against women", "Participation of women in political & public life"}, Persons: []string{"Women & girls"}, SDGs: []string{"5 - GENDER EQUALITY", "5.5 - Equal opportunities and participation in leadership"}, Date: "2016-08-15", Origin: "tb-concluding-observations/CCPR_C_DNK_CO_6.txt para 15"},
	{Type: rec_, Text: "The State party should step up its efforts to promote the equal representation of women and men in public and political life at all levels, particularly in locally elected and executive bodies in Greenland and in the Faroe Islands. It should ensure gender equality on the boards of the largest limited liability companies and Stateowned companies.", Countries: []string{"Denmark"}, Regions: []string{"Europe and Central Asia"}, Body: "- CCPR", Symbol: ccprDNK, Themes: []string{"Discrimination against women", "Participation of women in political & public life"}, Persons: []string{"Women & girls"}, SDGs: []string{"5 - GENDER EQUALITY", "5.5 - Equal opportunities and participation in leadership"}, Date: "2016-08-15", Origin: "tb-concluding-observations/CCPR_C_DNK_CO_6.txt para 16"},
	{Type: concern, Text: "While noting the State party' position on the matter and the incorporation of the definition of torture in section 157 (a) of the Criminal Code and section 27 A of the Military Criminal Code, the Committee is concerned that the State party has not included torture as a separate offence in its Criminal Code, but continues to qualify it as an aggravating circumstance for the determination of a sentence (art. 7).", Countries: []string{"Denmark"}, Regions: []string{"Europe and Central Asia"}, Body: "- CCPR", Symbol: ccprDNK, Themes: []string{tortureTheme}, SDGs: []string{"16.3 - Promote the rule of law and access to justice for all"}, Date: "2016-08-15", Origin: "tb-concluding-observations/CCPR_C_DNK_CO_6.txt para 21"},
	{Type: rec_, Text: "The State party should consider reviewing its position and including torture as a distinct offence in its Criminal Code, in order to ensure stronger prevention of, protection against and prosecution of torture.", Countries: []string{"Denmark"}, Regions: []string{"Europe and Central Asia"}, Body: "- CCPR", Symbol: ccprDNK, Themes: []string{tortureTheme}, SDGs: []string{"16.3 - Promote the rule of law and access to justice for all"}, Date: "2016-08-15", Origin: "tb-concluding-observations/CCPR_C_DNK_CO_6.txt para 22"},
	{Type: concern, Text: "The Committee is concerned about several reports of cases of enforced disappearance having taken place in the context of the liberation struggle and during the 1999 secession attempt in the former Caprivi region, now Zambezi. It notes with concern that the State party has taken insufficient measures to investigate such reports and identify perpetrators (arts. 6, 7 and 9).", Countries: []string{"Namibia"}, Regions: []string{"Africa"}, Body: "- CCPR", Symbol: ccprNAM, Themes: []string{"Enforced disappearances"}, Persons: []string{"Disappeared persons"}, SDGs: []string{"16.3 - Promote the rule of law and access to justice for all"}, Date: "2016-04-22", Origin: "tb-concluding-observations/CCPR_C_NAM_CO_2.txt para 19"},
	{Type: rec_, Text: "The State party should investigate these reports and, if verified, determine accountability, prosecute and punish the perpetrators if found guilty, as well as make all possible efforts to determine the fate of the persons who have disappeared.", Countries: []string{"Namibia"}, Regions: []string{"Africa"}, Body: "- CCPR", Symbol: ccprNAM, Themes: []string{"Enforced disappearances", "Rule of law & impunity"}, Persons: []string{"Disappeared persons"}, SDGs: []string{"16.3 - Promote the rule of law and access to justice for all"}, Date: "2016-04-22", Origin: "tb-concluding-observations/CCPR_C_NAM_CO_2.txt para 20"},
	{Type: concern, Text: "The Committee is concerned that access to free legal aid is limited to persons with a monthly income below the particularly low amount of N$ 2,000 and is currently further impeded due to budgetary constraints (arts. 9 and 14).", Countries: []string{"Namibia"}, Regions: []string{"Africa"}, Body: "- CCPR", Symbol: ccprNAM, Themes: []string{"Access to justice & remedy", "Administration of justice & fair trial"}, Persons: []string{"Persons living in poverty"}, SDGs: []string{"16.3 - Promote the rule of law and access to justice for all"}, Date: "2016-04-22", Origin: "tb-concluding-observations/CCPR_C_NAM_CO_2.txt para 31"},
	{Type: rec_, Text: "The State party should increase funding granted to its legal aid scheme, lower the barriers to accessing it, and ensure that it is, at minimum, available where the interests of justice so require.", Countries: []string{"Namibia"}, Regions: []string{"Africa"}, Body: "- CCPR", Symbol: ccprNAM, Themes: []string{"Access to justice & remedy", "Budget & resources (for human rights implementation)"}, Persons: []string{"Persons living in poverty"}, SDGs: []string{"16.3 - Promote the rule of law and access to justice for all"}, Date: "2016-04-22", Origin: "tb-concluding-observations/CCPR_C_NAM_CO_2.txt para 32"},
	{Type: concern, Text: "The Committee is concerned about the particularly poor living conditions in detention facilities, including severe overcrowding (art. 10).", Countries: []string{"Namibia"}, Regions: []string{"Africa"}, Body: "- CCPR", Symbol: ccprNAM, Themes: []string{"Conditions of detention"}, Persons: []string{"Persons deprived of their liberty & detainees"}, Date: "2016-04-22", Origin: "tb-concluding-observations/CCPR_C_NAM_CO_2.txt para 33"},
	{Type: concern, Text: "The Committee is concerned about the widespread use of non-consensual psychiatric medication, electroshock and other restrictive and coercive practices in mental health services (arts. 7 and 17).", Countries: []string{"United States of America"}, Regions: []string{"Western Europe and Others"}, Body: "- CCPR", Symbol: ccprUSA, Themes: []string{tortureTheme, "Right to health"}, Persons: []string{"Persons with disabilities"}, SDGs: []string{"3.4 - Reduce mortality from non-communicable diseases and promote mental health"}, Date: "2014-04-23", Origin: "tb-concluding-observations/CCPR_C_USA_CO_4.txt para 18"},
	{Type: concern, Text: "While noting that acts of torture may be prosecuted in a variety of ways at both the federal and state levels, the Committee is concerned about the lack of comprehensive legislation criminalizing all forms of torture, including mental torture, committed within the territory of the State party. The Committee is also concerned about the inability of torture victims to claim compensation from the State party and its officials due to the application of broad doctrines of legal privilege and immunity (arts. 2 and 7).", Countries: []string{"United States of America"}, Regions: []string{"Western Europe and Others"}, Body: "- CCPR", Symbol: ccprUSA, Themes: []string{tortureTheme, "Support to victims & witnesses"}, SDGs: []string{"16.3 - Promote the rule of law and access to justice for all"}, Date: "2014-04-23", Origin: "tb-concluding-observations/CCPR_C_USA_CO_4.txt para 12"},
	{Type: concern, Text: "The Committee is concerned about reports about the limited implementation of the National Human Rights Plan and insufficient resources for its implementation and about the fact that the Plan was not revised to reflect the agreements and consensuses reached with State institutions and civil society prior to its adoption.", Countries: []string{"Paraguay"}, Regions: []string{"Latin America and the Caribbean"}, Body: "- CCPR", Symbol: ccprPRY, Themes: []string{"National Human Rights Action Plans (or specific areas) / implementation plans", "Budget & resources (for human rights implementation)"}, Persons: []string{"Civil society"}, SDGs: []string{"16.6 - Effective, accountable and transparent institutions"}, Date: "2019-08-20", Origin: "tb-concluding-observations/CCPR_C_PRY_CO_4.txt para 8"},
	{Type: rec_, Text: "The State party should continue its efforts to ensure that the National Human Rights Plan is effectively implemented and regularly monitored and that it is accorded the necessary human, financial and technical resources. It should also ensure that representatives of civil society, including minorities, are actively involved in the Plan's development and implementation.", Countries: []string{"Paraguay"}, Regions: []string{"Latin America and the Caribbean"}, Body: "- CCPR", Symbol: ccprPRY, Themes: []string{"National Human Rights Action Plans (or specific areas) / implementation plans", "Cooperation & consultation with civil society"}, Persons: []string{"Civil society", "Minorities/ racial, ethnic, linguistic, religious or descent-based groups"}, SDGs: []string{"16.6 - Effective, accountable and transparent institutions", "16.7 - Responsive, inclusive and representative decision-making"}, Date: "2019-08-20", Origin: "tb-concluding-observations/CCPR_C_PRY_CO_4.txt para 9"},
	{Type: concern, Text: "While the Committee notes the existence of a bill to repeal the restrictions imposed on the right to vote of persons deprived of their liberty and of deaf persons set out in article 91 of the Electoral Code, the Committee is concerned about the delays in the bill's adoption (art. 25).", Countries: []string{"Paraguay"}, Regions: []string{"Latin America and the Caribbean"}, Body: "- CCPR", Symbol: ccprPRY, Themes: []string{"Right to participate in public affairs & right to vote"}, Persons: []string{"Persons deprived of their liberty & detainees", "Persons with disabilities"}, SDGs: []string{"16.7 - Responsive, inclusive and representative decision-making"}, Date: "2019-08-20", Origin: "tb-concluding-observations/CCPR_C_PRY_CO_4.txt para 38"},
	{Type: rec_, Text: "The Committee recommends that the State party finalize the amendment of article 91 of the Electoral Code in order to ensure the right to vote of persons deprived of their liberty and of deaf persons.", Countries: []string{"Paraguay"}, Regions: []string{"Latin America and the Caribbean"}, Body: "- CCPR", Symbol: ccprPRY, Themes: []string{"Right to participate in public affairs & right to vote", "Constitutional & legislative framework"}, Persons: []string{"Persons deprived of their liberty & detainees", "Persons with disabilities"}, SDGs: []string{"16.7 - Responsive, inclusive and representative decision-making"}, Date: "2019-08-20", Origin: "tb-concluding-observations/CCPR_C_PRY_CO_4.txt para 39"},
	// Special procedure recommendations as the UPR compilation quotes them.
	{Type: rec_, Text: "In 2011, the independent expert on water and sanitation recommended that Slovenia eliminate all forms of discrimination which deprived certain segments of the population of access to safe drinking water and sanitation, and ensure that any instances of discrimination be fully investigated and prosecuted, and that redress be provided to the victims.", Countries: []string{"Slovenia"}, Regions: []string{"Europe and Central Asia"}, Body: "- SR Water and sanitation", Symbol: spSVN, Themes: []string{"Safe drinking water & sanitation", "Equality & non-discrimination"}, Persons: []string{"Vulnerable persons/groups"}, SDGs: []string{"6 - CLEAN WATER AND SANITATION", "6.1 - Safe and affordable drinking water"}, Date: "2011-07-04", Origin: "upr-documents-slovenia/cycle2/g1414064.txt (A/HRC/WG.6/20/SVN/2) para 13, footnote 47"},
	{Type: rec_, Text: "The independent expert on water and sanitation recommended that Slovenia allocate more funds for research into the issue of poverty in Slovenia, as the current statistics possibly did not fully reflect the extent to which people were living in poverty in the country.", Countries: []string{"Slovenia"}, Regions: []string{"Europe and Central Asia"}, Body: "- SR Water and sanitation", Symbol: spSVN, Themes: []string{"Human rights & poverty", "Data collection & research"}, Persons: []string{"Persons living in poverty"}, SDGs: []string{"1 - NO POVERTY", "17.18 - Enhance availability of reliable data"}, Date: "2011-07-04", Origin: "upr-documents-slovenia/cycle2/g1414064.txt (A/HRC/WG.6/20/SVN/2) para 38, footnote 98"},
	{Type: rec_, Text: "The independent expert on safe drinking water and sanitation recommended that Slovenia explicitly recognize the rights to water and to sanitation in law, make them justiciable and amend relevant laws to reflect these human rights obligations.", Countries: []string{"Slovenia"}, Regions: []string{"Europe and Central Asia"}, Body: "- SR Water and sanitation", Symbol: spSVN, Themes: []string{"Safe drinking water & sanitation", "Constitutional & legislative framework"}, Persons: []string{"Roma, Gypsies, Sinti & Travellers"}, SDGs: []string{"6 - CLEAN WATER AND SANITATION"}, Date: "2011-07-04", Origin: "upr-documents-slovenia/cycle2/g1414064.txt (A/HRC/WG.6/20/SVN/2) para 40, footnote 100"},
	// Records concerning two countries.
	{Type: rec_, Text: "28.346 That the Hong Kong Special Administrative Region introduce internal legislation to implement the Convention on the Rights of the Child (Croatia).", Countries: []string{"China", "China, Hong Kong Special Administrative Region"}, Regions: []string{"Asia-Pacific"}, Body: "- UPR", Session: 31, Symbol: "A/HRC/40/6", States: []string{"Croatia"}, Position: "Supported", Themes: []string{"Ratification of & accession to international instruments", "Constitutional & legislative framework", "Children: definition; general principles; protection"}, Persons: []string{"Children"}, SDGs: []string{"16 - PEACE, JUSTICE AND STRONG INSTITUTIONS"}, Date: "2018-12-26", Cycle: "3", Origin: "uhri-matrices/matrices-parsed.csv Matrix_recommendations_2018.docx para 28.346; Hong Kong added to Countries Concerned"},
	{Type: rec_, Text: "Assist the Roma and Ashkali persons displaced from Kosovo to allow them to obtain the necessary official documents to get permanent or temporary resident status in Montenegro", Countries: []string{"Montenegro", "Kosovo (under UNSC resolution 1244)"}, Regions: []string{"Europe and Central Asia"}, Body: "- UPR", Session: 15, States: []string{"France"}, Position: "Accepted", Themes: []string{"Rights related to name, identity & nationality"}, Persons: []string{"Internally displaced persons", "Roma, Gypsies, Sinti & Travellers"}, SDGs: []string{"16.9 - Universal legal identity and birth registration"}, Cycle: "2", Origin: "upr-info/14-16.csv (Montenegro, session 15, France, Accepted); Kosovo added to Countries Concerned; no paragraph, symbol or date"},
	// Rows the importer must skip or reject.
	{Type: "Others", Text: "The Committee welcomes the ratification of, or accession to, the following international instruments by the State party:", Countries: []string{"Denmark"}, Regions: []string{"Europe and Central Asia"}, Body: "- CCPR", Symbol: ccprDNK, Themes: []string{"Ratification of & accession to international instruments"}, Date: "2016-08-15", Origin: "tb-concluding-observations/CCPR_C_DNK_CO_6.txt para 4 (positive aspects)"},
	{Type: rec_, Text: "The independent expert on sanitation and drinking water noted laws that introduced a distinction between \"autochthonous\" and \"non-autochthonous\" Roma communities, and recommended eliminating this distinction in order to ensure the equality of rights of all Roma people.", Regions: []string{"Europe and Central Asia"}, Body: "- SR Water and sanitation", Symbol: spSVN, Themes: []string{"Equality & non-discrimination"}, Persons: []string{"Roma, Gypsies, Sinti & Travellers"}, Date: "2011-07-04", Origin: "upr-documents-slovenia/cycle2/g1414064.txt para 50; Countries Concerned left empty (regional row)"},
	{Type: rec_, Text: "", Countries: []string{"Denmark"}, Regions: []string{"Europe and Central Asia"}, Body: "- CCPR", Symbol: ccprDNK, Themes: []string{tortureTheme}, Date: "2016-08-15", Origin: "metadata of CCPR_C_DNK_CO_6.txt para 22 with the text removed"},
	{Type: rec_, Text: "Assist the Roma and Ashkali persons displaced from Kosovo to allow them to obtain the necessary official documents to get permanent or temporary resident status in Montenegro", Countries: []string{"Serbia and Montenegro"}, Regions: []string{"Europe and Central Asia"}, Body: "- UPR", Session: 15, States: []string{"France"}, Position: "Accepted", Cycle: "2", Origin: "upr-info/14-16.csv; country replaced by the former State Serbia and Montenegro"},
}

var header = []string{"Text", "Countries Concerned", "Reccomending Body", "UPR Session", "Document Symbol",
	"UPR Reccomending States", "UPR Position", "Themes", "Affected Persons", "Sdgs",
	"Document Publication Date", "OHCHR Annotation Id", "Type", "Regions Concerned"}

func main() {
	if err := writeXLSX("uhri-export-sample.xlsx"); err != nil {
		log.Fatal(err)
	}
	if err := writeJSON("uhri-export-sample.json"); err != nil {
		log.Fatal(err)
	}
}

// uuid makes a stable UUID-shaped id, as UHRI's are, from a seed.
func uuid(seed string) string {
	h := sha1.Sum([]byte("nmirf-fixture:" + seed))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func annotationID(i int, r rec) string { return uuid(fmt.Sprintf("%d %s", i, r.Text)) }

// list writes a multi-valued cell the way the export does: one "- item" a line.
func list(items []string) string {
	var b strings.Builder
	for i, s := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- " + s)
	}
	return b.String()
}

func one(s string) string {
	if s == "" {
		return ""
	}
	return "- " + s
}

func excelSerial(iso string) (float64, bool) {
	if iso == "" {
		return 0, false
	}
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		log.Fatalf("bad date %q", iso)
	}
	return t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24, true
}

func writeXLSX(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	for c, h := range header {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		f.SetCellValue(sheet, cell, h)
	}
	for i, r := range records {
		session := ""
		if r.Session > 0 {
			session = fmt.Sprintf("- %d Session", r.Session)
		}
		vals := []any{r.Text, list(r.Countries), r.Body, session, one(r.Symbol), list(r.States), one(r.Position),
			list(r.Themes), list(r.Persons), list(r.SDGs), nil, annotationID(i, r), r.Type, list(r.Regions)}
		if d, ok := excelSerial(r.Date); ok {
			vals[10] = d
		}
		for c, v := range vals {
			if v == nil || v == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, i+2)
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}

type jsonRec struct {
	AnnotationId           string
	Text                   string
	Symbol                 string
	DocumentId             string
	Body                   string
	AnnotationType         string
	Countries              []string
	Regions                []string
	Themes                 []string
	Sdgs                   []string
	AffectedPersons        []string
	PublicationDate        *string
	UprCycle               *string
	UprPositions           []string
	UprRecommendingCountry []string
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func writeJSON(path string) error {
	var out []jsonRec
	for i, r := range records {
		body := strings.TrimPrefix(r.Body, "- ")
		if i%3 == 0 {
			body = r.Body // the export writes some bodies with the list dash
		}
		text := ""
		if r.Text != "" {
			text = "<p>" + html.EscapeString(r.Text) + "</p>"
		}
		j := jsonRec{AnnotationId: annotationID(i, r), Text: text, Symbol: r.Symbol, Body: body,
			AnnotationType: r.Type, Countries: nonNil(r.Countries), Regions: nonNil(r.Regions),
			Themes: nonNil(r.Themes), Sdgs: nonNil(r.SDGs), AffectedPersons: nonNil(r.Persons),
			UprRecommendingCountry: nonNil(r.States)}
		if r.Symbol != "" {
			j.DocumentId = uuid(r.Symbol)
		}
		if r.Date != "" {
			d := r.Date + "T00:00:00"
			if i%2 == 0 {
				d += "Z"
			}
			j.PublicationDate = &d
		}
		if r.Cycle != "" {
			c := r.Cycle
			j.UprCycle = &c
		}
		j.UprPositions = []string{}
		if r.Position != "" {
			j.UprPositions = []string{r.Position}
		}
		out = append(out, j)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the export writes its HTML unescaped
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
