package norm_test

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/internal/shared"
	"github.com/nmirf/nmirf/models"
)

// notCountries are values of the real sources' country columns that are
// not countries; they must not resolve.
var notCountries = map[string]bool{
	"(Unknown)": true, // UPR Info "From" for recommendations it could not attribute
}

// nameSet collects names to check, with where each was first seen.
type nameSet map[string]string

func (s nameSet) add(name, where string) {
	name = strings.TrimSpace(html.UnescapeString(name))
	if name == "" {
		return
	}
	if _, ok := s[name]; !ok {
		s[name] = where
	}
}

// checkNames fails t listing every name that does not resolve, and every
// known non-country that does.
func checkNames(t *testing.T, names nameSet) {
	t.Helper()
	var missing []string
	for n, where := range names {
		iso3, ok := norm.Country(n)
		switch {
		case notCountries[n] && ok:
			t.Errorf("%q (%s) is not a country but resolves to %s", n, where, iso3)
		case !notCountries[n] && !ok:
			missing = append(missing, n+"  ("+where+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d of %d names do not resolve:\n%s", len(missing), len(names), strings.Join(missing, "\n"))
	}
}

func readTable(t *testing.T, path string) *extract.Table {
	t.Helper()
	in, err := extract.ReadInput(path)
	if err != nil {
		t.Fatal(err)
	}
	tab, _, err := extract.ReadCSV(in)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return tab
}

func TestRealUPRInfoCountries(t *testing.T) {
	dir := shared.Path(t, "upr-info")
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) != 4 {
		t.Fatalf("found %d UPR Info CSV files, want 4", len(files))
	}
	names := nameSet{}
	rows := 0
	for _, f := range files {
		tab := readTable(t, f)
		to, from := tab.Col("To"), tab.Col("From")
		if to < 0 || from < 0 {
			t.Fatalf("%s: no To/From columns in %v", f, tab.Header)
		}
		for _, r := range tab.Rows {
			rows++
			names.add(r.Get(to), filepath.Base(f)+" To")
			names.add(r.Get(from), filepath.Base(f)+" From")
		}
	}
	if rows != 30261 {
		t.Errorf("read %d rows, want 30261", rows)
	}
	if len(names) != 196 {
		t.Errorf("found %d distinct names, want 196", len(names))
	}
	checkNames(t, names)
}

func TestRealMatrixCountries(t *testing.T) {
	tab := readTable(t, shared.Path(t, "uhri-matrices/matrices-parsed.csv"))
	country, states := tab.Col("country"), tab.Col("recommending_states")
	names := nameSet{}
	for _, r := range tab.Rows {
		names.add(r.Get(country), "country")
		for _, s := range models.SplitStateList(r.Get(states)) {
			// The parsed column carries a few stray non-State items from
			// the source tables: years ("2011–2020") and instrument
			// acronyms ("CEDAW", "OP-CAT").
			if strings.ContainsAny(s, "0123456789") || s == strings.ToUpper(s) {
				continue
			}
			names.add(s, "recommending_states")
		}
	}
	if len(tab.Rows) != 1061 {
		t.Errorf("read %d rows, want 1061", len(tab.Rows))
	}
	checkNames(t, names)
}

func TestRealParagraphOptions(t *testing.T) {
	data, err := os.ReadFile(shared.Path(t, "upr-paragraphs/countries/options.json"))
	if err != nil {
		t.Fatal(err)
	}
	var opts []string
	if err := json.Unmarshal(data, &opts); err != nil {
		t.Fatalf("read options.json: %v", err)
	}
	names := nameSet{}
	for _, o := range opts {
		names.add(o, "options.json")
	}
	if len(names) != 196 {
		t.Errorf("found %d options, want 196", len(names))
	}
	checkNames(t, names)
}

func TestRealWGReports(t *testing.T) {
	dir := shared.Path(t, "upr-wg-reports")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) != 220 {
		t.Fatalf("found %d reports, want 220", len(files))
	}
	// Trailing items the recommendation splitter yields that are not
	// State names, or that are garbled beyond recognition.
	known := map[string]bool{
		"MDGs": true, "NGOs": true, "LGBTs": true, "PWDs": true, "OP-CRC-SC": true,
		"Durban Programme of Action":       true,
		"Brazil/Spain":                     true, // two States; SplitStateList does not split on "/"
		"Bolivarian Republic of":           true, // half of "Venezuela (Bolivarian republic of)"
		"Lao.s People Democratic Republic": true,
	}
	var badSlugs []string
	unresolved := map[string]string{}
	mentions := 0
	for _, f := range files {
		if _, ok := norm.CountryFromSlug(filepath.Base(f)); !ok {
			badSlugs = append(badSlugs, filepath.Base(f))
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, _, err := extract.DecodeText(data)
		if err != nil {
			t.Fatalf("decode %s: %v", f, err)
		}
		for _, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(line)
			if models.StripParagraphNumber(line) == line {
				continue
			}
			_, states := models.SplitTrailingStates(line)
			for _, s := range models.SplitStateList(states) {
				mentions++
				if _, ok := norm.Country(s); !ok && !known[s] {
					unresolved[s] = filepath.Base(f)
				}
			}
		}
	}
	if len(badSlugs) > 0 {
		t.Errorf("file names that do not resolve: %v", badSlugs)
	}
	if len(unresolved) > 0 {
		t.Errorf("%d recommending States do not resolve: %v", len(unresolved), unresolved)
	}
	t.Logf("%d recommending-State mentions checked", mentions)
}

func TestRealSDGGeoAreas(t *testing.T) {
	dir := shared.Path(t, "indicators/un-sdg-global-database")
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	var bad []string
	areas := map[string]bool{}
	for _, f := range files {
		tab := readTable(t, f)
		code, name := tab.Col("GeoAreaCode"), tab.Col("GeoAreaName")
		if code < 0 || name < 0 {
			continue // the CodeDescriptions files
		}
		for _, r := range tab.Rows {
			c, n := r.Get(code), r.Get(name)
			if areas[c] {
				continue
			}
			areas[c] = true
			iso3, isCountry := norm.CountryFromM49(c)
			byName, named := norm.Country(n)
			if isCountry && byName != iso3 || !isCountry && named && n != "Micronesia" {
				bad = append(bad, c+" "+n+": "+iso3+" by code, "+byName+" by name")
			}
		}
	}
	if len(areas) != 297 {
		t.Errorf("found %d geo areas, want 297", len(areas))
	}
	if len(bad) > 0 {
		t.Errorf("%d geo areas wrong:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}
