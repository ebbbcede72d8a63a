package node

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

func TestClaimPage(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	res, err := tn.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{Email: "ada@example.org"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	claimPath := strings.TrimPrefix(res.ClaimURL, tn.srv.URL)

	t.Run("the claim link shows the badge, its issuer, its public page and the credential download in French", func(t *testing.T) {
		st, ct, page := tn.get(t, claimPath, "Accept-Language", "fr-FR,fr;q=0.9")
		if st != 200 || ct != "text/html; charset=utf-8" {
			t.Fatalf("= %d %s", st, ct)
		}
		for _, want := range []string{`lang="fr"`, "Votre badge", "Conception universelle", ">A</a>", `href="` + res.URL + `"`,
			`href="` + res.URL + `.json" download`, `href="` + res.URL + `.png" download`, "/achievements/" + ach + "/image", "OpenID4VCI"} {
			if !bytes.Contains(page, []byte(want)) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
	t.Run("and in English for ?lang=en", func(t *testing.T) {
		_, _, page := tn.get(t, claimPath+"?lang=en")
		if !bytes.Contains(page, []byte("Your badge")) || !bytes.Contains(page, []byte("See the badge’s public page")) {
			t.Fatalf("page:\n%s", page)
		}
	})
	t.Run("the page is private: not stored, not indexed, no referrer", func(t *testing.T) {
		resp, err := http.Get(res.ClaimURL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("Cache-Control") != "no-store" || h.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(h.Get("X-Robots-Tag"), "noindex") {
			t.Fatalf("headers %v", h)
		}
	})
	t.Run("an unknown or malformed token is a 404 page", func(t *testing.T) {
		for _, tok := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaa", "short", strings.Repeat("A", 26), "..%2f..%2fetc"} {
			st, ct, page := tn.get(t, "/claim/"+tok+"?lang=en")
			if st != 404 || !strings.HasPrefix(ct, "text/html") || !bytes.Contains(page, []byte("does not exist")) {
				t.Errorf("%s = %d %s", tok, st, ct)
			}
		}
	})
	t.Run("the claim page of a revoked badge says it was revoked", func(t *testing.T) {
		if _, err := tn.Revoke(context.Background(), res.ID, "erreur de saisie"); err != nil {
			t.Fatal(err)
		}
		_, _, page := tn.get(t, claimPath+"?lang=en")
		if !bytes.Contains(page, []byte("status-revoked")) {
			t.Fatal("no revoked banner")
		}
	})
	t.Run("ClaimAward finds the award by its token and nothing by its id", func(t *testing.T) {
		a, err := tn.ClaimAward(context.Background(), claimPath[len("/claim/"):])
		if err != nil || a.ID != res.ID {
			t.Fatalf("= %v, %v", a, err)
		}
		if _, err := tn.ClaimAward(context.Background(), res.ID); statusFor(err) != 404 {
			t.Fatalf("by id: %v", err)
		}
	})
}
