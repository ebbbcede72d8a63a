package backpack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/communs/communs/internal/web"
)

// BenchmarkBackpackPage renders a learner's backpack of 100 badges (verified less than 10
// minutes ago, so no re-verification): the page a learner opens most.
func BenchmarkBackpackPage(b *testing.B) {
	e := newEnv(b, nil)
	ana := e.browser(b)
	ana.signUp("ana@example.org")
	is := newIssuer(b)
	for i := range 100 {
		cred := is.badge(b, fmt.Sprintf("https://communs.example/credentials/%d", i), fmt.Sprintf("Badge %d", i), "", e.now.Add(-time.Hour))
		if st, _, body := ana.upload("b.json", cred); st != http.StatusSeeOther {
			b.Fatalf("import %d: %d %s", i, st, body)
		}
	}
	cookies := ana.c.Jar.Cookies(mustURL(b, e.srv.URL))
	h := e.bp.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/backpack", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != web.ContentType {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
