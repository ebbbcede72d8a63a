package httpx

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// cacheTransport serves repeated successful GETs from memory for a short
// time. Only anonymous requests (no Authorization or Cookie header) with
// status 200 are cached; Cache-Control no-store, no-cache and private are
// honoured, and max-age shortens the TTL. Entries and total bytes are
// bounded; the oldest entries go first.
type cacheTransport struct {
	next       http.RoundTripper
	ttl        time.Duration
	maxEntries int
	maxBytes   int64
	now        func() time.Time

	mu      sync.Mutex
	entries map[string]*cacheEntry
	bytes   int64
	seq     uint64 // insertion counter, for oldest-first eviction
}

// cacheEntry is one stored response.
type cacheEntry struct {
	status  string
	code    int
	proto   string
	major   int
	minor   int
	header  http.Header
	body    []byte
	seq     uint64
	expires time.Time
}

// newCache returns a cache in front of next.
func newCache(next http.RoundTripper, ttl time.Duration, maxEntries int, maxBytes int64, now func() time.Time) *cacheTransport {
	return &cacheTransport{
		next: next, ttl: ttl, maxEntries: maxEntries, maxBytes: maxBytes, now: now,
		entries: make(map[string]*cacheEntry),
	}
}

// RoundTrip answers from the cache or fetches and stores.
func (c *cacheTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !cacheableRequest(req) {
		return c.next.RoundTrip(req)
	}
	key := cacheKey(req)
	if resp := c.lookup(key, req); resp != nil {
		return resp, nil
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	ttl, ok := c.responseTTL(resp)
	if !ok {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	e := &cacheEntry{
		status: resp.Status, code: resp.StatusCode,
		proto: resp.Proto, major: resp.ProtoMajor, minor: resp.ProtoMinor,
		header: resp.Header.Clone(), body: body,
	}
	c.store(key, e, ttl)
	return e.response(req), nil
}

// CloseIdleConnections closes idle connections of the transport below.
func (c *cacheTransport) CloseIdleConnections() { closeIdle(c.next) }

// cacheableRequest reports whether req may be answered from the cache.
func cacheableRequest(req *http.Request) bool {
	if req.Method != http.MethodGet && req.Method != "" {
		return false
	}
	if req.Header.Get("Authorization") != "" || req.Header.Get("Cookie") != "" || req.Header.Get("Range") != "" {
		return false
	}
	cc := strings.ToLower(req.Header.Get("Cache-Control"))
	return !strings.Contains(cc, "no-cache") && !strings.Contains(cc, "no-store")
}

// cacheKey identifies a request: the URL without fragment and the Accept
// header, which may select another representation.
func cacheKey(req *http.Request) string {
	u := *req.URL
	u.Fragment, u.RawFragment = "", ""
	return u.String() + "\n" + req.Header.Get("Accept")
}

// responseTTL says whether and how long a response may be stored.
func (c *cacheTransport) responseTTL(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusOK {
		return 0, false
	}
	ttl := c.ttl
	for _, directive := range strings.Split(strings.ToLower(resp.Header.Get("Cache-Control")), ",") {
		directive = strings.TrimSpace(directive)
		switch {
		case directive == "no-store", directive == "no-cache", directive == "private":
			return 0, false
		case strings.HasPrefix(directive, "max-age="):
			secs, err := strconv.ParseInt(strings.TrimPrefix(directive, "max-age="), 10, 64)
			if err != nil || secs <= 0 {
				return 0, false
			}
			if d := time.Duration(secs) * time.Second; d < ttl {
				ttl = d
			}
		}
	}
	if resp.ContentLength > c.maxBytes {
		return 0, false
	}
	return ttl, true
}

// lookup returns a fresh cached response for key, or nil.
func (c *cacheTransport) lookup(key string, req *http.Request) *http.Response {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil
	}
	if !c.now().Before(e.expires) {
		c.remove(key)
		return nil
	}
	return e.response(req)
}

// store keeps e under key, evicting expired then oldest entries to stay
// within bounds.
func (c *cacheTransport) store(key string, e *cacheEntry, ttl time.Duration) {
	size := int64(len(e.body))
	if size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.seq++
	e.seq, e.expires = c.seq, now.Add(ttl)
	c.remove(key)
	if len(c.entries) >= c.maxEntries || c.bytes+size > c.maxBytes {
		for k, old := range c.entries {
			if !now.Before(old.expires) {
				c.remove(k)
			}
		}
	}
	for len(c.entries) >= c.maxEntries || c.bytes+size > c.maxBytes {
		oldest := ""
		for k, old := range c.entries {
			if oldest == "" || old.seq < c.entries[oldest].seq {
				oldest = k
			}
		}
		if oldest == "" {
			break
		}
		c.remove(oldest)
	}
	c.entries[key] = e
	c.bytes += size
}

// remove deletes an entry; c.mu must be held.
func (c *cacheTransport) remove(key string) {
	if e, ok := c.entries[key]; ok {
		c.bytes -= int64(len(e.body))
		delete(c.entries, key)
	}
}

// response builds a fresh *http.Response from the entry.
func (e *cacheEntry) response(req *http.Request) *http.Response {
	return &http.Response{
		Status:        e.status,
		StatusCode:    e.code,
		Proto:         e.proto,
		ProtoMajor:    e.major,
		ProtoMinor:    e.minor,
		Header:        e.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(e.body)),
		ContentLength: int64(len(e.body)),
		Request:       req,
	}
}
