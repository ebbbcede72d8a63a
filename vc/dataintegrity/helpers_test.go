package dataintegrity

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
)

// vectors is the shared test-vector folder at the root of the repository.
const vectors = "../../testdata/vectors"

func readBytes(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readJSON(t testing.TB, rel string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(readBytes(t, rel), &doc); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return doc
}

func readText(t testing.TB, rel string) string {
	t.Helper()
	return strings.TrimSpace(string(readBytes(t, rel)))
}

// decodeMultikey reads a multibase multicodec key ("z6Mk…" public, "z3u2…" private seed) and
// checks its codec.
func decodeMultikey(t testing.TB, s string, want multicodec.Code) []byte {
	t.Helper()
	key, err := multikeyBytes(s, want)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func multikeyBytes(s string, want multicodec.Code) ([]byte, error) {
	_, raw, err := multibase.Decode(s)
	if err != nil {
		return nil, fmt.Errorf("multikey %q: %w", s, err)
	}
	code, n := binary.Uvarint(raw)
	if n <= 0 || multicodec.Code(code) != want {
		return nil, fmt.Errorf("multikey %q has codec %#x, want %v", s, code, want)
	}
	if len(raw[n:]) != 32 {
		return nil, fmt.Errorf("multikey %q holds %d bytes, want 32", s, len(raw[n:]))
	}
	return raw[n:], nil
}

// keyPair reads a {publicKeyMultibase, privateKeyMultibase} pair and checks that they match.
func keyPair(t testing.TB, pair map[string]any) ed25519.PrivateKey {
	t.Helper()
	seed := decodeMultikey(t, pair["privateKeyMultibase"].(string), multicodec.Ed25519Priv)
	pub := decodeMultikey(t, pair["publicKeyMultibase"].(string), multicodec.Ed25519Pub)
	priv := ed25519.NewKeyFromSeed(seed)
	if !bytes.Equal(priv.Public().(ed25519.PublicKey), pub) {
		t.Fatal("the private key of the pair does not match its public key")
	}
	return priv
}

// oneEdTechKey is the key pair of the 1EdTech OB 3.0 implementation guide.
func oneEdTechKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	kp := readJSON(t, "1edtech-ob3-ldp-vector/keyPair.json")
	priv, err := hex.DecodeString(kp["privateKeyHex"].(string))
	if err != nil || len(priv) != ed25519.PrivateKeySize {
		t.Fatalf("1EdTech private key: %v", err)
	}
	key := ed25519.PrivateKey(priv)
	if hex.EncodeToString(key.Public().(ed25519.PublicKey)) != kp["publicKeyHex"] {
		t.Fatal("1EdTech key pair does not match")
	}
	return key
}

// harnessKey is the key the harness signed harness-signed/ with (seed 00…aa).
func harnessKey() ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	seed[31] = 0xaa
	return ed25519.NewKeyFromSeed(seed)
}

// optionsFrom reads the signing options out of a published proof.
func optionsFrom(t testing.TB, proof map[string]any) Options {
	t.Helper()
	o := Options{
		Type:               proof["type"].(string),
		VerificationMethod: proof["verificationMethod"].(string),
		ProofPurpose:       proof["proofPurpose"].(string),
	}
	if cs, ok := proof["cryptosuite"].(string); ok {
		o.Cryptosuite = cs
	}
	if c, ok := proof["created"].(string); ok {
		created, err := time.Parse(time.RFC3339, c)
		if err != nil {
			t.Fatal(err)
		}
		o.Created = created
	}
	if id, ok := proof["id"].(string); ok {
		o.ID = id
	}
	ids, err := previousProofIDs(proof)
	if err != nil {
		t.Fatal(err)
	}
	o.PreviousProof = ids
	return o
}

// sameJSON compares two values after a JSON round trip (so []map and []any compare equal).
func sameJSON(t testing.TB, got, want any) bool {
	t.Helper()
	norm := func(v any) any {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var out any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	return reflect.DeepEqual(norm(got), norm(want))
}

func withoutMember(m map[string]any, member string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != member {
			out[k] = v
		}
	}
	return out
}

// resolveKey finds the public key of a verification method the way the third-party
// verifiers of expected.json did, offline: did:key (with its key as fragment), did:web from
// didweb-sites/, and https://host/path#z6Mk… (the key is the fragment). It reports false when
// the method cannot be resolved.
func resolveKey(t testing.TB, vm string) (ed25519.PublicKey, bool) {
	t.Helper()
	base, frag, hasFrag := strings.Cut(vm, "#")
	switch {
	case strings.HasPrefix(vm, "did:key:"):
		if !hasFrag || strings.TrimPrefix(base, "did:key:") != frag {
			return nil, false
		}
		key, err := multikeyBytes(frag, multicodec.Ed25519Pub)
		return key, err == nil
	case strings.HasPrefix(vm, "did:web:"):
		path := strings.ReplaceAll(strings.TrimPrefix(base, "did:web:"), ":", "/")
		b, err := os.ReadFile(filepath.Join(vectors, "didweb-sites", path, "did.json"))
		if err != nil {
			return nil, false
		}
		var doc struct {
			VerificationMethod []map[string]any `json:"verificationMethod"`
			AssertionMethod    []any            `json:"assertionMethod"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		methods := doc.VerificationMethod
		for _, m := range doc.AssertionMethod {
			if obj, ok := m.(map[string]any); ok {
				methods = append(methods, obj)
			}
		}
		for _, m := range methods {
			if m["id"] == vm {
				key, err := multikeyBytes(m["publicKeyMultibase"].(string), multicodec.Ed25519Pub)
				return key, err == nil
			}
		}
		return nil, false
	case strings.HasPrefix(vm, "https://") && hasFrag && strings.HasPrefix(frag, "z6Mk"):
		key, err := multikeyBytes(frag, multicodec.Ed25519Pub)
		return key, err == nil
	}
	return nil, false
}
