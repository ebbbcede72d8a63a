package web

import (
	"bytes"
	"testing"
	"time"
)

func claimView(lang string) ClaimView {
	return ClaimView{
		Page:                   Page{Lang: lang, Path: "/claim/q4ht2mzbrqn3pmx7yh6dhzzaqa", NodeName: "Communs Lyon"},
		AchievementName:        "Soudure à l’arc",
		AchievementDescription: "Maîtrise des bases de la soudure.",
		ImageURL:               "https://badges.example.org/achievements/a1/image",
		IssuerName:             "Atelier Partagé",
		IssuerURL:              "https://badges.example.org/issuers/atelier",
		BadgeURL:               "https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz",
		IssuedOn:               time.Date(2026, time.September, 15, 10, 0, 0, 0, time.UTC),
		Downloads: Downloads{
			JSON: "https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz.json",
			PNG:  "https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz.png",
		},
	}
}

func renderClaim(t *testing.T, v ClaimView) string {
	t.Helper()
	return renderString(t, func(b *bytes.Buffer) error { return RenderClaim(b, v) })
}

func TestRenderClaim(t *testing.T) {
	t.Run("the French page names the badge and issuer, links the public page and the downloads", func(t *testing.T) {
		page := renderClaim(t, claimView("fr"))
		mustContain(t, page, `<html lang="fr">`, "Votre badge", "Soudure à l’arc", "Atelier Partagé",
			`href="https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz"`, "Voir la page publique du badge",
			`href="https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz.json" download`,
			`href="https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz.png" download`,
			"OpenID4VCI", "15\u00a0septembre\u00a02026", "ne le partagez pas")
		mustNotContain(t, page, "status-revoked", "og:title")
		if msg := balanced(page); msg != "" {
			t.Error(msg)
		}
	})
	t.Run("the English page says the same in English", func(t *testing.T) {
		page := renderClaim(t, claimView("en"))
		mustContain(t, page, `<html lang="en">`, "Your badge", "See the badge’s public page", "Download your badge", "OpenID4VCI", "September 15, 2026")
	})
	t.Run("a revoked badge says so first", func(t *testing.T) {
		v := claimView("en")
		v.Revoked = true
		mustContain(t, renderClaim(t, v), "status-revoked", "This badge was revoked by its issuer.")
	})
	t.Run("hostile names and URLs never reach the page as markup", func(t *testing.T) {
		v := claimView("fr")
		v.AchievementName, v.AchievementDescription, v.IssuerName = hostile, hostile, hostile
		v.IssuerURL, v.BadgeURL, v.ImageURL, v.Downloads.JSON = "javascript:alert(1)", "javascript:alert(2)", "javascript:alert(3)", "javascript:alert(4)"
		page := renderClaim(t, v)
		mustNotContain(t, page, "<script", `="javascript:`, "<img src=x")
		if msg := balanced(page); msg != "" {
			t.Error(msg)
		}
	})
}
