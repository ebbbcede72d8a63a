package federation

import (
	"context"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// fuzzAnchor returns an anchor with one partner, and that partner's
// statement, as seeds for the statement parsers.
func fuzzAnchor(f *testing.F) (*Anchor, []byte) {
	f.Helper()
	a, err := NewAnchor(context.Background(), AnchorConfig{EntityID: "https://anchor.example", Signer: newKey(f), Storage: NewMemStorage(), Now: fixedClock(testEpoch)})
	if err != nil {
		f.Fatal(err)
	}
	k := newKey(f)
	if _, err := a.AddPartner(context.Background(), Partner{EntityID: "https://partner.example", Keys: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &k.PublicKey}}},
		Scope: []string{"did:web:partner.example:*"}, OrganizationName: "Partner"}); err != nil {
		f.Fatal(err)
	}
	jws, err := a.Statement("https://partner.example")
	if err != nil {
		f.Fatal(err)
	}
	return a, jws
}

func FuzzSubordinateStatement(f *testing.F) {
	a, jws := fuzzAnchor(f)
	f.Add(jws)
	f.Add([]byte("eyJhbGciOiJFUzI1NiJ9.e30.AAAA"))
	f.Add([]byte{})
	keys := a.JWKS()
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSubordinateStatement(data, a.EntityID(), keys, testEpoch)
		if err == nil && (s.Origin.EntityID == "" || len(s.Origin.Keys) == 0) {
			t.Fatalf("accepted a statement without an origin: %+v", s)
		}
	})
}

func FuzzEntityConfiguration(f *testing.F) {
	clock := newTestClock()
	anchor := newAnchorNode(f, clock, false)
	ec, err := anchor.entityConfiguration()
	if err != nil {
		f.Fatal(err)
	}
	_, jws := fuzzAnchor(f)
	f.Add(ec)
	f.Add(jws)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseEntityConfiguration(data, "", nil, testEpoch)
		if err == nil && c.Claims.Iss != c.Claims.Sub {
			t.Fatalf("accepted an EC with iss %q and sub %q", c.Claims.Iss, c.Claims.Sub)
		}
	})
}

func FuzzEntityList(f *testing.F) {
	f.Add([]byte(`["did:web:a.example","did:key:z6Mk"]`))
	f.Add([]byte(`["https://partner.example"]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"error":"not_found"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ids, err := ParseEntityList(data)
		for _, id := range ids {
			if err == nil && id == "" {
				t.Fatal("accepted an empty member")
			}
		}
	})
}

func FuzzJWKS(f *testing.F) {
	k := newKey(f)
	set, err := MarshalJWKS(&k.PublicKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(set)
	f.Add([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseJWKS(data)
		if err == nil && len(s.Keys) == 0 {
			t.Fatal("accepted an empty JWKS")
		}
	})
}
