package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nmirf/nmirf/load/report"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// reader finds a document reader (pandoc, or /usr/bin/python3 with a
// module). Without it the test skips on a user's machine and fails in CI,
// which installs it (.ci/run).
func reader(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s not found; CI must have it", name)
	}
	t.Skipf("%s not found", name)
	return ""
}

// python runs a script with the system Python (where Debian's python3-docx
// and python3-openpyxl live) and decodes the JSON it prints.
func python(t *testing.T, module, script string, args ...string) any {
	t.Helper()
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		py = reader(t, "python3")
	}
	if err := exec.Command(py, "-c", "import "+module).Run(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python module %s not found; CI must have it", module)
		}
		t.Skipf("python module %s not found", module)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, py, append([]string{"-c", script}, args...)...).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("python %s: %v\n%s", module, err, stderr)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("python output: %v\n%s", err, out)
	}
	return v
}

func pandoc(t *testing.T, path, to string) string {
	t.Helper()
	bin := reader(t, "pandoc")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-f", "docx", "-t", to, "--wrap=none", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pandoc %s: %v\n%s", path, err, out)
	}
	return string(out)
}

// docxScript prints what python-docx reads: the core title, each
// paragraph's style and text, and each table's rows, with whether its
// first row repeats as a header.
const docxScript = `
import docx, json, sys
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
out = {"title": d.core_properties.title, "created": d.core_properties.created.isoformat() if d.core_properties.created else "",
       "paragraphs": [[p.style.name, p.text] for p in d.paragraphs], "tables": [],
       "footer": "".join(e.text or "" for e in d.sections[0].footer._element.iter(qn("w:instrText")))}
for t in d.tables:
    rows = [[c.text for c in r.cells] for r in t.rows]
    hdr = t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    out["tables"].append({"rows": rows, "header_repeats": hdr})
print(json.dumps(out))
`

func writeSampleDocx(t *testing.T) (*report.Docx, []byte) {
	t.Helper()
	d := report.NewDocx("Progress report: Ruritania & Co <2025>", time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	d.Heading(1, "Progress report")
	d.Heading(2, "Right to health")
	d.Paragraph(report.Run{Text: "Status: "}, report.Run{Text: "implemented", Bold: true}, report.Run{Text: " (as reported)", Italic: true})
	d.Bullets([]report.Run{{Text: "First item"}}, []report.Run{{Text: "See "}, {Text: "the evidence", Link: "https://example.org/evidence?a=1&b=2"}})
	d.Heading(3, "Figures")
	d.Table([]string{"entity", "recommendations", "implemented"}, [][]string{{"MOJ", "12", "3"}, {"MOH & sons", "7", "0"}})
	d.Text("Line one\nline two\x01 with a control character")
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return d, buf.Bytes()
}

// TestDocxReadBack writes a document with every element the writer has and
// reads it back with python-docx and pandoc: heading styles, the table's
// cells and repeating header, the link, the properties and the footer's
// page number field.
func TestDocxReadBack(t *testing.T) {
	_, data := writeSampleDocx(t)
	path := filepath.Join(t.TempDir(), "r.docx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("python-docx", func(t *testing.T) {
		got := python(t, "docx", docxScript, path).(map[string]any)
		if got["title"] != "Progress report: Ruritania & Co <2025>" {
			t.Errorf("core title = %q", got["title"])
		}
		if !strings.HasPrefix(got["created"].(string), "2025-03-01T12:00:00") {
			t.Errorf("created = %q", got["created"])
		}
		styles := map[string]string{}
		for _, p := range got["paragraphs"].([]any) {
			pp := p.([]any)
			styles[pp[1].(string)] = pp[0].(string)
		}
		for text, style := range map[string]string{"Progress report": "Heading 1", "Right to health": "Heading 2", "Figures": "Heading 3",
			"Status: implemented (as reported)": "Normal", "First item": "List Bullet"} {
			if styles[text] != style {
				t.Errorf("paragraph %q: style %q, want %q (all: %v)", text, styles[text], style, styles)
			}
		}
		tables := got["tables"].([]any)
		if len(tables) != 1 {
			t.Fatalf("%d tables, want 1", len(tables))
		}
		tb := tables[0].(map[string]any)
		rows := tb["rows"].([]any)
		if h := rows[0].([]any); h[1] != "recommendations" {
			t.Errorf("header = %v", h)
		}
		if r := rows[2].([]any); r[0] != "MOH & sons" || r[1] != "7" {
			t.Errorf("row 2 = %v", r)
		}
		if tb["header_repeats"] != true {
			t.Error("the header row does not repeat on page breaks")
		}
		if !strings.Contains(got["footer"].(string), "PAGE") {
			t.Errorf("footer fields = %q, want a PAGE field", got["footer"])
		}
	})
	t.Run("pandoc", func(t *testing.T) {
		md := pandoc(t, path, "markdown")
		for _, want := range []string{"# Progress report", "## Right to health", "### Figures", "**implemented**", "*(as reported)*",
			"[the evidence](https://example.org/evidence?a=1&b=2)", "MOH & sons"} {
			if !strings.Contains(md, want) {
				t.Errorf("pandoc markdown lacks %q:\n%s", want, md)
			}
		}
		plain := pandoc(t, path, "plain")
		if !strings.Contains(plain, "Line one") || !strings.Contains(plain, "line two with a control character") {
			t.Errorf("line break or control character not handled:\n%s", plain)
		}
	})
}

// TestDocxDeterministic checks that the same document gives the same
// bytes and that every zip entry carries the fixed time.
func TestDocxDeterministic(t *testing.T) {
	_, a := writeSampleDocx(t)
	_, b := writeSampleDocx(t)
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same document differ")
	}
	z, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
		if f.Modified.Year() != 1980 {
			t.Errorf("%s: modified %v, want the fixed 1980 time", f.Name, f.Modified)
		}
	}
	if names[0] != "[Content_Types].xml" || !strings.Contains(strings.Join(names, " "), "word/document.xml") {
		t.Errorf("entries: %v", names)
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update after checking the change)\n--- got (first 2000 bytes):\n%s", name, head(got, 2000))
	}
}

func head(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func TestDocxGolden(t *testing.T) {
	d, _ := writeSampleDocx(t)
	golden(t, "sample-document.xml", d.DocumentXML())
}
