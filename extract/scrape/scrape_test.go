package scrape

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSniffDoc(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"docx", readTestdata(t, "tbinternet/CCPR_C_DNK_CO_6.docx"), "docx"},
		{"pdf", readTestdata(t, "tbinternet/CCPR_C_PRY_CO_4.pdf"), "pdf"},
		{"utf-16 html", readTestdata(t, "tbinternet/CCPR_C_NAM_CO_2.html"), "html"},
		{"legacy doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), "doc"},
		{"utf-8 html with BOM", []byte("\xef\xbb\xbf\r\n<html>"), "html"},
		{"plain text", []byte("CCPR/C/DNK/CO/6"), ""},
		{"empty", nil, ""},
	}
	for _, tc := range tests {
		if got := sniffDoc(tc.data); got != tc.want {
			t.Errorf("%s: sniffDoc = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSafeNameAndToken(t *testing.T) {
	for in, want := range map[string]string{
		"CCPR/C/DNK/CO/6":  "CCPR_C_DNK_CO_6",
		"E/C.12/AUS/CO/6":  "E_C.12_AUS_CO_6",
		"CRC/C/COK/CO/2-5": "CRC_C_COK_CO_2-5",
		" CCPR/CO/70/DNK ": "CCPR_CO_70_DNK",
		"../../etc/passwd": "etc_passwd",
		"ohbmp9d9wz":       "ohbmp9d9wz",
	} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct {
		text, acr string
		want      bool
	}{
		{"CRC - Convention on the Rights of the Child", "CRC", true},
		{"CRC-OP-AC - Optional Protocol to the CRC on armed conflict", "CRC", true}, // "the CRC" in the title
		{"CRC-OP-AC - Optional Protocol", "CRC", false},
		{"CRC-OP-AC - Optional Protocol", "crc-op-ac", true},
		{"CESCR - International Covenant on Economic, Social and Cultural Rights", "CCPR", false},
	} {
		if got := hasToken(tc.text, tc.acr); got != tc.want {
			t.Errorf("hasToken(%q, %q) = %v", tc.text, tc.acr, got)
		}
	}
}

func TestUPRInfoRow(t *testing.T) {
	var seeds []uwaziEntity
	if err := json.Unmarshal(readTestdata(t, "uwazi/entities.json"), &seeds); err != nil {
		t.Fatal(err)
	}
	row, err := uprInfoRow(seeds[0])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Afghanistan", "Asia", "", "Enact legislation and take effective measures to protect and promote women's rights, especially with regard to forced marriages, honour killings and access to education for all girls.",
		"Austria", "WEOG", "", "Supported", "5", "Rights of the Child,Women's rights", "5"}
	if strings.Join(row, "|") != strings.Join(want, "|") {
		t.Fatalf("row\n%q\nwant\n%q", row, want)
	}
	broken := func(key string, v []uwaziValue) uwaziEntity {
		e := uwaziEntity{SharedID: "x", Metadata: map[string][]uwaziValue{}}
		for k, vs := range seeds[0].Metadata {
			e.Metadata[k] = vs
		}
		e.Metadata[key] = v
		return e
	}
	for _, tc := range []struct {
		e    uwaziEntity
		want string
	}{
		{broken("recommendation", nil), "metadata.recommendation is empty"},
		{broken("state_under_review", nil), "metadata.state_under_review is empty"},
		{broken("session", []uwaziValue{{Label: "November 2023"}}), `metadata.session "November 2023" has no session number`},
		{uwaziEntity{SharedID: "x"}, `no "metadata" field`},
	} {
		if _, err := uprInfoRow(tc.e); err == nil || err.Error() != tc.want {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
	if row, err := uprInfoRow(broken("session", []uwaziValue{{Label: "44 - November 2023"}})); err != nil || row[10] != "44" {
		t.Errorf("session 44: %q, %v", row, err)
	}
}

func TestPruneCache(t *testing.T) {
	dir := t.TempDir()
	old, fresh := filepath.Join(dir, "ab", "abcd"), filepath.Join(dir, "cd", "cdef")
	for _, p := range []string{old, fresh} {
		if err := writeAtomic(p, []byte("gob")); err != nil {
			t.Fatal(err)
		}
	}
	then := time.Now().Add(-49 * time.Hour)
	os.Chtimes(old, then, then)
	if err := pruneCache(dir, 48*time.Hour); err != nil {
		t.Fatal(err)
	}
	if fileExists(old) || !fileExists(fresh) {
		t.Fatalf("old kept %v, fresh kept %v", fileExists(old), fileExists(fresh))
	}
	if err := pruneCache(filepath.Join(dir, "missing"), time.Hour); err != nil {
		t.Fatalf("missing cache dir: %v", err)
	}
}

func TestDefaultUserAgent(t *testing.T) {
	if got := (Options{}).withDefaults(); got.UserAgent != "nmirf/"+Version+" (+https://github.com/nmirf/nmirf)" || got.Delay != time.Second || got.MaxTries != 4 || got.IgnoreRobotsTxt {
		t.Fatalf("defaults %+v", got)
	}
}
