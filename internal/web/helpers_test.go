package web

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fullBadge is a badge view with every member set, as the node fills it.
func fullBadge(lang string) BadgeView {
	expires := time.Date(2028, time.September, 15, 0, 0, 0, 0, time.UTC)
	credits := 1.5
	return BadgeView{
		Page:                   Page{Lang: lang, Path: "/credentials/abcdefghijklmnopqrstuvwxyz", NodeName: "Communs Lyon"},
		CredentialURL:          "https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz",
		ImageURL:               "https://badges.example.org/achievements/a1/image",
		AchievementName:        "Soudure à l’arc",
		AchievementDescription: "Maîtrise des bases de la soudure.\nSécurité comprise.",
		Criteria:               Markdown("Réaliser **trois** cordons.\n\n- cordon à plat\n- cordon en angle"),
		CriteriaURL:            "https://example.org/criteres",
		IssuerName:             "Atelier Partagé",
		IssuerURL:              "https://badges.example.org/issuers/atelier",
		IssuerDID:              "did:web:badges.example.org:issuers:atelier",
		RecipientName:          "Camille Martin",
		IssuedOn:               time.Date(2026, time.September, 15, 10, 0, 0, 0, time.UTC),
		ExpiresOn:              &expires,
		Status:                 StatusValid,
		Evidence: []EvidenceView{
			{Name: "Rapport de stage", Description: "Rapport signé", URL: "https://badges.example.org/evidence/bafkreiabc", MediaType: "application/pdf", Genre: "Rapport"},
			{URL: "https://example.org/photo.jpg"},
		},
		Alignments:    []AlignmentView{{Name: "Soudage", URL: "https://esco.example/skill/1", Framework: "ESCO", Code: "S1.2"}},
		Tags:          []string{"métallerie", "sécurité"},
		CreditsEarned: &credits,
		Downloads: Downloads{
			JSON: "/credentials/abcdefghijklmnopqrstuvwxyz.json",
			PNG:  "/credentials/abcdefghijklmnopqrstuvwxyz.png",
			SVG:  "/credentials/abcdefghijklmnopqrstuvwxyz.svg",
		},
		QRURL: "/credentials/abcdefghijklmnopqrstuvwxyz/qr.png",
		Verification: &VerificationView{
			Verified: true,
			Checks: []CheckView{
				{Name: "proof", Status: "ok", Detail: "signature verified with did:web:badges.example.org:issuers:atelier#key-1"},
				{Name: "status", Status: "ok", Detail: "not revoked"},
				{Name: "issuer", Status: "skipped", Detail: "no federation configured"},
			},
		},
	}
}

func renderString(t testing.TB, f func(*bytes.Buffer) error) string {
	t.Helper()
	var buf bytes.Buffer
	if err := f(&buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

func mustContain(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, page string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(page, w) {
			t.Errorf("page holds %q and must not", w)
		}
	}
}

var (
	tagRE    = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>`)
	voidTags = map[string]bool{"meta": true, "link": true, "img": true, "br": true, "input": true, "hr": true, "source": true}
)

// balanced reports the first mismatched tag of a page, or "" when every element closes in
// order (void elements aside).
func balanced(page string) string {
	var stack []string
	for _, m := range tagRE.FindAllStringSubmatch(page, -1) {
		name := strings.ToLower(m[2])
		if voidTags[name] {
			continue
		}
		if m[1] == "" {
			stack = append(stack, name)
			continue
		}
		if len(stack) == 0 || stack[len(stack)-1] != name {
			return "unexpected </" + name + "> (open: " + strings.Join(stack, ">") + ")"
		}
		stack = stack[:len(stack)-1]
	}
	if len(stack) > 0 {
		return "unclosed: " + strings.Join(stack, ">")
	}
	return ""
}
