package status

import (
	"context"
	"math/rand/v2"
	"testing"
)

// benchList is a 131,072-entry list with one entry in a hundred set, encoded.
func benchList(b *testing.B) string {
	bits, err := New(MinEntries)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range MinEntries / 100 {
		_ = bits.Set(r.IntN(MinEntries), true)
	}
	return bits.Encode()
}

func BenchmarkDecodeGet(b *testing.B) {
	encoded := benchList(b)
	b.ReportAllocs()
	b.SetBytes(MinEntries / 8)
	for b.Loop() {
		bits, err := Decode(encoded)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bits.Get(94567); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	bits, err := Decode(benchList(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(MinEntries / 8)
	for b.Loop() {
		_ = bits.Encode()
	}
}

func BenchmarkCheck(b *testing.B) {
	const issuer = "did:web:badges.example.org:issuers:lycee"
	bits, err := Decode(benchList(b))
	if err != nil {
		b.Fatal(err)
	}
	doc := mustJSON(b, NewListCredential(listURL, issuer, PurposeRevocation, bits, testNow))
	fetch := FetcherFunc(func(context.Context, string) ([]byte, error) { return doc, nil })
	cred := map[string]any{"issuer": issuer, "credentialStatus": NewEntry(listURL, PurposeRevocation, 94567)}
	b.ReportAllocs()
	for b.Loop() {
		results, err := Check(context.Background(), cred, fetch, issuerOnly, WithClock(clock))
		if err != nil || results[0].State == Unknown {
			b.Fatal(results, err)
		}
	}
}
