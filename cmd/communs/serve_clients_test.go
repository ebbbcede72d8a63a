package main

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/communs/communs/internal/httpx"
)

func TestClientIdentity(t *testing.T) {
	t.Run("without trusted proxies the client is the direct peer, whatever the headers say", func(t *testing.T) {
		o, err := clientIdentity("", "X-Forwarded-For")
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "203.0.113.7:4000"
		r.Header.Set("X-Forwarded-For", "198.51.100.1")
		if got := httpx.NewRateLimiter(o).ClientKey(r); got != "203.0.113.7" {
			t.Fatalf("client %q", got)
		}
	})
	t.Run("a trusted proxy's header names the client", func(t *testing.T) {
		o, err := clientIdentity("10.0.0.0/8, 192.0.2.10", "x-forwarded-for")
		if err != nil {
			t.Fatal(err)
		}
		for _, peer := range []string{"10.1.2.3:4000", "192.0.2.10:4000"} {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = peer
			r.Header.Set("X-Forwarded-For", "198.51.100.1")
			if got := httpx.NewRateLimiter(o).ClientKey(r); got != "198.51.100.1" {
				t.Errorf("through %s: client %q", peer, got)
			}
		}
	})
	t.Run("bad settings are usage errors", func(t *testing.T) {
		for _, c := range [][2]string{{"not-a-cidr", "X-Forwarded-For"}, {"10.0.0.0/8", "X-Client"}} {
			if _, err := clientIdentity(c[0], c[1]); !errors.Is(err, errUsage) {
				t.Errorf("%v: %v", c, err)
			}
		}
	})
}
