package dataintegrity

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"testing"
)

// reproduce signs unsigned with key and the options of the published proof, and compares
// every intermediate step with the published files (empty names are skipped).
type publishedSteps struct {
	input                                map[string]any // the unsigned document, or read from unsigned
	unsigned, signed                     string
	canonDoc, proofConfig, canonProof    string
	docHash, proofHash, combined, sigHex string
	proofValue                           string
}

func reproduce(t *testing.T, steps publishedSteps, key ed25519.PrivateKey) {
	t.Helper()
	ctx := context.Background()
	signed := readJSON(t, steps.signed)
	_, proofs, err := Split(signed)
	if err != nil || len(proofs) != 1 {
		t.Fatalf("published document: %v (%d proofs)", err, len(proofs))
	}
	published := proofs[0]

	input := steps.input
	if input == nil {
		input = readJSON(t, steps.unsigned)
	}
	got, err := Sign(ctx, input, optionsFrom(t, published), key)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the signed document is the published one", func(t *testing.T) {
		// One proof may be written as an object or as an array of one.
		want := withoutMember(signed, "proof")
		want["proof"] = published
		if !sameJSON(t, got, want) {
			t.Errorf("signed document differs:\n got %v\nwant %v", got, want)
		}
	})

	unsecured, gotProofs, err := Split(got)
	if err != nil {
		t.Fatal(err)
	}
	proof := gotProofs[0]
	canonDoc, err := CanonicalDocument(unsecured)
	if err != nil {
		t.Fatal(err)
	}
	canonProof, err := CanonicalProofConfig(unsecured, proof)
	if err != nil {
		t.Fatal(err)
	}
	data := HashData(canonProof, canonDoc)
	if steps.canonDoc != "" {
		t.Run("the canonical document is the published one", func(t *testing.T) {
			if want := string(readBytes(t, steps.canonDoc)); string(canonDoc) != want {
				t.Errorf("got\n%s\nwant\n%s", canonDoc, want)
			}
		})
	}
	if steps.canonProof != "" {
		t.Run("the canonical proof configuration is the published one", func(t *testing.T) {
			if want := string(readBytes(t, steps.canonProof)); string(canonProof) != want {
				t.Errorf("got\n%s\nwant\n%s", canonProof, want)
			}
		})
	}
	if steps.proofConfig != "" {
		t.Run("the proof configuration is the published one", func(t *testing.T) {
			if cfg := ProofConfig(unsecured, proof); !sameJSON(t, cfg, readJSON(t, steps.proofConfig)) {
				t.Errorf("got %v", cfg)
			}
		})
	}
	hexOf := func(b []byte) string { return hex.EncodeToString(b) }
	checks := []struct{ what, file, got string }{
		{"the proof configuration hash", steps.proofHash, hexOf(data[:32])},
		{"the document hash", steps.docHash, hexOf(data[32:])},
		{"the hash data", steps.combined, hexOf(data)},
		{"the proof value", steps.proofValue, proof["proofValue"].(string)},
	}
	if steps.sigHex != "" {
		sig, err := decodeProofValue(proof)
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks, struct{ what, file, got string }{"the signature", steps.sigHex, hexOf(sig)})
	}
	for _, c := range checks {
		if c.file == "" {
			continue
		}
		t.Run(c.what+" is the published one", func(t *testing.T) {
			if want := readText(t, c.file); c.got != want {
				t.Errorf("got %s, want %s", c.got, want)
			}
		})
	}
	t.Run("the published proof verifies", func(t *testing.T) {
		pubUnsecured, pubProofs, _ := Split(signed)
		if err := Verify(ctx, pubUnsecured, pubProofs[0], key.Public().(ed25519.PublicKey)); err != nil {
			t.Error(err)
		}
	})
}

func TestW3CEdDSARDFC2022Vectors(t *testing.T) {
	key := keyPair(t, readJSON(t, "w3c-vc-di-eddsa/keyPair.json"))
	for _, dir := range []string{"w3c-vc-di-eddsa/eddsa-rdfc-2022/", "w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/"} {
		unsigned := "w3c-vc-di-eddsa/unsigned.json"
		if dir == "w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/" {
			unsigned = "w3c-vc-di-eddsa/employmentAuth.json"
		}
		t.Run(dir, func(t *testing.T) {
			reproduce(t, publishedSteps{
				unsigned: unsigned, signed: dir + "signedDataInt.json",
				canonDoc: dir + "canonDocDataInt.txt", proofConfig: dir + "proofConfigDataInt.json",
				canonProof: dir + "proofCanonDataInt.txt", docHash: dir + "docHashDataInt.txt",
				proofHash: dir + "proofHashDataInt.txt", combined: dir + "combinedHashDataInt.txt",
				sigHex: dir + "sigHexDataInt.txt", proofValue: dir + "sigBTC58DataInt.txt",
			}, key)
		})
	}
}

func TestW3CEd25519Signature2020Vector(t *testing.T) {
	const dir = "w3c-vc-di-eddsa/Ed25519Signature2020/"
	reproduce(t, publishedSteps{
		unsigned: "w3c-vc-di-eddsa/unsigned.json", signed: dir + "signedEdSig.json",
		canonDoc: dir + "canonDocEdSig.txt", proofConfig: dir + "proofConfigEdSig.json",
		canonProof: dir + "proofCanonEdSig.txt", docHash: dir + "docHashEdSig.txt",
		proofHash: dir + "proofHashEdSig.txt", combined: dir + "combinedHashEdSig.txt",
		sigHex: dir + "sigHexEdSig.txt", proofValue: dir + "sigBTC58EdSig.txt",
	}, keyPair(t, readJSON(t, "w3c-vc-di-eddsa/keyPair.json")))
}

func TestOneEdTechLinkedDataProofVectors(t *testing.T) {
	key := oneEdTechKey(t)
	const dir = "1edtech-ob3-ldp-vector/"
	for _, v := range []struct{ name, prefix, canon string }{
		{"OB 3.0 credential", "ob", "obv3p0"},
		{"CLR 2.0 credential", "clr", "clrv2p0"},
	} {
		t.Run(v.name, func(t *testing.T) {
			reproduce(t, publishedSteps{
				unsigned: dir + v.prefix + "-credential-unsigned.json", signed: dir + v.prefix + "-credential-signed.json",
				canonDoc: dir + v.canon + "-document-canon.txt", canonProof: dir + v.canon + "-proof-canon.txt",
			}, key)
			t.Run("the proof is the published one", func(t *testing.T) {
				_, proofs, _ := Split(readJSON(t, dir+v.prefix+"-credential-signed.json"))
				if !sameJSON(t, proofs[0], readJSON(t, dir+v.prefix+"-proof.json")) {
					t.Error("the proof of the signed credential differs from the published proof")
				}
			})
		})
	}
}

// The harness signed OB 3.0 examples with Digital Bazaar's libraries (see PROVENANCE.md).
func TestHarnessSignedCredentialsAreReproduced(t *testing.T) {
	for _, name := range []string{"basic-openbadgecredential", "complete-openbadgecredential", "endorsement-credential"} {
		for _, suite := range []string{"eddsa-rdfc-2022", "Ed25519Signature2020"} {
			file := "harness-signed/" + name + "." + suite + ".didkey.json"
			t.Run(file, func(t *testing.T) {
				// The harness set the issuer to the did:key before signing; Sign itself adds
				// the Ed25519Signature2020 context, as the harness's library did.
				input, _, err := Split(readJSON(t, file))
				if err != nil {
					t.Fatal(err)
				}
				if suite == SuiteEd25519Signature2020 {
					ctx := input["@context"].([]any)
					if ctx[len(ctx)-1] != contextEd25519Sig2020 {
						t.Fatalf("the harness document does not end its @context with %s", contextEd25519Sig2020)
					}
					input["@context"] = ctx[:len(ctx)-1]
				}
				reproduce(t, publishedSteps{input: input, signed: file}, harnessKey())
			})
		}
	}
}
