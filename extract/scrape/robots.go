package scrape

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// robotsRule is the robots.txt line that decides a path.
type robotsRule struct {
	Allow bool
	Path  string
	Line  int
	Agent string // the group's User-agent line that matched
}

func (r robotsRule) String() string {
	verb := "Disallow"
	if r.Allow {
		verb = "Allow"
	}
	return fmt.Sprintf("%q (line %d, group User-agent: %s)", verb+": "+r.Path, r.Line, r.Agent)
}

// robotsDecide reads robots.txt as RFC 9309 does: the group whose
// User-agent is a prefix of our product token (else "*"), then the longest
// matching Allow/Disallow path, Allow winning a tie. It returns the rule
// that decides path, or nil when no rule matches (allowed).
func robotsDecide(body []byte, userAgent, path string) *robotsRule {
	product := strings.ToLower(userAgent)
	if i := strings.IndexAny(product, "/ "); i >= 0 {
		product = product[:i]
	}
	type group struct {
		agents []string
		rules  []robotsRule
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if cur == nil || !lastWasAgent {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(v))
			lastWasAgent = true
		case "allow", "disallow":
			lastWasAgent = false
			if cur == nil || v == "" {
				continue
			}
			cur.rules = append(cur.rules, robotsRule{Allow: k == "allow", Path: v, Line: n})
		default:
			lastWasAgent = false
		}
	}
	var pick *group
	agent := ""
	for _, g := range groups {
		for _, a := range g.agents {
			if a != "*" && product != "" && strings.HasPrefix(product, a) {
				pick, agent = g, a
			}
		}
	}
	if pick == nil {
		for _, g := range groups {
			for _, a := range g.agents {
				if a == "*" {
					pick, agent = g, a
				}
			}
		}
	}
	if pick == nil {
		return nil
	}
	var best *robotsRule
	for i := range pick.rules {
		r := pick.rules[i]
		if !robotsMatch(r.Path, path) {
			continue
		}
		if best == nil || len(r.Path) > len(best.Path) || len(r.Path) == len(best.Path) && r.Allow {
			r.Agent = agent
			best = &r
		}
	}
	return best
}

// robotsMatch matches a robots.txt path pattern ("*" any run, "$" end)
// against a path, case-sensitively as the RFC says.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	pattern = strings.TrimSuffix(pattern, "$")
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	rest := path[len(parts[0]):]
	for _, p := range parts[1:] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return !anchored || rest == "" || strings.HasSuffix(pattern, "*")
}

// checkRobots reads the robots.txt of target's host and fails with the
// deciding rule when it forbids target for our User-Agent, so that a run
// says at its start which URL and which rule stop it.
func (cl *client) checkRobots(what, target string) error {
	if cl.opt.IgnoreRobotsTxt {
		return nil
	}
	u, err := url.Parse(target)
	if err != nil {
		return fmt.Errorf("%s: parse %q: %w", what, target, err)
	}
	rt := u.Scheme + "://" + u.Host + "/robots.txt"
	r, err := cl.get(rt, nil, false)
	if err != nil {
		return fmt.Errorf("%s: read %s: %w", what, rt, err)
	}
	if r.Status != http.StatusOK {
		return nil // no robots.txt: everything is allowed
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	if rule := robotsDecide(r.Body, cl.opt.UserAgent, p); rule != nil && !rule.Allow {
		return fmt.Errorf("%s: %s forbids %s for user agent %q by the rule %s: %w; nothing was fetched (ask the site, then set ignore_robots_txt)",
			what, rt, target, cl.opt.UserAgent, rule, ErrRobots)
	}
	return nil
}
