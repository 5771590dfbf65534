package norm

import "testing"

func TestUPRCycle(t *testing.T) {
	tests := []struct{ session, want int }{
		{-1, 0}, {0, 0}, {1, 1}, {12, 1}, {13, 2}, {16, 2}, {26, 2}, {27, 3},
		{40, 3}, {41, 4}, {54, 4}, {55, 5}, {60, 5}, {68, 5}, {69, 6},
	}
	for _, tt := range tests {
		if got := UPRCycle(tt.session); got != tt.want {
			t.Errorf("UPRCycle(%d) = %d, want %d", tt.session, got, tt.want)
		}
	}
}

func TestExcelDate(t *testing.T) {
	tests := []struct{ serial, want string }{
		{"1", "1900-01-01"},
		{"59", "1900-02-28"},
		{"61", "1900-03-01"},
		{"25569", "1970-01-01"},
		{"41944", "2014-11-01"},
		{"41943.75", "2014-10-31"},
		{" 45492 ", "2024-07-19"},
		{"2958465", "9999-12-31"},
		{"60", ""},
		{"0", ""},
		{"-5", ""},
		{"2958466", ""},
		{"abc", ""},
		{"NaN", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := ExcelDate(tt.serial)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("ExcelDate(%q) = %q, %v; want %q", tt.serial, got, err, tt.want)
		}
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		raw, want string
		fails     bool
	}{
		{"2014-10-31", "2014-10-31", false},
		{"2024-07-19T00:00:00Z", "2024-07-19", false},
		{"2024-07-19T10:30:00.000+02:00", "2024-07-19", false},
		{"2024-07-19 10:30:00", "2024-07-19", false},
		{"19 Jul 2024", "2024-07-19", false},
		{"20 JULY 2009", "2009-07-20", false},
		{"1 sept 2015", "2015-09-01", false},
		{"19-Jul-2024", "2024-07-19", false},
		{"July 20, 2009", "2009-07-20", false},
		{"31/10/2014", "2014-10-31", false},
		{"01/02/2014", "2014-02-01", false},
		{"31.10.2014", "2014-10-31", false},
		{"2014/10/31", "2014-10-31", false},
		{"20141031", "2014-10-31", false},
		{"41943", "2014-10-31", false},
		{"41943.5", "2014-10-31", false},
		{"", "", false},
		{"  ", "", false},
		{"2014", "", true},
		{"2014-13-01", "", true},
		{"2014-02-30", "", true},
		{"31/02/2014", "", true},
		{"10/31/2014", "", true}, // day first: there is no month 31
		{"32 Jul 2024", "", true},
		{"19 Juk 2024", "", true},
		{"19 Jul 24", "", true},
		{"next Tuesday", "", true},
	}
	for _, tt := range tests {
		got, err := Date(tt.raw)
		if got != tt.want || (err != nil) != tt.fails {
			t.Errorf("Date(%q) = %q, %v; want %q (fails %v)", tt.raw, got, err, tt.want, tt.fails)
		}
	}
}
