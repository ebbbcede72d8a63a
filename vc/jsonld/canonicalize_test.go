package jsonld

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestCanonicalizeReproducesPublishedVectors(t *testing.T) {
	cases := []struct {
		name, input, want string
	}{
		{"W3C alumni credential", "w3c-vc-di-eddsa/unsigned.json", "w3c-vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt"},
		{"W3C employment authorization credential (blank nodes)", "w3c-vc-di-eddsa/employmentAuth.json", "w3c-vc-di-eddsa/eddsa-rdfc-2022/employ/canonDocDataInt.txt"},
		{"W3C eddsa-rdfc-2022 proof configuration", "w3c-vc-di-eddsa/eddsa-rdfc-2022/proofConfigDataInt.json", "w3c-vc-di-eddsa/eddsa-rdfc-2022/proofCanonDataInt.txt"},
		{"W3C Ed25519Signature2020 proof configuration", "w3c-vc-di-eddsa/Ed25519Signature2020/proofConfigEdSig.json", "w3c-vc-di-eddsa/Ed25519Signature2020/proofCanonEdSig.txt"},
		{"W3C Ed25519Signature2020 document", "w3c-vc-di-eddsa/Ed25519Signature2020/signedEdSig.json", "w3c-vc-di-eddsa/Ed25519Signature2020/canonDocEdSig.txt"},
		{"1EdTech OB 3.0 credential", "1edtech-ob3-ldp-vector/ob-credential-unsigned.json", "1edtech-ob3-ldp-vector/obv3p0-document-canon.txt"},
		{"1EdTech CLR 2.0 credential", "1edtech-ob3-ldp-vector/clr-credential-unsigned.json", "1edtech-ob3-ldp-vector/clrv2p0-document-canon.txt"},
	}
	for _, c := range cases {
		t.Run(c.name+" canonicalizes byte for byte", func(t *testing.T) {
			got, err := Canonicalize(withoutProof(readJSON(t, c.input)))
			if err != nil {
				t.Fatal(err)
			}
			if want := readText(t, c.want); string(got) != want {
				t.Errorf("canonical form differs\n got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestCanonicalizeIgnoresMemberOrder(t *testing.T) {
	a, err := Canonicalize(withoutProof(readJSON(t, "tampers/eddsa-00-untouched.json")))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Canonicalize(withoutProof(readJSON(t, "tampers/eddsa-18-json-reformatted.json")))
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("reordering JSON members changed the canonical form:\n%s\nvs\n%s", a, b)
	}
}

func TestCanonicalizeSeesAChangedValue(t *testing.T) {
	a, err := Canonicalize(withoutProof(readJSON(t, "tampers/eddsa-00-untouched.json")))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Canonicalize(withoutProof(readJSON(t, "tampers/eddsa-01-name-changed.json")))
	if err != nil {
		t.Fatal(err)
	}
	if string(a) == string(b) {
		t.Error("a changed credential name left the canonical form unchanged")
	}
}

func TestCanonicalizeRefusesUnknownContexts(t *testing.T) {
	_, err := Canonicalize(withoutProof(readJSON(t, "tampers/eddsa-12-unknown-context.json")))
	if !errors.Is(err, ErrUnknownContext) {
		t.Fatalf("got %v, want ErrUnknownContext", err)
	}
	var ce *ContextError
	if !errors.As(err, &ce) || ce.URL != "https://example.org/unknown-context/v1" {
		t.Errorf("error does not name the context URL: %v", err)
	}
	if !strings.Contains(err.Error(), "https://example.org/unknown-context/v1") {
		t.Errorf("message does not name the URL: %v", err)
	}
}

func TestCanonicalizeIsSafeForConcurrentUse(t *testing.T) {
	doc := withoutProof(readJSON(t, "1edtech-ob3-ldp-vector/ob-credential-unsigned.json"))
	want := readText(t, "1edtech-ob3-ldp-vector/obv3p0-document-canon.txt")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			got, err := Canonicalize(doc)
			if err != nil {
				errs <- err
				return
			}
			if string(got) != want {
				errs <- errors.New("concurrent canonicalization produced different bytes")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCanonicalizeDoesNotModifyItsInput(t *testing.T) {
	doc := withoutProof(readJSON(t, "ob3-spec-examples/complete-openbadgecredential.json"))
	before := readJSON(t, "ob3-spec-examples/complete-openbadgecredential.json")
	delete(before, "proof")
	if _, err := Canonicalize(doc); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(doc, before) {
		t.Error("Canonicalize changed the document it was given")
	}
}

func TestCanonicalizeRejectsInvalidJSONLD(t *testing.T) {
	cases := map[string]map[string]any{
		"a @vocab that is a number":  {"@context": map[string]any{"@vocab": 5.0}, "name": "x"},
		"an @id that is a number":    {"@context": "https://www.w3.org/ns/credentials/v2", "id": 5.0},
		"a context that is a number": {"@context": 7.0, "name": "x"},
	}
	for name, doc := range cases {
		t.Run("it rejects "+name, func(t *testing.T) {
			_, err := Canonicalize(doc)
			if !errors.Is(err, ErrInvalidDocument) {
				t.Errorf("got %v, want ErrInvalidDocument", err)
			}
		})
	}
}
