package pipeline

import (
	"regexp"
	"strings"
	"time"
)

// FollowupReportOptions are the options of the followup and parliament
// report kinds.
type FollowupReportOptions struct {
	Entity      string    // followup: lead or supporting entity code
	Body        string    // followup: one body, with a draft of the follow-up section of the next report to it
	StaleMonths int       // followup: no update for longer than this is listed
	From, To    time.Time // parliament: the period reported on, both days included
}

// nameSuffix tells apart the files of reports of one kind and country
// that cover different things: followup-GBR-MOJ.docx, followup-GBR-CCPR.md,
// parliament-GBR-2025-01-01_2025-12-31.docx.
func (f FollowupReportOptions) nameSuffix(kind string) string {
	var s string
	switch kind {
	case "followup":
		for _, p := range []string{f.Entity, f.Body} {
			if p = safeName.ReplaceAllString(strings.ToUpper(strings.TrimSpace(p)), ""); p != "" {
				s += "-" + p
			}
		}
	case "parliament":
		if !f.From.IsZero() && !f.To.IsZero() {
			s = "-" + f.From.Format("2006-01-02") + "_" + f.To.Format("2006-01-02")
		}
	}
	return s
}

// safeName keeps an entity or body code fit for a file name.
var safeName = regexp.MustCompile(`[^A-Z0-9_-]`)
