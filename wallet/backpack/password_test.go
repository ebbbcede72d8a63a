package backpack

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestChangePassword(t *testing.T) {
	e := newEnv(t, nil)
	phone := e.browser(t)
	phone.signUp("ana@example.org")
	laptop := e.browser(t)
	if st, loc, _ := laptop.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"ana@example.org"}, "password": {testPassword}}); st != http.StatusSeeOther || loc != "/backpack" {
		t.Fatalf("second sign-in: %d %q", st, loc)
	}
	const next = "un autre mot de passe, plus long"
	t.Run("a wrong current password changes nothing", func(t *testing.T) {
		st, _, body := phone.post("/backpack/account", "/backpack/account/password", url.Values{"currentPassword": {"not it at all"},
			"newPassword": {next}, "newPassword2": {next}})
		if st != http.StatusUnauthorized || !strings.Contains(body, "rien n’a changé") {
			t.Fatalf("%d", st)
		}
	})
	t.Run("a new password ends the other sessions and keeps this one", func(t *testing.T) {
		st, _, body := phone.post("/backpack/account", "/backpack/account/password", url.Values{"currentPassword": {testPassword},
			"newPassword": {next}, "newPassword2": {next}})
		if st != http.StatusOK || !strings.Contains(body, "Mot de passe changé") {
			t.Fatalf("change: %d\n%s", st, body)
		}
		if st, _, _ := phone.get("/backpack"); st != http.StatusOK {
			t.Errorf("this session ended: %d", st)
		}
		if st, _, _ := laptop.get("/backpack"); st != http.StatusSeeOther {
			t.Errorf("the other session still works: %d", st)
		}
	})
	t.Run("only the new password signs in", func(t *testing.T) {
		b := e.browser(t)
		if st, _, _ := b.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"ana@example.org"}, "password": {testPassword}}); st != http.StatusUnauthorized {
			t.Errorf("old password: %d", st)
		}
		if st, _, _ := b.post("/backpack/signin", "/backpack/signin", url.Values{"email": {"ana@example.org"}, "password": {next}}); st != http.StatusSeeOther {
			t.Errorf("new password: %d", st)
		}
	})
}
