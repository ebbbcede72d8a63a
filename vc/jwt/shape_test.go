package jwt

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCredentialShapes(t *testing.T) {
	key := newEd25519(t)

	t.Run("a VC 2.0 payload is the credential, returned unchanged", func(t *testing.T) {
		cred := loadCredential(t, "ob3-spec-examples/basic-openbadgecredential.json")
		tok := mustParse(t, mustSign(t, cred, AlgEdDSA, "did:example:issuer#key-1", TypCredential, key))
		got, shape := tok.Credential()
		if shape != ShapeCredential {
			t.Fatalf("shape = %v", shape)
		}
		if !reflect.DeepEqual(got, cred) {
			t.Fatalf("credential changed:\n got %v\nwant %v", got, cred)
		}
		if tok.Issuer() != "https://example.com/issuers/876543" {
			t.Errorf("Issuer = %q", tok.Issuer())
		}
		if err := tok.CheckClaims(); err != nil {
			t.Errorf("CheckClaims = %v", err)
		}
	})

	t.Run("a VC 1.1 vc claim gets id, issuer, subject and dates from the registered claims", func(t *testing.T) {
		vc := loadCredential(t, "dcc-verifier-core-fixtures/v1OBv3SpecExample.json")
		delete(vc, "proof")
		delete(vc, "id")
		delete(vc, "issuanceDate")
		delete(vc["issuer"].(map[string]any), "id")
		delete(vc["credentialSubject"].(map[string]any), "id")
		claims := map[string]any{
			"iss": "did:example:issuer",
			"sub": "did:example:learner",
			"jti": "urn:uuid:4f1c",
			"nbf": 1262304000,
			"exp": 1893456000,
			"vc":  vc,
		}
		tok := mustParse(t, mustSign(t, claims, AlgEdDSA, "#key-1", "JWT", key))
		got, shape := tok.Credential()
		if shape != ShapeCredentialClaim {
			t.Fatalf("shape = %v", shape)
		}
		checks := map[string]any{
			"id":                   got["id"],
			"issuer.id":            got["issuer"].(map[string]any)["id"],
			"issuer.name":          got["issuer"].(map[string]any)["name"],
			"credentialSubject.id": got["credentialSubject"].(map[string]any)["id"],
			"issuanceDate":         got["issuanceDate"],
			"expirationDate":       got["expirationDate"],
		}
		want := map[string]any{
			"id":                   "urn:uuid:4f1c",
			"issuer.id":            "did:example:issuer",
			"issuer.name":          "Example Corp",
			"credentialSubject.id": "did:example:learner",
			"issuanceDate":         "2010-01-01T00:00:00Z",
			"expirationDate":       "2030-01-01T00:00:00Z",
		}
		if !reflect.DeepEqual(checks, want) {
			t.Fatalf("mapped credential:\n got %v\nwant %v", checks, want)
		}
		if _, ok := got["validFrom"]; ok {
			t.Error("a VC 1.1 credential got validFrom")
		}
		if err := tok.CheckClaims(); err != nil {
			t.Errorf("CheckClaims = %v", err)
		}
		vm, err := tok.VerificationMethod()
		if err != nil || vm != "did:example:issuer#key-1" {
			t.Errorf("VerificationMethod = %q, %v", vm, err)
		}
	})

	t.Run("a vc claim with the VC 2.0 context gets validFrom and validUntil", func(t *testing.T) {
		vc := loadCredential(t, "ob3-spec-examples/basic-openbadgecredential.json")
		delete(vc, "validFrom")
		vc["issuer"] = nil
		delete(vc, "issuer")
		tok := mustParse(t, mustSign(t, map[string]any{"iss": "did:example:issuer", "nbf": 1262304000.25, "exp": 1893456000, "vc": vc}, AlgEdDSA, "", "", key))
		got, _ := tok.Credential()
		if got["validFrom"] != "2010-01-01T00:00:00.25Z" || got["validUntil"] != "2030-01-01T00:00:00Z" {
			t.Fatalf("validFrom/validUntil = %v / %v", got["validFrom"], got["validUntil"])
		}
		if got["issuer"] != "did:example:issuer" {
			t.Fatalf("issuer = %v", got["issuer"])
		}
		if _, ok := got["issuanceDate"]; ok {
			t.Error("a VC 2.0 credential got issuanceDate")
		}
	})

	t.Run("values already in the credential are kept and disagreements are reported", func(t *testing.T) {
		vc := loadCredential(t, "dcc-verifier-core-fixtures/v1OBv3SpecExample.json")
		claims := map[string]any{
			"iss": "did:example:someone-else",
			"sub": "did:example:another-learner",
			"jti": "http://example.com/credentials/3527",
			"nbf": 1262304001,
			"exp": 1893456000,
			"vc":  vc,
		}
		tok := mustParse(t, mustSign(t, claims, AlgEdDSA, "", "", key))
		got, _ := tok.Credential()
		if got["issuer"].(map[string]any)["id"] != vc["issuer"].(map[string]any)["id"] {
			t.Fatal("the credential's own issuer.id was overwritten")
		}
		if got["expirationDate"] != "2030-01-01T00:00:00Z" {
			t.Fatalf("expirationDate = %v, want it filled from exp", got["expirationDate"])
		}
		err := tok.CheckClaims()
		if !errors.Is(err, ErrClaimMismatch) {
			t.Fatalf("CheckClaims = %v, want ErrClaimMismatch", err)
		}
		for _, words := range []string{"claim iss", "claim sub", "claim nbf is 2010-01-01T00:00:01Z but issuanceDate is 2010-01-01T00:00:00Z"} {
			if !strings.Contains(err.Error(), words) {
				t.Errorf("error %q does not mention %q", err, words)
			}
		}
		if strings.Contains(err.Error(), "claim jti") || strings.Contains(err.Error(), "claim exp") {
			t.Errorf("error %q reports claims that agree or are not in the credential", err)
		}
	})

	t.Run("iss that differs from a VC 2.0 payload's issuer is reported", func(t *testing.T) {
		cred := loadCredential(t, "ob3-spec-examples/basic-openbadgecredential.json")
		cred["iss"] = "did:example:impostor"
		tok := mustParse(t, mustSign(t, cred, AlgEdDSA, "", TypCredential, key))
		if err := tok.CheckClaims(); !errors.Is(err, ErrClaimMismatch) {
			t.Fatalf("CheckClaims = %v, want ErrClaimMismatch", err)
		}
		if tok.Issuer() != "did:example:impostor" {
			t.Fatalf("Issuer = %q, want the iss claim", tok.Issuer())
		}
	})

	t.Run("an unparsable credential date is reported, not ignored", func(t *testing.T) {
		vc := map[string]any{"@context": []any{"https://www.w3.org/2018/credentials/v1"}, "type": []any{"VerifiableCredential"}, "issuanceDate": "yesterday"}
		tok := mustParse(t, mustSign(t, map[string]any{"nbf": 1262304000, "vc": vc}, AlgEdDSA, "", "", key))
		err := tok.CheckClaims()
		if !errors.Is(err, ErrClaimMismatch) || !strings.Contains(err.Error(), "not an RFC 3339 date-time") {
			t.Fatalf("CheckClaims = %v", err)
		}
	})

	t.Run("a vp claim becomes a presentation with holder and id", func(t *testing.T) {
		vp := map[string]any{
			"@context":             []any{"https://www.w3.org/2018/credentials/v1"},
			"type":                 []any{"VerifiablePresentation"},
			"verifiableCredential": []any{"eyJ.eyJ.sig"},
		}
		tok := mustParse(t, mustSign(t, map[string]any{"iss": "did:key:z6MkHolder", "jti": "urn:uuid:vp", "aud": "https://verifier.example", "nonce": "n-0S6", "vp": vp}, AlgEdDSA, "", "JWT", key))
		got, shape := tok.Credential()
		if shape != ShapePresentationClaim || !shape.IsPresentation() {
			t.Fatalf("shape = %v", shape)
		}
		if got["holder"] != "did:key:z6MkHolder" || got["id"] != "urn:uuid:vp" {
			t.Fatalf("holder/id = %v / %v", got["holder"], got["id"])
		}
		if tok.Claims()["nonce"] != "n-0S6" {
			t.Error("nonce claim lost")
		}
	})

	t.Run("a VC 2.0 presentation payload is recognised and its holder is the issuer", func(t *testing.T) {
		vp := map[string]any{
			"@context": []any{"https://www.w3.org/ns/credentials/v2"},
			"type":     "VerifiablePresentation",
			"holder":   map[string]any{"id": "did:key:z6MkHolder"},
		}
		tok := mustParse(t, mustSign(t, vp, AlgEdDSA, "", TypPresentation, key))
		if _, shape := tok.Credential(); shape != ShapePresentation {
			t.Fatalf("shape = %v", shape)
		}
		if tok.Issuer() != "did:key:z6MkHolder" {
			t.Fatalf("Issuer = %q", tok.Issuer())
		}
	})

	t.Run("a plain JWT carries no credential", func(t *testing.T) {
		tok := mustParse(t, mustSign(t, map[string]any{"iss": "x", "exp": time.Now().Unix()}, AlgEdDSA, "", "JWT", key))
		cred, shape := tok.Credential()
		if cred != nil || shape != ShapeNone {
			t.Fatalf("Credential = %v, %v", cred, shape)
		}
		if err := tok.CheckClaims(); err != nil {
			t.Fatalf("CheckClaims = %v", err)
		}
	})
}

func TestShapeNamesReadAsWords(t *testing.T) {
	for s := ShapeNone; s <= ShapePresentationClaim; s++ {
		if s.String() == "" {
			t.Errorf("shape %d has no name", s)
		}
	}
	if ShapeCredential.IsPresentation() || ShapeCredentialClaim.IsPresentation() || !ShapePresentation.IsPresentation() {
		t.Error("IsPresentation is wrong")
	}
}
