package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Status is where the implementation of a recommendation or an action
// stands, in nmirf's vocabulary.
type Status string

const (
	StatusNotStarted           Status = "not_started"
	StatusInProgress           Status = "in_progress"
	StatusPartiallyImplemented Status = "partially_implemented"
	StatusImplemented          Status = "implemented"
	StatusNotApplicable        Status = "not_applicable"
)

// Statuses lists the vocabulary in the order of progress, as offered in
// drop-down lists.
var Statuses = []Status{StatusNotStarted, StatusInProgress, StatusPartiallyImplemented, StatusImplemented, StatusNotApplicable}

// statusWordings maps assessment wording (normalised by statusKey) to the
// vocabulary: the wording of UPR mid-term reports, of OHCHR thematic lists'
// "assessment/comments on level of implementation" and of IMPACT OSS
// progress statuses, in English, French and Spanish.
var statusWordings = map[string]Status{
	"not started": StatusNotStarted, "not implemented": StatusNotStarted, "no action": StatusNotStarted,
	"no action taken": StatusNotStarted, "not yet started": StatusNotStarted, "pending": StatusNotStarted,
	"non mis en oeuvre": StatusNotStarted, "non mise en oeuvre": StatusNotStarted, "pas encore mis en oeuvre": StatusNotStarted,
	"non commence": StatusNotStarted, "no implementada": StatusNotStarted, "no implementado": StatusNotStarted,
	"no iniciado": StatusNotStarted, "no iniciada": StatusNotStarted, "sin iniciar": StatusNotStarted,

	"in progress": StatusInProgress, "ongoing": StatusInProgress, "under way": StatusInProgress, "underway": StatusInProgress,
	"being implemented": StatusInProgress, "implementation ongoing": StatusInProgress, "started": StatusInProgress,
	"en cours": StatusInProgress, "en cours de mise en oeuvre": StatusInProgress, "en curso": StatusInProgress,
	"en proceso": StatusInProgress, "en progreso": StatusInProgress, "en ejecucion": StatusInProgress,

	"partially implemented": StatusPartiallyImplemented, "partly implemented": StatusPartiallyImplemented,
	"partial": StatusPartiallyImplemented, "partially": StatusPartiallyImplemented,
	"partiellement mis en oeuvre": StatusPartiallyImplemented, "partiellement mise en oeuvre": StatusPartiallyImplemented,
	"parcialmente implementada": StatusPartiallyImplemented, "parcialmente implementado": StatusPartiallyImplemented,
	"parcialmente aplicada": StatusPartiallyImplemented, "parcialmente cumplida": StatusPartiallyImplemented,

	"implemented": StatusImplemented, "fully implemented": StatusImplemented, "completed": StatusImplemented,
	"complete": StatusImplemented, "done": StatusImplemented, "accomplished": StatusImplemented,
	"mis en oeuvre": StatusImplemented, "mise en oeuvre": StatusImplemented, "pleinement mis en oeuvre": StatusImplemented,
	"entierement mis en oeuvre": StatusImplemented, "totalement mis en oeuvre": StatusImplemented,
	"implementada": StatusImplemented, "implementado": StatusImplemented, "plenamente implementada": StatusImplemented,
	"totalmente implementada": StatusImplemented, "plenamente aplicada": StatusImplemented, "cumplida": StatusImplemented,

	"not applicable": StatusNotApplicable, "n/a": StatusNotApplicable, "na": StatusNotApplicable,
	"non applicable": StatusNotApplicable, "sans objet": StatusNotApplicable, "no aplicable": StatusNotApplicable,
	"no procede": StatusNotApplicable,
}

// ParseStatus reads a status in the vocabulary (not_started, "in progress",
// "In-Progress") or in mapped assessment wording ("Fully implemented",
// "partiellement mis en œuvre", "parcialmente implementada"). Words after
// the assessment ("Partially implemented: the law was adopted …") are
// allowed; the longest known wording at the start wins.
func ParseStatus(s string) (Status, error) {
	k := statusKey(s)
	if k == "" {
		return "", fmt.Errorf("empty status")
	}
	if st, ok := statusWordings[k]; ok {
		return st, nil
	}
	for _, st := range Statuses {
		if k == statusKey(string(st)) {
			return st, nil
		}
	}
	best, bestLen := Status(""), 0
	for w, st := range statusWordings {
		if len(w) > bestLen && len(w) >= 4 && strings.HasPrefix(k, w) && !isWordChar(k[len(w)]) {
			best, bestLen = st, len(w)
		}
	}
	if best != "" {
		return best, nil
	}
	return "", fmt.Errorf("status %q is not one of %s (or fully/partially/not implemented)", strings.TrimSpace(s), strings.Join(StatusNames(), ", "))
}

// StatusInList reads a status chosen from nmirf's drop-down list: only the
// vocabulary itself, in any case or spacing.
func StatusInList(s string) (Status, bool) {
	k := statusKey(s)
	for _, st := range Statuses {
		if k == statusKey(string(st)) {
			return st, true
		}
	}
	return "", false
}

func isWordChar(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// StatusNames are the vocabulary as strings.
func StatusNames() []string {
	out := make([]string, len(Statuses))
	for i, s := range Statuses {
		out[i] = string(s)
	}
	return out
}

// statusKey lower-cases, drops accents and ligatures, and turns _ - and runs
// of spaces into one space.
func statusKey(s string) string {
	s = accentFold.Replace(strings.ToLower(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '_' || r == '-' || unicode.IsSpace(r):
			space = b.Len() > 0
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '/':
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			space = b.Len() > 0
		}
	}
	return b.String()
}

// accentFold drops the accents of French and Spanish assessment wording
// (precomposed, as office documents write them).
var accentFold = strings.NewReplacer("œ", "oe", "é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "á", "a", "â", "a",
	"í", "i", "î", "i", "ï", "i", "ó", "o", "ô", "o", "ú", "u", "ù", "u", "û", "u", "ü", "u", "ñ", "n", "ç", "c")

// Entity kinds.
const (
	EntityMinistry        = "ministry"
	EntityAgency          = "agency"
	EntityParliament      = "parliament"
	EntityLocalGovernment = "local_government"
	EntityNHRI            = "nhri"
	EntityOther           = "other"
)

// SecretariatCode names the NMIRF secretariat's workbook, which holds
// every recommendation whatever its lead entity.
const SecretariatCode = "SECRETARIAT"

// Entity is a body responsible for implementing recommendations.
type Entity struct {
	Code            string // short code: MOJ, MOH, NHRI
	Name            string
	Kind            string // ministry | agency | parliament | local_government | nhri | other
	Parent          string // code of the parent entity, if any
	FocalPointName  string
	FocalPointEmail string
	DeputyName      string
	DeputyEmail     string
}

// Validate checks the code and kind.
func (e Entity) Validate() error {
	if e.Code == "" || strings.ContainsAny(e.Code, " \t/\\") {
		return fmt.Errorf("entity code %q must be a short code without spaces or slashes", e.Code)
	}
	if e.Code == SecretariatCode {
		return fmt.Errorf("entity code %s is reserved for the secretariat's workbook", SecretariatCode)
	}
	switch e.Kind {
	case EntityMinistry, EntityAgency, EntityParliament, EntityLocalGovernment, EntityNHRI, EntityOther:
	default:
		return fmt.Errorf("entity %s: kind %q is not ministry, agency, parliament, local_government, nhri or other", e.Code, e.Kind)
	}
	if e.Name == "" {
		return fmt.Errorf("entity %s has no name", e.Code)
	}
	return nil
}

// Responsibility schemes: the labels a proposed lead entity is read from,
// in the order they are trusted.
const (
	RespUHRITheme    = SchemeUHRITheme
	RespUPRInfoIssue = SchemeUPRInfoIssue
	RespSDGGoal      = "sdg-goal"
)

// ResponsibilityRule proposes Entity as lead for recommendations carrying
// Label in Scheme. Priority orders rules across schemes (lower wins).
type ResponsibilityRule struct {
	Scheme   string
	Label    string
	Entity   string
	Priority int
}

// Responsibility is the configured list of entities and the rules that
// propose a lead entity from a recommendation's labels.
type Responsibility struct {
	Source   string // file the mapping came from, or "default"
	Entities []Entity
	Rules    []ResponsibilityRule
}

// Validate checks entities and that every rule names a listed entity.
func (r *Responsibility) Validate() error {
	codes := map[string]bool{}
	for _, e := range r.Entities {
		if err := e.Validate(); err != nil {
			return err
		}
		if codes[e.Code] {
			return fmt.Errorf("entity %s is listed twice", e.Code)
		}
		codes[e.Code] = true
	}
	for _, e := range r.Entities {
		if e.Parent != "" && !codes[e.Parent] {
			return fmt.Errorf("entity %s: parent %s is not listed", e.Code, e.Parent)
		}
	}
	for _, rule := range r.Rules {
		if !codes[rule.Entity] {
			return fmt.Errorf("%s %q: entity %s is not listed", rule.Scheme, rule.Label, rule.Entity)
		}
		switch rule.Scheme {
		case RespUHRITheme, RespUPRInfoIssue, RespSDGGoal:
		default:
			return fmt.Errorf("unknown scheme %q (uhri-theme, upr-info-issue, sdg-goal)", rule.Scheme)
		}
	}
	return nil
}

// Action is what the State does about one or more recommendations or a
// whole cluster.
type Action struct {
	ActionID           string
	CountryISO3        string
	Title              string
	Description        string
	LeadEntity         string
	SupportingEntities []string
	StartDate          string // YYYY-MM-DD or ""
	TargetDate         string
	SDGIndicators      []string
	BudgetLine         string
	Outcome            string
	Public             bool
	RecIDs             []string // the recommendations it answers
	// RecRefs are recommendations as another tool references them: a
	// paragraph number (110.98) or an nmirf rec_id; resolved when stored.
	RecRefs    []string
	ClusterIDs []string // or whole clusters
	Source     FollowupSource
}

// FollowupSource locates a row of follow-up input.
type FollowupSource struct {
	Format string
	File   string
	Sheet  string
	Row    int
	SHA256 string
	// Column is the cell's column, when one cell says it ("S (Lead
	// entity …)"); it names the column in errors found later.
	Column string
}

// Locate returns the row error of a column of this row.
func (s FollowupSource) Locate(column, msg string) RowError {
	if s.Column != "" {
		column = s.Column
	}
	field := column
	if s.Sheet != "" {
		field = "sheet " + s.Sheet
		if column != "" {
			field += ", column " + column
		}
	}
	return RowError{File: s.File, Row: s.Row, Field: field, Msg: msg}
}

// StatusUpdate is one report of progress on a recommendation or an
// action. Updates are only ever added.
type StatusUpdate struct {
	RecID           string // one of RecID, ActionID
	ActionID        string
	Status          Status
	StatusRaw       string
	Date            string // YYYY-MM-DD
	Text            string
	EvidenceURL     string
	ReportingEntity string
	Public          bool
	ExportID        string // the export the workbook came from
	Source          FollowupSource
}

// Key identifies what an update says, wherever it was read: the same
// update in two files, or one file imported twice, is stored once.
func (u StatusUpdate) Key() string {
	return contentKey("U", u.RecID, u.ActionID, string(u.Status), u.Date, strings.TrimSpace(u.Text), strings.TrimSpace(u.EvidenceURL), u.ReportingEntity)
}

// Review schemes of ReviewedLabel beyond the theme schemes.
const (
	ReviewSDGTarget  = "sdg-target"
	ReviewLeadEntity = "lead-entity"
)

// ReviewedLabel is a person's correction of a recommendation's labels in
// one scheme (uhri-theme, upr-info-issue, sdg-target) or its confirmed lead
// entity (lead-entity). It replaces the model's labels of that scheme.
type ReviewedLabel struct {
	RecID    string
	Scheme   string
	Labels   []string
	Reviewer string // entity code of whoever returned the correction
	Date     string
	Source   FollowupSource
}

// Key identifies what a review says.
func (r ReviewedLabel) Key() string {
	return contentKey("L", append([]string{r.RecID, r.Scheme, r.Reviewer}, r.Labels...)...)
}

// ActionKey is a stable id for an action known only by its title, as in a
// tracking sheet's action column.
func ActionKey(country, title string) string {
	return contentKey("A", country, strings.ToLower(strings.Join(strings.Fields(title), " ")))
}

func contentKey(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return prefix + hex.EncodeToString(h.Sum(nil))[:24]
}

// Followup is what a follow-up input (a returned workbook, a tracking
// sheet, an IMPACT OSS export) says.
type Followup struct {
	File string // the input it was read from, for whole-file messages
	// ExportID, WarehouseID and Entity come from the hidden sheet of a
	// workbook nmirf exported; empty for other inputs.
	ExportID    string
	WarehouseID string
	Entity      string
	// RowIDs are the recommendation ids the export put in the workbook,
	// with the row each was written to.
	RowIDs map[string]int

	Entities []Entity
	Actions  []Action
	Updates  []StatusUpdate
	Reviews  []ReviewedLabel
}

// Empty reports whether the input said nothing.
func (f *Followup) Empty() bool {
	return f == nil || len(f.Entities)+len(f.Actions)+len(f.Updates)+len(f.Reviews) == 0
}

// FollowupExport is one workbook written for review: which recommendations
// it holds, for which entity.
type FollowupExport struct {
	ExportID   string
	File       string
	Entity     string
	Country    string
	ExportedAt time.Time
	RecIDs     []string
}
