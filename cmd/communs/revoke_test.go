package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/communs/communs/node"
)

func TestRevoke(t *testing.T) {
	rn := startRealNode(t)
	ctx := context.Background()
	award := func(t *testing.T, email string) *node.AwardResult {
		t.Helper()
		res, err := rn.Award(ctx, "demo", node.AwardRequest{AchievementID: rn.achievement, Recipient: node.Recipient{Email: email}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	revoke := func(args ...string) (int, string, string) {
		return communs(t, "", append([]string{"revoke", "--node", rn.srv.URL, "--token-file", rn.tokenFile}, args...)...)
	}
	first := award(t, "ada@example.org")

	t.Run("a badge given by id is revoked with its reason and the command says so", func(t *testing.T) {
		code, stdout, stderr := revoke("--reason", "erreur de saisie", first.ID)
		if code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if !strings.Contains(stdout, "revoked: "+first.URL) || !strings.Contains(stdout, "reason:  erreur de saisie") {
			t.Fatalf("stdout:\n%s", stdout)
		}
		a, err := rn.GetAward(ctx, first.ID)
		if err != nil || !a.Revoked || a.RevokeReason != "erreur de saisie" {
			t.Fatalf("award %+v, %v", a, err)
		}
	})
	t.Run("revoking it again exits 1 with the node's reason", func(t *testing.T) {
		code, _, stderr := revoke(first.ID, "--reason", "encore")
		if code != exitFailure || !strings.Contains(stderr, "already revoked") || !strings.Contains(stderr, "HTTP 409") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
	t.Run("a badge given by its address is revoked too", func(t *testing.T) {
		second := award(t, "grace@example.org")
		if code, _, stderr := revoke("--reason", "fraude", second.URL); code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if a, _ := rn.GetAward(ctx, second.ID); !a.Revoked {
			t.Fatal("not revoked")
		}
	})
	t.Run("an unknown badge exits 1", func(t *testing.T) {
		code, _, stderr := revoke("--reason", "x", strings.Repeat("a", 26))
		if code != exitFailure || !strings.Contains(stderr, "HTTP 404") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
	t.Run("a staff token of another issuer is refused with exit 1", func(t *testing.T) {
		if _, err := rn.CreateIssuer(ctx, node.IssuerRequest{Slug: "other", Name: "Other"}); err != nil {
			t.Fatal(err)
		}
		secret, _, err := rn.CreateToken(ctx, node.TokenRequest{Role: node.RoleStaff, Issuer: "other"})
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "staff")
		os.WriteFile(f, []byte(secret), 0o600)
		third := award(t, "linus@example.org")
		code, _, stderr := communs(t, "", "revoke", "--node", rn.srv.URL, "--token-file", f, "--reason", "x", third.ID)
		if code != exitFailure || !strings.Contains(stderr, "HTTP 403") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if a, _ := rn.GetAward(ctx, third.ID); a.Revoked {
			t.Fatal("revoked by another issuer's staff")
		}
	})
	t.Run("usage mistakes exit 2 before anything is sent", func(t *testing.T) {
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{first.ID}, "--reason is required"},
			{[]string{"--reason", "x"}, "give the ID"},
			{[]string{"--reason", "x", first.ID, first.ID}, "one badge at a time"},
			{[]string{"--reason", "x", "not-an-id"}, "is not a badge id"},
			{[]string{"--reason", "x", "https://example.org/issuers/demo"}, "not a badge address"},
			{[]string{"--reason", "line\nbreak", first.ID}, "one line"},
		} {
			code, _, stderr := revoke(c.args...)
			if code != exitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("%q: code %d\n%s", c.args, code, stderr)
			}
		}
		if code, _, stderr := communs(t, "", "revoke", "--node", "http://example.org", "--token-file", rn.tokenFile, "--reason", "x", first.ID); code != exitUsage || !strings.Contains(stderr, "https://") {
			t.Errorf("plain http to a remote node: code %d\n%s", code, stderr)
		}
	})
	t.Run("a node that cannot be reached exits 3", func(t *testing.T) {
		gone := httptest.NewServer(nil)
		gone.Close()
		code, _, stderr := communs(t, "", "revoke", "--node", gone.URL, "--token-file", rn.tokenFile, "--reason", "x", first.ID)
		if code != exitInternal || !strings.Contains(stderr, "could not reach the node") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
}

func TestBadgeID(t *testing.T) {
	id := "q4ht2mzbrqn3pmx7yh6dhzzaqa"
	for _, in := range []string{id, "https://badges.example.org/credentials/" + id, "http://127.0.0.1:8080/credentials/" + id + ".json", "https://example.org/node/credentials/" + id + "?lang=fr"} {
		if got, err := badgeID(in); err != nil || got != id {
			t.Errorf("badgeID(%q) = %q, %v", in, got, err)
		}
	}
}
