package httpx

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock for cache tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestGuardedClientCachesSuccessfulGETs(t *testing.T) {
	var hits sync.Map // path -> *atomic.Int64
	count := func(path string) int64 {
		v, _ := hits.LoadOrStore(path, new(atomic.Int64))
		return v.(*atomic.Int64).Load()
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n := v.(*atomic.Int64).Add(1)
		switch r.URL.Path {
		case "/no-store":
			w.Header().Set("Cache-Control", "no-store")
		case "/short":
			w.Header().Set("Cache-Control", "public, max-age=10")
		case "/missing":
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"path":%q,"n":%d}`, r.URL.Path, n)
	})
	srv, pool := tlsServerOn(t, "127.0.0.1", handler)
	clock := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := NewGuardedClient(GuardOptions{AllowLoopback: true, RootCAs: pool, CacheTTL: time.Minute, CacheEntries: 3, Now: clock.Now})

	fetch := func(t *testing.T, path string) string {
		t.Helper()
		body, _ := get(c, srv.URL+path)
		return body
	}
	t.Run("a second GET within the TTL is answered from memory with the same body", func(t *testing.T) {
		first := fetch(t, "/a")
		second := fetch(t, "/a")
		if first != second || count("/a") != 1 {
			t.Fatalf("bodies %q and %q, %d server hits", first, second, count("/a"))
		}
	})
	t.Run("cached responses keep their headers", func(t *testing.T) {
		resp, err := c.Get(srv.URL + "/a")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.Header.Get("Content-Type") != "application/json" || resp.StatusCode != 200 {
			t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
		}
	})
	t.Run("after the TTL the server is asked again", func(t *testing.T) {
		clock.Advance(61 * time.Second)
		fetch(t, "/a")
		if count("/a") != 2 {
			t.Fatalf("%d server hits", count("/a"))
		}
	})
	t.Run("max-age shorter than the TTL wins", func(t *testing.T) {
		fetch(t, "/short")
		clock.Advance(5 * time.Second)
		fetch(t, "/short")
		clock.Advance(6 * time.Second)
		fetch(t, "/short")
		if count("/short") != 2 {
			t.Fatalf("%d server hits, want 2", count("/short"))
		}
	})
	t.Run("no-store responses are never cached", func(t *testing.T) {
		fetch(t, "/no-store")
		fetch(t, "/no-store")
		if count("/no-store") != 2 {
			t.Fatalf("%d server hits", count("/no-store"))
		}
	})
	t.Run("error responses are never cached", func(t *testing.T) {
		fetch(t, "/missing")
		fetch(t, "/missing")
		if count("/missing") != 2 {
			t.Fatalf("%d server hits", count("/missing"))
		}
	})
	t.Run("requests with credentials bypass the cache", func(t *testing.T) {
		for range 2 {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/private", nil)
			req.Header.Set("Authorization", "Bearer x")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		if count("/private") != 2 {
			t.Fatalf("%d server hits", count("/private"))
		}
	})
	t.Run("a different Accept header is a different entry", func(t *testing.T) {
		for _, accept := range []string{"application/json", "text/html"} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/negotiated", nil)
			req.Header.Set("Accept", accept)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		if count("/negotiated") != 2 {
			t.Fatalf("%d server hits", count("/negotiated"))
		}
	})
	t.Run("the cache holds at most CacheEntries responses, evicting the oldest", func(t *testing.T) {
		for _, p := range []string{"/e1", "/e2", "/e3", "/e4"} {
			fetch(t, p)
		}
		fetch(t, "/e4") // newest: still cached
		fetch(t, "/e1") // oldest: evicted
		if count("/e4") != 1 || count("/e1") != 2 {
			t.Fatalf("hits e1=%d e4=%d", count("/e1"), count("/e4"))
		}
		cache := c.Transport.(*cacheTransport)
		cache.mu.Lock()
		n := len(cache.entries)
		cache.mu.Unlock()
		if n > 3 {
			t.Fatalf("%d entries", n)
		}
	})
	t.Run("concurrent GETs are safe", func(t *testing.T) {
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := get(c, fmt.Sprintf("%s/c%d", srv.URL, i%4)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	})
}
