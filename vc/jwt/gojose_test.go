package jwt

import (
	"crypto"
	"encoding/json"
	"reflect"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// The go-jose library is the reference: tokens it signs must verify here,
// and tokens signed here must verify there.
func TestInteroperatesWithGoJose(t *testing.T) {
	cred := loadCredential(t, "ob3-spec-examples/complete-openbadgecredential.json")
	payload, err := json.Marshal(cred)
	if err != nil {
		t.Fatal(err)
	}
	keys := []struct {
		alg     string
		joseAlg jose.SignatureAlgorithm
		signer  crypto.Signer
	}{
		{AlgEdDSA, jose.EdDSA, newEd25519(t)},
		{AlgES256, jose.ES256, newP256(t)},
		{AlgRS256, jose.RS256, newRSA(t, 2048)},
	}
	for _, k := range keys {
		t.Run("a go-jose "+k.alg+" token verifies here and its credential reads back", func(t *testing.T) {
			opts := (&jose.SignerOptions{}).WithType(TypCredential).WithHeader("kid", "did:example:issuer#key-1")
			js, err := jose.NewSigner(jose.SigningKey{Algorithm: k.joseAlg, Key: k.signer}, opts)
			if err != nil {
				t.Fatal(err)
			}
			obj, err := js.Sign(payload)
			if err != nil {
				t.Fatal(err)
			}
			compact, err := obj.CompactSerialize()
			if err != nil {
				t.Fatal(err)
			}
			tok := mustParse(t, compact)
			if err := tok.Verify(k.signer.Public()); err != nil {
				t.Fatal(err)
			}
			got, shape := tok.Credential()
			if shape != ShapeCredential || !reflect.DeepEqual(got, cred) {
				t.Fatalf("shape %v; credential differs from what go-jose signed", shape)
			}
			if tok.Kid() != "did:example:issuer#key-1" {
				t.Fatalf("Kid = %q", tok.Kid())
			}
		})
		t.Run("a "+k.alg+" token signed here verifies with go-jose", func(t *testing.T) {
			token := mustSign(t, cred, k.alg, "did:example:issuer#key-1", TypCredential, k.signer)
			obj, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{k.joseAlg})
			if err != nil {
				t.Fatal(err)
			}
			out, err := obj.Verify(k.signer.Public())
			if err != nil {
				t.Fatal(err)
			}
			var back map[string]any
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, cred) {
				t.Fatal("go-jose read back a different credential")
			}
			if kid := obj.Signatures[0].Header.KeyID; kid != "did:example:issuer#key-1" {
				t.Fatalf("go-jose kid = %q", kid)
			}
		})
	}
}
