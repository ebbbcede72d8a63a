package web

import (
	"bytes"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "en;q=0, de", "*", "en;q=NaN", "en;q=1e309", ";;;,,,q=", "fr_CA"} {
		f.Add(s, "en")
	}
	f.Fuzz(func(t *testing.T, header, query string) {
		if got := AcceptLanguage(header); got != "" && got != "fr" && got != "en" {
			t.Fatalf("AcceptLanguage(%q) = %q", header, got)
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.RawQuery = "lang=" + url.QueryEscape(query)
		r.Header.Set("Accept-Language", header)
		if got := PickLang(r); got != "fr" && got != "en" {
			t.Fatalf("PickLang = %q", got)
		}
	})
}

// FuzzRenderBadge fills a badge page with arbitrary text: it must render, close every
// element and never let markup through.
func FuzzRenderBadge(f *testing.F) {
	f.Add("Soudure à l’arc", "Atelier", "https://example.org", "Réaliser **trois** cordons", "/credentials/x?lang=en", "valid")
	f.Add(hostile, hostile, "javascript:alert(1)", hostile+"\n- [x](https://e.org)", `/"><script>`, "revoked")
	f.Fuzz(func(t *testing.T, name, issuer, link, criteria, path, status string) {
		v := BadgeView{
			Page:            Page{Lang: "en", Path: path, NodeName: issuer},
			AchievementName: name, AchievementDescription: name, IssuerName: issuer, IssuerURL: link,
			ImageURL: link, CredentialURL: link, CriteriaURL: link, RecipientName: name,
			Criteria: Markdown(criteria), Status: status, StatusReason: name,
			IssuedOn:     time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC),
			Evidence:     []EvidenceView{{Name: name, URL: link, MediaType: status, Genre: name}},
			Tags:         []string{name},
			Verification: &VerificationView{Verdict: name, Checks: []CheckView{{Name: name, Status: status, Detail: issuer}}},
		}
		var buf bytes.Buffer
		if err := RenderBadge(&buf, v); err != nil {
			t.Fatal(err)
		}
		page := buf.String()
		if strings.Contains(strings.ToLower(page), "<script") {
			t.Fatalf("a script tag reached the page")
		}
		if msg := balanced(page); msg != "" {
			t.Fatal(msg)
		}
	})
}
