package jsonld

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCanonicalize feeds arbitrary JSON objects to Canonicalize: it must return bytes or an
// error, never panic or hang.
func FuzzCanonicalize(f *testing.F) {
	seeds := []string{
		"w3c-vc-di-eddsa/unsigned.json",
		"w3c-vc-di-eddsa/employmentAuth.json",
		"w3c-vc-di-eddsa/eddsa-rdfc-2022/proofConfigDataInt.json",
		"1edtech-ob3-ldp-vector/ob-credential-unsigned.json",
		"ob3-spec-examples/basic-openbadgecredential.json",
		"ob3-spec-examples/endorsement-credential.json",
		"dcc-verifier-core-fixtures/safeModeBreaker.json",
		"dcc-verifier-core-fixtures/v1NoStatus.json",
		"tampers/eddsa-12-unknown-context.json",
	}
	for _, s := range seeds {
		b, err := os.ReadFile(filepath.Join(vectors, s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"@context": {"@vocab": 5}, "a": 1}`))
	f.Add([]byte(`{"@context": [{"@import": "https://www.w3.org/ns/credentials/examples/v2"}], "a": {"@id": "_:b0", "b": {"@id": "_:b0"}}}`))
	f.Add([]byte(`{"@context": "https://www.w3.org/ns/credentials/v2", "@graph": [{"@id": "_:a", "https://e/p": {"@list": [1, 2.5, true, null]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			return
		}
		out, err := Canonicalize(doc)
		if err != nil {
			return
		}
		if len(out) > 0 && !bytes.HasSuffix(out, []byte("\n")) {
			t.Errorf("canonical N-Quads do not end with a newline: %q", out)
		}
	})
}
