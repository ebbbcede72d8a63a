package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/communs/communs/vc/keys"
)

func TestResolveJWKReadsPublishedDIDs(t *testing.T) {
	t.Run("the P-256 did:jwk of the specification resolves to its key as #0", func(t *testing.T) {
		const did = "did:jwk:eyJrdHkiOiJFQyIsImNydiI6IlAtMjU2IiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
		doc, err := ResolveJWK(did)
		if err != nil {
			t.Fatal(err)
		}
		vm, err := doc.VerificationMethodByID("#0")
		if err != nil {
			t.Fatal(err)
		}
		if vm.ID != did+"#0" || vm.Type != TypeJSONWebKey2020 || vm.Controller != did {
			t.Fatalf("verification method %+v", vm)
		}
		pub, err := vm.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		j, _ := keys.JWKFromPublicKey(pub)
		if j.X != "acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0" || j.Y != "_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE" {
			t.Fatalf("key %+v", j)
		}
		for _, rel := range []string{AssertionMethod, Authentication, KeyAgreement, CapabilityInvocation, CapabilityDelegation} {
			if !doc.HasVerificationRelationship(vm.ID, rel) {
				t.Errorf("a JWK without use must be listed under %s", rel)
			}
		}
	})
	t.Run("an Ed25519 did:jwk from the Web5 test vectors resolves", func(t *testing.T) {
		const did = "did:jwk:eyJhbGciOiJFZERTQSIsImNydiI6IkVkMjU1MTkiLCJrdHkiOiJPS1AiLCJ4IjoicnBLbkRQOEY0X2p3dlE3eERra3VLeDE2NU9Td2N5clF2bUVXbDJlaWdJVSJ9"
		doc, err := ResolveJWK(did)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := doc.VerificationMethod[0].PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		if b64 := base64.RawURLEncoding.EncodeToString(pub.(ed25519.PublicKey)); b64 != "rpKnDP8F4_jwvQ7xDkkuKx165OSwcyrQvmEWl2eigIU" {
			t.Fatalf("key %s", b64)
		}
	})
}

func TestJWKDIDRoundTripsAndRelationships(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for _, pub := range []crypto.PublicKey{edPub, &ec.PublicKey} {
		t.Run("a key written as did:jwk resolves to the same key", func(t *testing.T) {
			did, err := NewJWKDID(pub)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := ResolveJWK(did)
			if err != nil {
				t.Fatal(err)
			}
			back, err := doc.VerificationMethod[0].PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(back) {
				t.Fatal("different key")
			}
		})
	}
	jwkDID := func(jwk string) string { return "did:jwk:" + base64.RawURLEncoding.EncodeToString([]byte(jwk)) }
	x := base64.RawURLEncoding.EncodeToString(edPub)
	t.Run("a signing-only JWK is not a key agreement key", func(t *testing.T) {
		doc, err := ResolveJWK(jwkDID(`{"kty":"OKP","crv":"Ed25519","use":"sig","x":"` + x + `"}`))
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.KeyAgreement) != 0 || len(doc.AssertionMethod) != 1 {
			t.Fatalf("relationships %+v", doc)
		}
	})
	t.Run("an encryption-only JWK cannot make assertions", func(t *testing.T) {
		doc, err := ResolveJWK(jwkDID(`{"kty":"OKP","crv":"Ed25519","use":"enc","x":"` + x + `"}`))
		if err != nil {
			t.Fatal(err)
		}
		if doc.HasVerificationRelationship("#0", AssertionMethod) || !doc.HasVerificationRelationship("#0", KeyAgreement) {
			t.Fatalf("relationships %+v", doc)
		}
	})
	t.Run("a did:jwk carrying a private key is refused", func(t *testing.T) {
		_, err := ResolveJWK(jwkDID(`{"kty":"OKP","crv":"Ed25519","x":"` + x + `","d":"` + x + `"}`))
		if !errors.Is(err, ErrInvalidDID) || !errors.Is(err, keys.ErrPrivateKeyMaterial) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a did:jwk that is not base64url is refused", func(t *testing.T) {
		_, err := ResolveJWK("did:jwk:%7B%7D")
		if !errors.Is(err, ErrInvalidDID) || !strings.Contains(err.Error(), "base64url") {
			t.Fatalf("error %v", err)
		}
	})
}
