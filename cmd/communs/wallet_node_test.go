package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/communs/communs/node"
	"github.com/communs/communs/vc"
)

// The node's OpenID4VCI endpoints are added separately; until then this end-to-end test brings a
// node-awarded badge into the wallet by its URL (Receive is tested against a hand-written
// OpenID4VCI issuer in package wallet).
func TestWalletWithARealNode(t *testing.T) {
	rn := startRealNode(t)
	t.Setenv("COMMUNS_WALLET_PASSPHRASE", "a passphrase for tests")
	dir := filepath.Join(t.TempDir(), "wallet")
	w := func(args ...string) (int, string, string) {
		t.Helper()
		return communs(t, "", append([]string{"wallet", "--wallet", dir, "--allow-loopback"}, args...)...)
	}
	code, out, stderr := w("init")
	holder := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(holder, "did:key:z6Mk") {
		t.Fatalf("init: %d %q %s", code, out, stderr)
	}
	ctx := context.Background()
	award, err := rn.Award(ctx, "demo", node.AwardRequest{AchievementID: rn.achievement, Recipient: node.Recipient{DID: holder}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	t.Run("a badge awarded by the node is imported by its URL, verified and bound to the holder", func(t *testing.T) {
		code, out, stderr := w("import", award.URL)
		if code != exitOK || !strings.Contains(out, "verified") {
			t.Fatalf("import: %d %s %s", code, out, stderr)
		}
		code, out, _ = w("list", "--json")
		var list struct {
			Holder string          `json:"holder"`
			Badges []*walletBadgeT `json:"badges"`
		}
		if err := json.Unmarshal([]byte(out), &list); err != nil || code != exitOK || len(list.Badges) != 1 {
			t.Fatalf("list: %d %v %s", code, err, out)
		}
		b := list.Badges[0]
		if !b.Verified || !b.BoundToHolder || b.CredentialID != award.URL || list.Holder != holder {
			t.Fatalf("%+v", b)
		}
		id = b.ID
	})
	t.Run("importing it again is refused as a duplicate", func(t *testing.T) {
		if code, _, stderr := w("import", award.URL); code != exitFailure || !strings.Contains(stderr, "already holds") {
			t.Fatalf("%d %s", code, stderr)
		}
	})
	t.Run("a presentation of it verifies with the verifier's challenge", func(t *testing.T) {
		vpFile := filepath.Join(t.TempDir(), "vp.json")
		if code, _, stderr := w("present", id, "--challenge", "c-42", "--domain", "verifier.example", "--out", vpFile); code != exitOK {
			t.Fatalf("%d %s", code, stderr)
		}
		code, out, _ := communs(t, "", "verify", "--allow-loopback", "--challenge", "c-42", "--domain", "verifier.example", vpFile)
		if code != exitOK {
			t.Fatalf("verify: %d\n%s", code, out)
		}
	})
	t.Run("after the node revokes it, show reports it revoked", func(t *testing.T) {
		if _, err := rn.Revoke(ctx, award.ID, "test"); err != nil {
			t.Fatal(err)
		}
		code, out, _ := w("show", id)
		if code != exitFailure || !strings.Contains(strings.ToLower(out), "revoked") {
			t.Fatalf("show: %d\n%s", code, out)
		}
	})
	t.Run("the whole wallet exports as a ZIP and a badge can be deleted", func(t *testing.T) {
		zipFile := filepath.Join(t.TempDir(), "wallet.zip")
		if code, _, stderr := w("export", "--format", "zip", "--out", zipFile); code != exitOK {
			t.Fatalf("%d %s", code, stderr)
		}
		if st, err := os.Stat(zipFile); err != nil || st.Size() == 0 {
			t.Fatalf("%v", err)
		}
		if code, _, _ := w("delete", id); code != exitOK {
			t.Fatal("delete failed")
		}
		if code, _, _ := w("show", id); code != exitFailure {
			t.Fatal("deleted badge still shown")
		}
	})
	t.Run("a wrong passphrase exits 1", func(t *testing.T) {
		t.Setenv("COMMUNS_WALLET_PASSPHRASE", "wrong")
		if code, _, stderr := w("list"); code != exitFailure || !strings.Contains(stderr, "passphrase") {
			t.Fatalf("%d %s", code, stderr)
		}
	})
}

// walletBadgeT is the part of a listed badge the test reads.
type walletBadgeT struct {
	ID            string      `json:"id"`
	CredentialID  string      `json:"credentialId"`
	Verified      bool        `json:"verified"`
	BoundToHolder bool        `json:"boundToHolder"`
	Summary       *vc.Summary `json:"summary"`
}

func TestWalletReceivesThroughOpenID4VCI(t *testing.T) {
	rn := startRealNode(t)
	t.Setenv("COMMUNS_WALLET_PASSPHRASE", "another passphrase for tests")
	dir := filepath.Join(t.TempDir(), "wallet")
	w := func(args ...string) (int, string, string) {
		t.Helper()
		return communs(t, "", append([]string{"wallet", "--wallet", dir, "--allow-loopback"}, args...)...)
	}
	code, out, _ := w("init")
	holder := strings.TrimSpace(out)
	if code != exitOK {
		t.Fatalf("init: %d", code)
	}
	ctx := context.Background()
	// The award names only an e-mail: the wallet's DID is bound when the learner claims it.
	award, err := rn.Award(ctx, "demo", node.AwardRequest{AchievementID: rn.achievement, Recipient: node.Recipient{Email: "learner@example.org"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	token := award.ClaimURL[strings.LastIndex(award.ClaimURL, "/")+1:]
	offer := rn.OfferURI(token)
	if code, out, stderr := w("receive", offer); code != exitOK {
		t.Fatalf("receive %s: %d %s %s", offer, code, out, stderr)
	}
	code, out, _ = w("list", "--json")
	var list struct {
		Badges []*walletBadgeT `json:"badges"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != exitOK || len(list.Badges) != 1 {
		t.Fatalf("list: %d %v %s", code, err, out)
	}
	b := list.Badges[0]
	if !b.Verified || !b.BoundToHolder {
		t.Fatalf("the received badge is not verified and bound to %s: %+v", holder, b)
	}
	if code, _, _ := w("receive", offer); code == exitOK {
		t.Fatal("the same offer was claimed twice")
	}
	vpFile := filepath.Join(t.TempDir(), "vp.json")
	if code, _, stderr := w("present", b.ID, "--challenge", "c-7", "--domain", "rh.example.org", "--out", vpFile); code != exitOK {
		t.Fatalf("present: %d %s", code, stderr)
	}
	if code, out, _ := communs(t, "", "verify", "--allow-loopback", "--challenge", "c-7", "--domain", "rh.example.org", vpFile); code != exitOK {
		t.Fatalf("the presentation of the received badge does not verify: %d\n%s", code, out)
	}
	if _, err := rn.Revoke(ctx, award.ID, "attribution par erreur"); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := w("show", b.ID); code != exitFailure || !strings.Contains(strings.ToLower(out), "revoked") {
		t.Fatalf("after the award is revoked, the claimed copy must show revoked: %d\n%s", code, out)
	}
}
