package did

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseDocumentReadsTheDCCDocuments(t *testing.T) {
	t.Run("the Ed25519VerificationKey2020 document embeds its key under assertionMethod", func(t *testing.T) {
		doc, err := ParseDocument(readVector(t, "didweb-sites/digitalcredentials.github.io/dcc-did-web/did.json"))
		if err != nil {
			t.Fatal(err)
		}
		vmID := dccDID + "#" + dccKey
		if !doc.HasVerificationRelationship(vmID, AssertionMethod) {
			t.Fatal("embedded assertionMethod not found")
		}
		if doc.HasVerificationRelationship(vmID, Authentication) {
			t.Fatal("key is not listed under authentication")
		}
		vm, err := doc.VerificationMethodByID(vmID)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := vm.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := pub.(ed25519.PublicKey); !ok || vm.Type != TypeEd25519VerificationKey2020 || vm.Controller != dccDID {
			t.Fatalf("got %+v with %T", vm, pub)
		}
	})
	t.Run("the Multikey document keeps its profile members and lists the key under assertionMethod", func(t *testing.T) {
		raw := readVector(t, "didweb-sites/digitalcredentials.github.io/dcc-did-web/multikey/did.json")
		doc, err := ParseDocument(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, member := range []string{"name", "email", "type", "description", "url", "image"} {
			if _, ok := doc.Extra[member]; !ok {
				t.Errorf("member %s was dropped", member)
			}
		}
		if len(doc.Controller) != 1 || doc.Controller[0] != dccMultikeyDID {
			t.Fatalf("controller %v", doc.Controller)
		}
		if !doc.HasVerificationRelationship(dccMultikeyDID+"#"+dccKey, AssertionMethod) {
			t.Fatal("assertionMethod not found")
		}
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if !jsonEqual(t, raw, out) {
			t.Fatalf("round trip changed the document:\n%s", out)
		}
	})
}

func TestVerificationRelationshipsMatchExactly(t *testing.T) {
	doc := mustDocument(t, `{
		"id": "did:web:issuer.example",
		"verificationMethod": [
			{"id": "#key-1", "type": "Multikey", "controller": "did:web:issuer.example", "publicKeyMultibase": "`+dccKey+`"},
			{"id": "did:web:issuer.example#key-10", "type": "Multikey", "controller": "did:web:issuer.example", "publicKeyMultibase": "`+dccKey+`"}
		],
		"assertionMethod": ["#key-10"],
		"authentication": ["did:web:issuer.example#key-1"]
	}`)
	cases := []struct {
		name, vmID, rel string
		want            bool
	}{
		{"a relative reference matches the absolute id", "did:web:issuer.example#key-10", AssertionMethod, true},
		{"a relative id is resolved against the document", "#key-10", AssertionMethod, true},
		{"a prefix of a listed id does not match", "did:web:issuer.example#key-1", AssertionMethod, false},
		{"a longer id does not match a listed prefix", "did:web:issuer.example#key-100", AssertionMethod, false},
		{"the same fragment on another DID does not match", "did:web:evil.example#key-10", AssertionMethod, false},
		{"a key listed under authentication only is not an assertion method", "did:web:issuer.example#key-1", AssertionMethod, false},
		{"an absolute reference matches a relative id", "did:web:issuer.example#key-1", Authentication, true},
		{"an unknown relationship name matches nothing", "#key-10", "assertion", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := doc.HasVerificationRelationship(tc.vmID, tc.rel); got != tc.want {
				t.Fatalf("HasVerificationRelationship(%s, %s) = %v", tc.vmID, tc.rel, got)
			}
		})
	}
	t.Run("a relative verification method is returned with an absolute id", func(t *testing.T) {
		vm, err := doc.VerificationMethodByID("did:web:issuer.example#key-1")
		if err != nil {
			t.Fatal(err)
		}
		if vm.ID != "did:web:issuer.example#key-1" {
			t.Fatalf("id %s", vm.ID)
		}
	})
	t.Run("an unknown verification method is ErrNotFound naming it", func(t *testing.T) {
		_, err := doc.VerificationMethodByID("#key-2")
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "did:web:issuer.example#key-2") {
			t.Fatalf("error %v", err)
		}
	})
}

func TestParseDocumentRefusesMalformedDocuments(t *testing.T) {
	vm := func(extra string) string {
		return `{"id": "did:web:a.example#k", "type": "Multikey", "controller": "did:web:a.example", "publicKeyMultibase": "` + dccKey + `"` + extra + `}`
	}
	cases := []struct {
		name, doc, message string
	}{
		{"a document without id is refused", `{"verificationMethod": []}`, `no "id"`},
		{"a document whose id is not a DID is refused", `{"id": "https://a.example"}`, "id:"},
		{"a numeric id is refused", `{"id": 7}`, `"id" must be a string`},
		{"a JSON array is refused", `[]`, "JSON object"},
		{"text that is not JSON is refused", `<html>`, "not valid JSON"},
		{"a verification method without controller is refused", `{"id": "did:web:a.example", "verificationMethod": [{"id": "#k", "type": "Multikey"}]}`, `no "controller"`},
		{"a verification method without fragment is refused", `{"id": "did:web:a.example", "verificationMethod": [{"id": "did:web:a.example", "type": "Multikey", "controller": "did:web:a.example"}]}`, "no #fragment"},
		{"two different verification methods with one id are refused", `{"id": "did:web:a.example", "verificationMethod": [` + vm("") + `], "assertionMethod": [` + vm(`, "publicKeyJwk": {}`) + `]}`, "defined differently"},
		{"a relationship entry that is a number is refused", `{"id": "did:web:a.example", "assertionMethod": [1]}`, "string or an object"},
		{"a relationship reference that is not a DID URL is refused", `{"id": "did:web:a.example", "assertionMethod": ["https://a.example#k"]}`, "assertionMethod[0]"},
		{"a controller that is not a DID is refused", `{"id": "did:web:a.example", "controller": ["mailto:x@a.example"]}`, "controller[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDocument([]byte(tc.doc))
			if !errors.Is(err, ErrInvalidDocument) {
				t.Fatalf("error %v, want ErrInvalidDocument", err)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %q does not say %q", err, tc.message)
			}
		})
	}
}

func TestDocumentKeepsServicesAndUnknownMembers(t *testing.T) {
	in := `{"@context":["https://www.w3.org/ns/did/v1"],"id":"did:web:a.example","controller":["did:web:a.example","did:web:b.example"],"alsoKnownAs":["https://a.example"],"service":[{"id":"#linked","type":["LinkedDomains"],"serviceEndpoint":{"origins":["https://a.example"]},"priority":1}],"x-custom":{"n":1}}`
	doc := mustDocument(t, in)
	if len(doc.Service) != 1 || doc.Service[0].Type[0] != "LinkedDomains" || string(doc.Service[0].Extra["priority"]) != "1" {
		t.Fatalf("service %+v", doc.Service)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, []byte(in), out) {
		t.Fatalf("round trip changed the document:\n%s", out)
	}
}

func mustDocument(t testing.TB, s string) *Document {
	t.Helper()
	doc, err := ParseDocument([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// jsonEqual compares two JSON texts by value.
func jsonEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return string(ja) == string(jb)
}
