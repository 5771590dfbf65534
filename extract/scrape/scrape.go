package scrape

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/nmirf/nmirf/internal/atomicfile"
)

// Version names this build in the User-Agent; cmd may set it at link time.
var Version = "0.1.0"

// Fetcher downloads one source's new material into dest. A nil error means
// the source was fully walked; Report then says what changed.
type Fetcher interface {
	Name() string
	Fetch(ctx context.Context, dest string) (*Report, error)
}

// Report says what one Fetch did. Fetched counts files written, Unchanged
// items the server or a checksum showed as already current, Skipped items
// a former run completed (or that have nothing to fetch, see Warnings).
type Report struct {
	Fetched, Unchanged, Skipped int
	Files                       []string
	Warnings                    []string
}

func (r *Report) warnf(format string, a ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, a...))
}

// Options set how politely and how hard the fetchers work. The zero value
// gives the defaults noted on each field.
type Options struct {
	UserAgent       string        // default "nmirf/<Version> (+https://github.com/nmirf/nmirf)"
	Delay           time.Duration // pause after each request to a host; default 1s
	Timeout         time.Duration // per request, body included; default 10m (the UHRI JSON is ~360 MB)
	MaxTries        int           // attempts on 5xx and timeouts; default 4
	Backoff         time.Duration // wait before the 2nd try, doubled after each; default 2s
	CacheDir        string        // colly's response cache for pages; "" disables it
	CacheMaxAge     time.Duration // cache entries older than this are deleted before a run; default 12h, under the nightly interval so no run reads the last one's pages
	IgnoreRobotsTxt bool          // only for sites that asked us to; default false
	MaxBodySize     int           // bytes; 0 = no limit (a limit would silently truncate large exports)
}

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = "nmirf/" + Version + " (+https://github.com/nmirf/nmirf)"
	}
	if o.Delay <= 0 {
		o.Delay = time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Minute
	}
	if o.MaxTries <= 0 {
		o.MaxTries = 4
	}
	if o.Backoff <= 0 {
		o.Backoff = 2 * time.Second
	}
	if o.CacheMaxAge <= 0 {
		o.CacheMaxAge = 12 * time.Hour
	}
	return o
}

// ErrRobots marks a request refused because the site's robots.txt
// disallows it for our User-Agent.
var ErrRobots = errors.New("disallowed by robots.txt")

// client runs requests through one colly collector: robots.txt, the
// per-host rate limit, the cache and the User-Agent come from colly; retries
// and status handling are ours, because the fetchers walk sites step by
// step (postbacks need the previous page) rather than by callbacks.
type client struct {
	ctx context.Context
	opt Options
	c   *colly.Collector
}

// response is what the fetchers need of a reply. Body is the bytes as
// received, never re-encoded; ContentType is the server's header.
type response struct {
	URL         *url.URL
	Status      int
	Header      http.Header
	ContentType string
	Body        []byte
}

const rawCTHeader = "X-Nmirf-Content-Type"

// rawTransport hides the charset from colly, which would otherwise convert
// a UTF-16 document to UTF-8 before we save it; the real header travels in
// rawCTHeader.
type rawTransport struct{ next http.RoundTripper }

func (t rawTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil {
		return resp, err
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		resp.Header.Set(rawCTHeader, ct)
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			resp.Header.Set("Content-Type", mt)
		} else {
			resp.Header.Del("Content-Type")
		}
	}
	return resp, nil
}

func newClient(ctx context.Context, opt Options) (*client, error) {
	if opt.CacheDir != "" {
		if err := pruneCache(opt.CacheDir, opt.CacheMaxAge); err != nil {
			return nil, err
		}
	}
	c := colly.NewCollector(
		colly.UserAgent(opt.UserAgent),
		colly.StdlibContext(ctx),
		colly.AllowURLRevisit(),
		colly.ParseHTTPErrorResponse(),
		colly.MaxBodySize(opt.MaxBodySize),
		colly.CacheDir(opt.CacheDir),
		colly.CacheExpiration(opt.CacheMaxAge),
	)
	// Set after NewCollector so that COLLY_* environment variables cannot
	// switch robots.txt off behind the options' back.
	c.IgnoreRobotsTxt = opt.IgnoreRobotsTxt
	c.SetRequestTimeout(opt.Timeout)
	c.WithTransport(rawTransport{next: http.DefaultTransport.(*http.Transport).Clone()})
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1, Delay: opt.Delay}); err != nil {
		return nil, fmt.Errorf("set rate limit: %w", err)
	}
	c.OnResponse(func(r *colly.Response) { r.Ctx.Put("resp", r) })
	c.OnError(func(r *colly.Response, err error) {
		if r != nil && r.StatusCode != 0 {
			r.Ctx.Put("resp", r)
		}
	})
	return &client{ctx: ctx, opt: opt, c: c}, nil
}

// get fetches u; cached marks pages that colly's cache may answer
// (conditional requests and documents are never cached).
func (cl *client) get(u string, hdr http.Header, cached bool) (*response, error) {
	if hdr == nil {
		hdr = http.Header{}
	}
	if !cached {
		hdr.Set("Cache-Control", "no-cache")
	}
	return cl.do(http.MethodGet, u, nil, hdr)
}

func (cl *client) post(u string, form url.Values) (*response, error) {
	return cl.do(http.MethodPost, u, []byte(form.Encode()), http.Header{})
}

// do sends one request, retrying 5xx replies and timeouts with exponential
// backoff; any other status is returned for the caller to judge.
func (cl *client) do(method, u string, body []byte, hdr http.Header) (*response, error) {
	wait := cl.opt.Backoff
	var last error
	for try := 1; try <= cl.opt.MaxTries; try++ {
		if err := cl.ctx.Err(); err != nil {
			return nil, err
		}
		if try > 1 {
			select {
			case <-cl.ctx.Done():
				return nil, cl.ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		h := hdr.Clone()
		if h.Get("User-Agent") == "" {
			h.Set("User-Agent", cl.opt.UserAgent)
		}
		cctx := colly.NewContext()
		var rd *bytes.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		var err error
		if rd != nil {
			err = cl.c.Request(method, u, rd, cctx, h)
		} else {
			err = cl.c.Request(method, u, nil, cctx, h)
		}
		if errors.Is(err, colly.ErrRobotsTxtBlocked) {
			return nil, fmt.Errorf("%s %s: %w for user agent %q", method, u, ErrRobots, cl.opt.UserAgent)
		}
		if cerr := cl.ctx.Err(); cerr != nil {
			return nil, cerr
		}
		r, _ := cctx.GetAny("resp").(*colly.Response)
		switch {
		case err != nil && isTimeout(err):
			last = fmt.Errorf("%s %s: try %d of %d: %w", method, u, try, cl.opt.MaxTries, err)
			continue
		case err != nil:
			return nil, fmt.Errorf("%s %s: %w", method, u, err)
		case r == nil:
			return nil, fmt.Errorf("%s %s: no response", method, u)
		case r.StatusCode >= 500:
			last = fmt.Errorf("%s %s: try %d of %d: HTTP %d", method, u, try, cl.opt.MaxTries, r.StatusCode)
			continue
		}
		hd := http.Header{}
		if r.Headers != nil {
			hd = r.Headers.Clone()
		}
		ct := hd.Get(rawCTHeader)
		if ct == "" {
			ct = hd.Get("Content-Type")
		}
		return &response{URL: r.Request.URL, Status: r.StatusCode, Header: hd, ContentType: ct, Body: r.Body}, nil
	}
	return nil, fmt.Errorf("giving up: %w", last)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// pruneCache deletes cache entries older than maxAge, so that a stale page
// can never stand in for the live one and the cache does not grow forever.
func pruneCache(dir string, maxAge time.Duration) error {
	cutoff := time.Now().Add(-maxAge)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.ModTime().Before(cutoff) {
			return os.Remove(p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("prune cache %s: %w", dir, err)
	}
	return nil
}

// writeAtomic writes data to path so that a reader never sees half a file
// and an interrupted run leaves the old one in place.
func writeAtomic(path string, data []byte) error { return atomicfile.WriteFile(path, data) }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// loadState reads a fetcher's JSON state file; a missing file is a first run.
func loadState(path string, v any) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read state %s: %w", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("read state %s: %w (delete it to start over)", path, err)
	}
	return nil
}

func saveState(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode state %s: %w", path, err)
	}
	return writeAtomic(path, append(data, '\n'))
}

func statePath(dest, name string) string {
	return filepath.Join(dest, ".nmirf-fetch-"+name+".json")
}

// resolve makes ref absolute against base.
func resolve(base *url.URL, ref string) (string, error) {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", err
	}
	return base.ResolveReference(r).String(), nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return strings.ToValidUTF8(string(b), "?")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// safeName turns a UN symbol or an id into a file name: "CCPR/C/DNK/CO/6"
// becomes "CCPR_C_DNK_CO_6".
func safeName(s string) string {
	s = unsafeName.ReplaceAllString(strings.TrimSpace(s), "_")
	s = strings.Trim(s, "._")
	if s == "" {
		return "_"
	}
	return s
}
