package did

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// didSeeds returns DIDs and DID URLs found in the vectors plus edge cases.
func didSeeds(f *testing.F) []string {
	seeds := []string{
		dccDID, dccMultikeyDID, "did:key:" + dccKey, "did:key:" + dccKey + "#" + dccKey,
		"did:web:example.com%3A3000:user:alice", "did:web:example.com:%2E%2E",
		"did:jwk:eyJrdHkiOiJFQyIsImNydiI6IlAtMjU2IiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9",
		"did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv", "did:web:x/p?q#f", "did:", "did:a:%", "did:web:[::1]",
	}
	files, _ := filepath.Glob(filepath.Join(vectors, "harness-signed", "*.json"))
	for _, file := range files {
		seeds = append(seeds, proofMethods(f, "harness-signed/"+filepath.Base(file))...)
	}
	return seeds
}

func FuzzParseURL(f *testing.F) {
	for _, s := range didSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURL(s)
		if err != nil {
			return
		}
		again, err := ParseURL(u.String())
		if err != nil || again != u {
			t.Fatalf("%q printed as %q, which parses to %+v (%v)", s, u.String(), again, err)
		}
		if d, err := Parse(u.DID.String()); err != nil || d != u.DID {
			t.Fatalf("DID part %q of a valid URL does not parse: %v", u.DID, err)
		}
		_, _, _ = SplitURL(s)
		_, _ = WebDocumentURL(u.DID.String())
		_ = IsLoopbackHost(u.DID.ID)
	})
}

func FuzzResolveKey(f *testing.F) {
	for _, s := range didSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := ResolveKey(s)
		if err != nil {
			return
		}
		if _, err := doc.VerificationMethod[0].PublicKey(); err != nil {
			t.Fatalf("resolved did:key %q has no usable key: %v", s, err)
		}
		if err := doc.Validate(); err != nil {
			t.Fatalf("resolved did:key %q gives an invalid document: %v", s, err)
		}
	})
}

func FuzzResolveJWK(f *testing.F) {
	for _, s := range didSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc, err := ResolveJWK(s)
		if err != nil {
			return
		}
		if _, err := doc.VerificationMethod[0].PublicKey(); err != nil {
			t.Fatalf("resolved did:jwk %q has no usable key: %v", s, err)
		}
	})
}

func FuzzParseDocument(f *testing.F) {
	f.Add(readVector(f, "didweb-sites/digitalcredentials.github.io/dcc-did-web/did.json"))
	f.Add(readVector(f, "didweb-sites/digitalcredentials.github.io/dcc-did-web/multikey/did.json"))
	keyDoc, _ := ResolveKey("did:key:" + dccKey)
	keyJSON, _ := json.Marshal(keyDoc)
	f.Add(keyJSON)
	f.Add([]byte(`{"id":"did:web:a.example","service":[{"id":"#s","type":["A"],"serviceEndpoint":"https://a.example"}],"controller":["did:web:b.example"]}`))
	f.Add([]byte(`{"id":"did:web:a.example","assertionMethod":[{"id":"#k","type":"JsonWebKey2020","controller":"did:web:a.example","publicKeyJwk":{"kty":"OKP"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseDocument(data)
		if err != nil {
			return
		}
		for _, rel := range relationshipNames {
			for _, ref := range doc.Relationship(rel) {
				id := ref.Ref
				if ref.Embedded != nil {
					id = ref.Embedded.ID
				}
				if !doc.HasVerificationRelationship(id, rel) {
					t.Fatalf("listed method %q not found under %s", id, rel)
				}
				if vm, err := doc.VerificationMethodByID(id); err == nil {
					_, _ = vm.PublicKey()
				}
			}
		}
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("parsed document does not marshal: %v", err)
		}
		if _, err := ParseDocument(out); err != nil {
			t.Fatalf("marshalled document does not parse back: %v\n%s", err, out)
		}
	})
}
