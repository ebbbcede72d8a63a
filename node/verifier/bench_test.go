package verifier_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

// BenchmarkVerifyPage measures full verify-page requests (form post by URL over loopback
// HTTP, fetch, verification, rendering) when the issuer's DID document and status list are in
// the guarded client's cache, and reports requests per second.
func BenchmarkVerifyPage(b *testing.B) {
	in := startIssuingNode(b)
	badge := in.award(b, learnerDID(b), nil)
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true}) // with its cache
	opts := vc.Options{Resolver: did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true}), HTTPClient: client}
	_, srv := newVerifier(b, opts, nil)
	form := url.Values{"url": {badge.URL}}.Encode()
	post := func() {
		resp, err := http.Post(srv.URL+"/verify?lang=fr", "application/x-www-form-urlencoded", strings.NewReader(form))
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "Badge valide") {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	post() // warm the cache
	b.ReportAllocs()
	begin := time.Now()
	n := 0
	for b.Loop() {
		post()
		n++
	}
	b.ReportMetric(float64(n)/time.Since(begin).Seconds(), "req/s")
}
