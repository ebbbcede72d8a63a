package jwt

import "testing"

func BenchmarkParseVerifyEdDSA(b *testing.B) {
	key := newEd25519(b)
	token := mustSign(b, loadCredential(b, "ob3-spec-examples/basic-openbadgecredential.json"), AlgEdDSA, "did:example:issuer#key-1", TypCredential, key)
	pub := key.Public()
	b.SetBytes(int64(len(token)))
	b.ReportAllocs()
	for b.Loop() {
		tok, err := Parse(token)
		if err != nil {
			b.Fatal(err)
		}
		if err := tok.Verify(pub); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseVerifyEdDSALargeCredential(b *testing.B) {
	key := newEd25519(b)
	token := mustSign(b, loadCredential(b, "ob3-spec-examples/complete-openbadgecredential.json"), AlgEdDSA, "did:example:issuer#key-1", TypCredential, key)
	pub := key.Public()
	b.SetBytes(int64(len(token)))
	b.ReportAllocs()
	for b.Loop() {
		tok, err := Parse(token)
		if err != nil {
			b.Fatal(err)
		}
		if err := tok.Verify(pub); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseVerifyES256(b *testing.B) {
	key := newP256(b)
	token := mustSign(b, loadCredential(b, "ob3-spec-examples/basic-openbadgecredential.json"), AlgES256, "did:example:issuer#key-1", TypCredential, key)
	pub := key.Public()
	b.ReportAllocs()
	for b.Loop() {
		tok, err := Parse(token)
		if err != nil {
			b.Fatal(err)
		}
		if err := tok.Verify(pub); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignEdDSA(b *testing.B) {
	key := newEd25519(b)
	cred := loadCredential(b, "ob3-spec-examples/basic-openbadgecredential.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(cred, AlgEdDSA, "did:example:issuer#key-1", TypCredential, key); err != nil {
			b.Fatal(err)
		}
	}
}
