package schema

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func TestEmbeddedSchemas(t *testing.T) {
	t.Run("every schema in index.json compiles offline under the $id it declares", func(t *testing.T) {
		index, err := readIndex()
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, 0, len(index))
		for id := range index {
			ids = append(ids, id)
		}
		set, err := compileEmbedded(ids...)
		if err != nil {
			t.Fatal(err)
		}
		if len(set.byID) != 4 {
			t.Errorf("compiled %d schemas, want 4", len(set.byID))
		}
	})

	t.Run("a schema URL that is not embedded is refused without any request", func(t *testing.T) {
		var requests atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			w.Header().Set("Content-Type", "application/schema+json")
			_, _ = w.Write([]byte(`{"$schema":"https://json-schema.org/draft/2019-09/schema","type":"object"}`))
		}))
		defer srv.Close()

		_, err := compileEmbedded(srv.URL + "/schema.json")
		if !errors.Is(err, ErrSchemaUnavailable) {
			t.Fatalf("got %v, want ErrSchemaUnavailable", err)
		}
		if !strings.Contains(err.Error(), "never fetched") {
			t.Errorf("error %q does not say schemas are never fetched", err)
		}
		if n := requests.Load(); n != 0 {
			t.Errorf("the server got %d requests, want 0", n)
		}
	})

	t.Run("the earlier strict schema rejects a single proof object that the published schema accepts", func(t *testing.T) {
		set, err := compileEmbedded(strictAchievementCredentialSchema)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := decodeJSON(readVector(t, "1edtech-ob3-ldp-vector/ob-credential-signed.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := set.byID[strictAchievementCredentialSchema].Validate(doc); err == nil || !strings.Contains(err.Error(), "/proof") {
			t.Errorf("strict schema: got %v, want a failure at /proof", err)
		}
		if r := mustValidate(t, doc); !r.Valid() {
			t.Errorf("published schema: got %v, want no issues", r.Issues)
		}
	})
}

func TestTamperedCredentialsStillConform(t *testing.T) {
	// The tamper cases change what a proof covers (names, dates, keys,
	// proof values) or drop the proof; none breaks the credential's
	// structure, so the schema check must not be what rejects them.
	for _, v := range loadVectors(t) {
		if !strings.HasPrefix(v.File, "tampers/") {
			continue
		}
		t.Run(v.File+" conforms to the schema", func(t *testing.T) {
			r, err := ValidateJSON(readVector(t, v.File))
			if err != nil {
				t.Fatal(err)
			}
			if !r.Valid() {
				t.Errorf("got issues %v", r.Issues)
			}
		})
	}
}
