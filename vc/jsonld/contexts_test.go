package jsonld

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"sync/atomic"
	"testing"
)

func TestEveryIndexedContextIsEmbedded(t *testing.T) {
	b, err := os.ReadFile("contexts/index.json")
	if err != nil {
		t.Fatal(err)
	}
	var index map[string]string
	if err := json.Unmarshal(b, &index); err != nil {
		t.Fatal(err)
	}
	if got := len(EmbeddedContexts()); got != len(index) {
		t.Errorf("%d contexts embedded, index lists %d", got, len(index))
	}
	loader := DocumentLoader()
	for url := range index {
		t.Run(url+" loads as a JSON-LD context", func(t *testing.T) {
			if !IsEmbedded(url) {
				t.Fatal("not embedded")
			}
			rd, err := loader.LoadDocument(url)
			if err != nil {
				t.Fatal(err)
			}
			doc, ok := rd.Document.(map[string]any)
			if !ok || doc["@context"] == nil || rd.DocumentURL != url {
				t.Errorf("document of %s has no @context member or wrong URL %q", url, rd.DocumentURL)
			}
		})
	}
}

func TestContextURLsMatchExactly(t *testing.T) {
	for _, url := range []string{
		"https://www.w3.org/ns/credentials/v2/",
		"http://www.w3.org/ns/credentials/v2",
		"https://WWW.W3.ORG/ns/credentials/v2",
		"https://www.w3.org/ns/credentials/v2#",
		"https://www.w3.org/2018/credentials/examples/v2",
		"",
	} {
		t.Run(url+" is not embedded", func(t *testing.T) {
			if IsEmbedded(url) {
				t.Error("a variant of an embedded URL was accepted")
			}
			_, err := DocumentLoader().LoadDocument(url)
			var ce *ContextError
			if !errors.As(err, &ce) || ce.URL != url || !errors.Is(err, ErrUnknownContext) {
				t.Errorf("got %v, want a ContextError naming %q", err, url)
			}
		})
	}
}

func TestLoaderNeverFetchesFromTheNetwork(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/ld+json")
		_, _ = w.Write([]byte(`{"@context": {"nickname": "https://example.org/vocab#nickname"}}`))
	}))
	defer srv.Close()
	url := srv.URL + "/context.jsonld"
	doc := map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2", url},
		"nickname": "x",
	}
	_, err := Canonicalize(doc)
	var ce *ContextError
	if !errors.As(err, &ce) || ce.URL != url {
		t.Errorf("got %v, want a ContextError naming %s", err, url)
	}
	if _, err := Expand(doc); !errors.Is(err, ErrUnknownContext) {
		t.Errorf("Expand: got %v, want ErrUnknownContext", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the context server was asked %d times; contexts must never be fetched", n)
	}
}

func TestLoaderHandsOutCopies(t *testing.T) {
	const url = "https://www.w3.org/ns/credentials/v2"
	loader := DocumentLoader()
	first, err := loader.LoadDocument(url)
	if err != nil {
		t.Fatal(err)
	}
	pristine := fileContext(t, "w3.org-ns-credentials-v2.json")
	ctx := first.Document.(map[string]any)["@context"].(map[string]any)
	ctx["name"] = "https://attacker.example/name"
	delete(ctx, "id")
	again, err := loader.LoadDocument(url)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Document, pristine) {
		t.Error("changing a loaded context changed the embedded one")
	}
}

func TestImportingAnEmbeddedContextLeavesItIntact(t *testing.T) {
	// @import merges the importing context into the imported one; the embedded copy must not
	// see that merge.
	const url = "https://www.w3.org/ns/credentials/examples/v2"
	doc := map[string]any{
		"@context": []any{
			"https://www.w3.org/ns/credentials/v2",
			map[string]any{"@import": url, "alumniOf": "https://attacker.example/alumniOf"},
		},
		"type":              []any{"VerifiableCredential"},
		"credentialSubject": map[string]any{"id": "did:example:s", "alumniOf": "x"},
	}
	_, _ = Canonicalize(doc)
	after, _ := DocumentLoader().LoadDocument(url)
	if !reflect.DeepEqual(after.Document, fileContext(t, "credentials-examples-v2.jsonld")) {
		t.Error("@import changed the embedded context")
	}
}

// fileContext parses an embedded context from its file, independently of the loader.
func fileContext(t *testing.T, file string) any {
	t.Helper()
	b, err := os.ReadFile("contexts/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
