//go:build ignore

// Command gen writes the HTML and .docx fixtures co-nam-excerpt.html
// (UTF-16LE with a byte-order mark, as docstore.ohchr.org serves it) and
// co-nam-excerpt.docx (OHCHR's styles HCh, H1, H23, SingleTxt) from the
// paragraphs below. Run from the package folder:
//
//	cd testdata && go run gen/main.go
//
// The paragraphs are paragraphs 1–12 of CCPR/C/NAM/CO/2 copied from
// CCPR_C_NAM_CO_2.txt, with the pdftotext damage undone by hand (headings
// on their own, sub-paragraph 12 (a) whole); PROVENANCE.md says more.
package main

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"html"
	"log"
	"os"
	"regexp"
	"strings"
	"unicode/utf16"
)

// blocks are the document's paragraphs with the OHCHR style each has in
// the .docx ("P" is plain SingleTxt).
var blocks = [][2]string{
	{"P", "United Nations"},
	{"P", "International Covenant on Civil and Political Rights"},
	{"P", "CCPR/C/NAM/CO/2"},
	{"P", "Distr.: General 22 April 2016"},
	{"P", "Original: English"},
	{"P", "Human Rights Committee"},
	{"HCh", "Concluding observations on the second report of Namibia"},
	{"P", "1. The Committee considered the second periodic report of Namibia (CCPR/C/NAM/2) at its 3236th and 3237th meetings (CCPR/C/SR.3236 and 3237), held on 8 and 9 March 2016. At its 3259th meeting, held on 23 March 2016, it adopted the present concluding observations."},
	{"H1", "A. Introduction"},
	{"P", "2. The Committee welcomes the submission of the second report of Namibia, albeit six years late, and the information presented therein. It expresses appreciation for the opportunity to renew its constructive dialogue with the State party's high-level delegation on the measures taken during the reporting period to implement the provisions of the Covenant. It is concerned, however, that despite several reminders the State party has not submitted the follow-up information that was requested in the Committee's concluding observations of 2004 (CCPR/CO/81/NAM) and that was due by 29 July 2005. The Committee expresses its appreciation to the State party for its written replies (CCPR/C/NAM/Q/2/Add.1) to the list of issues (CCPR/C/NAM/Q/2), supplemented by the oral responses provided by the delegation and for the supplementary information provided in writing."},
	{"H1", "B. Positive aspects"},
	{"P", "3. The Committee welcomes the following legislative and institutional measures taken by the State party:"},
	{"P", "(a) The Children's Status Act (Act No. 6 of 2006);"},
	{"P", "(b) The Prevention of Organized Crime Act (Act No. 29 of 2004);"},
	{"P", "(c) The National Disability Council Act (Act No. 26 of 2004);"},
	{"P", "(d) The National Human Rights Action Plan (2014);"},
	{"P", "(e) The Sector Policy on Inclusive Education (2013);"},
	{"P", "(f) The National Agenda for Children (2012-2016);"},
	{"P", "(g) The National Gender Policy (2010-2020);"},
	{"P", "(h) The National Gender Plan of Action (2010-2020);"},
	{"P", "(i) The National HIV/AIDS Policy (2008);"},
	{"P", "(j) The National Policy on Special Needs and Inclusive Education (2008);"},
	{"P", "(k) The Education Sector Policy for Orphans and Vulnerable Children (2008)."},
	{"P", "4. The Committee welcomes the ratification by the State party of the Convention on the Rights of Persons with Disabilities and its Optional Protocol, in 2007."},
	{"H1", "C. Principal matters of concern and recommendations"},
	{"H23", "Views under the Optional Protocol"},
	{"P", "5. The Committee remains concerned at the absence of a mechanism to implement the Committee's Views under the Optional Protocol (art. 2)."},
	{"P", "6. The State party should consider establishing a specific mechanism to give full effect to the Committee's Views in order to guarantee effective remedies to the victim of a violation under the Covenant."},
	{"H23", "National human rights institution"},
	{"P", "7. The Committee is concerned that the Office of the Ombudsman is insufficiently resourced (art. 2)."},
	{"P", "8. The State party should increase resources allocated to the Office of the Ombudsman to ensure that it can adequately fulfil its mandate. It is furthermore encouraged to adopt the proposed amendments to the Ombudsman Act (Act No. 7 of 1990). The Office should also be granted the power to recruit its own staff to be fully compliant with the principles relating to the status of national institutions for the promotion and protection of human rights (the Paris Principles)."},
	{"H23", "Non-discrimination"},
	{"P", "9. While noting the measures taken to eliminate discrimination, the Committee is concerned that protection against discrimination is insufficient. It is particularly concerned about:"},
	{"P", "(a) The prevalence of de facto racial discrimination and discrimination against indigenous peoples, as well as the significant number of laws remaining from the apartheid era that discriminate on the basis of race, such as the rules on intestate succession according to the Native Administration Proclamation 15 of 1928;"},
	{"P", "(b) Discrimination, harassment and violence against lesbian, gay, bisexual and transgender persons, including cases of so-called \"corrective rape\" against lesbians;"},
	{"P", "(c) Discrimination on the basis of sexual orientation not being explicitly prohibited, exclusion of sexual orientation as a prohibited ground for discrimination from the Labour Act (Act No.11 of 2007), the maintenance of the common law crime of sodomy, the exclusion of same-sex partnerships from the Combating of Domestic Violence Act (Act No. 4 of 2003);"},
	{"P", "(d) The continuing discrimination against persons with disabilities, as well as against persons who are HIV-positive, including in employment (arts. 2, 3, 7 and 26)."},
	{"P", "10. The State party should conduct extensive education and awareness-raising campaigns involving and targeting traditional leaders and the general public, both children and adults, to eliminate all forms of discrimination. It should:"},
	{"P", "(a) Repeal all laws that discriminate on the basis of race and finalize and adopt legislation on intestate succession so as to apply the same rules to all persons without discrimination;"},
	{"P", "(b) Adopt legislation explicitly prohibiting discrimination based on sexual orientation, including in the Labour Act (Act No. 11 of 2007), and adopt hate crime legislation punishing homophobic and transphobic violence and vigorously enforce it;"},
	{"P", "(c) Abolish the common law crime of sodomy and include same-sex relationships in the Combating of Domestic Violence Act (Act No. 4 of 2003) so as to protect same-sex partners;"},
	{"P", "(d) Intensify efforts to combat discrimination against persons with disabilities and against persons who are HIV-positive, and ensure their full integration into all spheres of public life."},
	{"H23", "Discrimination against women"},
	{"P", "11. The Committee is concerned about the persistence of discriminatory stereotypes and deep-rooted patriarchal attitudes regarding the roles and responsibilities of women, which furthermore constitute a major cause of violence against women. It also notes with concern that:"},
	{"P", "(a) Women are frequently discriminated by customary laws that, inter alia, allow family members to confiscate the property of deceased men from their widows and children;"},
	{"P", "(b) Reparation has not been granted to all women who have been subjected to forced or coerced sterilization owing to their HIV-positive status;"},
	{"P", "(c) Single mothers are regularly subjected to discrimination and stigmatization;"},
	{"P", "(d) The rate of female unemployment is high, occupational segregation persists between men and women, and the number of women in positions of responsibility is relatively low (arts. 2, 3, 7 and 26)."},
	{"P", "12. The State party should take comprehensive measures to eliminate stereotypical conceptions of gender roles, involving and targeting traditional leaders and the public at large. It should also:"},
	{"P", "(a) Cooperate with traditional leaders to abolish discriminatory customary laws;"},
	{"P", "(b) Ensure that women subjected to forced or coerced sterilization have access to reparation as well as to sterilization reversal where possible, and adopt formal guidelines to ensure that the fully informed consent of a woman undergoing sterilization is systematically sought by medical personnel;"},
	{"P", "(c) Take comprehensive awareness-raising measures to eliminate all forms of stigmatization and discrimination against single mothers;"},
	{"P", "(e) Take concrete measures with a view to eliminating female unemployment as well as occupational segregation, both horizontal and vertical, through, inter alia, education, training and retraining, and consider introducing temporary special measures where appropriate to increase the number of women in positions of responsibility."},
}

// leadRe finds a paragraph number or sub-paragraph letter, which OHCHR
// documents separate from the text by a tab.
var leadRe = regexp.MustCompile(`^(\d{1,3}\.|\([a-z]\)) `)

func main() {
	if err := os.WriteFile("co-nam-excerpt.html", htmlUTF16(), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("co-nam-excerpt.docx", docx(), 0o644); err != nil {
		log.Fatal(err)
	}
}

func htmlUTF16() []byte {
	var b strings.Builder
	b.WriteString("<html>\r\n<head>\r\n<meta http-equiv=Content-Type content=\"text/html; charset=unicode\">\r\n")
	b.WriteString("<title>CCPR/C/NAM/CO/2</title>\r\n<style>\r\n<!-- p.SingleTxt {margin-left:56.7pt; text-align:justify} -->\r\n</style>\r\n</head>\r\n")
	b.WriteString("<body lang=EN-GB>\r\n<div class=WordSection1>\r\n")
	for _, bl := range blocks {
		style, text := bl[0], bl[1]
		esc := strings.ReplaceAll(html.EscapeString(text), "&#39;", "&#8217;")
		if m := leadRe.FindString(text); m != "" {
			esc = html.EscapeString(strings.TrimSpace(m)) + "&nbsp;&nbsp;&nbsp; " + strings.ReplaceAll(html.EscapeString(text[len(m):]), "&#39;", "&#8217;")
		}
		switch style {
		case "HCh":
			b.WriteString("<h1><span lang=EN-GB>" + esc + "<a href=\"#_ftn1\"><sup>*</sup></a></span></h1>\r\n")
		case "H1":
			b.WriteString("<h2><span lang=EN-GB>" + strings.Replace(esc, ". ", ".&nbsp;&nbsp;", 1) + "</span></h2>\r\n")
		case "H23":
			b.WriteString("<p class=H23><b><span lang=EN-GB>" + esc + "</span></b></p>\r\n")
		default:
			b.WriteString("<p class=SingleTxt><span lang=EN-GB>" + esc + "</span></p>\r\n")
		}
	}
	b.WriteString("</div>\r\n<div><p class=MsoFootnoteText><a name=\"_ftn1\">*</a> Adopted by the Committee at its 116th session (7-31 March 2016).</p></div>\r\n</body>\r\n</html>\r\n")
	u := utf16.Encode([]rune(b.String()))
	var out bytes.Buffer
	out.Write([]byte{0xff, 0xfe})
	binary.Write(&out, binary.LittleEndian, u)
	return out.Bytes()
}

func docx() []byte {
	var body strings.Builder
	for _, bl := range blocks {
		style, text := bl[0], bl[1]
		if style == "P" {
			style = "SingleTxt"
		}
		body.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
		if m := leadRe.FindString(text); m != "" {
			body.WriteString(`<w:r><w:t>` + esc(strings.TrimSpace(m)) + `</w:t></w:r><w:r><w:tab/></w:r>`)
			text = text[len(m):]
		}
		// Word splits text into runs at edits; a split mid-sentence checks
		// that the reader joins runs without adding space.
		if i := strings.Index(text, " the "); i > 0 {
			body.WriteString(`<w:r><w:t xml:space="preserve">` + esc(text[:i+1]) + `</w:t></w:r>`)
			text = text[i+1:]
		}
		body.WriteString(`<w:r><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p>`)
	}
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
			style("SingleTxt", "__Single Txt") + style("HCh", "_ H _Ch") + style("H1", "_ H_1") + style("H23", "_ H_2/3") + `</w:styles>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `<w:sectPr/></w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			log.Fatal(err)
		}
		if _, err := w.Write([]byte(f.data)); err != nil {
			log.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

func style(id, name string) string {
	return `<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + id + `"><w:name w:val="` + name + `"/></w:style>`
}

var xmlEsc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func esc(s string) string { return xmlEsc.Replace(s) }
