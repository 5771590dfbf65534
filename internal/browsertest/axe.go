package browsertest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// AxeScript is axe-core as npm installs it under scripts/site-check of the
// repository at repo (.ci/run: npm install --prefix scripts/site-check).
func AxeScript(t testing.TB, repo string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repo, "scripts", "site-check", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core not installed (npm install --prefix scripts/site-check): %v", err)
		}
		t.Skipf("axe-core not installed (npm install --prefix scripts/site-check): %v", err)
	}
	return b
}

// axeRun runs axe-core on the page with the WCAG 2.1 A and AA rules and
// the best practices, and writes the violations into the page, where
// --dump-dom shows them.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).then(function (r) {
  var out = {passes: r.passes.length, violations: r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(function (n) { return n.target.join(" ") + ": " + n.failureSummary; })};
  })};
  var p = document.createElement("pre");
  p.id = "axe-result";
  p.textContent = JSON.stringify(out);
  document.body.appendChild(p);
}, function (e) {
  var p = document.createElement("pre");
  p.id = "axe-result";
  p.textContent = JSON.stringify({error: String(e)});
  document.body.appendChild(p);
});
`

// AxeResult is what axe-core found on a page.
type AxeResult struct {
	Error      string `json:"error"`
	Passes     int    `json:"passes"`
	Violations []struct {
		ID, Impact, Help string
		Nodes            []string
	} `json:"violations"`
}

// Axe opens a copy of the page (a path under root), with axe-core added,
// in Chromium and returns axe-core's result.
func Axe(t testing.TB, bin, root, page string, axe []byte) AxeResult {
	t.Helper()
	dir := filepath.Join(root, filepath.Dir(page))
	for name, b := range map[string][]byte{"axe.min.js": axe, "axe-run.js": []byte(axeRun)} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.ReadFile(filepath.Join(root, page))
	if err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(dir, "axe-"+filepath.Base(page))
	withAxe := strings.Replace(string(src), "</body>", `<script src="axe.min.js"></script><script src="axe-run.js"></script></body>`, 1)
	if err := os.WriteFile(probe, []byte(withAxe), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(probe)
	dom := Run(t, 120*time.Second, bin, filepath.Join(t.TempDir(), "profile"), "--virtual-time-budget=60000", "--dump-dom", "file://"+probe)
	m := regexp.MustCompile(`(?s)<pre id="axe-result">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("%s: axe-core gave no result", page)
	}
	var r AxeResult
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &r); err != nil {
		t.Fatalf("%s: axe result: %v", page, err)
	}
	if r.Error != "" {
		t.Fatalf("%s: axe-core failed: %s", page, r.Error)
	}
	return r
}
