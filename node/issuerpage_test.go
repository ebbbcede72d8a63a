package node

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

func TestIssuerProfilePageInFrenchAndEnglish(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	tn.mustJSON(t, "POST", "/api/v1/issuers", map[string]any{
		"slug": "csdm", "name": "Centre de services scolaire", "url": "https://example.org", "email": "b@example.org",
		"description":  "Description par défaut",
		"descriptions": map[string]string{"fr": "Formation continue des enseignants", "en": "Continuing education for teachers"},
	}, 201)
	get := func(lang, accept string) (string, string) {
		req, _ := http.NewRequest("GET", tn.srv.URL+"/issuers/csdm?lang="+lang, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Header.Get("Content-Type"), string(b)
	}
	if _, page := get("fr", ""); !strings.Contains(page, "Formation continue des enseignants") {
		t.Errorf("the French page lacks the French description")
	}
	if _, page := get("en", ""); !strings.Contains(page, "Continuing education for teachers") {
		t.Errorf("the English page lacks the English description")
	}
	if ct, body := get("fr", "application/json"); !strings.Contains(ct, "json") || !strings.Contains(body, `"Description par défaut"`) || !strings.Contains(body, "did:web:") {
		t.Errorf("the OB 3.0 Profile JSON: %s %s", ct, body)
	}
	st, out := tn.do(t, "POST", "/api/v1/issuers", tn.admin, "application/json", []byte(`{"slug":"x","name":"X","descriptions":{"de":"Hallo"}}`))
	if st != 400 || !strings.Contains(string(out), `\"de\"`) && !strings.Contains(string(out), "de") {
		t.Errorf("a description in another language is refused: %d %s", st, out)
	}
}
