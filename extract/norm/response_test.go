package norm

import (
	"testing"

	"github.com/nmirf/nmirf/models"
)

func TestResponse(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"Accepted", models.ResponseSupported},
		{"Supported", models.ResponseSupported},
		{"supported", models.ResponseSupported},
		{" SUPPORTED. ", models.ResponseSupported},
		{"Supported, already implemented", models.ResponseSupported},
		{"Enjoys the support", models.ResponseSupported},
		{"Noted", models.ResponseNoted},
		{"Not supported", models.ResponseNoted},
		{"Not Supported", models.ResponseNoted},
		{"Rejected", models.ResponseNoted},
		{"Did not enjoy the support", models.ResponseNoted},
		{"Noted (see addendum)", models.ResponseNoted},
		{"Voluntary Pledge", models.ResponsePledge},
		{"voluntary pledge", models.ResponsePledge},
		{"will examine", models.ResponsePending},
		{"Will be examined", models.ResponsePending},
		{"pending", models.ResponsePending},
		{"to be examined", models.ResponsePending},
		{"Accepted in part", models.ResponseOther},
		{"Partially accepted", models.ResponseOther},
		{"Partially supported", models.ResponseOther},
		{"Supported/Noted", models.ResponseOther},
		{"General response", models.ResponseOther},
		{"", ""},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := Response(tt.raw); got != tt.want {
			t.Errorf("Response(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}
