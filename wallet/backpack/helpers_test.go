package backpack

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/vc/keys"
	"github.com/communs/communs/wallet"
)

var testKDF = wallet.KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

const testPassword = "une phrase de passe solide"

// env is a backpack served on 127.0.0.1 over a pebble store in memory.
type env struct {
	bp   *Backpack
	db   *store.DB
	srv  *httptest.Server
	now  time.Time
	logs *syncBuilder
}

// syncBuilder collects logs from concurrent requests.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

func newEnv(t testing.TB, edit func(*Config)) *env {
	t.Helper()
	db, err := store.Open("", store.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := &env{db: db, now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), logs: &syncBuilder{}}
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true})
	mux := http.NewServeMux()
	e.srv = httptest.NewServer(httpx.Chain(mux, httpx.SecurityHeaders("")))
	t.Cleanup(e.srv.Close)
	cfg := DefaultConfig()
	cfg.DB, cfg.Secret, cfg.BaseURL, cfg.NodeName = db, []byte(strings.Repeat("s", 32)), e.srv.URL, "Nœud de test"
	cfg.Wallet = wallet.Config{HTTPClient: client, Resolver: did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true}),
		Now: func() time.Time { return e.now }, KDF: testKDF}
	cfg.Password = testKDF
	cfg.Now = func() time.Time { return e.now }
	cfg.Logger = slogTo(e.logs)
	if edit != nil {
		edit(&cfg)
	}
	bp, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.bp = bp
	bp.Register(mux)
	return e
}

// browser is a client with its own cookies, like one browser profile.
type browser struct {
	t    testing.TB
	c    *http.Client
	base string
}

func (e *env) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get returns status and body; redirects are not followed.
func (b *browser) get(path string) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token of the form on page.
func (b *browser) csrf(page string) string {
	b.t.Helper()
	_, body, _ := b.get(page)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s:\n%s", page, body)
	}
	return m[1]
}

// post sends a form (with the CSRF token of page, when page is not "") and returns status,
// Location and body.
func (b *browser) post(page, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	if page != "" {
		form.Set("csrf", b.csrf(page))
	}
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// signUp makes an account and leaves the browser signed in.
func (b *browser) signUp(email string) {
	b.t.Helper()
	st, loc, body := b.post("/backpack/signup", "/backpack/signup", url.Values{"email": {email}, "password": {testPassword},
		"password2": {testPassword}, "consent": {"1"}})
	if st != http.StatusSeeOther || loc != "/backpack" {
		b.t.Fatalf("sign-up: %d %q\n%s", st, loc, body)
	}
}

// issuer is a did:key issuer signing Open Badges in tests.
type issuer struct{ kp *keys.KeyPair }

func newIssuer(t testing.TB) *issuer {
	kp, err := keys.GenerateEd25519(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &issuer{kp: kp}
}

// badge signs a badge of achievement name for subject (a DID, or "" for an e-mail hash),
// with evidence URLs when given.
func (is *issuer) badge(t testing.TB, id, name, subject string, validFrom time.Time, evidence ...string) []byte {
	t.Helper()
	b := vc.Badge{
		ID:     id,
		Issuer: vc.Profile{ID: is.kp.DIDKey(), Name: vc.Plain("Centre de services scolaire des Rives")},
		Achievement: vc.Achievement{
			ID: "https://communs.example/achievements/" + url.PathEscape(name), Name: vc.Plain(name),
			Description: vc.Plain("Démarche de formation continue."),
			Criteria:    &vc.Criteria{Narrative: vc.Plain("Réaliser la **mise en situation**.")},
		},
		RecipientDID: subject,
		ValidFrom:    validFrom,
	}
	if subject == "" {
		b.RecipientEmail, b.Salt = "ana@example.org", "sel"
	}
	for _, u := range evidence {
		b.Evidence = append(b.Evidence, vc.Evidence{ID: u, Type: vc.Many("Evidence"), Name: vc.Plain("Rapport de stage.pdf")})
	}
	c, err := vc.NewOpenBadge(b)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.Map()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := dataintegrity.Sign(context.Background(), doc, dataintegrity.Options{
		VerificationMethod: is.kp.VerificationMethodID(), Created: validFrom,
	}, is.kp.Signer())
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(signed)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
