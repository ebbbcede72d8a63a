package dataintegrity

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"testing"
)

// TestW3CProofSetAndChainVectors builds the W3C proof set and proof chain one proof at a time,
// compares each step with the published documents, and verifies every proof.
func TestW3CProofSetAndChainVectors(t *testing.T) {
	const dir = "w3c-vc-di-eddsa/proof-set-chain/"
	ctx := context.Background()
	pairs := readJSON(t, dir+"multiKeyPairs.json")
	steps := []struct {
		key, config, signed string
	}{
		{"keyPair1", "proofSetConfig1.json", "signedProofSet1.json"},
		{"keyPair2", "proofSetConfig2.json", "signedProofSet2.json"},
		{"keyPair3", "proofChainConfig1.json", "signedProofChain1.json"},
		{"keyPair4", "proofChainConfig2.json", "signedProofChain2.json"},
	}
	doc := readJSON(t, dir+"unsigned.json")
	for _, s := range steps {
		key := keyPair(t, pairs[s.key].(map[string]any))
		var err error
		doc, err = Sign(ctx, doc, optionsFrom(t, readJSON(t, dir+s.config)), key)
		if err != nil {
			t.Fatalf("%s: %v", s.config, err)
		}
		t.Run("signing "+s.config+" gives "+s.signed, func(t *testing.T) {
			if !sameJSON(t, doc, readJSON(t, dir+s.signed)) {
				t.Errorf("got %v", doc)
			}
		})
	}

	t.Run("a chained proof signs the document with the proofs it names", func(t *testing.T) {
		for i, temp := range []string{"proofChainTempDoc1.json", "proofChainTempDoc2.json"} {
			unsecured, proofs, _ := Split(readJSON(t, dir+"signedProofChain2.json"))
			ids, _ := previousProofIDs(proofs[i+2])
			got, err := chainedDocument(unsecured, proofs, ids)
			if err != nil {
				t.Fatal(err)
			}
			if !sameJSON(t, got, readJSON(t, dir+temp)) {
				t.Errorf("document signed by proof %d differs from %s", i+3, temp)
			}
		}
	})

	for _, file := range []string{"signedProofSet1.json", "signedProofSet2.json", "signedProofChain1.json", "signedProofChain2.json"} {
		t.Run("every proof of "+file+" verifies", func(t *testing.T) {
			unsecured, proofs, err := Split(readJSON(t, dir+file))
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range proofs {
				pub, ok := resolveKey(t, p["verificationMethod"].(string))
				if !ok {
					t.Fatalf("proof %d: key not resolvable", i+1)
				}
				if err := VerifyInSet(ctx, unsecured, proofs, i, pub); err != nil {
					t.Errorf("proof %d: %v", i+1, err)
				}
			}
		})
	}

	t.Run("a chained proof does not verify without the proofs it names", func(t *testing.T) {
		unsecured, proofs, _ := Split(readJSON(t, dir+"signedProofChain2.json"))
		pub, _ := resolveKey(t, proofs[3]["verificationMethod"].(string))
		if err := Verify(ctx, unsecured, proofs[3], pub); !errors.Is(err, ErrPreviousProof) {
			t.Errorf("Verify: got %v, want ErrPreviousProof", err)
		}
		if err := VerifyInSet(ctx, unsecured, proofs[3:], 0, pub); !errors.Is(err, ErrPreviousProof) {
			t.Errorf("VerifyInSet without the previous proof: got %v, want ErrPreviousProof", err)
		}
	})

	t.Run("a chained proof fails when a proof it names was changed", func(t *testing.T) {
		unsecured, proofs, _ := Split(readJSON(t, dir+"signedProofChain1.json"))
		proofs[0]["created"] = "2023-02-24T23:36:39Z"
		pub, _ := resolveKey(t, proofs[2]["verificationMethod"].(string))
		if err := VerifyInSet(ctx, unsecured, proofs, 2, pub); !errors.Is(err, ErrBadSignature) {
			t.Errorf("got %v, want ErrBadSignature", err)
		}
	})

	t.Run("signing a chain to a proof the document lacks fails", func(t *testing.T) {
		key := keyPair(t, pairs["keyPair3"].(map[string]any))
		opts := optionsFrom(t, readJSON(t, dir+"proofChainConfig1.json"))
		_, err := Sign(ctx, readJSON(t, dir+"signedProofSet1.json"), opts, key)
		if !errors.Is(err, ErrPreviousProof) {
			t.Errorf("got %v, want ErrPreviousProof", err)
		}
	})
}

// Proof-set members are independent: each signs the unsecured document only.
func TestProofSetMembersSignTheUnsecuredDocument(t *testing.T) {
	ctx := context.Background()
	doc := readJSON(t, "ob3-spec-examples/basic-openbadgecredential.json")
	var keys []ed25519.PrivateKey
	for i := range 3 {
		_, priv, _ := ed25519.GenerateKey(nil)
		keys = append(keys, priv)
		var err error
		doc, err = Sign(ctx, doc, Options{VerificationMethod: fmt.Sprintf("did:example:issuer#key-%d", i)}, priv)
		if err != nil {
			t.Fatal(err)
		}
	}
	unsecured, proofs, err := Split(doc)
	if err != nil || len(proofs) != 3 {
		t.Fatalf("got %d proofs, %v", len(proofs), err)
	}
	for i, p := range proofs {
		if err := Verify(ctx, unsecured, p, keys[i].Public().(ed25519.PublicKey)); err != nil {
			t.Errorf("proof %d: %v", i+1, err)
		}
	}
}
