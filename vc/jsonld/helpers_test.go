package jsonld

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// vectors is the shared test-vector folder at the root of the repository.
const vectors = "../../testdata/vectors"

func readJSON(t testing.TB, rel string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, rel))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return doc
}

func readText(t testing.TB, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// withoutProof returns a shallow copy of doc without its proof member.
func withoutProof(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			out[k] = v
		}
	}
	return out
}
