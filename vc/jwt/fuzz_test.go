package jwt

import (
	"testing"
)

// FuzzParse feeds Parse arbitrary strings, seeded with real tokens of every
// shape and algorithm. Nothing may panic, and whatever parses must answer
// every accessor and refuse a signature made by some other key.
func FuzzParse(f *testing.F) {
	edKey := newEd25519(f)
	ecKey := newP256(f)
	rsaKey := newRSA(f, 2048)
	v2 := loadCredential(f, "ob3-spec-examples/basic-openbadgecredential.json")
	v1 := loadCredential(f, "dcc-verifier-core-fixtures/v1OBv3SpecExample.json")
	seeds := []string{
		mustSign(f, v2, AlgEdDSA, "did:example:issuer#key-1", TypCredential, edKey),
		mustSign(f, v2, AlgES256, "#key-1", TypCredential, ecKey),
		mustSign(f, v2, AlgRS256, "https://example.org/keys/1", "", rsaKey),
		mustSign(f, map[string]any{"iss": "did:example:issuer", "sub": "did:example:learner", "jti": "urn:uuid:1", "nbf": 1262304000, "exp": 1893456000.5, "vc": v1}, AlgEdDSA, "#key-1", "JWT", edKey),
		mustSign(f, map[string]any{"iss": "did:key:z6Mk", "aud": []any{"a", "b"}, "vp": map[string]any{"type": "VerifiablePresentation"}}, AlgEdDSA, "", "", edKey),
		mustSign(f, map[string]any{"@context": "https://www.w3.org/ns/credentials/v2", "type": "VerifiablePresentation", "holder": map[string]any{"id": "did:a"}}, AlgEdDSA, "", TypPresentation, edKey),
		rawToken(`{"alg":"none"}`, `{}`, []byte{1}),
		rawToken(`{"alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"AA"}}`, `{"a":[[[{}]]]}`, []byte{1}),
		"a.b.c.d.e",
		"..",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	stranger := newEd25519(f).Public()
	f.Fuzz(func(t *testing.T, token string) {
		tok, err := Parse(token)
		if err != nil {
			if tok != nil {
				t.Fatal("Parse returned a token with an error")
			}
			return
		}
		_ = tok.Header()
		_ = tok.Claims()
		_ = tok.Payload()
		_ = tok.Issuer()
		_ = tok.Audience()
		_, _ = tok.VerificationMethod()
		_ = tok.CheckClaims()
		cred, shape := tok.Credential()
		if (cred == nil) != (shape == ShapeNone) {
			t.Fatalf("Credential returned %v with shape %v", cred, shape)
		}
		if err := tok.Verify(stranger); err == nil {
			t.Fatal("a token verified with a freshly generated key")
		}
		_ = tok.Verify(ecKey.Public())
		_ = tok.Verify(rsaKey.Public())
	})
}
