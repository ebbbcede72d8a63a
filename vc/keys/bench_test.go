package keys

import (
	"context"
	"testing"
)

func BenchmarkDecodeMultikeyEd25519(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeMultikey("z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeMultikeyP256(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeMultikey("zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeMultikeyEd25519(b *testing.B) {
	kp, _ := GenerateEd25519(seedReader(1))
	pub := kp.Public()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodeMultikey(pub); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPublicKeyFromJWKEd25519(b *testing.B) {
	jwk := []byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PublicKeyFromJWK(jwk); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMemoryStoreSignEd25519(b *testing.B) {
	store := NewMemoryStore()
	kp, _ := GenerateEd25519(seedReader(1))
	store.Add("k", kp)
	ctx := context.Background()
	msg := make([]byte, 64) // proof hash || document hash
	b.ReportAllocs()
	for b.Loop() {
		if _, err := store.Sign(ctx, "k", msg); err != nil {
			b.Fatal(err)
		}
	}
}
