package models

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Schemes of the SDG assignments: a model of TaskSDG gives targets, and
// each target implies its goal.
const (
	SchemeSDGGoal   = "sdg-goal"
	SchemeSDGTarget = "sdg-target"
)

// sdgLabelRe reads the code at the start of an SDG label as the sources
// write it: "S16 SDG 16 - peace…" and "S16 …" (OHCHR matrices), "8.7 - End
// modern slavery…" (UHRI), "SDG 4", "Goal 5", "5".
var sdgLabelRe = regexp.MustCompile(`^(?:S\d{1,2}\s+SDG\s+|SDG\s*|Goal\s+)?(\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?)\b|^S(\d{1,2})\b`)

// SDGCode returns the goal or target code an SDG label names: "16" for
// "S16 SDG 16 - peace, justice…", "8.7" for "8.7 - End modern slavery…",
// "5" for "5" and "S05 …" (a goal's leading zero dropped); "" for a label naming no goal of the 17, such as
// "S Sustainable Development Goal implementation".
func SDGCode(label string) string {
	m := sdgLabelRe.FindStringSubmatch(strings.TrimSpace(label))
	if m == nil {
		return ""
	}
	goal, target, isTarget := strings.Cut(m[1]+m[2], ".")
	n, err := strconv.Atoi(goal)
	if err != nil || n < 1 || n > 17 {
		return ""
	}
	if isTarget {
		return strconv.Itoa(n) + "." + target
	}
	return strconv.Itoa(n)
}

// sdgCodeRe is a bare goal ("5") or target ("5.2", "16.a") code.
var sdgCodeRe = regexp.MustCompile(`^\d{1,2}(\.[0-9a-z]{1,2})?$`)

// IsSDGCode tells whether s is a bare goal or target code.
func IsSDGCode(s string) bool { return sdgCodeRe.MatchString(s) }

// SDGGoalOf returns the goal of an SDG target or goal code: "5" for "5.2",
// "5.a" and "5".
func SDGGoalOf(code string) string {
	goal, _, _ := strings.Cut(code, ".")
	return goal
}

// IsSDGTarget tells a target code ("5.2", "16.a") from a goal code ("5").
func IsSDGTarget(code string) bool { return strings.Contains(code, ".") }

// WithSDGGoals returns codes with the goal of every target added: a target
// implies its goal. The result is sorted by CompareSDG, without repeats.
func WithSDGGoals(codes []string) []string {
	out := slices.Clone(codes)
	for _, c := range codes {
		if g := SDGGoalOf(c); !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, CompareSDG)
	return slices.Compact(out)
}

// SDGGoals returns the goals of codes, a target implying its goal: the
// goals of WithSDGGoals, sorted, without repeats.
func SDGGoals(codes []string) []string {
	var out []string
	for _, c := range WithSDGGoals(codes) {
		if !IsSDGTarget(c) {
			out = append(out, c)
		}
	}
	return out
}

// CompareSDG orders SDG codes as the framework does: by goal number, the
// goal before its targets, numbered targets before lettered ones.
func CompareSDG(a, b string) int {
	ga, ta, _ := strings.Cut(a, ".")
	gb, tb, _ := strings.Cut(b, ".")
	if c := compareNum(ga, gb); c != 0 {
		return c
	}
	return compareNum(ta, tb)
}

// compareNum compares numerals by value, and puts them before other strings.
func compareNum(a, b string) int {
	if len(a) != len(b) && isNum(a) && isNum(b) {
		return len(a) - len(b)
	}
	if isNum(a) != isNum(b) {
		if isNum(a) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

func isNum(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
