package node

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// BenchmarkVCAPIIssue measures credentials signed per second through POST /credentials/issue.
func BenchmarkVCAPIIssue(b *testing.B) {
	tn := startNode(b, vfs.NewMem(), nil)
	defer tn.stop()
	tn.CreateIssuer(context.Background(), IssuerRequest{Slug: "a", Name: "A"})
	body, _ := json.Marshal(map[string]any{"credential": map[string]any{
		"@context":  []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"type":      []string{"VerifiableCredential", "OpenBadgeCredential"},
		"id":        "urn:uuid:7d5e1f3c-0000-4000-8000-000000000001",
		"issuer":    map[string]any{"id": tn.IssuerDID("a"), "type": []string{"Profile"}, "name": "A"},
		"validFrom": "2026-01-01T00:00:00Z",
		"name":      "Badge",
		"credentialSubject": map[string]any{"type": []string{"AchievementSubject"}, "id": "did:example:1",
			"achievement": map[string]any{"id": "https://example.org/a/1", "type": []string{"Achievement"}, "name": "A", "description": "D",
				"criteria": map[string]any{"narrative": "N"}}},
	}})
	b.ReportAllocs()
	for b.Loop() {
		if st, out := tn.do(b, "POST", "/credentials/issue", tn.admin, "application/json", body); st != 201 {
			b.Fatalf("%d %s", st, out)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
}

// BenchmarkAward measures full awards (sign + one synced batch) per second on the mem FS.
func BenchmarkAward(b *testing.B) {
	tn := startNode(b, vfs.NewMem(), nil)
	defer tn.stop()
	ctx := context.Background()
	tn.CreateIssuer(ctx, IssuerRequest{Slug: "a", Name: "A"})
	ach, _ := tn.CreateAchievement(ctx, "a", mustAchievement(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tn.Award(ctx, "a", AwardRequest{AchievementID: ach.ID, Recipient: Recipient{DID: "did:example:x"}, RowKey: randomKey(tn)}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "awards/s")
}

func randomKey(tn *testNode) string { id, _ := tn.randomID(); return id }
