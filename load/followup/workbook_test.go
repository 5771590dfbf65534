package followup

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/models"
)

// readBack is what openpyxl, the reader spreadsheet users' scripts rely on,
// sees of a workbook: protection, hidden sheet, validations, cells.
const readBack = `
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws, meta = wb["Recommendations"], wb["_nmirf"]
print(json.dumps({
  "sheets": wb.sheetnames,
  "protected": ws.protection.sheet,
  "meta_state": meta.sheet_state,
  "structure_locked": bool(wb.security and wb.security.lockStructure),
  "locked": [ws.cell(2, c).protection.locked for c in range(1, 20)],
  "date_format": ws["P2"].number_format,
  "filter": ws.auto_filter.ref,
  "c2": ws["C2"].value, "j3": ws["J3"].value, "l2": ws["L2"].value,
  "validations": sorted([str(dv.sqref), dv.formula1] for dv in ws.data_validations.dataValidation),
  "meta": [[meta.cell(r, 1).value, meta.cell(r, 2).value] for r in range(1, 13)],
  "howto": [ws2.value for ws2 in wb["How to fill"]["A"] if ws2.value],
}))
`

func python(t *testing.T) string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import openpyxl").Run() == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("python3 with openpyxl is needed (apt-get install python3-openpyxl)")
	}
	t.Skip("python3 with openpyxl not installed")
	return ""
}

// Texts are real recommendations of the United Kingdom's second UPR review
// (A/HRC/21/9), as in nmirf's embedded sample.
func TestWorkbookAsOpenpyxlReadsIt(t *testing.T) {
	py := python(t)
	wb := &Workbook{
		Meta: Meta{WarehouseID: "9b1f0c3e-0000-4000-8000-000000000001", ExportID: "20260301T100000Z-abcdef", ExportedAt: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
			Entity: "MOJ", EntityName: "Ministry of Justice", Country: "GBR"},
		Rows: []Row{
			{RecID: "R93A21CD31A8FD137", Cluster: "privacy and the media", Text: "Adopt necessary actions to prevent impunity and further violations of privacy committed by private media companies such as News Corporation, through hacking into telephone communications, e-mails, and voicemails",
				Mechanism: "UPR", Body: "UPR", Document: "A/HRC/21/9 para. 110.98", Response: "pending", Themes: "Rule of law & impunity (0.98)", Targets: "16.3 (0.96)",
				ProposedLead: "MOJ", LeadEntity: "MOJ", LeadSource: "proposed", Status: "in_progress", StatusDate: "2026-01-10", LatestUpdate: "2026-01-10: Review started."},
			{RecID: "RD2436EA900D191A0", Text: "Adopt necessary measures to avoid criminalization of irregular migration, de-facto indefinite detention without the provision of all legal safeguards",
				Mechanism: "UPR", Body: "UPR", Document: "A/HRC/21/9 para. 110.113", LeadEntity: "MOI", LeadSource: "confirmed"},
		},
		Entities: []models.Entity{{Code: "MOJ", Name: "Ministry of Justice", Kind: models.EntityMinistry}, {Code: "MOI", Name: "Ministry of the Interior", Kind: models.EntityMinistry}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, wb); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "wb.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", readBack, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var got struct {
		Sheets          []string
		Protected       bool
		MetaState       string `json:"meta_state"`
		StructureLocked bool   `json:"structure_locked"`
		Locked          []bool
		DateFormat      string `json:"date_format"`
		Filter          string
		C2, J3, L2      string
		Validations     [][]string
		Meta            [][]any
		Howto           []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if strings.Join(got.Sheets, "|") != "Recommendations|How to fill|_nmirf" || !got.Protected || got.MetaState != "veryHidden" || !got.StructureLocked {
		t.Errorf("sheets %v protected %v hidden %q structure %v", got.Sheets, got.Protected, got.MetaState, got.StructureLocked)
	}
	for i, l := range got.Locked {
		if want := i < 12; l != want {
			t.Errorf("column %d (%s) locked %v, want %v", i+1, Columns[i], l, want)
		}
	}
	if strings.ReplaceAll(got.Filter, "$", "") != "A1:S3" {
		t.Errorf("filter on %q, want the header and rows A1:S3", got.Filter)
	}
	if got.DateFormat != "@" {
		t.Errorf("date column format %q, want text", got.DateFormat)
	}
	if got.C2 != wb.Rows[0].Text || got.J3 != "MOI (confirmed)" || got.L2 != "2026-01-10: Review started." {
		t.Errorf("C2 %q J3 %q L2 %q", got.C2, got.J3, got.L2)
	}
	wantDV := [][]string{{"M2:M3", `"not_started,in_progress,partially_implemented,implemented,not_applicable"`}, {"S2:S3", `"MOJ,MOI"`}}
	if b1, _ := json.Marshal(got.Validations); string(b1) != func() string { b, _ := json.Marshal(wantDV); return string(b) }() {
		t.Errorf("validations %v, want %v", got.Validations, wantDV)
	}
	meta, _ := json.Marshal(got.Meta)
	for _, want := range []string{`["warehouse_id","9b1f0c3e-0000-4000-8000-000000000001"]`, `["export_id","20260301T100000Z-abcdef"]`,
		`["exported_at","2026-03-01T10:00:00Z"]`, `["entity","MOJ"]`, `["row","rec_id"]`, `[2,"R93A21CD31A8FD137"]`, `[3,"RD2436EA900D191A0"]`} {
		if !strings.Contains(string(meta), want) {
			t.Errorf("hidden sheet %s lacks %s", meta, want)
		}
	}
	if h := strings.Join(got.Howto, "\n"); !strings.Contains(h, "Follow-up of human rights recommendations: Ministry of Justice") || !strings.Contains(h, "Status: choose from the list") {
		t.Errorf("how-to sheet:\n%s", h)
	}
}
