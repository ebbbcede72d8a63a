package node

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
)

func TestAuthorizationMatrix(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	tn.mustJSON(t, "POST", "/api/v1/issuers", map[string]any{"slug": "a", "name": "A"}, 201)
	tn.mustJSON(t, "POST", "/api/v1/issuers", map[string]any{"slug": "b", "name": "B"}, 201)
	ach := tn.mustJSON(t, "POST", "/api/v1/issuers/a/achievements", testAchievement, 201)["id"].(string)
	award := tn.mustJSON(t, "POST", "/api/v1/issuers/a/awards", map[string]any{"achievementId": ach, "recipient": map[string]any{"did": "did:example:1"}}, 201)["id"].(string)
	otherStaff := tn.mustJSON(t, "POST", "/api/v1/tokens", map[string]any{"role": "staff", "issuer": "b"}, 201)["token"].(string)
	staffA := tn.mustJSON(t, "POST", "/api/v1/tokens", map[string]any{"role": "staff", "issuer": "a"}, 201)["token"].(string)

	// An expired token: created valid, then the clock moves past its expiry.
	_, exp, err := tn.CreateToken(context.Background(), TokenRequest{Role: RoleAdmin, ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	expired := "cmt_expired-secret-000000000"
	tn.db.Update(func(tx *store.Txn) error {
		exp.ExpiresAt = time.Now().Add(-time.Minute)
		return tx.Set(store.KeyToken(hashHex(expired)), mustJSON(exp))
	})

	routes := []struct {
		method, path string
		staffOK      bool // a staff token of issuer a may use it
	}{
		{"POST", "/api/v1/issuers", false},
		{"GET", "/api/v1/issuers", false},
		{"GET", "/api/v1/issuers/a", true},
		{"POST", "/api/v1/issuers/a/keys/rotate", false},
		{"POST", "/api/v1/issuers/a/achievements", true},
		{"GET", "/api/v1/issuers/a/achievements", true},
		{"GET", "/api/v1/issuers/a/achievements/" + ach, true},
		{"PUT", "/api/v1/issuers/a/achievements/" + ach, true},
		{"POST", "/api/v1/issuers/a/achievements/" + ach + "/archive", true},
		{"PUT", "/api/v1/issuers/a/achievements/" + ach + "/image", true},
		{"POST", "/api/v1/issuers/a/awards", true},
		{"POST", "/api/v1/issuers/a/achievements/" + ach + "/awards/bulk", true},
		{"GET", "/api/v1/awards/" + award, true},
		{"POST", "/api/v1/awards/" + award + "/revoke", true},
		{"POST", "/api/v1/tokens", false},
		{"DELETE", "/api/v1/tokens/xyz", false},
		{"POST", "/credentials/issue", true},
		{"POST", "/credentials/status", true},
	}
	for _, rt := range routes {
		for _, c := range []struct {
			who, token string
			want       int
		}{
			{"no token", "", 401},
			{"a wrong token", "cmt_wrong", 401},
			{"an expired token", expired, 401},
		} {
			t.Run(fmt.Sprintf("%s %s refuses %s", rt.method, rt.path, c.who), func(t *testing.T) {
				st, body := tn.do(t, rt.method, rt.path, c.token, "application/json", []byte("{}"))
				if st != c.want || !bytes.Contains(body, []byte(`"status"`)) {
					t.Fatalf("= %d %s, want %d problem+json", st, body, c.want)
				}
			})
		}
		if strings.HasPrefix(rt.path, "/credentials/") {
			continue // the VC-API checks the issuer named in the body
		}
		t.Run(fmt.Sprintf("%s %s refuses another issuer's staff", rt.method, rt.path), func(t *testing.T) {
			if st, body := tn.do(t, rt.method, rt.path, otherStaff, "application/json", []byte("{}")); st != 403 {
				t.Fatalf("= %d %s, want 403", st, body)
			}
		})
		if !rt.staffOK {
			t.Run(fmt.Sprintf("%s %s refuses the issuer's own staff", rt.method, rt.path), func(t *testing.T) {
				if st, body := tn.do(t, rt.method, rt.path, staffA, "application/json", []byte("{}")); st != 403 {
					t.Fatalf("= %d %s, want 403", st, body)
				}
			})
		}
	}
	t.Run("the VC-API refuses to issue for another issuer's DID", func(t *testing.T) {
		cred, _ := json.Marshal(map[string]any{"credential": map[string]any{
			"@context": []string{"https://www.w3.org/ns/credentials/v2"}, "type": []string{"VerifiableCredential"},
			"issuer": tn.IssuerDID("a"), "credentialSubject": map[string]any{"id": "did:example:1"}}})
		if st, body := tn.do(t, "POST", "/credentials/issue", otherStaff, "application/json", cred); st != 403 {
			t.Fatalf("= %d %s", st, body)
		}
		if st, body := tn.do(t, "POST", "/credentials/issue", staffA, "application/json", cred); st != 201 {
			t.Fatalf("own issuer = %d %s", st, body)
		}
	})
}

func TestBadInput(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	tn.mustJSON(t, "POST", "/api/v1/issuers", map[string]any{"slug": "a", "name": "A"}, 201)
	ach := tn.mustJSON(t, "POST", "/api/v1/issuers/a/achievements", testAchievement, 201)["id"].(string)

	t.Run("malformed JSON is a 400 problem naming the body", func(t *testing.T) {
		st, body := tn.do(t, "POST", "/api/v1/issuers/a/awards", tn.admin, "application/json", []byte(`{"achievementId":`))
		if st != 400 || !bytes.Contains(body, []byte("not the expected JSON")) {
			t.Fatalf("= %d %s", st, body)
		}
	})
	t.Run("an unknown achievement is a 404", func(t *testing.T) {
		tn.mustJSON(t, "POST", "/api/v1/issuers/a/awards", map[string]any{"achievementId": "nope", "recipient": map[string]any{"did": "did:example:1"}}, 404)
	})
	t.Run("a recipient without e-mail or DID is a 400", func(t *testing.T) {
		tn.mustJSON(t, "POST", "/api/v1/issuers/a/awards", map[string]any{"achievementId": ach}, 400)
	})
	t.Run("an evidence file of the wrong type is a 415", func(t *testing.T) {
		ct, body := multipartAward(t, map[string]any{"achievementId": ach, "recipient": map[string]any{"did": "did:example:2"}}, map[string][]byte{"x.exe": []byte("MZ\x90\x00 not a pdf")})
		if st, out := tn.do(t, "POST", "/api/v1/issuers/a/awards", tn.admin, ct, body); st != 415 {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("an oversize evidence file is a 413", func(t *testing.T) {
		big := append([]byte(testPDF), make([]byte, 20<<20)...)
		ct, body := multipartAward(t, map[string]any{"achievementId": ach, "recipient": map[string]any{"did": "did:example:3"}}, map[string][]byte{"big.pdf": big})
		if st, out := tn.do(t, "POST", "/api/v1/issuers/a/awards", tn.admin, ct, body); st != 413 {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("an image that is neither PNG nor SVG is a 415", func(t *testing.T) {
		if st, out := tn.do(t, "PUT", "/api/v1/issuers/a/achievements/"+ach+"/image", tn.admin, "image/gif", []byte("GIF89a....")); st != 415 {
			t.Fatalf("= %d %s", st, out)
		}
	})
	t.Run("the same row key never awards twice", func(t *testing.T) {
		req := map[string]any{"achievementId": ach, "recipient": map[string]any{"email": "x@example.org"}}
		first := tn.mustJSON(t, "POST", "/api/v1/issuers/a/awards", req, 201)
		again := tn.mustJSON(t, "POST", "/api/v1/issuers/a/awards", req, 200)
		if first["id"] != again["id"] || again["existing"] != true {
			t.Fatalf("first %v again %v", first["id"], again["id"])
		}
	})
}

func TestStatusListAllocation(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ctx := context.Background()
	tn.CreateIssuer(ctx, IssuerRequest{Slug: "a", Name: "A"})
	ach, _ := tn.CreateAchievement(ctx, "a", mustAchievement(t))
	t.Run("a full status list opens a new one", func(t *testing.T) {
		// Fill list 1 but one index, then award twice.
		size := tn.cfg.StatusListSize
		err := tn.db.Update(func(tx *store.Txn) error {
			if err := tn.claimIndex(tx, "a", "1", 0, "seed"); err != nil {
				return err
			}
			var rec statusListRecord
			getJSON(tx.Get, store.KeyStatusList("a", "1"), &rec, "")
			rec.Allocated = size - 1
			return tx.Set(store.KeyStatusList("a", "1"), mustJSON(&rec))
		})
		if err != nil {
			t.Fatal(err)
		}
		var lists []string
		for i := range 2 {
			res, err := tn.Award(ctx, "a", AwardRequest{AchievementID: ach.ID, Recipient: Recipient{DID: fmt.Sprintf("did:example:%d", i)}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := tn.GetAward(ctx, res.ID)
			lists = append(lists, a.StatusList)
		}
		if lists[0] != "1" || lists[1] != "2" {
			t.Fatalf("lists = %v, want [1 2]", lists)
		}
	})
	t.Run("an index already taken is never handed out again", func(t *testing.T) {
		err := tn.db.Update(func(tx *store.Txn) error { return tn.claimIndex(tx, "a", "1", 0, "again") })
		if !errors.Is(err, errRetry) {
			t.Fatalf("err = %v, want errRetry", err)
		}
	})
}

func mustAchievement(t testing.TB) (a vc.Achievement) {
	raw, _ := json.Marshal(testAchievement)
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	return a
}
