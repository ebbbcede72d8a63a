package backpack

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
)

// upload imports data through the backpack's import form, as a file.
func (b *browser) upload(name string, data []byte) (int, string, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf("/backpack"))
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+"/backpack/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.base)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := new(bytes.Buffer)
	out.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), out.String()
}

var badgePathRE = regexp.MustCompile(`^/backpack/badges/([a-z2-7]+)\?notice=imported$`)

func TestBackpackJourney(t *testing.T) {
	e := newEnv(t, nil)
	ana := e.browser(t)
	ana.signUp("Ana.Tremblay@example.org")
	is := newIssuer(t)
	issued := e.now.Add(-48 * time.Hour)
	cred := is.badge(t, "https://communs.example/credentials/1", "Pédagogie numérique — niveau 1", "", issued)

	var badgeID string
	t.Run("an uploaded badge is verified and stored", func(t *testing.T) {
		st, loc, body := ana.upload("badge.json", cred)
		m := badgePathRE.FindStringSubmatch(loc)
		if st != http.StatusSeeOther || m == nil {
			t.Fatalf("import: %d %q\n%s", st, loc, body)
		}
		badgeID = m[1]
		_, page, _ := ana.get("/backpack")
		for _, want := range []string{"Pédagogie numérique — niveau 1", "Centre de services scolaire des Rives", "bp-valid"} {
			if !strings.Contains(page, want) {
				t.Errorf("backpack page lacks %q", want)
			}
		}
	})
	t.Run("the same badge again is refused as a duplicate", func(t *testing.T) {
		st, _, body := ana.upload("badge.json", cred)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "déjà dans votre sac à dos") {
			t.Fatalf("duplicate: %d\n%s", st, body)
		}
	})
	t.Run("a tampered badge is refused with the reason", func(t *testing.T) {
		bad := bytes.Replace(is.badge(t, "https://communs.example/credentials/2", "Autre", "", issued), []byte("Autre"), []byte("Falsifié"), 1)
		st, _, body := ana.upload("faux.json", bad)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "n’a pas passé la vérification") {
			t.Fatalf("tampered: %d\n%s", st, body)
		}
	})
	t.Run("the detail page shows criteria, report and actions in English too", func(t *testing.T) {
		_, page, h := ana.get("/backpack/badges/" + badgeID + "?lang=en")
		for _, want := range []string{"<strong>mise en situation</strong>", "Details of the checks", "Make a public link", "Verify again"} {
			if !strings.Contains(page, want) {
				t.Errorf("detail page lacks %q", want)
			}
		}
		if !strings.Contains(h.Get("Content-Security-Policy"), "frame-src 'self'") {
			t.Errorf("detail page CSP does not allow framing the evidence copy: %q", h.Get("Content-Security-Policy"))
		}
	})

	var shareURL string
	t.Run("a share link shows the badge to anyone, without the learner's e-mail", func(t *testing.T) {
		st, _, _ := ana.post("/backpack/badges/"+badgeID, "/backpack/badges/"+badgeID+"/share", url.Values{})
		if st != http.StatusSeeOther {
			t.Fatalf("share: %d", st)
		}
		_, page, _ := ana.get("/backpack/badges/" + badgeID)
		m := regexp.MustCompile(`id="share-url" href="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no share link on the badge page")
		}
		shareURL = m[1]
		if !strings.Contains(page, "https://www.linkedin.com/profile/add?") || !strings.Contains(page, "certUrl="+url.QueryEscape(shareURL)) {
			t.Error("no LinkedIn link with the share URL")
		}
		if !strings.Contains(page, "&lt;iframe src=&#34;"+shareURL+"/embed") {
			t.Error("no embeddable snippet")
		}
		stranger := e.browser(t)
		st, pub, _ := stranger.get(strings.TrimPrefix(shareURL, e.srv.URL))
		if st != http.StatusOK || !strings.Contains(pub, "Pédagogie numérique — niveau 1") {
			t.Fatalf("public page: %d\n%s", st, pub)
		}
		if strings.Contains(strings.ToLower(pub), "ana.tremblay") {
			t.Error("the public page shows the e-mail")
		}
		st, emb, h := stranger.get(strings.TrimPrefix(shareURL, e.srv.URL) + "/embed")
		if st != http.StatusOK || !strings.Contains(emb, "bp-embed-card") || h.Get("X-Frame-Options") != "" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors *") {
			t.Errorf("embed: %d XFO=%q CSP=%q", st, h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
		}
		req, _ := http.NewRequest("GET", shareURL, nil)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		got.ReadFrom(resp.Body)
		resp.Body.Close()
		if rep, err := vc.Verify(context.Background(), got.Bytes(), vc.Options{Now: e.now}); err != nil || !rep.Verified {
			t.Errorf("the shared credential does not verify: %v %+v", err, rep)
		}
	})

	var collURL string
	t.Run("a collection has its own share link", func(t *testing.T) {
		st, loc, body := ana.post("/backpack/collections", "/backpack/collections", url.Values{"name": {"sac à dos #DevProf"}})
		if st != http.StatusSeeOther {
			t.Fatalf("create: %d %s", st, body)
		}
		collPath := strings.Split(loc, "?")[0]
		if st, _, body := ana.post(collPath, collPath, url.Values{"name": {"sac à dos #DevProf"}, "badge": {badgeID}}); st != http.StatusSeeOther {
			t.Fatalf("update: %d %s", st, body)
		}
		if st, _, _ := ana.post(collPath, collPath+"/share", url.Values{}); st != http.StatusSeeOther {
			t.Fatalf("share: %d", st)
		}
		_, page, _ := ana.get(collPath)
		m := regexp.MustCompile(`id="share-url" href="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no collection share link")
		}
		collURL = strings.TrimPrefix(m[1], e.srv.URL)
		st, pub, _ := e.browser(t).get(collURL)
		if st != http.StatusOK || !strings.Contains(pub, "sac à dos #DevProf") || !strings.Contains(pub, "Pédagogie numérique — niveau 1") {
			t.Fatalf("public collection: %d\n%s", st, pub)
		}
		st, _, _ = e.browser(t).get(collURL + "/badges/" + badgeID + "/credential")
		if st != http.StatusOK {
			t.Errorf("credential of a collection member: %d", st)
		}
		st, _, _ = e.browser(t).get(collURL + "/badges/aaaaaaaaaaaaaaaa/credential")
		if st != http.StatusNotFound {
			t.Errorf("a badge outside the collection is served: %d", st)
		}
	})
	t.Run("the portfolio is off until the learner publishes it", func(t *testing.T) {
		if st, _, _ := e.browser(t).get("/portfolio/ana-tremblay"); st != http.StatusNotFound {
			t.Fatalf("unpublished portfolio: %d", st)
		}
		st, _, body := ana.post("/backpack/portfolio", "/backpack/portfolio", url.Values{"enabled": {"1"}, "handle": {"ana-tremblay"},
			"displayName": {"Ana Tremblay"}, "headline": {"Enseignante au secondaire"}, "badge": {badgeID}})
		if st != http.StatusSeeOther {
			t.Fatalf("publish: %d %s", st, body)
		}
		st, pub, _ := e.browser(t).get("/portfolio/ana-tremblay")
		if st != http.StatusOK || !strings.Contains(pub, "Ana Tremblay") || !strings.Contains(pub, "Pédagogie numérique") || strings.Contains(pub, "example.org") {
			t.Fatalf("portfolio: %d\n%s", st, pub)
		}
		bob := e.browser(t)
		bob.signUp("bob@example.org")
		if st, _, body := bob.post("/backpack/portfolio", "/backpack/portfolio", url.Values{"enabled": {"1"}, "handle": {"ana-tremblay"}}); st != http.StatusBadRequest || !strings.Contains(body, "déjà pris") {
			t.Errorf("a taken handle: %d", st)
		}
	})
	t.Run("a presentation is signed by the holder and verifies", func(t *testing.T) {
		st, loc, body := ana.post("/backpack/present", "/backpack/present", url.Values{"badge": {badgeID}, "challenge": {"c-123"}, "domain": {"rh.example.org"}})
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/p/") {
			t.Fatalf("present: %d %q %s", st, loc, body)
		}
		_, vp, _ := e.browser(t).get(loc + "?format=json")
		rep, err := vc.Verify(context.Background(), []byte(vp), vc.Options{Now: e.now, Challenge: "c-123", Domain: "rh.example.org"})
		if err != nil || !rep.Verified || rep.Kind != "presentation" || len(rep.Credentials) != 1 {
			t.Fatalf("presentation: %v %+v", err, rep)
		}
		_, page, _ := e.browser(t).get(loc)
		if !strings.Contains(page, "data:image/png;base64,") {
			t.Error("presentation page has no QR code")
		}
	})
	t.Run("the transcript of chosen badges is a PDF whose links are the badges' share links", func(t *testing.T) {
		st, _, pdf := ana.post("/backpack/present", "/backpack/transcript", url.Values{"badge": {badgeID}})
		if st != http.StatusOK || !strings.HasPrefix(pdf, "%PDF-") {
			t.Fatalf("transcript: %d %.40q", st, pdf)
		}
		if !strings.Contains(pdf, shareURL) {
			t.Errorf("the transcript does not link the share URL %s", shareURL)
		}
		st, zip, h := ana.get("/backpack/export.zip")
		if st != http.StatusOK || h.Get("Content-Type") != "application/zip" || !strings.HasPrefix(zip, "PK") {
			t.Errorf("export: %d %s", st, h.Get("Content-Type"))
		}
	})
	t.Run("deleting the account deletes everything, and the public links are gone", func(t *testing.T) {
		acct, err := e.bp.accountByEmailHash(e.bp.emailHash("ana.tremblay@example.org"))
		if err != nil {
			t.Fatal(err)
		}
		if st, _, _ := ana.post("/backpack/account", "/backpack/account/delete", url.Values{"password": {"wrong password!"}}); st != http.StatusUnauthorized {
			t.Fatalf("deletion with a wrong password: %d", st)
		}
		st, _, body := ana.post("/backpack/account", "/backpack/account/delete", url.Values{"password": {testPassword}})
		if st != http.StatusOK || !strings.Contains(body, "Compte supprimé") {
			t.Fatalf("delete: %d\n%s", st, body)
		}
		for _, p := range []string{strings.TrimPrefix(shareURL, e.srv.URL), collURL, "/portfolio/ana-tremblay"} {
			if st, _, _ := e.browser(t).get(p); st != http.StatusNotFound {
				t.Errorf("%s after deletion: %d", p, st)
			}
		}
		for _, prefix := range [][]byte{store.PrefixAccount(acct.ID), store.HostedWallet(acct.ID).Prefix()} {
			n := 0
			e.db.Scan(prefix, nil, func(_, _ []byte) error { n++; return nil })
			if n != 0 {
				t.Errorf("%d records left under %q", n, prefix)
			}
		}
		if st, _, _ := ana.get("/backpack"); st != http.StatusSeeOther {
			t.Errorf("the deleted account's session still works: %d", st)
		}
		ana2 := e.browser(t)
		ana2.signUp("ana.tremblay@example.org")
		if strings.Contains(e.logs.String(), "tremblay") || strings.Contains(e.logs.String(), testPassword) {
			t.Errorf("logs carry personal data:\n%s", e.logs)
		}
	})
}
