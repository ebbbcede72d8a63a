package web

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"testing"
	"time"
)

func renderBadge(t testing.TB, v BadgeView) string {
	return renderString(t, func(b *bytes.Buffer) error { return RenderBadge(b, v) })
}

func TestRenderBadge(t *testing.T) {
	t.Run("the French page shows every part of the badge in French", func(t *testing.T) {
		page := renderBadge(t, fullBadge("fr"))
		mustContain(t, page,
			`<html lang="fr">`,
			"<title>Soudure à l’arc · Communs Lyon</title>",
			`<h1 id="badge-title">Soudure à l’arc</h1>`,
			`<img class="badge-image" src="https://badges.example.org/achievements/a1/image" alt="Image du badge «`+"\u00a0"+`Soudure à l’arc`+"\u00a0"+`»"`,
			"Émis par", `<a href="https://badges.example.org/issuers/atelier">Atelier Partagé</a>`,
			"did:web:badges.example.org:issuers:atelier",
			"Décerné à", "Camille Martin",
			"Délivré le", `<time datetime="2026-09-15">15`+"\u00a0"+`septembre`+"\u00a0"+`2026</time>`,
			"Expire le", `<time datetime="2028-09-15">15`+"\u00a0"+`septembre`+"\u00a0"+`2028</time>`,
			"Crédits obtenus", "<dd>1,5</dd>",
			"Critères", "<p>Réaliser <strong>trois</strong> cordons.</p><ul><li>cordon à plat</li><li>cordon en angle</li></ul>",
			`<a href="https://example.org/criteres">Voir les critères complets</a>`,
			"Preuves", `<a href="https://badges.example.org/evidence/bafkreiabc" type="application/pdf">Rapport de stage</a> <span class="kind">(PDF)</span>`,
			"Rapport signé", `<a href="https://example.org/photo.jpg">Preuve 2</a>`,
			"Référentiels", `<a href="https://esco.example/skill/1">Soudage</a> — ESCO`,
			"Mots-clés", "<li>métallerie</li>",
			`class="status-banner status-valid"`, "Valide", "Ce badge est valide.",
			"Vérification", "Attestation authentique et intègre", "<details>", "Détail des contrôles (3)",
			`<span class="check-name">Signature</span> <span class="outcome outcome-ok">Réussi</span>`,
			`<span class="outcome outcome-skipped">Non applicable</span>`,
			"Télécharger",
			`<a href="/credentials/abcdefghijklmnopqrstuvwxyz.json" download`,
			`<a href="/credentials/abcdefghijklmnopqrstuvwxyz.png" download`,
			`<a href="/credentials/abcdefghijklmnopqrstuvwxyz.svg" download`,
			`<img src="/credentials/abcdefghijklmnopqrstuvwxyz/qr.png" alt="Code QR menant à l’adresse de ce badge"`,
		)
		mustNotContain(t, page, "Issued by", "Valid<")
	})
	t.Run("the English page shows the same badge in English", func(t *testing.T) {
		page := renderBadge(t, fullBadge("en"))
		mustContain(t, page,
			`<html lang="en">`,
			`alt="Image of the badge “Soudure à l’arc”"`,
			"Issued by", "Awarded to", "Issued on",
			`<time datetime="2026-09-15">September 15, 2026</time>`,
			"Expires on", `<time datetime="2028-09-15">September 15, 2028</time>`,
			"Credits earned", "<dd>1.5</dd>",
			"Criteria", "See the full criteria", "Evidence", "Evidence 2", "Alignments", "Tags",
			"Valid", "This badge is valid.", "Verification", "Authentic and unaltered credential",
			"Details of the checks (3)", "Passed", "Not applicable",
			"Download", "Verifiable credential (JSON)", "QR code linking to the address of this badge",
		)
		mustNotContain(t, page, "Émis par", "Délivré le")
	})
	t.Run("every element of the page closes in order", func(t *testing.T) {
		for _, lang := range Langs() {
			if msg := balanced(renderBadge(t, fullBadge(lang))); msg != "" {
				t.Errorf("%s: %s", lang, msg)
			}
		}
	})
	t.Run("the page is accessible: landmarks, skip link, labelled language switch", func(t *testing.T) {
		page := renderBadge(t, fullBadge("fr"))
		mustContain(t, page,
			`<a class="skip" href="#main">Aller au contenu principal</a>`,
			`<header class="site-header">`, `<nav aria-label="Langue">`, `<main id="main" tabindex="-1">`,
			`<footer class="site-footer">`, `<aside class="side" aria-label="Détails">`,
			`aria-current="true">Français</a>`,
		)
	})
	t.Run("the language switch keeps the path", func(t *testing.T) {
		v := fullBadge("en")
		v.Path = "/credentials/abc?lang=en&x=1"
		page := renderBadge(t, v)
		mustContain(t, page,
			`<a href="/credentials/abc?lang=fr&amp;x=1" hreflang="fr" lang="fr">Français</a>`,
			`<a href="/credentials/abc?lang=en&amp;x=1" hreflang="en" lang="en" aria-current="true">English</a>`)
	})
	t.Run("the recipient's name is absent when not given", func(t *testing.T) {
		v := fullBadge("fr")
		v.RecipientName = ""
		page := renderBadge(t, v)
		mustNotContain(t, page, "Décerné à", "Camille")
	})
	t.Run("optional parts are left out when empty", func(t *testing.T) {
		v := BadgeView{Page: Page{Lang: "fr"}, AchievementName: "Badge nu", IssuerName: "Émetteur", Status: StatusValid}
		page := renderBadge(t, v)
		mustNotContain(t, page, "Expire le", "Preuves", "Critères", "Télécharger", "Vérification", "<img", "Référentiels", "Mots-clés", "Crédits", "Délivré le")
		mustContain(t, page, "<title>Badge nu</title>", "Émetteur")
		if msg := balanced(page); msg != "" {
			t.Error(msg)
		}
	})
	t.Run("each status has its banner", func(t *testing.T) {
		cases := []struct{ status, reason, class, fr, en string }{
			{StatusRevoked, "Erreur de saisie", "status-revoked", "Révoqué", "Revoked"},
			{StatusExpired, "", "status-expired", "Expiré", "Expired"},
			{StatusSuspended, "", "status-suspended", "Suspendu", "Suspended"},
			{StatusUnknown, "", "status-unknown", "Statut inconnu", "Unknown status"},
			{"", "", "status-unknown", "Statut inconnu", "Unknown status"},
			{`"><script>x`, "", "status-unknown", "Statut inconnu", "Unknown status"},
		}
		for _, c := range cases {
			v := fullBadge("fr")
			v.Status, v.StatusReason = c.status, c.reason
			page := renderBadge(t, v)
			mustContain(t, page, `class="status-banner `+c.class+`"`, `<p class="status-label">`+c.fr+`</p>`)
			if c.reason != "" {
				mustContain(t, page, "Motif\u00a0: "+c.reason)
			}
			v.Lang = "en"
			mustContain(t, renderBadge(t, v), `<p class="status-label">`+c.en+`</p>`)
		}
	})
	t.Run("a revoked badge names the reason in English too", func(t *testing.T) {
		v := fullBadge("en")
		v.Status, v.StatusReason = StatusRevoked, "Issued by mistake"
		mustContain(t, renderBadge(t, v), "This badge was revoked by its issuer.", "Reason: Issued by mistake")
	})
	t.Run("a failed verification says so and shows the failed check", func(t *testing.T) {
		v := fullBadge("fr")
		v.Verification = &VerificationView{Reason: "la signature ne correspond pas", Checks: []CheckView{
			{Name: "proof", Status: "failed", Detail: "signature does not match"},
			{Name: "custom-check", Status: "odd", Detail: "x"},
		}}
		page := renderBadge(t, v)
		mustContain(t, page, `<p class="verdict verdict-failed">`, "La vérification a échoué", "la signature ne correspond pas",
			`<span class="outcome outcome-failed">Échoué</span>`,
			`<span class="check-name">custom-check</span> <span class="outcome outcome-unknown">odd</span>`)
	})
	t.Run("a verdict given by the caller replaces the default sentence", func(t *testing.T) {
		v := fullBadge("en")
		v.Verification.Verdict = "Verified by the node"
		page := renderBadge(t, v)
		mustContain(t, page, "Verified by the node")
		mustNotContain(t, page, "Authentic and unaltered credential")
	})
	t.Run("the Open Graph and Twitter tags come from the achievement", func(t *testing.T) {
		page := renderBadge(t, fullBadge("fr"))
		mustContain(t, page,
			`<meta property="og:title" content="Soudure à l’arc">`,
			`<meta property="og:image" content="https://badges.example.org/achievements/a1/image">`,
			`<meta property="og:url" content="https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz">`,
			`<meta property="og:locale" content="fr_FR">`,
			`<meta property="og:site_name" content="Communs Lyon">`,
			`<meta name="twitter:card" content="summary">`,
			`<meta name="twitter:image" content="https://badges.example.org/achievements/a1/image">`)
	})
	t.Run("Open Graph data given by the caller wins", func(t *testing.T) {
		v := fullBadge("en")
		v.OpenGraph = &OpenGraph{Title: "Camille earned a badge", Image: "https://cdn.example/og.png"}
		page := renderBadge(t, v)
		mustContain(t, page, `<meta property="og:title" content="Camille earned a badge">`, `<meta property="og:image" content="https://cdn.example/og.png">`, `<meta property="og:locale" content="en_GB">`)
		mustNotContain(t, page, `og:url`)
	})
	t.Run("an unknown language falls back to French", func(t *testing.T) {
		v := fullBadge("de")
		mustContain(t, renderBadge(t, v), `<html lang="fr">`, "Émis par")
	})
}

// hostile is a name crafted to break out of text, attributes and URLs.
const hostile = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`

func TestRenderEscapesHostileText(t *testing.T) {
	t.Run("hostile names, descriptions and URLs never reach the page as markup", func(t *testing.T) {
		v := fullBadge("fr")
		v.AchievementName, v.AchievementDescription = hostile, hostile
		v.IssuerName, v.RecipientName, v.StatusReason, v.IssuerDID = hostile, hostile, hostile, hostile
		v.IssuerURL, v.ImageURL, v.CriteriaURL = "javascript:alert(1)", "javascript:alert(1)", "javascript:alert(1)"
		v.NodeName, v.Title = hostile, hostile
		v.Tags = []string{hostile}
		v.Evidence = []EvidenceView{{Name: hostile, URL: "javascript:alert(3)", MediaType: hostile, Genre: hostile, Description: hostile}}
		v.Alignments = []AlignmentView{{Name: hostile, URL: "javascript:alert(4)", Framework: hostile, Code: hostile}}
		v.Verification = &VerificationView{Verdict: hostile, Reason: hostile, Checks: []CheckView{{Name: hostile, Status: hostile, Detail: hostile}}}
		v.Path = `/"><script>alert(5)</script>`
		v.Criteria = Markdown(hostile + "\n\n[x](javascript:alert(6))")
		page := renderBadge(t, v)
		mustNotContain(t, page, "<script", "<img src=x", `="javascript:`, `onerror=alert`+"(2)>")
		mustContain(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;", "#ZgotmplZ")
		if msg := balanced(page); msg != "" {
			t.Error(msg)
		}
	})
	t.Run("hostile issuer, home and error pages are escaped too", func(t *testing.T) {
		pages := []string{
			renderString(t, func(b *bytes.Buffer) error {
				return RenderIssuer(b, IssuerView{Page: Page{Lang: "fr", NodeName: hostile}, Name: hostile, Description: hostile, URL: "javascript:x", Email: hostile, DID: hostile, ImageURL: hostile,
					Achievements: []AchievementCard{{Name: hostile, Description: hostile, URL: "javascript:y", ImageURL: hostile}}})
			}),
			renderString(t, func(b *bytes.Buffer) error {
				return RenderHome(b, HomeView{Page: Page{Lang: "en", Title: hostile}, Issuers: []IssuerCard{{Name: hostile, URL: "javascript:z"}},
					RecentBadges: []BadgeCard{{AchievementName: hostile, IssuerName: hostile, URL: "javascript:w"}}})
			}),
			renderString(t, func(b *bytes.Buffer) error {
				return RenderError(b, ErrorView{Page: Page{Lang: "fr", Path: hostile}, Status: 404, Message: hostile})
			}),
		}
		for i, page := range pages {
			if strings.Contains(page, "<script") || strings.Contains(page, `="javascript:`) || strings.Contains(page, "<img src=x") {
				t.Errorf("page %d lets hostile markup through", i)
			}
			if msg := balanced(page); msg != "" {
				t.Errorf("page %d: %s", i, msg)
			}
		}
	})
}

func TestRenderIssuer(t *testing.T) {
	v := IssuerView{
		Page: Page{Path: "/issuers/atelier", NodeName: "Communs Lyon"},
		Name: "Atelier Partagé", Description: "Un tiers-lieu de fabrication.", URL: "https://atelier.example.org",
		Email: "contact@atelier.example.org", ImageURL: "/issuers/atelier/image", DID: "did:web:badges.example.org:issuers:atelier",
		Achievements: []AchievementCard{{Name: "Soudure à l’arc", Description: "Bases de la soudure", URL: "/achievements/a1", ImageURL: "/achievements/a1/image"}},
	}
	t.Run("the French profile lists the issuer's facts and badges", func(t *testing.T) {
		v.Lang = "fr"
		page := renderString(t, func(b *bytes.Buffer) error { return RenderIssuer(b, v) })
		mustContain(t, page, `<html lang="fr">`, "<title>Atelier Partagé · Communs Lyon</title>", "Émetteur",
			`<h1 id="issuer-title">Atelier Partagé</h1>`, `alt="Logo de Atelier Partagé"`,
			"Site web", `<a href="https://atelier.example.org">`, "Courriel", `<a href="mailto:contact@atelier.example.org">`,
			"Identifiant (DID)", "did:web:badges.example.org:issuers:atelier",
			"Badges proposés", `<a href="/achievements/a1">Soudure à l’arc</a>`, "Bases de la soudure",
			`<meta property="og:title" content="Atelier Partagé">`)
		if msg := balanced(page); msg != "" {
			t.Error(msg)
		}
	})
	t.Run("the English profile of an issuer without badges says so", func(t *testing.T) {
		w := v
		w.Lang, w.Achievements = "en", nil
		page := renderString(t, func(b *bytes.Buffer) error { return RenderIssuer(b, w) })
		mustContain(t, page, `<html lang="en">`, "Issuer", "Website", "Email", "Identifier (DID)", "Badges offered", "No badge published yet.")
	})
}

func TestRenderHome(t *testing.T) {
	v := HomeView{
		Page:         Page{Path: "/", NodeName: "Communs Lyon"},
		Issuers:      []IssuerCard{{Name: "Atelier Partagé", Description: "Tiers-lieu", URL: "/issuers/atelier"}},
		RecentBadges: []BadgeCard{{AchievementName: "Soudure", IssuerName: "Atelier Partagé", URL: "/credentials/x", IssuedOn: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}},
	}
	t.Run("the French home page lists issuers and recent badges", func(t *testing.T) {
		v.Lang = "fr"
		page := renderString(t, func(b *bytes.Buffer) error { return RenderHome(b, v) })
		mustContain(t, page, "<title>Badges numériques ouverts · Communs Lyon</title>", "Émetteurs",
			`<a href="/issuers/atelier">Atelier Partagé</a>`, "Badges récemment délivrés", `<a href="/credentials/x">Soudure</a>`,
			"Émis par Atelier Partagé", "1er\u00a0mars\u00a02026")
		if msg := balanced(page); msg != "" {
			t.Error(msg)
		}
	})
	t.Run("the English home page of an empty node says there is nothing yet", func(t *testing.T) {
		page := renderString(t, func(b *bytes.Buffer) error { return RenderHome(b, HomeView{Page: Page{Lang: "en"}}) })
		mustContain(t, page, "<title>Open digital badges</title>", "No issuer yet.", "No badge issued yet.")
	})
}

func TestRenderError(t *testing.T) {
	t.Run("a French 404 page gives the standard sentence", func(t *testing.T) {
		page := renderString(t, func(b *bytes.Buffer) error { return RenderError(b, ErrorView{Page: Page{Lang: "fr"}, Status: 404}) })
		mustContain(t, page, "<title>Erreur 404</title>", "Cette page n’existe pas ou n’existe plus.", `<a href="/?lang=fr">Retour à l’accueil</a>`)
	})
	t.Run("an English page shows the caller's message", func(t *testing.T) {
		page := renderString(t, func(b *bytes.Buffer) error {
			return RenderError(b, ErrorView{Page: Page{Lang: "en"}, Status: 410, Message: "This badge was deleted by its issuer."})
		})
		mustContain(t, page, "Error 410", "This badge was deleted by its issuer.")
		mustNotContain(t, page, "This resource was deleted.")
	})
	t.Run("a status that is not an error is shown as 500", func(t *testing.T) {
		page := renderString(t, func(b *bytes.Buffer) error { return RenderError(b, ErrorView{Page: Page{Lang: "en"}, Status: 200}) })
		mustContain(t, page, "Error 500", "An internal error occurred.")
	})
	t.Run("an error status without its own sentence gets the generic one", func(t *testing.T) {
		page := renderString(t, func(b *bytes.Buffer) error { return RenderError(b, ErrorView{Page: Page{Lang: "fr"}, Status: 418}) })
		mustContain(t, page, "Erreur 418", "La page n’a pas pu être affichée.")
	})
}

type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestRenderReportsWriteErrors(t *testing.T) {
	err := RenderError(failingWriter{}, ErrorView{Status: 500})
	if !errors.Is(err, ErrRender) || !errors.Is(err, errDiskFull) {
		t.Fatalf("got %v, want ErrRender wrapping the write error", err)
	}
}

func TestLangURL(t *testing.T) {
	cases := []struct{ path, lang, want string }{
		{"/credentials/abc", "en", "/credentials/abc?lang=en"},
		{"/credentials/abc?lang=fr", "en", "/credentials/abc?lang=en"},
		{"/a?b=1&lang=en", "fr", "/a?b=1&lang=fr"},
		{"", "fr", "/?lang=fr"},
		{"//evil.example/x", "fr", "/?lang=fr"},
		{`/\evil.example`, "fr", "/?lang=fr"},
		{"https://evil.example/x", "en", "/?lang=en"},
		{"javascript:alert(1)", "en", "/?lang=en"},
		{"/caf%C3%A9", "en", "/caf%C3%A9?lang=en"},
	}
	for _, c := range cases {
		if got := LangURL(c.path, c.lang); got != c.want {
			t.Errorf("LangURL(%q, %q) = %q, want %q", c.path, c.lang, got, c.want)
		}
	}
}

func TestMediaLabel(t *testing.T) {
	for in, want := range map[string]string{"application/pdf": "PDF", "image/jpeg": "JPEG", "IMAGE/PNG; x=1": "PNG", "video/mp4": "video/mp4"} {
		if got := mediaLabel(in); got != want {
			t.Errorf("mediaLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// The views must accept template.HTML criteria built elsewhere (a trusted renderer).
var _ = BadgeView{Criteria: template.HTML("<p>x</p>")}
