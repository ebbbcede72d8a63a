package dataintegrity

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"testing"
)

var fuzzSeeds = []string{
	"w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json",
	"w3c-vc-di-eddsa/Ed25519Signature2020/signedEdSig.json",
	"w3c-vc-di-eddsa/proof-set-chain/signedProofChain2.json",
	"1edtech-ob3-ldp-vector/ob-credential-signed.json",
	"1edtech-validator-fixtures/simple-multiple-proofs.json",
	"1edtech-validator-fixtures/simple-err-proof-value.json",
	"harness-signed/basic-openbadgecredential.Ed25519Signature2020.didkey.json",
	"tampers/eddsa-01-name-changed.json",
	"tampers/eddsa-12-unknown-context.json",
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(readBytes(f, s))
	}
	f.Add([]byte(`{"proof": "z3"}`))
	f.Add([]byte(`{"@context": "https://www.w3.org/2018/credentials/v1", "proof": {"type": "Ed25519Signature2018", "jws": "a..b", "verificationMethod": "x", "proofPurpose": "y"}}`))
	f.Add([]byte(`{"proof": [{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "previousProof": ["a", 1]}]}`))
}

// FuzzSplit feeds arbitrary JSON documents to Split: never a panic, and proofs only with a
// document.
func FuzzSplit(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc map[string]any
		if json.Unmarshal(data, &doc) != nil {
			return
		}
		unsecured, proofs, err := Split(doc)
		if err != nil {
			return
		}
		if _, has := unsecured["proof"]; has {
			t.Error("the unsecured document still has a proof")
		}
		for _, p := range proofs {
			if p == nil {
				t.Error("a nil proof")
			}
		}
	})
}

// FuzzVerify feeds arbitrary JSON documents to Verify and VerifyInSet with the key of the W3C
// vector: never a panic, and the two agree on proofs that chain to nothing.
func FuzzVerify(f *testing.F) {
	addSeeds(f)
	pub := keyPair(f, readJSON(f, "w3c-vc-di-eddsa/keyPair.json")).Public().(ed25519.PublicKey)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc map[string]any
		if json.Unmarshal(data, &doc) != nil {
			return
		}
		unsecured, proofs, err := Split(doc)
		if err != nil {
			return
		}
		for i, p := range proofs {
			errSet := VerifyInSet(ctx, unsecured, proofs, i, pub)
			errOne := Verify(ctx, unsecured, p, pub)
			if errOne == nil && errSet != nil {
				t.Errorf("Verify accepts what VerifyInSet refuses: %v", errSet)
			}
		}
	})
}
