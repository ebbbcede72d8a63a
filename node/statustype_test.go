package node

import (
	"context"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"

	"github.com/communs/communs/internal/store"
)

func TestOneEdTechRevocationListNode(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open("data", store.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tn := serveNode(t, db, nil, func(cfg *Config) { cfg.StatusType = Status1EdTech })
	defer tn.srv.Close()
	n := tn.Node

	if _, err := n.CreateIssuer(ctx, IssuerRequest{Slug: "demo", Name: "Démo", URL: "https://example.org", Email: "b@example.org", Description: "Démo"}); err != nil {
		t.Fatal(err)
	}
	ach, err := n.CreateAchievement(ctx, "demo", mustAchievement(t))
	if err != nil {
		t.Fatal(err)
	}
	res, err := n.Award(ctx, "demo", AwardRequest{AchievementID: ach.ID, Recipient: Recipient{Email: "ada@example.org"}}, nil)
	if err != nil {
		t.Fatalf("a node set to 1EdTech revocation lists cannot award: %v", err)
	}
	if !strings.Contains(string(res.Credential), `"1EdTechRevocationList"`) || !strings.Contains(string(res.Credential), "extensions.json") {
		t.Fatalf("the badge does not use a 1EdTech revocation list with the extensions context: %s", res.Credential)
	}
	if rep := verifyOverLoopback(t, res.Credential); !rep.Verified {
		t.Fatalf("not verified: %+v", rep.Checks)
	}
	if _, err := n.Revoke(ctx, res.ID, "erreur d'attribution"); err != nil {
		t.Fatal(err)
	}
	rep := verifyOverLoopback(t, res.Credential)
	c, _ := rep.Check("status")
	if rep.Verified || !strings.Contains(c.Detail, "revoked") || !strings.Contains(c.Detail, "erreur d'attribution") {
		t.Fatalf("after revocation: %+v", rep.Checks)
	}
}
