package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// counter is a handler answering "ok" and counting requests.
type counter struct{ n atomic.Int64 }

func (c *counter) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	c.n.Add(1)
	io.WriteString(w, "ok")
}

func get(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return string(body), fmt.Errorf("status %d", resp.StatusCode)
	}
	return string(body), nil
}

func TestGuardedClientLoopbackPolicy(t *testing.T) {
	var hits counter
	tlsSrv, pool := tlsServerOn(t, "127.0.0.1", &hits)
	plainSrv := httptest.NewServer(&hits)
	t.Cleanup(plainSrv.Close)

	t.Run("an https server on 127.0.0.1 is reached when loopback is allowed", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{AllowLoopback: true, RootCAs: pool})
		if body, err := get(c, tlsSrv.URL); err != nil || body != "ok" {
			t.Fatalf("body %q, error %v", body, err)
		}
	})
	t.Run("plain http to 127.0.0.1 is reached when loopback is allowed", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{AllowLoopback: true})
		if body, err := get(c, plainSrv.URL); err != nil || body != "ok" {
			t.Fatalf("body %q, error %v", body, err)
		}
	})
	t.Run("by default the https server on 127.0.0.1 is refused at dial time", func(t *testing.T) {
		before := hits.n.Load()
		c := NewGuardedClient(GuardOptions{RootCAs: pool})
		_, err := get(c, tlsSrv.URL)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "refused to connect to 127.0.0.1: loopback address") {
			t.Fatalf("error %v", err)
		}
		if hits.n.Load() != before {
			t.Fatal("the server was reached")
		}
	})
	t.Run("by default localhost is refused after name resolution", func(t *testing.T) {
		u, _ := url.Parse(tlsSrv.URL)
		c := NewGuardedClient(GuardOptions{RootCAs: pool})
		_, err := get(c, "https://localhost:"+u.Port()+"/")
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "loopback address") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("by default plain http is refused before any connection", func(t *testing.T) {
		before := hits.n.Load()
		c := NewGuardedClient(GuardOptions{})
		_, err := get(c, plainSrv.URL)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "plain http is not allowed") {
			t.Fatalf("error %v", err)
		}
		if hits.n.Load() != before {
			t.Fatal("the server was reached")
		}
	})
	t.Run("plain http to a public name is refused even when loopback is allowed", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{AllowLoopback: true})
		_, err := get(c, "http://example.com/")
		var refused *RefusedError
		if !errors.As(err, &refused) || !strings.Contains(refused.Target, "http://example.com/") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("other schemes are refused", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{AllowLoopback: true})
		_, err := c.Get("ftp://127.0.0.1/x")
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), `scheme "ftp"`) {
			t.Fatalf("error %v", err)
		}
	})
}

func TestGuardedClientRefusesInternalAddressesBeforeConnecting(t *testing.T) {
	// These URLs name addresses that must never be reached; the dial-time
	// check fails before the connect call, so no packet leaves.
	c := NewGuardedClient(GuardOptions{AllowLoopback: true, Timeout: 2 * time.Second})
	for _, tc := range []struct{ url, want string }{
		{"https://169.254.169.254/latest/meta-data/", "refused to connect to 169.254.169.254: link-local address"},
		{"https://10.0.0.1/", "refused to connect to 10.0.0.1: private address (RFC 1918)"},
		{"https://100.64.0.1/", "shared address space"},
		{"https://[::ffff:169.254.169.254]/", "169.254.169.254: link-local address"},
		{"https://[fd00::1]/", "unique local address"},
		{"https://[fe80::1]/", "link-local address"},
		{"https://0.0.0.0/", "unspecified"},
		{"https://224.0.0.1/", "multicast"},
	} {
		t.Run(tc.url+" is refused", func(t *testing.T) {
			start := time.Now()
			_, err := c.Get(tc.url)
			if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if time.Since(start) > time.Second {
				t.Fatalf("took %v: the refusal must not wait for a connection", time.Since(start))
			}
		})
	}
}

func TestGuardedClientRechecksRedirects(t *testing.T) {
	var target counter
	targetSrv, pool := tlsServerOn(t, "127.0.0.1", &target)
	mux := http.NewServeMux()
	mux.HandleFunc("/to-loopback", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, targetSrv.URL+"/secret", http.StatusFound)
	})
	mux.HandleFunc("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	mux.HandleFunc("/to-metadata-http", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			io.WriteString(w, "end")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
	})
	origin, _ := tlsServerOn(t, "127.0.0.2", mux)
	// Only the origin's own address is allowed: loopback in general is not.
	onlyOrigin := GuardOptions{RootCAs: pool, AllowPrefixes: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}}

	t.Run("a redirect to 127.0.0.1 is refused and the target never reached", func(t *testing.T) {
		c := NewGuardedClient(onlyOrigin)
		_, err := get(c, origin.URL+"/to-loopback")
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "refused to connect to 127.0.0.1: loopback address") {
			t.Fatalf("error %v", err)
		}
		if target.n.Load() != 0 {
			t.Fatal("the redirect target was reached")
		}
	})
	t.Run("the redirect target is reachable directly when loopback is allowed (control)", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{RootCAs: pool, AllowLoopback: true})
		if _, err := get(c, origin.URL+"/to-loopback"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an https redirect to 169.254.169.254 is refused at dial time", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{RootCAs: pool, AllowLoopback: true})
		_, err := get(c, origin.URL+"/to-metadata")
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "169.254.169.254: link-local address") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("an http redirect to 169.254.169.254 is refused by scheme", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{RootCAs: pool, AllowLoopback: true})
		_, err := get(c, origin.URL+"/to-metadata-http")
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "plain http is not allowed") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("five redirects are followed", func(t *testing.T) {
		c := NewGuardedClient(onlyOrigin)
		if body, err := get(c, origin.URL+"/chain/5"); err != nil || body != "end" {
			t.Fatalf("body %q, error %v", body, err)
		}
	})
	t.Run("a sixth redirect is refused", func(t *testing.T) {
		c := NewGuardedClient(onlyOrigin)
		_, err := get(c, origin.URL+"/chain/6")
		if !errors.Is(err, ErrTooManyRedirects) || !strings.Contains(err.Error(), "/chain/0") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a negative MaxRedirects follows none", func(t *testing.T) {
		o := onlyOrigin
		o.MaxRedirects = -1
		_, err := get(NewGuardedClient(o), origin.URL+"/chain/1")
		if !errors.Is(err, ErrTooManyRedirects) {
			t.Fatalf("error %v", err)
		}
	})
}

func TestGuardedClientBoundsBodiesAndTime(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/exact", func(w http.ResponseWriter, _ *http.Request) {
		w.Write(make([]byte, DefaultMaxBodyBytes))
	})
	mux.HandleFunc("/declared", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(DefaultMaxBodyBytes+1))
		w.Write(make([]byte, DefaultMaxBodyBytes+1))
	})
	mux.HandleFunc("/streamed", func(w http.ResponseWriter, _ *http.Request) {
		chunk := make([]byte, 64<<10)
		for range 17 { // 1 MiB + 64 KiB, no Content-Length
			w.Write(chunk)
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(3 * time.Second):
		}
	})
	mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		// Keeps trickling even after the client gives up, so the body
		// never ends within the client's timeout.
		for range 20 {
			w.Write([]byte("x"))
			w.(http.Flusher).Flush()
			time.Sleep(100 * time.Millisecond)
		}
	})
	srv, pool := tlsServerOn(t, "127.0.0.1", mux)

	for _, cache := range []time.Duration{-1, 0} {
		name := "without cache"
		if cache == 0 {
			name = "with cache"
		}
		c := NewGuardedClient(GuardOptions{AllowLoopback: true, RootCAs: pool, CacheTTL: cache})
		t.Run(name+": a body of exactly 1 MiB is accepted", func(t *testing.T) {
			body, err := get(c, srv.URL+"/exact")
			if err != nil || len(body) != DefaultMaxBodyBytes {
				t.Fatalf("%d bytes, error %v", len(body), err)
			}
		})
		t.Run(name+": a declared length over 1 MiB is ErrTooLarge naming the URL", func(t *testing.T) {
			_, err := get(c, srv.URL+"/declared")
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), srv.URL+"/declared") {
				t.Fatalf("error %v", err)
			}
		})
		t.Run(name+": a streamed body over 1 MiB is ErrTooLarge", func(t *testing.T) {
			_, err := get(c, srv.URL+"/streamed")
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v", err)
			}
		})
	}
	t.Run("a server that does not answer in time fails with a timeout", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{AllowLoopback: true, RootCAs: pool, Timeout: 300 * time.Millisecond})
		start := time.Now()
		_, err := get(c, srv.URL+"/slow-headers")
		var ue *url.Error
		if !errors.As(err, &ue) || !ue.Timeout() {
			t.Fatalf("error %v is not a timeout", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("took %v", d)
		}
	})
	t.Run("a body that trickles past the timeout fails", func(t *testing.T) {
		c := NewGuardedClient(GuardOptions{AllowLoopback: true, RootCAs: pool, Timeout: 500 * time.Millisecond, CacheTTL: -1})
		start := time.Now()
		_, err := get(c, srv.URL+"/slow-body")
		var timeout interface{ Timeout() bool }
		if !errors.As(err, &timeout) || !timeout.Timeout() || time.Since(start) > 2*time.Second {
			t.Fatalf("error %v after %v", err, time.Since(start))
		}
	})
	t.Run("the default timeout is 5 seconds", func(t *testing.T) {
		if c := NewGuardedClient(GuardOptions{}); c.Timeout != 5*time.Second {
			t.Fatalf("timeout %v", c.Timeout)
		}
	})
}
