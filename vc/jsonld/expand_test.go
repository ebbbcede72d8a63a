package jsonld

import (
	"errors"
	"testing"
)

func TestExpand(t *testing.T) {
	t.Run("it expands terms to the IRIs of the embedded contexts", func(t *testing.T) {
		out, err := Expand(readJSON(t, "w3c-vc-di-eddsa/unsigned.json"))
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 {
			t.Fatalf("got %d top-level nodes, want 1", len(out))
		}
		node := out[0].(map[string]any)
		if node["@id"] != "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33" {
			t.Errorf("@id = %v", node["@id"])
		}
		names, _ := node["https://schema.org/name"].([]any)
		if len(names) != 1 || names[0].(map[string]any)["@value"] != "Alumni Credential" {
			t.Errorf("name did not expand to schema.org/name: %v", node["https://schema.org/name"])
		}
		for k := range node {
			if len(k) > len(undefinedTermVocab) && k[:len(undefinedTermVocab)] == undefinedTermVocab {
				t.Errorf("expanded form leaks the undefined-term vocabulary: %s", k)
			}
		}
	})
	t.Run("it applies safe mode", func(t *testing.T) {
		_, err := Expand(readJSON(t, "dcc-verifier-core-fixtures/safeModeBreaker.json"))
		if !errors.Is(err, ErrUndefinedTerm) {
			t.Errorf("got %v, want ErrUndefinedTerm", err)
		}
	})
	t.Run("it accepts an array of documents", func(t *testing.T) {
		doc := readJSON(t, "w3c-vc-di-eddsa/unsigned.json")
		out, err := Expand([]any{doc, doc})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 2 {
			t.Errorf("got %d nodes, want 2", len(out))
		}
	})
	t.Run("it refuses a URL instead of a document, without loading it", func(t *testing.T) {
		_, err := Expand("https://www.w3.org/ns/credentials/v2")
		if !errors.Is(err, ErrInvalidDocument) {
			t.Errorf("got %v, want ErrInvalidDocument", err)
		}
	})
}
