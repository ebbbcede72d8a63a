package backpack

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// minimalPDF is a one-page PDF.
const minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func TestEvidenceIsKeptAndShownInline(t *testing.T) {
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte(minimalPDF))
	}))
	defer files.Close()
	e := newEnv(t, nil)
	ana := e.browser(t)
	ana.signUp("ana@example.org")
	cred := newIssuer(t).badge(t, "https://communs.example/credentials/ev", "Lecture professionnelle", "", e.now.Add(-time.Hour), files.URL+"/rapport.pdf")
	_, loc, body := ana.upload("badge.json", cred)
	m := badgePathRE.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("import: %q\n%s", loc, body)
	}
	files.Close() // the issuer's server is gone: the backpack shows its own copy
	_, page, _ := ana.get("/backpack/badges/" + m[1])
	evidence := "/backpack/badges/" + m[1] + "/evidence/0"
	t.Run("the badge page frames the backpack's copy of the PDF", func(t *testing.T) {
		if !strings.Contains(page, `<iframe class="bp-pdf" src="`+evidence+`"`) {
			t.Fatalf("no inline PDF on the badge page:\n%s", page)
		}
	})
	t.Run("the copy is served inline, framable only by the backpack itself", func(t *testing.T) {
		st, pdf, h := ana.get(evidence)
		if st != http.StatusOK || pdf != minimalPDF || h.Get("Content-Type") != "application/pdf" {
			t.Fatalf("evidence: %d %q", st, h.Get("Content-Type"))
		}
		if h.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'self'") ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "inline") {
			t.Errorf("headers: XFO=%q CSP=%q CD=%q", h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"), h.Get("Content-Disposition"))
		}
	})
	t.Run("another learner cannot read it", func(t *testing.T) {
		bob := e.browser(t)
		bob.signUp("bob@example.org")
		if st, _, _ := bob.get(evidence); st != http.StatusNotFound {
			t.Fatalf("bob reads ana's evidence: %d", st)
		}
	})
}
