package node

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/browsertest"
	"github.com/communs/communs/internal/store"
)

// browserIssued is the fixed issuance time of the browser test, so that the page's dates are
// known in advance.
var browserIssued = time.Date(2026, time.September, 15, 9, 30, 0, 0, time.UTC)

// startClockedNode runs a node whose clock is stuck at now, on pebble in memory and a real
// 127.0.0.1 listener.
func startClockedNode(t *testing.T, now time.Time) *testNode {
	t.Helper()
	db, err := store.Open("data", store.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	tn := serveNode(t, db, nil, func(cfg *Config) { cfg.Now = func() time.Time { return now } })
	t.Cleanup(tn.stop)
	return tn
}

// renderedBadge is what a reader sees on a badge page, read from the DOM Chromium built.
type renderedBadge struct {
	Lang          string `json:"lang"`
	Title         string `json:"title"`
	Issuer        string `json:"issuer"`
	IssuedOn      string `json:"issuedOn"`
	IssuedISO     string `json:"issuedISO"`
	EvidenceText  string `json:"evidenceText"`
	EvidenceHref  string `json:"evidenceHref"`
	EvidenceFetch string `json:"evidenceFetch"`
	StatusLabel   string `json:"statusLabel"`
	StatusLong    string `json:"statusLong"`
	StatusReason  string `json:"statusReason"`
	Styled        bool   `json:"styled"`
	Verdict       string `json:"verdict"`
	VerdictClass  string `json:"verdictClass"`
	VerdictReason string `json:"verdictReason"`
}

// readBadgeJS collects the rendered text (innerText) of the page's parts, then fetches the
// evidence link from the page as a reader's click would, and reports its status and type.
const readBadgeJS = `(async () => {
  const text = (sel) => { const e = document.querySelector(sel); return e ? e.innerText.trim() : ""; };
  const ev = document.querySelector("ul.evidence a");
  const time = document.querySelector(".facts time");
  const verdict = document.querySelector(".verification .verdict");
  let fetched = "";
  if (ev) {
    const r = await fetch(ev.href);
    fetched = r.status + " " + r.headers.get("content-type") + " " + (await r.text()).slice(0, 8);
  }
  return JSON.stringify({
    lang: document.documentElement.lang,
    title: text("#badge-title"),
    issuer: text(".facts dd a"),
    issuedOn: text(".facts time"),
    issuedISO: time ? time.getAttribute("datetime") : "",
    evidenceText: ev ? ev.innerText.trim() : "",
    evidenceHref: ev ? ev.href : "",
    evidenceFetch: fetched,
    statusLabel: text(".status-banner .status-label"),
    statusLong: text(".status-banner .status-label + p"),
    statusReason: text(".status-banner .status-reason"),
    styled: [...document.styleSheets].some((s) => { try { return s.cssRules.length > 0; } catch { return false; } }),
    verdict: verdict ? verdict.innerText.replace("✓", "").replace("✗", "").trim() : "",
    verdictClass: verdict ? verdict.className : "",
    verdictReason: verdict && verdict.nextElementSibling && verdict.nextElementSibling.tagName === "P" ? verdict.nextElementSibling.innerText.trim() : "",
  });
})()`

// readBadge opens url in the tab of ctx with the given Accept-Language and reads the page.
func readBadge(t *testing.T, ctx context.Context, url, acceptLanguage string) renderedBadge {
	t.Helper()
	if err := browsertest.SetAcceptLanguage(ctx, acceptLanguage); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, browsertest.ActionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](readBadgeJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("read the page %s: %v", url, err)
	}
	var b renderedBadge
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		t.Fatalf("page reading %q: %v", raw, err)
	}
	return b
}

func TestBadgePageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	tn := startClockedNode(t, browserIssued)
	tn.mustJSON(t, "POST", "/api/v1/issuers", map[string]any{"slug": "demo", "name": "Centre de démonstration", "url": "https://example.org", "email": "badges@example.org", "description": "Démo"}, 201)
	ach := tn.mustJSON(t, "POST", "/api/v1/issuers/demo/achievements", testAchievement, 201)
	ctype, body := multipartAward(t, map[string]any{
		"achievementId": ach["id"], "recipient": map[string]any{"email": "ada@example.org", "name": "Ada", "showName": true},
		"narrative": "A soumis une séquence.",
	}, map[string][]byte{"sequence.pdf": []byte(testPDF)})
	st, out := tn.do(t, "POST", "/api/v1/issuers/demo/awards", tn.admin, ctype, body)
	if st != 201 {
		t.Fatalf("award = %d: %s", st, out)
	}
	var award AwardResult
	if err := json.Unmarshal(out, &award); err != nil {
		t.Fatal(err)
	}
	evidencePrefix := tn.srv.URL + "/evidence/b"
	ctx := browsertest.Chromium(t)

	pages := []struct {
		lang, acceptLanguage, issuedOn, statusLabel, verdict string
	}{
		{"fr", "fr-CA,fr;q=0.9,en;q=0.5", "15\u00a0septembre\u00a02026", "Valide", "Attestation authentique et intègre"},
		{"en", "en-GB,en;q=0.9", "September 15, 2026", "Valid", "Authentic and unaltered credential"},
	}
	for _, p := range pages {
		t.Run("the "+p.lang+" page shows the badge, its issuer, date, evidence and a valid verification", func(t *testing.T) {
			b := readBadge(t, ctx, award.URL, p.acceptLanguage)
			browsertest.Screenshot(t, ctx, award.URL, "valid-"+p.lang)
			checks := []struct{ what, got, want string }{
				{"<html lang>", b.Lang, p.lang},
				{"title", b.Title, testAchievement["name"].(string)},
				{"issuer", b.Issuer, "Centre de démonstration"},
				{"issued on", b.IssuedOn, p.issuedOn},
				{"issued on (datetime)", b.IssuedISO, "2026-09-15"},
				{"evidence link text", b.EvidenceText, "sequence.pdf"},
				{"status banner", b.StatusLabel, p.statusLabel},
				{"verification verdict", b.Verdict, p.verdict},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
				}
			}
			if !strings.HasPrefix(b.EvidenceHref, evidencePrefix) {
				t.Errorf("evidence link %q does not point to the node's /evidence/ (want prefix %s)", b.EvidenceHref, evidencePrefix)
			}
			if b.EvidenceFetch != "200 application/pdf %PDF-1.4" {
				t.Errorf("following the evidence link gives %q, want the stored PDF", b.EvidenceFetch)
			}
			if !b.Styled {
				t.Errorf("the page has no style sheet applied")
			}
			if !strings.Contains(b.VerdictClass, "verdict-ok") {
				t.Errorf("verdict class %q, want verdict-ok", b.VerdictClass)
			}
		})
	}

	tn.mustJSON(t, "POST", "/api/v1/awards/"+award.ID+"/revoke", map[string]any{"reason": "erreur de saisie"}, 200)
	revoked := []struct {
		lang, acceptLanguage, label, long, reason, verdict, verdictReason string
	}{
		{"fr", "fr", "Révoqué", "Ce badge a été révoqué par son émetteur.", "Motif\u00a0: erreur de saisie", "La vérification a échoué", "L'émetteur a révoqué ce badge."},
		{"en", "en", "Revoked", "This badge was revoked by its issuer.", "Reason: erreur de saisie", "Verification failed", "The issuer has revoked this badge."},
	}
	for _, p := range revoked {
		t.Run("after revocation the "+p.lang+" page shows the revoked banner and a failed verification", func(t *testing.T) {
			b := readBadge(t, ctx, award.URL, p.acceptLanguage)
			browsertest.Screenshot(t, ctx, award.URL, "revoked-"+p.lang)
			if b.Lang != p.lang || b.StatusLabel != p.label || b.StatusLong != p.long || b.StatusReason != p.reason {
				t.Errorf("lang %q banner %q / %q / %q, want %q %q / %q / %q", b.Lang, b.StatusLabel, b.StatusLong, b.StatusReason, p.lang, p.label, p.long, p.reason)
			}
			if b.Verdict != p.verdict || !strings.Contains(b.VerdictClass, "verdict-failed") {
				t.Errorf("verdict %q (class %q), want %q with verdict-failed", b.Verdict, b.VerdictClass, p.verdict)
			}
			if b.VerdictReason != p.verdictReason {
				t.Errorf("verdict reason %q, want %q (in the page's language)", b.VerdictReason, p.verdictReason)
			}
		})
	}
}
