package pipeline

import "testing"

func TestSDGCode(t *testing.T) {
	// Labels as the OHCHR China 2018 matrix and UHRI write them.
	tests := map[string]string{
		"S16 SDG 16 - peace, justice and strong institutions": "16",
		"S05 SDG 5 - gender equality and women's empowerment": "5",
		"S Sustainable Development Goal implementation":       "",
		"16.a": "16.a", "17.18": "17.18", "5": "5",
		"8.7 - End modern slavery, trafficking and child labour": "8.7",
		"8 - DECENT WORK AND ECONOMIC GROWTH":                    "8",
		"18":                                                     "", "A12 Acceptance of international norms": "",
	}
	for in, want := range tests {
		if got := SDGCode(in); got != want {
			t.Errorf("SDGCode(%q) = %q, want %q", in, got, want)
		}
	}
}
