package verifier_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/node"
)

// postForm sends the verify form as urlencoded fields.
func postForm(t testing.TB, target, lang string, fields url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", target, strings.NewReader(fields.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", lang)
	return do(t, req)
}

// postFile sends the verify form with one file part.
func postFile(t testing.TB, target, lang, field, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", target, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", lang)
	return do(t, req)
}

func do(t testing.TB, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func fetchBytes(t testing.TB, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", u, resp.StatusCode)
	}
	return b
}

func wantAll(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", page)
	}
}

func TestVerifyPage(t *testing.T) {
	in := startIssuingNode(t)
	learner := learnerDID(t)
	valid := in.award(t, learner, nil)
	revoked := in.award(t, learnerDID(t), nil)
	if _, err := in.Revoke(t.Context(), revoked.ID, "erreur de saisie"); err != nil {
		t.Fatal(err)
	}
	expired := in.award(t, learnerDID(t), func(r *node.AwardRequest) {
		r.ValidFrom, r.ValidUntil = "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"
	})
	_, srv := newVerifier(t, testOptions(nil), nil)
	page := srv.URL + "/verify"

	t.Run("the form offers a URL, a file, pasted text and a QR image, each labelled", func(t *testing.T) {
		st, body := get(t, page, "fr")
		if st != 200 {
			t.Fatalf("GET /verify = %d", st)
		}
		wantAll(t, body, `<html lang="fr">`, `for="url"`, `id="url"`, `for="file"`, `for="text"`, `for="qr"`, "Vérifier un badge", `/verify/assets/verify.js`)
	})
	t.Run("a valid badge by URL shows the verdict and the displayer fields, in French", func(t *testing.T) {
		st, body := postForm(t, page, "fr", url.Values{"url": {valid.URL}})
		if st != 200 {
			t.Fatalf("status %d: %s", st, body)
		}
		wantAll(t, body, "Badge valide", "La signature est valide", "Conception universelle de l’apprentissage",
			"Applique les principes", "<strong>séquence</strong>", "Centre de services scolaire des Découvertes", learner,
			"Crédits obtenus", "1,5", "Séquence d’enseignement", "https://example.org/portfolio/sequence.pdf",
			"Compétence 3 — planifier", "Référentiel 2020", "Réussi", "Valide", "Délivré le", "Ce nœud ne consulte aucun registre",
			"Détail technique des contrôles", `lang="en"`, "du 1er\u00a0septembre\u00a02026 au 15\u00a0octobre\u00a02026")
	})
	t.Run("the same in English", func(t *testing.T) {
		_, body := postForm(t, page+"?lang=en", "fr", url.Values{"url": {valid.URL}})
		wantAll(t, body, `<html lang="en">`, "Valid badge", "Credits earned", "1.5", "Issued on", "This node consults no trust registry")
	})
	t.Run("a revoked badge is not valid, and says revoked", func(t *testing.T) {
		_, body := postForm(t, page, "en", url.Values{"url": {revoked.URL}})
		wantAll(t, body, "Not a valid badge", "The issuer has revoked this badge.", "status-text-revoked")
	})
	t.Run("an expired badge is not valid, and says expired", func(t *testing.T) {
		_, body := postForm(t, page, "fr", url.Values{"url": {expired.URL}})
		wantAll(t, body, "Badge non valide", "Ce badge a expiré.", "Expiré", "Expire le")
	})
	t.Run("a baked PNG upload verifies", func(t *testing.T) {
		png := fetchBytes(t, valid.URL+".png")
		_, body := postFile(t, page, "en", "file", "badge.png", png)
		wantAll(t, body, "Valid badge", "Conception universelle")
	})
	t.Run("pasted JSON verifies", func(t *testing.T) {
		_, body := postForm(t, page, "en", url.Values{"text": {string(valid.Credential)}})
		wantAll(t, body, "Valid badge", learner)
	})
	t.Run("a QR code image of the badge URL is decoded and verified", func(t *testing.T) {
		qr, err := web.QRPNG(valid.URL, 300)
		if err != nil {
			t.Fatal(err)
		}
		_, body := postFile(t, page, "en", "qr", "photo.png", qr)
		wantAll(t, body, "Valid badge", "Conception universelle")
	})
	t.Run("a tampered badge fails on its signature, with advice", func(t *testing.T) {
		_, body := postForm(t, page, "en", url.Values{"text": {string(vector(t, "tampers/eddsa-01-name-changed.json"))}})
		wantAll(t, body, "Not a valid badge", "The signature does not match", "What to do?", "Teamwork Badge (edited)")
	})
	t.Run("a VC 1.1 Open Badge verifies", func(t *testing.T) {
		_, body := postFile(t, page, "fr", "file", "v1.json", vector(t, "dcc-verifier-core-fixtures/v1OBv3SpecExample.json"))
		wantAll(t, body, "Badge valide", "Teamwork Badge", "Example Corp", "Teamwork")
	})
	t.Run("a presentation shows the holder check and each credential inside", func(t *testing.T) {
		vp := `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"` + learner +
			`","verifiableCredential":[` + string(valid.Credential) + `,` + string(vector(t, "tampers/eddsa-01-name-changed.json")) + `]}`
		_, body := postForm(t, page, "en", url.Values{"text": {vp}})
		wantAll(t, body, "Presentation", "Presented by", learner, "Presented badges (2)", "Conception universelle", "Teamwork Badge (edited)",
			`class="verdict-banner verdict-invalid"`, `<p class="verdict-title"`)
		if strings.Count(body, `class="verdict-banner`) != 3 {
			t.Errorf("want the presentation's verdict and one per credential")
		}
	})
	t.Run("garbage is told apart from a badge, never a crash", func(t *testing.T) {
		for _, g := range []string{"bonjour", "{", "\x00\x01\x02", `{"@context": 5}`, "eyJhbGciOi.x.y"} {
			st, body := postForm(t, page, "en", url.Values{"text": {g}})
			if st != 200 || !strings.Contains(body, "Not a valid badge") {
				t.Errorf("%q: status %d, body lacks the verdict", g, st)
			}
		}
	})
	t.Run("an empty form asks for a badge", func(t *testing.T) {
		st, body := postForm(t, page, "fr", url.Values{})
		if st != http.StatusBadRequest {
			t.Errorf("status %d, want 400", st)
		}
		wantAll(t, body, `role="alert"`, "Donnez un badge à vérifier")
	})
	t.Run("a picture without a QR code says so", func(t *testing.T) {
		png := fetchBytes(t, srv.URL+"/verify/assets/verify.css")
		_, body := postFile(t, page, "en", "qr", "x.png", png)
		wantAll(t, body, "not an image that can be read")
		blank := fetchBytes(t, in.srv.URL+"/achievements/"+in.achID[strings.LastIndex(in.achID, "/")+1:]+"/image")
		_, body = postFile(t, page, "en", "qr", "x.png", blank)
		if !strings.Contains(body, "No QR code was found") && !strings.Contains(body, "not an image") {
			t.Errorf("badge image without a QR: %s", body)
		}
	})
}
