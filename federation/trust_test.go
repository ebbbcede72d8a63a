package federation

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/vc/keys"
)

// keyDID returns a fresh did:key, its verification method id and its
// Multikey.
func keyDID(t *testing.T) (id, vm, mk string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if id, err = did.NewKeyDID(pub); err != nil {
		t.Fatal(err)
	}
	if mk, err = keys.EncodeMultikey(pub); err != nil {
		t.Fatal(err)
	}
	return id, id + "#" + strings.TrimPrefix(id, "did:key:"), mk
}

func TestTrustRecognize(t *testing.T) {
	ctx := context.Background()
	now := fixedClock(testEpoch)
	o := newTestOrigin(t, "a.example", now)
	issuer, issuerVM, issuerKey := keyDID(t)
	_, otherVM, _ := keyDID(t)
	suspended, _, _ := keyDID(t)
	o.Scope = append(o.Scope, issuer, suspended, "did:web:localhost:8443")
	reg := newTestRegistry(t, nil, now, o)
	for _, c := range []EntryClaims{
		{Sub: issuer, Status: StatusActive, IssuerKeys: []string{issuerKey}, Metadata: Metadata{FederationEntity: FederationEntity{OrganizationName: "École de Lyon"}}},
		{Sub: suspended, Status: StatusSuspended, IssuerKeys: []string{}},
		{Sub: "did:web:localhost:8443", Status: StatusActive, IssuerKeys: []string{}},
	} {
		e, err := o.log.Append(ctx, c, o.key)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Apply(ctx, e.JWS); err != nil {
			t.Fatal(err)
		}
	}
	head, err := o.log.SignHead(o.key, 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.ApplyHead(ctx, head); err != nil {
		t.Fatal(err)
	}
	tr := &Trust{Registry: reg, Resolver: did.NewResolver(did.Options{}), OriginName: func(string) string { return "Réseau Occitanie" }}

	t.Run("a vouched issuer signing with a listed key is recognised", func(t *testing.T) {
		rec, err := tr.Recognize(ctx, issuer, issuerVM)
		if err != nil {
			t.Fatal(err)
		}
		if !rec.Recognized || rec.Status != "active" || rec.KeyListed == nil || !*rec.KeyListed {
			t.Fatalf("%+v", rec)
		}
		if len(rec.VouchedBy) != 1 || rec.VouchedBy[0].EntityID != o.EntityID || rec.VouchedBy[0].Name != "Réseau Occitanie" || !rec.VouchedBy[0].Since.Equal(testEpoch) {
			t.Fatalf("vouched by %+v", rec.VouchedBy)
		}
	})
	t.Run("a key that is not listed is flagged", func(t *testing.T) {
		rec, err := tr.Recognize(ctx, issuer, otherVM)
		if err != nil {
			t.Fatal(err)
		}
		if !rec.Recognized || rec.KeyListed == nil || *rec.KeyListed {
			t.Fatalf("%+v", rec)
		}
	})
	t.Run("an unknown issuer is not recognised", func(t *testing.T) {
		unknown, vm, _ := keyDID(t)
		rec, err := tr.Recognize(ctx, unknown, vm)
		if err != nil || rec.Recognized || rec.Status != "unknown" || rec.KeyListed != nil {
			t.Fatalf("%+v %v", rec, err)
		}
	})
	t.Run("a suspended issuer is not recognised", func(t *testing.T) {
		rec, err := tr.Recognize(ctx, suspended, "")
		if err != nil || rec.Recognized || rec.Status != "suspended" {
			t.Fatalf("%+v %v", rec, err)
		}
	})
	t.Run("a percent-encoded did:web matches its decoded entry", func(t *testing.T) {
		rec, err := tr.Recognize(ctx, "did:web:localhost%3A8443", "")
		if err != nil || !rec.Recognized {
			t.Fatalf("%+v %v", rec, err)
		}
	})
	t.Run("a stale origin's word stops counting after the grace period", func(t *testing.T) {
		later := newTestRegistry(t, reg.cfg.Storage, fixedClock(testEpoch.Add(2*3600e9)), o)
		stale := &Trust{Registry: later, StaleGrace: 3600e9 / 2}
		rec, err := stale.Recognize(ctx, issuer, "")
		if err != nil || rec.Recognized || rec.Status != "stale" {
			t.Fatalf("%+v %v", rec, err)
		}
		stale.StaleGrace = 2 * 3600e9
		if rec, _ := stale.Recognize(ctx, issuer, ""); !rec.Recognized {
			t.Fatalf("within the grace period: %+v", rec)
		}
	})
}
