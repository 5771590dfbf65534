package lang

import "testing"

func TestDetect(t *testing.T) {
	tests := []struct{ text, want string }{
		// Recommendations as the UPR Working Group reports print them.
		{"Consider the ratification of the International Covenant on Economic, Social and Cultural Rights", English},
		{"Ratify the OP-CAT", English},
		// One English function word and none of another language (UPR Info).
		{"Strengthen awareness-raising efforts in rural areas where some cultural traditions inhibit women's rights.", English},
		// Accents written as combining marks, as in the official SDG texts.
		{"De aquí a 2030, reducir la tasa mundial de mortalidad materna", Spanish},
		{"Envisager de ratifier le Pacte international relatif aux droits économiques, sociaux et culturels et la Convention internationale sur la protection des droits de tous les travailleurs migrants", French},
		{"Prendre des mesures pour lutter contre la violence à l'égard des femmes", French},
		{"Considerar la posibilidad de ratificar el Pacto Internacional de Derechos Económicos, Sociales y Culturales", Spanish},
		{"Adoptar medidas para combatir la violencia contra las mujeres y los niños", Spanish},
		{"Рассмотреть вопрос о ратификации Международного пакта об экономических, социальных и культурных правах", Russian},
		{"النظر في التصديق على العهد الدولي الخاص بالحقوق الاقتصادية والاجتماعية والثقافية", Arabic},
		{"考虑批准《经济、社会及文化权利国际公约》", Chinese},
		// Too little to tell.
		{"OP-CAT", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Detect(tt.text); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
