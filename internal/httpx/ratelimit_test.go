package httpx

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"
)

// limitClock is a clock the rate-limit tests move by hand.
type limitClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *limitClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *limitClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestRateLimiter(t *testing.T) {
	t.Run("a client gets its burst, then waits for the refill", func(t *testing.T) {
		clk := &limitClock{t: time.Unix(1_700_000_000, 0)}
		l := NewRateLimiter(RateLimitOptions{Rate: 2, Burst: 3, Now: clk.Now})
		for i := range 3 {
			if ok, _ := l.Allow("a"); !ok {
				t.Fatalf("request %d refused within the burst", i+1)
			}
		}
		ok, wait := l.Allow("a")
		if ok || wait <= 0 || wait > 500*time.Millisecond {
			t.Fatalf("4th request: ok=%v wait=%v, want refused with a wait of at most 0.5 s", ok, wait)
		}
		if ok, _ := l.Allow("b"); !ok {
			t.Fatal("another client is limited by the first one's budget")
		}
		clk.Add(500 * time.Millisecond)
		if ok, _ := l.Allow("a"); !ok {
			t.Fatal("no token back after the refill time")
		}
	})
	t.Run("memory stays bounded: the least recently seen client is forgotten", func(t *testing.T) {
		clk := &limitClock{t: time.Unix(1_700_000_000, 0)}
		l := NewRateLimiter(RateLimitOptions{Rate: 1, Burst: 1, MaxClients: 100, Now: clk.Now})
		for i := range 1000 {
			l.Allow(strconv.Itoa(i))
		}
		if n := l.Clients(); n != 100 {
			t.Fatalf("%d clients remembered, want 100", n)
		}
	})
	t.Run("idle clients are evicted", func(t *testing.T) {
		clk := &limitClock{t: time.Unix(1_700_000_000, 0)}
		l := NewRateLimiter(RateLimitOptions{Idle: time.Minute, Now: clk.Now})
		l.Allow("a")
		l.Allow("b")
		clk.Add(2 * time.Minute)
		l.Allow("c")
		if n := l.Clients(); n != 1 {
			t.Fatalf("%d clients remembered after the idle time, want 1", n)
		}
	})
	t.Run("the client is RemoteAddr unless the peer is a trusted proxy", func(t *testing.T) {
		l := NewRateLimiter(RateLimitOptions{ClientIPHeader: "X-Forwarded-For", TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32")}})
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2.7:1234"
		r.Header.Set("X-Forwarded-For", "198.51.100.9")
		if k := l.ClientKey(r); k != "192.0.2.7" {
			t.Errorf("untrusted peer: key %q, want the RemoteAddr", k)
		}
		r.RemoteAddr = "10.0.0.1:443"
		r.Header.Set("X-Forwarded-For", "203.0.113.5, 198.51.100.9")
		if k := l.ClientKey(r); k != "198.51.100.9" {
			t.Errorf("trusted proxy: key %q, want the last forwarded address", k)
		}
		r.RemoteAddr = "[2001:db8:1:2:3:4:5:6]:80"
		if k := l.ClientKey(r); k != "2001:db8:1:2::/64" {
			t.Errorf("IPv6 key %q, want its /64", k)
		}
	})
	t.Run("over budget the middleware answers 429 problem+json with Retry-After", func(t *testing.T) {
		h := Chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }),
			RateLimit(RateLimitOptions{Rate: 0.5, Burst: 2}))
		var last *httptest.ResponseRecorder
		for range 3 {
			last = httptest.NewRecorder()
			r := httptest.NewRequest("POST", "/verify", nil)
			r.RemoteAddr = "192.0.2.1:5555"
			h.ServeHTTP(last, r)
		}
		if last.Code != http.StatusTooManyRequests {
			t.Fatalf("3rd request = %d, want 429", last.Code)
		}
		if ra := last.Header().Get("Retry-After"); ra != "2" {
			t.Errorf("Retry-After %q, want 2", ra)
		}
		var p Problem
		if err := json.Unmarshal(last.Body.Bytes(), &p); err != nil || p.Status != 429 || p.Detail == "" {
			t.Errorf("body %s: %v", last.Body, err)
		}
		if ct := last.Header().Get("Content-Type"); ct != ProblemContentType {
			t.Errorf("Content-Type %q", ct)
		}
	})
}

func BenchmarkRateLimiterAllow(b *testing.B) {
	l := NewRateLimiter(RateLimitOptions{Rate: 1e9, Burst: 1 << 30})
	keys := make([]string, 256)
	for i := range keys {
		keys[i] = "192.0.2." + strconv.Itoa(i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		l.Allow(keys[i&255])
		i++
	}
}
