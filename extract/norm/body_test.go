package norm

import (
	"testing"

	"github.com/nmirf/nmirf/models"
)

func TestBody(t *testing.T) {
	const (
		upr = models.MechanismUPR
		tb  = models.MechanismTB
		sp  = models.MechanismSP
		reg = models.MechanismRegional
	)
	tests := []struct {
		raw     string
		mech    models.Mechanism
		code    string
		mandate string
	}{
		{"UPR", upr, "UPR", ""},
		{"- UPR", upr, "UPR", ""},
		{"Universal Periodic Review", upr, "UPR", ""},
		{"Working Group on the Universal Periodic Review", upr, "UPR", ""},
		{"Report of the Working Group on the Universal Periodic Review", upr, "UPR", ""},
		{"CRC", tb, "CRC", ""},
		{"- CRC", tb, "CRC", ""},
		{"crc", tb, "CRC", ""},
		{"Committee on the Rights of the Child", tb, "CRC", ""},
		{"COMMITTEE ON THE RIGHTS OF THE CHILD", tb, "CRC", ""},
		{"Committee on the Rights of the Child (CRC)", tb, "CRC", ""},
		{"CRC-OP-AC", tb, "CRC", ""},
		{"- CEDAW", tb, "CEDAW", ""},
		{"Committee on the Elimination of Discrimination against Women", tb, "CEDAW", ""},
		{"CESCR", tb, "CESCR", ""},
		{"Committee on Economic, Social and Cultural Rights", tb, "CESCR", ""},
		{"CCPR", tb, "CCPR", ""},
		{"Human Rights Committee", tb, "CCPR", ""},
		{"the Human Rights Committee", tb, "CCPR", ""},
		{"- CAT", tb, "CAT", ""},
		{"Committee against Torture", tb, "CAT", ""},
		{"SPT", tb, "SPT", ""},
		{"Subcommittee on Prevention of Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment", tb, "SPT", ""},
		{"CERD", tb, "CERD", ""},
		{"Committee on the Elimination of Racial Discrimination", tb, "CERD", ""},
		{"CRPD", tb, "CRPD", ""},
		{"Committee on the Rights of Persons with Disabilities", tb, "CRPD", ""},
		{"CMW", tb, "CMW", ""},
		{"Committee on the Protection of the Rights of All Migrant Workers and Members of Their Families", tb, "CMW", ""},
		{"CED", tb, "CED", ""},
		{"Committee on Enforced Disappearances", tb, "CED", ""},
		{"- SR on torture", sp, "SR", "SR on torture"},
		{"-  SR  on the right to food ", sp, "SR", "SR on the right to food"},
		{"SR", sp, "SR", "SR"},
		{"Special Rapporteur on the situation of human rights defenders", sp, "SR", "Special Rapporteur on the situation of human rights defenders"},
		{"- IE on the situation of human rights in Mali", sp, "IE", "IE on the situation of human rights in Mali"},
		{"Independent Expert on minority issues", sp, "IE", "Independent Expert on minority issues"},
		{"- WG on Arbitrary Detention", sp, "WG", "WG on Arbitrary Detention"},
		{"Working Group on Enforced or Involuntary Disappearances", sp, "WG", "Working Group on Enforced or Involuntary Disappearances"},
		{"IACHR", reg, "IACHR", ""},
		{"Inter-American Commission on Human Rights", reg, "IACHR", ""},
		{"African Commission on Human and Peoples’ Rights", reg, "ACHPR", ""},
		{"European Court of Human Rights", reg, "ECtHR", ""},
		{"Council of Europe", reg, "CoE", ""},
		{"", "", "", ""},
		{"- ", "", "", ""},
		{"European Union", "", "", ""},
		{"Human Rights Council", "", "", ""}, // not the Human Rights Committee
		{"Srebrenica", "", "", ""},
		{"Iewish", "", "", ""},
	}
	for _, tt := range tests {
		mech, code, ok := Body(tt.raw)
		if mech != tt.mech || code != tt.code || ok != (tt.code != "") {
			t.Errorf("Body(%q) = %q, %q, %v; want %q, %q", tt.raw, mech, code, ok, tt.mech, tt.code)
		}
		if got := BodyMandate(tt.raw); got != tt.mandate {
			t.Errorf("BodyMandate(%q) = %q, want %q", tt.raw, got, tt.mandate)
		}
	}
}
