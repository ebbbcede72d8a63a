package federation

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/communs/communs/vc/keys"
)

func TestEntryWireFormat(t *testing.T) {
	o := newTestOrigin(t, "a.example", fixedClock(testEpoch))
	e1 := o.append(t, "did:web:a.example:s1", StatusActive)
	e2 := o.append(t, "did:web:a.example:s1", StatusSuspended)

	t.Run("go-jose verifies an entry with the origin's key and sees the header of the spec", func(t *testing.T) {
		sig, err := jose.ParseSigned(string(e2.JWS), []jose.SignatureAlgorithm{jose.ES256})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sig.Verify(&o.key.PublicKey); err != nil {
			t.Fatalf("go-jose refuses the signature: %v", err)
		}
		h := sig.Signatures[0].Protected
		kid, _ := keys.JWKThumbprint(&o.key.PublicKey)
		if h.KeyID != kid || h.ExtraHeaders["typ"] != TypeEntry {
			t.Fatalf("header kid %q typ %v, want %q %q", h.KeyID, h.ExtraHeaders["typ"], kid, TypeEntry)
		}
	})
	t.Run("the entry id is a base32 CIDv1 over the JWS bytes and chains the log", func(t *testing.T) {
		if !strings.HasPrefix(e1.CID, "bafkrei") || e1.CID != CIDOf(e1.JWS) {
			t.Fatalf("CID %q", e1.CID)
		}
		if e1.Claims.Seq != 1 || e1.Claims.Prev != "" || e2.Claims.Seq != 2 || e2.Claims.Prev != e1.CID {
			t.Fatalf("seq/prev: %d %q, %d %q", e1.Claims.Seq, e1.Claims.Prev, e2.Claims.Seq, e2.Claims.Prev)
		}
	})
	t.Run("parsing gives back the claims the log signed", func(t *testing.T) {
		p, err := ParseEntry(e2.JWS, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if p.CID != e2.CID || p.Claims.Status != StatusSuspended || p.Claims.Iss != "https://a.example" ||
			p.Claims.Metadata.FederationEntity.OrganizationName != "Example School" || p.Claims.Iat != testEpoch.Unix() {
			t.Fatalf("claims %+v", p.Claims)
		}
	})
	t.Run("white space around the JWS is refused because the CID covers the exact bytes", func(t *testing.T) {
		if _, err := ParseEntry(append([]byte(" "), e1.JWS...), DefaultLimits()); !errors.Is(err, ErrMalformed) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a head is refused as an entry", func(t *testing.T) {
		h, err := o.log.SignHead(o.key, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseEntry(h, DefaultLimits()); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "typ") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestLog(t *testing.T) {
	ctx := context.Background()
	t.Run("a reopened log continues the chain after its last stored entry", func(t *testing.T) {
		store := NewMemStorage()
		o := newTestOrigin(t, "a.example", fixedClock(testEpoch))
		l, err := OpenLog(ctx, o.EntityID, store, fixedClock(testEpoch))
		if err != nil {
			t.Fatal(err)
		}
		e1, err := l.Append(ctx, EntryClaims{Sub: "did:web:a.example:s1", Status: StatusActive}, o.key)
		if err != nil {
			t.Fatal(err)
		}
		l2, err := OpenLog(ctx, o.EntityID, store, fixedClock(testEpoch))
		if err != nil {
			t.Fatal(err)
		}
		e2, err := l2.Append(ctx, EntryClaims{Sub: "did:web:a.example:s2", Status: StatusActive}, o.key)
		if err != nil {
			t.Fatal(err)
		}
		if e2.Claims.Seq != 2 || e2.Claims.Prev != e1.CID {
			t.Fatalf("seq %d prev %q", e2.Claims.Seq, e2.Claims.Prev)
		}
	})
	t.Run("an entry with an unknown status or a bad issuer key is not signed", func(t *testing.T) {
		o := newTestOrigin(t, "a.example", fixedClock(testEpoch))
		for _, c := range []EntryClaims{
			{Sub: "did:web:a.example:s1", Status: "retired"},
			{Sub: "did:web:a.example:s1", Status: StatusActive, IssuerKeys: []string{"not-a-multikey"}},
			{Sub: "not-a-did", Status: StatusActive},
		} {
			if _, err := o.log.Append(ctx, c, o.key); !errors.Is(err, ErrMalformed) {
				t.Fatalf("%+v: got %v", c, err)
			}
		}
		if seq, _ := o.log.Seq(); seq != 0 {
			t.Fatalf("refused appends moved the log to %d", seq)
		}
	})
	t.Run("an entity id that is not https is refused", func(t *testing.T) {
		for _, id := range []string{"http://a.example", "https://", "https://a.example/#x", "ftp://a.example"} {
			if _, err := OpenLog(ctx, id, NewMemStorage(), nil); !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("%s: got %v", id, err)
			}
		}
		if _, err := OpenLog(ctx, "http://127.0.0.1:8080", NewMemStorage(), nil); err != nil {
			t.Fatalf("loopback http is allowed for local setups: %v", err)
		}
	})
}

func TestOriginConfig(t *testing.T) {
	o := newTestOrigin(t, "a.example", nil)
	t.Run("scope patterns with a star anywhere but after a final colon are refused", func(t *testing.T) {
		for _, p := range []string{"did:web:a.example*", "did:*:a", "*", "web:a.example:*"} {
			bad := o.Origin
			bad.Scope = []string{p}
			if err := newTestRegistryErr(bad); !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("%s: got %v", p, err)
			}
		}
	})
	t.Run("an origin without a P-256 key is refused", func(t *testing.T) {
		bad := o.Origin
		bad.Keys = nil
		if err := newTestRegistryErr(bad); !errors.Is(err, ErrInvalidConfig) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a registry without storage is refused", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.Storage = nil
		if _, err := NewRegistry(cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Fatalf("got %v", err)
		}
	})
}

func newTestRegistryErr(o Origin) error {
	r, err := NewRegistry(DefaultConfig())
	if err != nil {
		return err
	}
	return r.AddOrigin(context.Background(), o)
}

func TestLookup(t *testing.T) {
	ctx := context.Background()
	now := testEpoch
	clock := func() time.Time { return now }
	a := newTestOrigin(t, "a.example", clock)
	b := newTestOrigin(t, "b.example", clock)
	b.Scope = append(b.Scope, "did:web:a.example:shared")
	r := newTestRegistry(t, nil, clock, a, b)
	ea := a.append(t, "did:web:a.example:shared", StatusActive)
	now = now.Add(time.Hour)
	eb := b.append(t, "did:web:a.example:shared", StatusSuspended)
	for _, e := range [][]byte{ea.JWS, eb.JWS} {
		if _, err := r.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("every origin's word on a DID is returned, in origin order", func(t *testing.T) {
		vs := r.Lookup("did:web:a.example:shared")
		if len(vs) != 2 || vs[0].Origin != a.EntityID || vs[1].Origin != b.EntityID {
			t.Fatalf("vouches %+v", vs)
		}
		if vs[0].Status != StatusActive || vs[0].EntryCID != ea.CID || !vs[0].RegisteredAt.Equal(testEpoch) || len(vs[0].IssuerKeys) != 1 || !vs[0].Stale {
			t.Fatalf("a's vouch %+v", vs[0])
		}
		if vs[1].Status != StatusSuspended || vs[1].Metadata.FederationEntity.OrganizationName != "Example School" {
			t.Fatalf("b's vouch %+v", vs[1])
		}
	})
	t.Run("an expelled origin's entries leave the view", func(t *testing.T) {
		r.RemoveOrigin(b.EntityID)
		if vs := r.Lookup("did:web:a.example:shared"); len(vs) != 1 || vs[0].Origin != a.EntityID {
			t.Fatalf("vouches %+v", vs)
		}
	})
	t.Run("a head makes the origin fresh until it expires", func(t *testing.T) {
		h, err := a.log.SignHead(a.key, 10*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if res, err := r.ApplyHead(ctx, h); err != nil || !res.Accepted || res.Missing != 0 {
			t.Fatalf("head: %+v %v", res, err)
		}
		if vs := r.Lookup("did:web:a.example:shared"); vs[0].Stale {
			t.Fatal("origin is stale with a fresh head")
		}
		now = now.Add(11 * time.Minute)
		if vs := r.Lookup("did:web:a.example:shared"); !vs[0].Stale {
			t.Fatal("origin is not stale after its head expired")
		}
	})
}

func TestHeadSaysWhatIsMissing(t *testing.T) {
	ctx := context.Background()
	a := newTestOrigin(t, "a.example", fixedClock(testEpoch))
	r := newTestRegistry(t, nil, fixedClock(testEpoch), a)
	e1 := a.append(t, "did:web:a.example:s1", StatusActive)
	a.append(t, "did:web:a.example:s2", StatusActive)
	a.append(t, "did:web:a.example:s3", StatusActive)
	if _, err := r.Apply(ctx, e1.JWS); err != nil {
		t.Fatal(err)
	}
	h, err := a.log.SignHead(a.key, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a head ahead of the replica counts the entries to fetch", func(t *testing.T) {
		res, err := r.ApplyHead(ctx, h)
		if err != nil || !res.Accepted || res.Seq != 3 || res.Missing != 2 {
			t.Fatalf("%+v %v", res, err)
		}
	})
}
