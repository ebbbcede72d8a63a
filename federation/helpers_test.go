package federation

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// testOrigin is an origin with its key and its own log on memory storage.
type testOrigin struct {
	Origin
	key *ecdsa.PrivateKey
	log *Log
}

var testEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newTestOrigin(tb testing.TB, host string, now func() time.Time) *testOrigin {
	tb.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	o := Origin{EntityID: "https://" + host, Keys: []jose.JSONWebKey{{Key: &k.PublicKey}}, Scope: []string{"did:web:" + host + ":*"}}
	l, err := OpenLog(context.Background(), o.EntityID, NewMemStorage(), now)
	if err != nil {
		tb.Fatal(err)
	}
	return &testOrigin{Origin: o, key: k, log: l}
}

func (o *testOrigin) append(tb testing.TB, sub string, st Status) *Entry {
	tb.Helper()
	e, err := o.log.Append(context.Background(), EntryClaims{
		Sub: sub, Status: st, IssuerKeys: []string{"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"},
		Metadata: Metadata{FederationEntity: FederationEntity{OrganizationName: "Example School", HomepageURI: "https://school.example/"}},
	}, o.key)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func newTestRegistry(tb testing.TB, store Storage, now func() time.Time, origins ...*testOrigin) *Registry {
	tb.Helper()
	cfg := DefaultConfig()
	cfg.Now = now
	if store != nil {
		cfg.Storage = store
	}
	r, err := NewRegistry(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	for _, o := range origins {
		if err := r.AddOrigin(context.Background(), o.Origin); err != nil {
			tb.Fatal(err)
		}
	}
	return r
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }
