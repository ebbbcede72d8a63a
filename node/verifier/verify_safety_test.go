package verifier_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/node/verifier"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

// tlsServerAt serves h over https on ip (a loopback address) with a fresh self-signed
// certificate, and returns the server and a pool trusting it.
func tlsServerAt(t *testing.T, ip string, h http.Handler) (*httptest.Server, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "verify test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true, IPAddresses: []net.IP{net.ParseIP(ip)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, pool
}

// productionOptions use the production guard (https, public addresses only), admitting only
// the given prefixes and trusting pool, the way a deployed node fetches.
func productionOptions(pool *x509.CertPool, allow ...netip.Prefix) vc.Options {
	client := httpx.NewGuardedClient(httpx.GuardOptions{RootCAs: pool, AllowPrefixes: allow, CacheTTL: -1, Timeout: 2 * time.Second})
	return vc.Options{Resolver: did.NewResolver(did.Options{HTTPClient: client}), HTTPClient: client}
}

func TestVerifyRefusesInternalAddresses(t *testing.T) {
	// The redirector is the one address the guard admits; it sends the verifier elsewhere.
	var target string
	redir, pool := tlsServerAt(t, "127.0.0.2", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	}))
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the internal server was reached: %s", r.URL)
	}))
	defer inner.Close()
	_, srv := newVerifier(t, productionOptions(pool, netip.MustParsePrefix("127.0.0.2/32")), nil)
	_, innerPort, _ := net.SplitHostPort(inner.Listener.Addr().String())

	cases := []struct{ name, url, redirect string }{
		{"a URL pointing at 127.0.0.1 over https", "https://127.0.0.1:" + innerPort + "/credentials/x", ""},
		{"a URL pointing at 127.0.0.1 over http", inner.URL + "/credentials/x", ""},
		{"a URL pointing at the cloud metadata address", "https://169.254.169.254/latest/meta-data/", ""},
		{"a URL pointing at the metadata address over http", "http://169.254.169.254/latest/meta-data/", ""},
		{"a redirect to 127.0.0.1", redir.URL + "/badge", "https://127.0.0.1:" + innerPort + "/secret"},
		{"a redirect to the metadata address", redir.URL + "/badge", "https://169.254.169.254/latest/meta-data/"},
		{"a redirect to the metadata address over http", redir.URL + "/badge", "http://169.254.169.254/latest/meta-data/"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is refused with a clear message, in French and English", func(t *testing.T) {
			target = tc.redirect
			st, body := postForm(t, srv.URL+"/verify", "fr", url.Values{"url": {tc.url}})
			if st != http.StatusBadRequest || !strings.Contains(body, "mène à un réseau interne ou privé") {
				t.Errorf("French page: status %d\n%s", st, body)
			}
			_, body = postForm(t, srv.URL+"/verify", "en", url.Values{"url": {tc.url}})
			if !strings.Contains(body, "leads to an internal or private network") {
				t.Errorf("English page lacks the message:\n%s", body)
			}
			st, _, api := postAPI(t, srv.URL, "application/json", `{"url":"`+tc.url+`"}`)
			var p httpx.Problem
			json.Unmarshal([]byte(api), &p)
			if st != http.StatusBadRequest || !strings.Contains(p.Detail, "internal or private network") {
				t.Errorf("API: %d %s", st, api)
			}
		})
	}
	t.Run("a test-mode node (loopback allowed) still refuses a redirect to the metadata address", func(t *testing.T) {
		hop := httptest.NewServer(http.RedirectHandler("http://169.254.169.254/latest/meta-data/", http.StatusFound))
		defer hop.Close()
		_, srv := newVerifier(t, testOptions(nil), nil)
		_, body := postForm(t, srv.URL+"/verify", "en", url.Values{"url": {hop.URL}})
		if !strings.Contains(body, "leads to an internal or private network") {
			t.Errorf("page:\n%s", body)
		}
	})
}

func TestVerifyLimits(t *testing.T) {
	t.Run("each client gets its budget, then 429 with Retry-After, on the page and the API", func(t *testing.T) {
		_, srv := newVerifier(t, testOptions(nil), func(c *verifier.Config) {
			c.NoRateLimit = false
			c.RateLimit = httpx.RateLimitOptions{Rate: 0.01, Burst: 3}
		})
		text := url.Values{"text": {string(vector(t, "tampers/eddsa-00-untouched.json"))}}
		for i := range 3 {
			if st, _ := postForm(t, srv.URL+"/verify", "fr", text); st != 200 {
				t.Fatalf("request %d within the budget = %d", i+1, st)
			}
		}
		req, _ := http.NewRequest("POST", srv.URL+"/verify", strings.NewReader(text.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", "fr")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("4th request = %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		_, body := postForm(t, srv.URL+"/verify", "fr", text)
		wantAll(t, body, "Trop de vérifications depuis votre adresse")
		st, ct, _ := postAPI(t, srv.URL, "application/json", `{"url":"https://a.example/b"}`)
		if st != http.StatusTooManyRequests || ct != httpx.ProblemContentType {
			t.Errorf("API over budget = %d %s", st, ct)
		}
		if st, _ := get(t, srv.URL+"/verify", "fr"); st != 200 {
			t.Errorf("the form itself is not limited: %d", st)
		}
	})
	t.Run("oversize input is refused with the limit named", func(t *testing.T) {
		_, srv := newVerifier(t, testOptions(nil), func(c *verifier.Config) { c.MaxInputBytes = 1024 })
		big := strings.Repeat("x", 5000)
		st, body := postForm(t, srv.URL+"/verify", "en", url.Values{"text": {big}})
		if st != http.StatusRequestEntityTooLarge || !strings.Contains(body, "over the largest size accepted (1 KiB)") {
			t.Errorf("form: %d", st)
		}
		st, body = postFile(t, srv.URL+"/verify", "fr", "file", "big.json", []byte(strings.Repeat("y", 200<<10)))
		if st != http.StatusRequestEntityTooLarge || !strings.Contains(body, "taille maximale") {
			t.Errorf("upload: %d", st)
		}
		st, _, api := postAPI(t, srv.URL, "application/json", `{"jwt":"`+strings.Repeat("a", 300<<10)+`"}`)
		if st != http.StatusRequestEntityTooLarge {
			t.Errorf("API: %d %s", st, api)
		}
	})
}
