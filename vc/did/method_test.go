package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/communs/communs/vc/keys"
)

func TestVerificationMethodPublicKey(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	edMK, _ := keys.EncodeMultikey(edPub)
	ecPriv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecMK, _ := keys.EncodeMultikey(&ecPriv.PublicKey)
	edJWK, _ := keys.JWKFromPublicKey(edPub)
	edJWKJSON, _ := json.Marshal(edJWK)

	good := []struct {
		name string
		vm   VerificationMethod
	}{
		{"a Multikey Ed25519 key is read from publicKeyMultibase", VerificationMethod{Type: TypeMultikey, PublicKeyMultibase: edMK}},
		{"a Multikey P-256 key is read from publicKeyMultibase", VerificationMethod{Type: TypeMultikey, PublicKeyMultibase: ecMK}},
		{"an Ed25519VerificationKey2020 key is read from publicKeyMultibase", VerificationMethod{Type: TypeEd25519VerificationKey2020, PublicKeyMultibase: edMK}},
		{"an Ed25519VerificationKey2018 key is read from publicKeyBase58", VerificationMethod{Type: TypeEd25519VerificationKey2018, PublicKeyBase58: keys.Ed25519ToBase58(edPub)}},
		{"a JsonWebKey2020 key is read from publicKeyJwk", VerificationMethod{Type: TypeJSONWebKey2020, PublicKeyJWK: edJWKJSON}},
		{"a JsonWebKey key is read from publicKeyJwk", VerificationMethod{Type: TypeJSONWebKey, PublicKeyJWK: edJWKJSON}},
		{"an EcdsaSecp256r1VerificationKey2019 key is read from publicKeyMultibase", VerificationMethod{Type: TypeEcdsaSecp256r1Key2019, PublicKeyMultibase: ecMK}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			tc.vm.ID = "did:web:a.example#k"
			pub, err := tc.vm.PublicKey()
			if err != nil {
				t.Fatal(err)
			}
			want := crypto.PublicKey(edPub)
			if strings.Contains(tc.name, "P-256") || strings.Contains(tc.name, "Secp256r1") {
				want = &ecPriv.PublicKey
			}
			if !want.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
				t.Fatalf("got %T %v", pub, pub)
			}
		})
	}

	bad := []struct {
		name     string
		vm       VerificationMethod
		sentinel error
		message  string
	}{
		{"an unknown type is refused by name", VerificationMethod{Type: "EcdsaSecp256k1VerificationKey2019", PublicKeyMultibase: edMK}, ErrUnsupportedKeyType, "EcdsaSecp256k1VerificationKey2019"},
		{"a Multikey without publicKeyMultibase is refused", VerificationMethod{Type: TypeMultikey, PublicKeyBase58: keys.Ed25519ToBase58(edPub)}, ErrInvalidDocument, "must carry only publicKeyMultibase"},
		{"a method with two key properties is refused", VerificationMethod{Type: TypeMultikey, PublicKeyMultibase: edMK, PublicKeyJWK: edJWKJSON}, ErrInvalidDocument, "publicKeyMultibase, publicKeyJwk"},
		{"a method with no key is refused", VerificationMethod{Type: TypeJSONWebKey2020}, ErrInvalidDocument, "missing"},
		{"an Ed25519VerificationKey2020 holding a P-256 key is refused", VerificationMethod{Type: TypeEd25519VerificationKey2020, PublicKeyMultibase: ecMK}, ErrInvalidDocument, "holds a P-256 key"},
		{"a publicKeyJwk with a private key is refused", VerificationMethod{Type: TypeJSONWebKey2020, PublicKeyJWK: json.RawMessage(`{"kty":"OKP","crv":"Ed25519","x":"` + edJWK.X + `","d":"` + edJWK.X + `"}`)}, keys.ErrPrivateKeyMaterial, `"d"`},
		{"a bad multibase value reports the key error", VerificationMethod{Type: TypeMultikey, PublicKeyMultibase: "u" + edMK[1:]}, keys.ErrMalformedKey, "must start with 'z'"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			tc.vm.ID = "did:web:a.example#k"
			_, err := tc.vm.PublicKey()
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("error %v, want %v", err, tc.sentinel)
			}
			if !strings.Contains(err.Error(), tc.message) || !strings.Contains(err.Error(), "did:web:a.example#k") {
				t.Fatalf("error %q does not name the method and %q", err, tc.message)
			}
		})
	}
}
