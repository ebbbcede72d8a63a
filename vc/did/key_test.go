package did

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/multiformats/go-multibase"
)

func TestNewKeyDIDMatchesTheVectors(t *testing.T) {
	var kp struct {
		PublicKeyHex       string `json:"publicKeyHex"`
		PublicKeyMultibase string `json:"publicKeyMultibase"`
	}
	if err := json.Unmarshal(readVector(t, "1edtech-ob3-ldp-vector/keyPair.json"), &kp); err != nil {
		t.Fatal(err)
	}
	raw, _ := hex.DecodeString(kp.PublicKeyHex)
	got, err := NewKeyDID(ed25519.PublicKey(raw))
	if err != nil {
		t.Fatal(err)
	}
	if want := "did:key:" + kp.PublicKeyMultibase; got != want {
		t.Fatalf("did:key %s, want %s", got, want)
	}
}

func TestResolveKeyBuildsTheSpecifiedDocument(t *testing.T) {
	did := "did:key:" + dccKey
	doc, err := ResolveKey(did)
	if err != nil {
		t.Fatal(err)
	}
	vmID := did + "#" + dccKey
	t.Run("the document has one Multikey method named by the key", func(t *testing.T) {
		if doc.ID != did || len(doc.VerificationMethod) != 1 {
			t.Fatalf("document %+v", doc)
		}
		vm := doc.VerificationMethod[0]
		if vm.ID != vmID || vm.Type != TypeMultikey || vm.Controller != did || vm.PublicKeyMultibase != dccKey {
			t.Fatalf("verification method %+v", vm)
		}
	})
	t.Run("the key may assert, authenticate and invoke or delegate capabilities but not agree keys", func(t *testing.T) {
		for _, rel := range []string{AssertionMethod, Authentication, CapabilityInvocation, CapabilityDelegation} {
			if !doc.HasVerificationRelationship(vmID, rel) {
				t.Errorf("not listed under %s", rel)
			}
		}
		if doc.HasVerificationRelationship(vmID, KeyAgreement) {
			t.Error("listed under keyAgreement")
		}
	})
	t.Run("the document serialises with the DID and Multikey contexts", func(t *testing.T) {
		out, _ := json.Marshal(doc)
		if !strings.Contains(string(out), `"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"]`) {
			t.Fatalf("document %s", out)
		}
		back, err := ParseDocument(out)
		if err != nil {
			t.Fatal(err)
		}
		if !back.HasVerificationRelationship(vmID, AssertionMethod) {
			t.Fatal("serialised document lost assertionMethod")
		}
	})
	t.Run("a P-256 did:key resolves to an ECDSA key", func(t *testing.T) {
		const p256 = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
		doc, err := ResolveKey(p256)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := doc.VerificationMethod[0].PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := pub.(*ecdsa.PublicKey); !ok {
			t.Fatalf("got %T", pub)
		}
	})
}

func TestResolveKeyRefusesBadKeys(t *testing.T) {
	cases := []struct{ name, did, message string }{
		{"a did:key that is not base58btc is refused", "did:key:u7QFAAAA", "start with 'z'"},
		{"a did:key with a versioned id is refused", "did:key:1.0:" + dccKey, "version 1"},
		{"a did:key holding a 31-byte Ed25519 key is refused", "did:key:" + shortKey(t), "must be 32 bytes"},
		{"a did:web is not a did:key", dccDID, "is a did:web"},
		{"a DID URL is not a did:key", "did:key:" + dccKey + "#" + dccKey, "DID URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ResolveKey(tc.did)
			if !errors.Is(err, ErrInvalidDID) || !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %v, want ErrInvalidDID saying %q", err, tc.message)
			}
		})
	}
}

func TestDIDKeyVerificationMethodsOfSignedVectors(t *testing.T) {
	r := NewResolver(Options{})
	files, err := filepath.Glob(filepath.Join(vectors, "harness-signed", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no harness-signed vectors (%v)", err)
	}
	for _, f := range files {
		name := "harness-signed/" + filepath.Base(f)
		t.Run("the verification method of "+filepath.Base(f)+" resolves to an Ed25519 assertion key controlled by its DID", func(t *testing.T) {
			for _, vmID := range proofMethods(t, name) {
				vm, doc, err := ResolveVerificationMethod(context.Background(), r, vmID)
				if err != nil {
					t.Fatal(err)
				}
				if !doc.HasVerificationRelationship(vm.ID, AssertionMethod) {
					t.Fatal("not an assertion method")
				}
				if !strings.HasPrefix(vmID, vm.Controller+"#") {
					t.Fatalf("controller %s does not own %s", vm.Controller, vmID)
				}
				pub, err := vm.PublicKey()
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := pub.(ed25519.PublicKey); !ok {
					t.Fatalf("key %T", pub)
				}
			}
		})
	}
	t.Run("a bare did:key without fragment is refused as a verification method", func(t *testing.T) {
		vms := proofMethods(t, "1edtech-validator-fixtures/simple-did-key-method.json")
		_, _, err := ResolveVerificationMethod(context.Background(), r, vms[0])
		if !errors.Is(err, ErrInvalidDID) || !strings.Contains(err.Error(), "no #fragment") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a did:key fragment naming another key is not found", func(t *testing.T) {
		_, _, err := ResolveVerificationMethod(context.Background(), r, "did:key:"+dccKey+"#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("error %v", err)
		}
	})
}

// shortKey returns a multikey with the Ed25519 header and 31 key bytes.
func shortKey(t testing.TB) string {
	t.Helper()
	s, err := multibase.Encode(multibase.Base58BTC, append([]byte{0xed, 0x01}, make([]byte, 31)...))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
