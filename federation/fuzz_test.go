package federation

import (
	"context"
	"errors"
	"testing"
	"time"
)

// FuzzParseEntry feeds the entry decoder and the replica arbitrary bytes,
// seeded with real entries and heads: nothing may panic, and whatever
// parses has a well-formed CID and consistent claims.
func FuzzParseEntry(f *testing.F) {
	o := newTestOrigin(f, "a.example", fixedClock(testEpoch))
	e1 := o.append(f, "did:web:a.example:s1", StatusActive)
	e2 := o.append(f, "did:web:a.example:s1", StatusSuspended)
	head, err := o.log.SignHead(o.key, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{e1.JWS, e2.JWS, head, []byte("a.b.c"), []byte(""), []byte("eyJhbGciOiJFUzI1NiJ9.e30.AA")} {
		f.Add(seed)
	}
	reg := newTestRegistry(f, nil, fixedClock(testEpoch), o)
	if _, err := reg.Apply(context.Background(), e1.JWS); err != nil {
		f.Fatal(err)
	}
	limits := DefaultLimits()
	f.Fuzz(func(t *testing.T, data []byte) {
		if e, err := ParseEntry(data, limits); err == nil {
			if checkCID(e.CID) != nil || e.Claims.Seq == 0 || e.KeyID == "" {
				t.Fatalf("parsed entry is inconsistent: %+v", e.Claims)
			}
		} else if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("parse error matches no sentinel: %v", err)
		}
		_, _ = ParseHead(data, limits)
		_, _ = reg.Apply(context.Background(), data)
		_, _ = reg.ApplyHead(context.Background(), data)
	})
}
