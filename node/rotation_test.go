package node

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

func TestKeyRotationKeepsOldBadgesVerifying(t *testing.T) {
	ctx := context.Background()
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	tn.mustJSON(t, "POST", "/api/v1/issuers", map[string]any{"slug": "demo", "name": "Démo", "url": "https://example.org", "email": "b@example.org", "description": "Démo"}, 201)
	ach := tn.mustJSON(t, "POST", "/api/v1/issuers/demo/achievements", testAchievement, 201)
	award := func(email string) AwardResult {
		t.Helper()
		out := tn.mustJSON(t, "POST", "/api/v1/issuers/demo/awards", map[string]any{"achievementId": ach["id"], "recipient": map[string]any{"email": email}}, 201)
		b, _ := json.Marshal(out)
		var r AwardResult
		json.Unmarshal(b, &r)
		return r
	}
	proofKey := func(cred json.RawMessage) string {
		var c struct {
			Proof struct {
				VerificationMethod string `json:"verificationMethod"`
			} `json:"proof"`
		}
		json.Unmarshal(cred, &c)
		return c.Proof.VerificationMethod
	}
	before := award("avant@example.org")
	tn.mustJSON(t, "POST", "/api/v1/issuers/demo/keys/rotate", nil, 200)
	after := award("apres@example.org")

	oldKey, newKey := proofKey(before.Credential), proofKey(after.Credential)
	if oldKey == "" || oldKey == newKey {
		t.Fatalf("after rotation the new badge is signed by %q, the old one by %q", newKey, oldKey)
	}
	doc, err := tn.DIDDocument(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{oldKey, newKey} {
		if !doc.HasVerificationRelationship(k, "assertionMethod") {
			t.Errorf("the DID document no longer lists %s as an assertion method", k)
		}
	}
	for name, r := range map[string]AwardResult{"the badge signed before the rotation": before, "the badge signed after": after} {
		if rep := verifyOverLoopback(t, r.Credential); !rep.Verified {
			t.Errorf("%s does not verify: %+v", name, rep.Checks)
		}
	}
}
