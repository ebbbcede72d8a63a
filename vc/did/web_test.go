package did

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWebDocumentURLFollowsTheDIDWebRules(t *testing.T) {
	cases := []struct{ did, want string }{
		{dccDID, "https://digitalcredentials.github.io/dcc-did-web/did.json"},
		{dccMultikeyDID, "https://digitalcredentials.github.io/dcc-did-web/multikey/did.json"},
		{"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"},
		{"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"},
		{"did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"},
		{"did:web:example.com%3a8443", "https://example.com:8443/.well-known/did.json"},
		{"did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c", "https://dc.1edtech.org/wellspring2022/wellspring-portal/org/da1e96e9-afcc-4eed-b9a2-2ddf7353214c/did.json"},
		{"did:web:example.com:issuers:caf%C3%A9", "https://example.com/issuers/caf%C3%A9/did.json"},
		{"did:web:example.com:a%2Fb", "https://example.com/a%2Fb/did.json"},
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.did, "%", "%%")+" maps to "+tc.want, func(t *testing.T) {
			got, err := WebDocumentURL(tc.did)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %s", got)
			}
		})
	}
	refused := []struct{ name, did, message string }{
		{"an IPv4 address is refused", "did:web:127.0.0.1%3A8080", "not an IP address"},
		{"a numeric host that looks like an address is refused", "did:web:127.1", "looks like an IP address"},
		{"a port of zero is refused", "did:web:example.com%3A0", "port"},
		{"a port above 65535 is refused", "did:web:example.com%3A70000", "port"},
		{"an empty port is refused", "did:web:example.com%3A", "port"},
		{"an empty path segment is refused", "did:web:example.com::alice", "empty"},
		{"a percent-encoded dot-dot segment is refused", "did:web:example.com:%2E%2E:admin", `".."`},
		{"a host with an underscore is refused", "did:web:bad_host.example", "not allowed"},
		{"a host with a percent-encoded slash is refused", "did:web:example.com%2Fevil", "not allowed"},
		{"another method is refused", "did:key:" + dccKey, "not a did:web"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, err := WebDocumentURL(tc.did)
			if !errors.Is(err, ErrInvalidDID) || !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %v, want ErrInvalidDID saying %q", err, tc.message)
			}
		})
	}
}

// redirectTo is a test transport that sends every request to one local
// server, keeping the path, and records the URLs asked for.
type redirectTo struct {
	target *url.URL
	mu     sync.Mutex
	asked  []string
}

func (r *redirectTo) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.asked = append(r.asked, req.URL.String())
	r.mu.Unlock()
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.target.Scheme, r.target.Host, ""
	return http.DefaultTransport.RoundTrip(out)
}

func (r *redirectTo) requested() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.asked...)
}

// dccSite serves the local copy of digitalcredentials.github.io on
// 127.0.0.1 and returns a resolver whose client reaches it for any host.
func dccSite(t *testing.T) (*BuiltinResolver, *redirectTo) {
	t.Helper()
	srv := httptest.NewServer(http.FileServer(http.Dir(didWebSite)))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	rt := &redirectTo{target: u}
	return NewResolver(Options{HTTPClient: &http.Client{Transport: rt, Timeout: 5 * time.Second}}), rt
}

func TestResolveWebFetchesTheDCCDocuments(t *testing.T) {
	ctx := context.Background()
	r, rt := dccSite(t)
	t.Run("both DCC DIDs resolve from the URLs the did:web rules give", func(t *testing.T) {
		for _, did := range []string{dccDID, dccMultikeyDID} {
			doc, err := r.Resolve(ctx, did)
			if err != nil {
				t.Fatal(err)
			}
			if doc.ID != did {
				t.Fatalf("id %s", doc.ID)
			}
		}
		want := []string{
			"https://digitalcredentials.github.io/dcc-did-web/did.json",
			"https://digitalcredentials.github.io/dcc-did-web/multikey/did.json",
		}
		if got := rt.requested(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("requested %v, want %v", got, want)
		}
	})
	for _, vector := range []string{"dcc-verifier-core-fixtures/v2didWebWithValidStatus.json", "dcc-verifier-core-fixtures/v2didWebMultikeyWithValidStatus.json"} {
		t.Run("the proof key of "+vector+" is an assertion method of its did:web issuer", func(t *testing.T) {
			for _, vmID := range proofMethods(t, vector) {
				vm, doc, err := ResolveVerificationMethod(ctx, r, vmID)
				if err != nil {
					t.Fatal(err)
				}
				if !doc.HasVerificationRelationship(vm.ID, AssertionMethod) || vm.Controller != doc.ID {
					t.Fatalf("method %+v of %s", vm, doc.ID)
				}
				if _, err := vm.PublicKey(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	t.Run("the did:web of a document that does not exist is ErrNotFound naming the URL", func(t *testing.T) {
		vms := proofMethods(t, "dcc-verifier-core-fixtures/v2WithBadDidWeb.json")
		_, _, err := ResolveVerificationMethod(ctx, r, vms[0])
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "https://digitalcredentials.github.io/dcc-did-web-bad/did.json") || !strings.Contains(err.Error(), "404") {
			t.Fatalf("error %v", err)
		}
	})
}

func TestResolveWebRefusesBadAnswers(t *testing.T) {
	ctx := context.Background()
	dcc := readVector(t, "didweb-sites/digitalcredentials.github.io/dcc-did-web/did.json")
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/did.json", func(w http.ResponseWriter, _ *http.Request) { w.Write(dcc) })
	mux.HandleFunc("/broken/did.json", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	mux.HandleFunc("/html/did.json", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>hello</html>")) })
	mux.HandleFunc("/huge/did.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"id":"did:web:other.example:huge","x":"`))
		w.Write([]byte(strings.Repeat("a", maxDocumentBytes)))
		w.Write([]byte(`"}`))
	})
	mux.HandleFunc("/slow/did.json", func(w http.ResponseWriter, req *http.Request) {
		select {
		case <-req.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	r := NewResolver(Options{HTTPClient: &http.Client{Transport: &redirectTo{target: u}}})

	t.Run("a document published for another DID is ErrIDMismatch naming both", func(t *testing.T) {
		_, err := r.Resolve(ctx, "did:web:other.example")
		if !errors.Is(err, ErrIDMismatch) {
			t.Fatalf("error %v", err)
		}
		want := `did:web document at https://other.example/.well-known/did.json has id "` + dccDID + `", expected DID "did:web:other.example"`
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not say %q", err, want)
		}
	})
	t.Run("a server error is reported with its status", func(t *testing.T) {
		_, err := r.Resolve(ctx, "did:web:other.example:broken")
		if err == nil || !strings.Contains(err.Error(), "HTTP 500") || errors.Is(err, ErrNotFound) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("an HTML page is an invalid document", func(t *testing.T) {
		_, err := r.Resolve(ctx, "did:web:other.example:html")
		if !errors.Is(err, ErrInvalidDocument) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a document over 1 MiB is refused", func(t *testing.T) {
		_, err := r.Resolve(ctx, "did:web:other.example:huge")
		if err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a cancelled context stops a slow fetch", func(t *testing.T) {
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := r.Resolve(cctx, "did:web:other.example:slow")
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
			t.Fatalf("error %v after %v", err, time.Since(start))
		}
	})
	t.Run("without an HTTP client did:web is switched off", func(t *testing.T) {
		_, err := NewResolver(Options{}).Resolve(ctx, dccDID)
		if !errors.Is(err, ErrUnsupportedMethod) || !strings.Contains(err.Error(), "no HTTP client") {
			t.Fatalf("error %v", err)
		}
	})
}

func TestResolveWebOverLoopbackHTTP(t *testing.T) {
	ctx := context.Background()
	var did string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/issuers/demo/did.json" {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "application/did+json")
		fmt.Fprintf(w, `{"id":%q,"verificationMethod":[{"id":"#key-1","type":"Multikey","controller":%q,"publicKeyMultibase":%q}],"assertionMethod":["#key-1"]}`, did, did, dccKey)
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	did = "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A") + ":issuers:demo"

	t.Run("with AllowHTTP a did:web on 127.0.0.1 is fetched over http", func(t *testing.T) {
		r := NewResolver(Options{HTTPClient: srv.Client(), AllowHTTP: true})
		vm, _, err := ResolveVerificationMethod(ctx, r, did+"#key-1")
		if err != nil {
			t.Fatal(err)
		}
		if vm.ID != did+"#key-1" {
			t.Fatalf("method %s", vm.ID)
		}
	})
	t.Run("with AllowHTTP a public host is still fetched over https", func(t *testing.T) {
		site := httptest.NewServer(http.FileServer(http.Dir(didWebSite)))
		t.Cleanup(site.Close)
		target, _ := url.Parse(site.URL)
		rt := &redirectTo{target: target}
		r := NewResolver(Options{HTTPClient: &http.Client{Transport: rt}, AllowHTTP: true})
		if _, err := r.Resolve(ctx, dccDID); err != nil {
			t.Fatal(err)
		}
		if got := rt.requested(); len(got) != 1 || !strings.HasPrefix(got[0], "https://digitalcredentials.github.io/") {
			t.Fatalf("requested %v", got)
		}
	})
	t.Run("with AllowHTTP a private IP address is still refused", func(t *testing.T) {
		r := NewResolver(Options{HTTPClient: srv.Client(), AllowHTTP: true})
		_, err := r.Resolve(ctx, "did:web:10.0.0.1%3A8080")
		if !errors.Is(err, ErrInvalidDID) || !strings.Contains(err.Error(), "not an IP address") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("without it the IP address is refused before any request", func(t *testing.T) {
		r := NewResolver(Options{HTTPClient: srv.Client()})
		_, err := r.Resolve(ctx, did)
		if !errors.Is(err, ErrInvalidDID) || !strings.Contains(err.Error(), "not an IP address") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("only localhost and loopback addresses count as loopback hosts", func(t *testing.T) {
		for host, want := range map[string]bool{
			"127.0.0.1:8080": true, "localhost": true, "LOCALHOST:1": true, "[::1]:443": true, "::1": true, "127.9.9.9": true,
			"10.0.0.1": false, "example.com": false, "169.254.169.254": false, "localhost.example.com": false, "[::ffff:127.0.0.1]:80": true,
		} {
			if got := IsLoopbackHost(host); got != want {
				t.Errorf("IsLoopbackHost(%s) = %v, want %v", host, got, want)
			}
		}
	})
}
