package backpack

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestBackpackSecurity(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxFailuresPerEmail = 3 })
	ana := e.browser(t)
	ana.signUp("ana@example.org")

	t.Run("the session cookie is HttpOnly and SameSite=Lax", func(t *testing.T) {
		b := e.browser(t)
		form := url.Values{"email": {"cookie@example.org"}, "password": {testPassword}, "password2": {testPassword}, "consent": {"1"}, "csrf": {b.csrf("/backpack/signup")}}
		req, _ := http.NewRequest("POST", e.srv.URL+"/backpack/signup", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var found bool
		for _, c := range resp.Cookies() {
			if c.Name == "communs_session" {
				found = true
				if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
					t.Errorf("cookie %+v", c)
				}
			}
		}
		if !found {
			t.Fatal("no session cookie")
		}
	})
	t.Run("a form without the CSRF token is refused", func(t *testing.T) {
		st, _, body := ana.post("", "/backpack/collections", url.Values{"name": {"x"}})
		if st != http.StatusForbidden || !strings.Contains(body, "expiré") {
			t.Fatalf("no token: %d", st)
		}
		st, _, _ = ana.post("", "/backpack/collections", url.Values{"name": {"x"}, "csrf": {strings.Repeat("A", 43)}})
		if st != http.StatusForbidden {
			t.Fatalf("wrong token: %d", st)
		}
	})
	t.Run("a form posted from another site is refused even with the token", func(t *testing.T) {
		form := url.Values{"name": {"x"}, "csrf": {ana.csrf("/backpack/collections")}}
		req, _ := http.NewRequest("POST", e.srv.URL+"/backpack/collections", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		resp, err := ana.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site post: %d", resp.StatusCode)
		}
	})
	t.Run("sign-in says nothing about which of e-mail or password was wrong", func(t *testing.T) {
		b := e.browser(t)
		_, _, body1 := b.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"ana@example.org"}, "password": {"not the password"}})
		_, _, body2 := b.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"nobody@example.org"}, "password": {"not the password"}})
		for _, body := range []string{body1, body2} {
			if !strings.Contains(body, "Adresse courriel ou mot de passe incorrect.") {
				t.Errorf("sign-in error:\n%s", body)
			}
		}
	})
	t.Run("repeated failures lock sign-in for that address until the window passes", func(t *testing.T) {
		b := e.browser(t)
		for range 3 {
			b.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"ana@example.org"}, "password": {"guess guess guess"}})
		}
		st, _, body := b.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"ana@example.org"}, "password": {testPassword}})
		if st != http.StatusTooManyRequests || !strings.Contains(body, "Trop de tentatives") {
			t.Fatalf("after 3 failures: %d", st)
		}
		e.now = e.now.Add(16 * time.Minute)
		st, loc, _ := b.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"ana@example.org"}, "password": {testPassword}})
		if st != http.StatusSeeOther || loc != "/backpack" {
			t.Fatalf("after the window: %d %q", st, loc)
		}
	})
	t.Run("next never leads off the backpack", func(t *testing.T) {
		for _, next := range []string{"https://evil.example/", "//evil.example/", "/backpack\\@evil", "javascript:alert(1)"} {
			if got := localPath(next); got != "/backpack" {
				t.Errorf("localPath(%q) = %q", next, got)
			}
		}
		if got := localPath("/backpack/claim?offer=x"); got != "/backpack/claim?offer=x" {
			t.Errorf("a backpack path is not kept: %q", got)
		}
	})
	t.Run("pages of the backpack need a session", func(t *testing.T) {
		st, _, h := e.browser(t).get("/backpack/collections")
		if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/backpack/signin?next=") {
			t.Fatalf("anonymous: %d %q", st, h.Get("Location"))
		}
	})
	t.Run("one learner cannot reach another's badge or collection", func(t *testing.T) {
		bob := e.browser(t)
		bob.signUp("bob@example.org")
		_, loc, _ := ana.post("/backpack/collections", "/backpack/collections", url.Values{"name": {"privée"}})
		path := strings.Split(loc, "?")[0]
		if st, _, _ := bob.get(path); st != http.StatusNotFound {
			t.Errorf("bob reads ana's collection: %d", st)
		}
		if st, _, _ := bob.post("/backpack", path+"/share", url.Values{}); st != http.StatusNotFound {
			t.Errorf("bob shares ana's collection: %d", st)
		}
	})
	t.Run("sign-up checks its input", func(t *testing.T) {
		b := e.browser(t)
		for _, c := range []struct{ email, pw, want string }{
			{"pas-une-adresse", testPassword, "n’est pas valide"},
			{"court@example.org", "court", "au moins 10"},
			{"ana@example.org", testPassword, "déjà cette adresse"},
		} {
			st, _, body := b.post("/backpack/signup", "/backpack/signup", url.Values{"email": {c.email}, "password": {c.pw}, "password2": {c.pw}, "consent": {"1"}})
			if st < 400 || !strings.Contains(body, c.want) {
				t.Errorf("sign-up %q: %d, want %q", c.email, st, c.want)
			}
		}
	})
}

func TestSecureCookiesOnHTTPS(t *testing.T) {
	e := newEnv(t, nil)
	e.bp.cfg.BaseURL = "https://badges.example.org"
	if e.bp.cookieName() != "__Host-communs_session" || e.bp.preCookieName() != "__Host-communs_csrf" {
		t.Fatalf("cookie names on https: %s %s", e.bp.cookieName(), e.bp.preCookieName())
	}
}

func FuzzSignInInput(f *testing.F) {
	f.Add("ana@example.org", "/backpack/claim?offer=x")
	f.Add("\"a b\"@x.y", "//evil")
	f.Fuzz(func(t *testing.T, email, next string) {
		if e, err := normalEmail(email); err == nil && (e != strings.ToLower(e) || !strings.Contains(e, "@")) {
			t.Fatalf("normalEmail(%q) = %q", email, e)
		}
		if p := localPath(next); !strings.HasPrefix(p, "/backpack") || strings.HasPrefix(p, "//") {
			t.Fatalf("localPath(%q) = %q", next, p)
		}
		checkPassword(email, next)
	})
}
