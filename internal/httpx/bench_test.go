package httpx

import (
	"io"
	"net/http"
	"net/netip"
	"testing"
)

func BenchmarkCheckAddrPublic(b *testing.B) {
	addr := netip.MustParseAddr("93.184.215.14")
	var o GuardOptions
	b.ReportAllocs()
	for b.Loop() {
		if err := o.CheckAddr(addr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckAddrMappedLinkLocal(b *testing.B) {
	addr := netip.MustParseAddr("::ffff:169.254.169.254")
	var o GuardOptions
	b.ReportAllocs()
	for b.Loop() {
		if err := o.CheckAddr(addr); err == nil {
			b.Fatal("allowed")
		}
	}
}

func BenchmarkGuardedClientCacheHit(b *testing.B) {
	srv, pool := tlsServerOn(b, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write(make([]byte, 4096))
	}))
	c := NewGuardedClient(GuardOptions{AllowLoopback: true, RootCAs: pool})
	if _, err := get(c, srv.URL); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

func BenchmarkGuardedClientLoopbackFetch(b *testing.B) {
	srv, pool := tlsServerOn(b, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write(make([]byte, 4096))
	}))
	c := NewGuardedClient(GuardOptions{AllowLoopback: true, RootCAs: pool, CacheTTL: -1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := get(c, srv.URL); err != nil {
			b.Fatal(err)
		}
	}
}
