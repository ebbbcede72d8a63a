package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/communs/communs/internal/browsertest"
	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/node"
	"github.com/communs/communs/vc"
)

// startNodeWithBackpack runs a node (with an issuer and an achievement) and its hosted
// backpack on one 127.0.0.1 address, wired as `communs serve` wires them.
func startNodeWithBackpack(t *testing.T) (*node.Node, *httptest.Server, string) {
	t.Helper()
	n, srv := serveNodeAndBackpack(t, nil)
	ctx := context.Background()
	if _, err := n.CreateIssuer(ctx, node.IssuerRequest{Slug: "cssr", Name: "Centre de services scolaire des Rives"}); err != nil {
		t.Fatal(err)
	}
	var a vc.Achievement
	if err := json.Unmarshal([]byte(`{"name":"Pédagogie numérique — niveau 1","description":"Intègre le numérique en classe.","criteria":{"narrative":"Réaliser une séquence avec le numérique."}}`), &a); err != nil {
		t.Fatal(err)
	}
	rec, err := n.CreateAchievement(ctx, "cssr", a)
	if err != nil {
		t.Fatal(err)
	}
	return n, srv, rec.ID
}

// The learner's whole journey in a real browser: sign up, claim a badge through its claim
// link into the hosted backpack, make a collection, share it; a stranger opens the link in a
// fresh browser context; the learner deletes her account and the link is gone.
func TestBackpackInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	n, srv, ach := startNodeWithBackpack(t)
	award, err := n.Award(context.Background(), "cssr", node.AwardRequest{AchievementID: ach,
		Recipient: node.Recipient{Email: "ana@example.org", Name: "Ana"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := browsertest.Chromium(t)
	if err := browsertest.SetAcceptLanguage(browser, "fr-CA,fr;q=0.9"); err != nil {
		t.Fatal(err)
	}
	step := func(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, browsertest.ActionTimeout)
		defer cancel()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(t *testing.T, ctx context.Context, sel string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, browsertest.ActionTimeout)
		defer cancel()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	const password = "une phrase de passe solide"

	t.Run("a learner signs up", func(t *testing.T) {
		step(t, browser, "sign up",
			chromedp.Navigate(srv.URL+"/backpack/signup"),
			chromedp.SendKeys("#email", "ana@example.org"),
			chromedp.SendKeys("#password", password),
			chromedp.SendKeys("#password2", password),
			chromedp.Click("#consent"),
			chromedp.Submit("#email"),
			chromedp.WaitVisible("#badges-h"),
		)
		if got := text(t, browser, "h1"); got != "Mon sac à dos" {
			t.Fatalf("after sign-up: %q", got)
		}
	})
	t.Run("she claims her badge from its claim link into the backpack", func(t *testing.T) {
		step(t, browser, "claim",
			chromedp.Navigate(award.ClaimURL),
			chromedp.Click("#claim-backpack"),
			chromedp.WaitVisible("#txCode"),
			chromedp.Submit("#txCode"),
			chromedp.WaitVisible(".bp-badge-head"),
		)
		if got := text(t, browser, "h1"); got != "Pédagogie numérique — niveau 1" {
			t.Fatalf("badge page title %q", got)
		}
		if got := text(t, browser, ".bp-badge-head .bp-chip"); got != "Valide" {
			t.Fatalf("status %q", got)
		}
		ctx, cancel := context.WithTimeout(browser, browsertest.ActionTimeout)
		defer cancel()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Screenshot(t, browser, loc, "backpack-badge")
		browsertest.Screenshot(t, browser, srv.URL+"/backpack", "backpack-list")
	})
	var shareURL string
	t.Run("she makes a collection with it and shares it", func(t *testing.T) {
		step(t, browser, "collection",
			chromedp.Navigate(srv.URL+"/backpack/collections"),
			chromedp.SendKeys("#name", "sac à dos #DevProf"),
			chromedp.Submit("#name"),
			chromedp.WaitVisible("fieldset input[name=badge]"),
			chromedp.Click("fieldset input[name=badge]"),
			// The page after creation already says "saved": remove it, so that waiting for
			// the notice waits for the page after this save.
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".bp-notice").forEach((e) => e.remove())`),
			chromedp.Submit("#name"),
			chromedp.WaitVisible(".bp-notice"),
			chromedp.WaitVisible("fieldset input[name=badge]:checked"),
			chromedp.Click(`form[action$="/share"] button`),
			chromedp.WaitVisible("#share-url"),
		)
		ctx, cancel := context.WithTimeout(browser, browsertest.ActionTimeout)
		defer cancel()
		var err error
		shareURL, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#share-url").href`))
		if err != nil || !strings.HasPrefix(shareURL, srv.URL+"/c/") {
			t.Fatalf("share link %q: %v", shareURL, err)
		}
	})
	t.Run("a stranger opens the share link in a fresh browser context and sees the badge", func(t *testing.T) {
		stranger := freshContext(t, browser)
		step(t, stranger, "open share link", chromedp.Navigate(shareURL), chromedp.WaitVisible(".bp-badges"))
		if got := text(t, stranger, "h1"); got != "sac à dos #DevProf" {
			t.Fatalf("collection title %q", got)
		}
		if got := text(t, stranger, ".bp-card h3"); got != "Pédagogie numérique — niveau 1" {
			t.Fatalf("badge in the collection %q", got)
		}
		if page := text(t, stranger, "body"); strings.Contains(page, "ana@example.org") || strings.Contains(page, "Mon sac à dos") {
			t.Fatal("the stranger sees the learner's e-mail or her private pages")
		}
		browsertest.Screenshot(t, stranger, shareURL, "backpack-shared-collection")
	})
	t.Run("she deletes her account and the share link is gone", func(t *testing.T) {
		step(t, browser, "delete account",
			chromedp.Navigate(srv.URL+"/backpack/account"),
			chromedp.SendKeys("#password", password),
			chromedp.Submit("#password"),
			chromedp.WaitVisible("p[role=status]"),
		)
		if got := text(t, browser, "h1"); got != "Compte supprimé" {
			t.Fatalf("after deletion: %q", got)
		}
		stranger := freshContext(t, browser)
		step(t, stranger, "reopen share link", chromedp.Navigate(shareURL), chromedp.WaitVisible("p[role=status]"))
		if got := text(t, stranger, "p[role=status]"); !strings.Contains(got, "n’existe pas") && !strings.Contains(got, "no longer shared") {
			t.Fatalf("share link after deletion: %q", got)
		}
		resp, err := http.Get(shareURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("share link status after deletion: %d", resp.StatusCode)
		}
	})
}

// freshContext opens a tab in a new browser context (no cookies shared with the others); the
// tab is made here, on the long-lived context, so that actions' timeouts do not close it.
func freshContext(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a fresh browser context: %v", err)
	}
	return ctx
}

// serveNodeAndBackpack runs a node and its hosted backpack on one 127.0.0.1 address, wired as
// `communs serve` wires them (the backpack sends mail through the node when edit gives it
// SMTP).
func serveNodeAndBackpack(t *testing.T, edit func(*node.Config)) (*node.Node, *httptest.Server) {
	t.Helper()
	db, err := store.Open("data", store.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	master := []byte(strings.Repeat("k", 32))
	cfg := node.DefaultConfig()
	cfg.BaseURL, cfg.AllowHTTPDIDs, cfg.HostedBackpack = base, true, true
	cfg.HTTPClient = httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true})
	if edit != nil {
		edit(&cfg)
	}
	n, err := node.New(context.Background(), cfg, db, master)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Shutdown(context.Background()) })
	var sendMail func(context.Context, string, string, string, string) error
	if cfg.SMTP != nil {
		sendMail = n.SendMail
	}
	bp, err := newBackpack(db, master, base, cfg.HTTPClient, true, nil, httpx.RateLimitOptions{}, sendMail, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", n.Handler())
	bp.Register(mux)
	srv.Config.Handler = httpx.Chain(mux, httpx.Stack(httpx.StackOptions{Logger: cfg.Logger})...)
	srv.Start()
	t.Cleanup(srv.Close)
	return n, srv
}
