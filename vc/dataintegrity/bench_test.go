package dataintegrity

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"
)

func BenchmarkSign(b *testing.B) {
	ctx := context.Background()
	key := harnessKey()
	for _, c := range []struct{ name, file string }{
		{"OB 3.0 basic credential", "ob3-spec-examples/basic-openbadgecredential.json"},
		{"OB 3.0 complete credential", "ob3-spec-examples/complete-openbadgecredential.json"},
	} {
		doc := readJSON(b, c.file)
		opts := Options{VerificationMethod: "did:example:issuer#key-1", Created: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Sign(ctx, doc, opts, key); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	pub := harnessKey().Public().(ed25519.PublicKey)
	for _, c := range []struct{ name, file string }{
		{"OB 3.0 basic credential", "harness-signed/basic-openbadgecredential.eddsa-rdfc-2022.didkey.json"},
		{"OB 3.0 complete credential", "harness-signed/complete-openbadgecredential.eddsa-rdfc-2022.didkey.json"},
	} {
		unsecured, proofs, err := Split(readJSON(b, c.file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Verify(ctx, unsecured, proofs[0], pub); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEd25519 is the floor: signing and verifying the 64 bytes of hash data alone.
func BenchmarkEd25519(b *testing.B) {
	key := harnessKey()
	pub := key.Public().(ed25519.PublicKey)
	msg := HashData([]byte("proof configuration"), []byte("document"))
	sig := ed25519.Sign(key, msg)
	b.Run("sign", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ed25519.Sign(key, msg)
		}
	})
	b.Run("verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !ed25519.Verify(pub, msg, sig) {
				b.Fatal("bad signature")
			}
		}
	})
}
