package followup

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/nmirf/nmirf/extract"
	"github.com/nmirf/nmirf/extract/norm"
	"github.com/nmirf/nmirf/models"
)

// ImpactFormat is the importer name of IMPACT OSS CSV exports.
const ImpactFormat = "impact-oss-csv"

// ImpactOSS reads the actions ("measures") CSV that IMPACT OSS's "Download
// CSV" writes (impactoss-client, components/EntityListDownload): an id
// column, the measure attributes by key (title, description, outcome,
// indicator_summary, target_date, target_date_comment, reference, draft,
// updated_at), one column per category group named after it in snake case
// (organisations, progress, …), whose cells list "Title [SHORT]" entries
// one per line after "- " when there are several, and
// connected_recommendations listing "Title [reference]" the same way.
//
// Each row becomes an action; its organisations become entities (the first
// one leads); its progress category becomes a status update dated by
// updated_at; its recommendations are linked by their reference
// (paragraph number such as 110.98, or nmirf's rec_id).
type ImpactOSS struct{}

// Name implements extract.Importer.
func (ImpactOSS) Name() string { return ImpactFormat }

// Sniff recognises the measure attribute keys only IMPACT OSS writes.
func (ImpactOSS) Sniff(in *extract.Input) int {
	if in.Kind() != extract.KindText {
		return 0
	}
	head := strings.ToLower(string(in.Data[:min(len(in.Data), 4096)]))
	line, _, _ := strings.Cut(head, "\n")
	if strings.Contains(line, "title") && (strings.Contains(line, "connected_recommendations") ||
		strings.Contains(line, "target_date_comment") || strings.Contains(line, "indicator_summary")) {
		return 90
	}
	return 0
}

var (
	bracketRef = regexp.MustCompile(`^(.*?)\s*\[([^\[\]]+)\](?:\s*\[(?:draft|private|draft/private)\])?$`)
	updatedAt  = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})-\d{6}$`)
)

// cellItems splits a cell listing several items ("- A [X]\n- B [Y]").
func cellItems(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "- "))
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// splitRef reads "Title [REF]" as title and reference.
func splitRef(s string) (string, string) {
	if m := bracketRef.FindStringSubmatch(s); m != nil {
		return strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
	}
	return s, ""
}

// unquote undoes the export's own quoting: IMPACT OSS wraps text values in
// double quotes before the CSV writer quotes them again.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.ReplaceAll(s[1:len(s)-1], `""`, `"`)
	}
	return strings.TrimSpace(s)
}

func entityKind(name string) string {
	l := strings.ToLower(name)
	switch {
	case strings.Contains(l, "ministry") || strings.Contains(l, "department"):
		return models.EntityMinistry
	case strings.Contains(l, "parliament") || strings.Contains(l, "assembly") || strings.Contains(l, "senate"):
		return models.EntityParliament
	case strings.Contains(l, "human rights commission") || strings.Contains(l, "ombuds") || strings.Contains(l, "human rights institution"):
		return models.EntityNHRI
	case strings.Contains(l, "council") || strings.Contains(l, "municipal") || strings.Contains(l, "local"):
		return models.EntityLocalGovernment
	}
	return models.EntityAgency
}

var nonCode = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// Import implements extract.Importer.
func (ImpactOSS) Import(ctx context.Context, in *extract.Input, opt extract.Options) (res *extract.Result, err error) {
	defer func() { err = fileError(in, err) }()
	t, issues, err := extract.ReadCSV(in)
	if err != nil {
		return nil, err
	}
	col := func(words ...string) int {
		for i, h := range t.Header {
			l := strings.ToLower(strings.TrimSpace(h))
			for _, w := range words {
				if l == w {
					return i
				}
			}
		}
		return -1
	}
	colLike := func(word string) int {
		for i, h := range t.Header {
			if strings.Contains(strings.ToLower(h), word) {
				return i
			}
		}
		return -1
	}
	id, ref, title := col("id"), col("reference"), col("title")
	if title < 0 || id < 0 && ref < 0 {
		return nil, fmt.Errorf("no id/reference and title columns: not an IMPACT OSS actions export (headers: %s)", strings.Join(t.Header, ", "))
	}
	desc, outcome, target, draft, updated := col("description"), col("outcome"), col("target_date"), col("draft"), col("updated_at")
	orgs := col("organisations", "organisation", "implementing_agencies", "agencies", "responsible_agencies")
	if orgs < 0 {
		orgs = colLike("agenc")
	}
	progress := col("progress", "status", "progress_status")
	recs := col("connected_recommendations")
	country := ""
	if opt.Country != "" {
		if c, ok := norm.Country(opt.Country); ok {
			country = c
		}
	}
	today := time.Now().Format(time.DateOnly)
	fu := &models.Followup{File: in.Name}
	res = &extract.Result{Followup: fu}
	for _, is := range issues {
		res.Rejected = append(res.Rejected, models.RowError{File: in.Name, Row: is.Line, Field: is.Field, Msg: is.Msg})
	}
	seenEnt := map[string]bool{}
	for n, row := range t.Rows {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		get := func(i int) string { return unquote(row.Get(i)) }
		src := models.FollowupSource{Format: ImpactFormat, File: in.Name, Row: row.Line, SHA256: in.SHA256}
		reject := func(c int, msg string) {
			res.Rejected = append(res.Rejected, models.RowError{File: in.Name, Row: row.Line, Field: t.Header[c], Msg: msg})
		}
		key := get(ref)
		if key == "" {
			key = get(id)
		}
		if key == "" || get(title) == "" {
			reject(title, "an action needs a title and an id or reference")
			continue
		}
		for _, cell := range []int{title, desc, outcome} {
			if v := get(cell); v != "" && strings.ContainsAny(v[:1], "=+@") {
				reject(cell, fmt.Sprintf("cell starts with %q, as a spreadsheet formula would; not imported", v[:1]))
				key = ""
			}
		}
		if key == "" {
			continue
		}
		a := models.Action{ActionID: "IMPACT-" + key, CountryISO3: country, Title: get(title), Description: get(desc), Outcome: get(outcome),
			Public: !strings.EqualFold(get(draft), "true"), Source: src}
		if v := get(target); v != "" {
			d, err := norm.Date(v)
			if err != nil {
				reject(target, err.Error())
				continue
			}
			a.TargetDate = d
		}
		for i, item := range cellItems(get(orgs)) {
			name, short := splitRef(item)
			code := strings.ToUpper(nonCode.ReplaceAllString(short, ""))
			if code == "" {
				code = strings.ToUpper(nonCode.ReplaceAllString(name, "_"))
			}
			if !seenEnt[code] {
				seenEnt[code] = true
				fu.Entities = append(fu.Entities, models.Entity{Code: code, Name: name, Kind: entityKind(name)})
			}
			if i == 0 {
				a.LeadEntity = code
			} else {
				a.SupportingEntities = append(a.SupportingEntities, code)
			}
		}
		for _, item := range cellItems(get(recs)) {
			if _, r := splitRef(item); r != "" {
				a.RecRefs = append(a.RecRefs, r)
			}
		}
		fu.Actions = append(fu.Actions, a)
		if p := get(progress); p != "" {
			name, _ := splitRef(cellItems(p)[0])
			st, err := models.ParseStatus(name)
			if err != nil {
				reject(progress, err.Error())
				continue
			}
			m := updatedAt.FindStringSubmatch(get(updated))
			if m == nil {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%s row %d: progress %q has no updated_at date; not recorded as a status update", in.Name, row.Line, name))
				continue
			}
			date := m[1] + "-" + m[2] + "-" + m[3]
			if date > today {
				reject(updated, "date "+date+" is in the future")
				continue
			}
			fu.Updates = append(fu.Updates, models.StatusUpdate{ActionID: a.ActionID, Status: st, StatusRaw: name, Date: date,
				Text: a.Outcome, ReportingEntity: a.LeadEntity, Public: a.Public, Source: src})
		}
	}
	if len(fu.Actions) == 0 && len(res.Rejected) == 0 {
		return nil, fmt.Errorf("no actions found")
	}
	return res, nil
}
