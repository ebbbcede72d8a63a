package federation

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func newTestAnchor(t *testing.T, backend string, now func() time.Time) (*Anchor, NodeStorage) {
	t.Helper()
	st := newTestStorage(t, backend).(NodeStorage)
	a, err := NewAnchor(context.Background(), AnchorConfig{EntityID: "https://anchor.example", Signer: newKey(t), Storage: st, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return a, st
}

func TestAnchorStatements(t *testing.T) {
	clock := newTestClock()
	partnerKey := newKey(t)
	p := Partner{EntityID: "https://partner.example", Keys: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &partnerKey.PublicKey}}},
		Scope: []string{"did:web:partner.example:*"}, OrganizationName: "Partner"}
	for _, backend := range []string{"memory", "pebble"} {
		t.Run("on "+backend+" storage", func(t *testing.T) {
			a, st := newTestAnchor(t, backend, clock.Now)
			if _, err := a.AddPartner(context.Background(), p); err != nil {
				t.Fatal(err)
			}
			jws, err := a.Statement(p.EntityID)
			if err != nil {
				t.Fatal(err)
			}
			t.Run("a statement round-trips to the origin it attests", func(t *testing.T) {
				s, err := ParseSubordinateStatement(jws, a.EntityID(), a.JWKS(), clock.Now())
				if err != nil {
					t.Fatal(err)
				}
				if !sameOrigin(s.Origin, p.Origin()) || s.OrganizationName != "Partner" || !s.Expires.Equal(clock.Now().Add(6*time.Hour).UTC()) {
					t.Fatalf("statement %+v", s)
				}
				if !strings.Contains(string(mustPayload(t, jws)), `"crit":["communs_scope"]`) {
					t.Fatal("communs_scope is not listed in crit")
				}
			})
			t.Run("an expired statement is refused", func(t *testing.T) {
				_, err := ParseSubordinateStatement(jws, a.EntityID(), a.JWKS(), clock.Now().Add(6*time.Hour))
				if !errors.Is(err, ErrStatementExpired) {
					t.Fatalf("error %v", err)
				}
			})
			t.Run("a statement signed by another key than the pinned one is refused", func(t *testing.T) {
				forger, _ := newTestAnchor(t, "memory", clock.Now)
				if _, err := forger.AddPartner(context.Background(), p); err != nil {
					t.Fatal(err)
				}
				forged, _ := forger.Statement(p.EntityID)
				if _, err := ParseSubordinateStatement(forged, a.EntityID(), a.JWKS(), clock.Now()); !errors.Is(err, ErrBadSignature) {
					t.Fatalf("error %v, want ErrBadSignature", err)
				}
			})
			t.Run("an expelled partner gets no statement, and the record stays", func(t *testing.T) {
				if _, err := a.Expel(context.Background(), p.EntityID); err != nil {
					t.Fatal(err)
				}
				if _, err := a.Statement(p.EntityID); !errors.Is(err, ErrExpelled) {
					t.Fatalf("error %v, want ErrExpelled", err)
				}
				reopened, err := NewAnchor(context.Background(), AnchorConfig{EntityID: a.EntityID(), Signer: a.cfg.Signer, Storage: st, Now: clock.Now})
				if err != nil {
					t.Fatal(err)
				}
				ps := reopened.Partners()
				if len(ps) != 1 || !ps[0].Expelled() || !ps[0].AddedAt.Equal(testEpoch) {
					t.Fatalf("records after reopening %+v", ps)
				}
				if _, err := a.Expel(context.Background(), "https://nobody.example"); !errors.Is(err, ErrUnknownPartner) {
					t.Fatalf("error %v", err)
				}
			})
		})
	}
	t.Run("a partner with a private or non-P-256 key is refused", func(t *testing.T) {
		a, _ := newTestAnchor(t, "memory", clock.Now)
		bad := p
		bad.Keys = jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: partnerKey}}}
		if _, err := a.AddPartner(context.Background(), bad); err == nil {
			t.Fatal("a private key was accepted as a partner key")
		}
	})
}

func mustPayload(t *testing.T, jws []byte) []byte {
	t.Helper()
	tok, _, _, err := parseStatement(jws, TypeEntityStatement, testEpoch)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Payload()
}

func TestOutOfScopeEntriesFromAnAttestedPartnerAreRefused(t *testing.T) {
	// A partner that bypasses its own node's scope check (here: signing
	// with its log directly) still cannot get the entry past a replica.
	clock := newTestClock()
	anchor, partners := federation(t, clock, 2)
	rogue := partners[0]
	if _, err := rogue.log.Append(context.Background(), EntryClaims{Sub: issuerDID(1, 0), Status: StatusActive}, rogue.key); err != nil {
		t.Fatal(err)
	}
	err := anchor.Syncer().SyncOnce(context.Background())
	if !errors.Is(err, ErrOutOfScope) {
		t.Fatalf("sync error %v, want ErrOutOfScope", err)
	}
	if got := anchor.status(issuerDID(1, 0)); got != "unknown" {
		t.Fatalf("the anchor says %q about the out-of-scope DID", got)
	}
}
