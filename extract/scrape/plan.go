package scrape

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Request is one request a fetcher would send, for a dry run: what a
// person can try by hand on the live site.
type Request struct {
	Method string
	URL    string
	Header http.Header // the headers that matter (User-Agent, Accept, Accept-Language)
	Note   string      // why, and what stands in for a value only the site can give
}

// String prints the request on one line: method, URL, headers, note.
func (r Request) String() string {
	var b strings.Builder
	b.WriteString(r.Method + " " + r.URL)
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " [%s: %s]", k, strings.Join(r.Header[k], ", "))
	}
	if r.Note != "" {
		b.WriteString("  # " + r.Note)
	}
	return b.String()
}

// Planner is a Fetcher that can say, without sending anything, which
// requests a run would start with.
type Planner interface {
	Plan() []Request
}

func (o Options) planHeader(accept string) http.Header {
	h := http.Header{"User-Agent": {o.UserAgent}}
	if accept != "" {
		h.Set("Accept", accept)
	}
	return h
}
