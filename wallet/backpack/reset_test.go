package backpack

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// mailbox is a hand-written stand-in for the node's SMTP sender.
type mailbox struct {
	mu   sync.Mutex
	sent []sentMail
}

type sentMail struct{ to, subject, body, ref string }

func (m *mailbox) send(_ context.Context, to, subject, body, ref string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, sentMail{to, subject, body, ref})
	return nil
}

func (m *mailbox) all() []sentMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sentMail(nil), m.sent...)
}

var resetLinkRE = regexp.MustCompile(`https?://\S+/backpack/reset\?token=[A-Za-z0-9_-]{43}`)

func TestPasswordReset(t *testing.T) {
	box := &mailbox{}
	e := newEnv(t, func(c *Config) { c.SendMail = box.send })
	ana := e.browser(t)
	ana.signUp("ana@example.org")
	const next = "une toute nouvelle phrase de passe"

	t.Run("the sign-in page offers it", func(t *testing.T) {
		if _, page, _ := e.browser(t).get("/backpack/signin"); !strings.Contains(page, `href="/backpack/forgot"`) {
			t.Fatal("no link to the forgotten-password page")
		}
	})
	t.Run("an unknown address gets the same answer and no e-mail", func(t *testing.T) {
		b := e.browser(t)
		st, _, body := b.post("/backpack/forgot", "/backpack/forgot", url.Values{"email": {"nobody@example.org"}})
		if st != http.StatusOK || !strings.Contains(body, "Si un compte utilise cette adresse") || len(box.all()) != 0 {
			t.Fatalf("%d, %d mails", st, len(box.all()))
		}
	})
	var link string
	t.Run("a known address receives a one-hour link, in French and English", func(t *testing.T) {
		b := e.browser(t)
		st, _, body := b.post("/backpack/forgot", "/backpack/forgot", url.Values{"email": {"Ana@Example.org"}})
		if st != http.StatusOK || !strings.Contains(body, "Si un compte utilise cette adresse") {
			t.Fatalf("%d", st)
		}
		mails := box.all()
		if len(mails) != 1 || mails[0].to != "ana@example.org" || !strings.Contains(mails[0].subject, "Réinitialiser") ||
			!strings.Contains(mails[0].body, "valable une heure") || !strings.Contains(mails[0].body, "valid for one hour") {
			t.Fatalf("mails: %+v", mails)
		}
		link = resetLinkRE.FindString(mails[0].body)
		if link == "" || strings.Contains(mails[0].ref, "ana") {
			t.Fatalf("no link, or the ref names the person: %+v", mails[0])
		}
		if strings.Contains(e.logs.String(), "ana@example.org") || strings.Contains(e.logs.String(), link[strings.Index(link, "token=")+6:]) {
			t.Error("the logs carry the address or the token")
		}
	})
	t.Run("the link sets a new password and ends every session", func(t *testing.T) {
		b := e.browser(t)
		path := strings.TrimPrefix(link, e.srv.URL)
		if st, page, _ := b.get(path); st != http.StatusOK || !strings.Contains(page, `name="token"`) {
			t.Fatalf("reset page: %d", st)
		}
		tok := path[strings.Index(path, "token=")+6:]
		st, _, body := b.post(path, "/backpack/reset", url.Values{"token": {tok}, "password": {next}, "password2": {next}})
		if st != http.StatusOK || !strings.Contains(body, "Mot de passe changé") {
			t.Fatalf("reset: %d\n%s", st, body)
		}
		if st, _, _ := ana.get("/backpack"); st != http.StatusSeeOther {
			t.Errorf("the old session survived the reset: %d", st)
		}
		if st, _, _ := b.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"ana@example.org"}, "password": {next}}); st != http.StatusSeeOther {
			t.Errorf("the new password does not sign in: %d", st)
		}
		st, _, body = e.browser(t).post(path, "/backpack/reset", url.Values{"token": {tok}, "password": {"encore un autre mot"}, "password2": {"encore un autre mot"}})
		if st != http.StatusNotFound || !strings.Contains(body, "plus valable") {
			t.Errorf("a used link works again: %d", st)
		}
	})
	t.Run("a link expires after an hour", func(t *testing.T) {
		e.browser(t).post("/backpack/forgot", "/backpack/forgot", url.Values{"email": {"ana@example.org"}})
		mails := box.all()
		link := resetLinkRE.FindString(mails[len(mails)-1].body)
		e.now = e.now.Add(61 * time.Minute)
		if st, _, _ := e.browser(t).get(strings.TrimPrefix(link, e.srv.URL)); st != http.StatusNotFound {
			t.Fatalf("an expired link: %d", st)
		}
	})
	t.Run("requests for one address are limited", func(t *testing.T) {
		b := e.browser(t)
		var st int
		for range 4 {
			st, _, _ = b.post("/backpack/forgot", "/backpack/forgot", url.Values{"email": {"bob@example.org"}})
		}
		if st != http.StatusTooManyRequests {
			t.Fatalf("fourth request: %d", st)
		}
	})
}

func TestNoResetWithoutMail(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser(t)
	if _, page, _ := b.get("/backpack/signin"); strings.Contains(page, "/backpack/forgot") {
		t.Error("the sign-in page offers a reset the node cannot send")
	}
	if st, _, _ := b.get("/backpack/forgot"); st != http.StatusNotFound {
		t.Errorf("forgot page without mail: %d", st)
	}
}
