package jwt

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	sig := make([]byte, 64)
	payload := `{"iss":"did:example:issuer","sub":"did:example:learner","nbf":1262304000,"exp":1893456000.5,"iat":1262304000,"aud":"https://verifier.example","jti":"urn:uuid:1"}`
	header := `{"alg":"EdDSA","kid":"did:example:issuer#key-1","typ":"JWT","cty":"json"}`

	t.Run("a well-formed token exposes its header and registered claims", func(t *testing.T) {
		tok := mustParse(t, rawToken(header, payload, sig))
		h := tok.Header()
		if h.Alg != "EdDSA" || h.Kid != "did:example:issuer#key-1" || h.Typ != "JWT" || h.Cty != "json" || h.JWK != nil {
			t.Fatalf("header = %+v", h)
		}
		if tok.Alg() != "EdDSA" || tok.Kid() != "did:example:issuer#key-1" {
			t.Fatalf("Alg/Kid = %q %q", tok.Alg(), tok.Kid())
		}
		if got := tok.Issuer(); got != "did:example:issuer" {
			t.Errorf("Issuer = %q", got)
		}
		if tok.Subject() != "did:example:learner" || tok.ID() != "urn:uuid:1" {
			t.Errorf("Subject/ID = %q %q", tok.Subject(), tok.ID())
		}
		if aud := tok.Audience(); len(aud) != 1 || aud[0] != "https://verifier.example" {
			t.Errorf("Audience = %v", aud)
		}
		nbf, ok := tok.NotBefore()
		if !ok || !nbf.Equal(time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("NotBefore = %v %v", nbf, ok)
		}
		exp, ok := tok.Expiry()
		if !ok || !exp.Equal(time.Date(2030, 1, 1, 0, 0, 0, 5e8, time.UTC)) {
			t.Errorf("Expiry = %v %v", exp, ok)
		}
		if _, ok := tok.IssuedAt(); !ok {
			t.Error("IssuedAt missing")
		}
		if tok.Shape() != ShapeNone {
			t.Errorf("Shape = %v", tok.Shape())
		}
		if string(tok.Payload()) != payload {
			t.Errorf("Payload = %s", tok.Payload())
		}
	})

	t.Run("surrounding white space is ignored", func(t *testing.T) {
		mustParse(t, "\n  "+rawToken(header, payload, sig)+"\r\n")
	})

	t.Run("claims handed out are copies the caller may change", func(t *testing.T) {
		tok := mustParse(t, rawToken(header, `{"vc":{"type":["VerifiableCredential"],"issuer":{"id":"did:a"}}}`, sig))
		c := tok.Claims()
		c["vc"].(map[string]any)["issuer"].(map[string]any)["id"] = "did:b"
		if got := tok.Issuer(); got != "did:a" {
			t.Fatalf("changing Claims() changed the token: Issuer = %q", got)
		}
		cred, _ := tok.Credential()
		cred["issuer"] = "did:c"
		if got := tok.Issuer(); got != "did:a" {
			t.Fatalf("changing Credential() changed the token: Issuer = %q", got)
		}
	})

	t.Run("the same member name in different objects is accepted", func(t *testing.T) {
		tok := mustParse(t, rawToken(header, `{"id":"x","vc":{"id":"y","credentialSubject":[{"id":"a"},{"id":"b"}],"k\"ey":1,"k\\ey":2}}`, sig))
		if got := tok.Claims()["vc"].(map[string]any)["k\"ey"]; got != 1.0 {
			t.Fatalf("escaped member = %v", got)
		}
	})

	t.Run("absent optional claims read as absent", func(t *testing.T) {
		tok := mustParse(t, rawToken(`{"alg":"ES256"}`, `{}`, sig))
		if _, ok := tok.Expiry(); ok {
			t.Error("Expiry present")
		}
		if _, ok := tok.NotBefore(); ok {
			t.Error("NotBefore present")
		}
		if tok.Issuer() != "" || tok.Audience() != nil || tok.Kid() != "" {
			t.Error("expected empty issuer, audience and kid")
		}
	})

	t.Run("a public jwk in the header is exposed", func(t *testing.T) {
		tok := mustParse(t, rawToken(`{"alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}}`, payload, sig))
		if !strings.Contains(string(tok.Header().JWK), `"crv":"Ed25519"`) {
			t.Fatalf("JWK = %s", tok.Header().JWK)
		}
	})

	enc := base64.RawURLEncoding.EncodeToString
	big := strings.Repeat("a", MaxTokenSize)
	cases := []struct {
		name  string
		token string
		want  error
		words string
	}{
		{"an empty string is refused", "", ErrMalformed, "empty"},
		{"two segments are refused", enc([]byte(header)) + "." + enc([]byte(payload)), ErrMalformed, "2 segments"},
		{"five segments are refused as an encrypted JWT", "a.b.c.d.e", ErrUnsupported, "JWE"},
		{"an empty payload segment is refused as detached", enc([]byte(header)) + ".." + enc(sig), ErrUnsupported, "detached"},
		{"an empty signature is refused as unsecured", enc([]byte(header)) + "." + enc([]byte(payload)) + ".", ErrUnsupportedAlgorithm, "unsecured"},
		{"padded base64 is refused", enc([]byte(header)) + "=." + enc([]byte(payload)) + "." + enc(sig), ErrMalformed, "header segment is not base64url"},
		{"standard base64 characters are refused", rawToken(header, payload, sig)[:10] + "+" + rawToken(header, payload, sig)[11:], ErrMalformed, "base64url"},
		{"a header that is not JSON is refused", rawToken(`alg=EdDSA`, payload, sig), ErrMalformed, "header"},
		{"a header that is a JSON array is refused", rawToken(`["EdDSA"]`, payload, sig), ErrMalformed, "not a JSON object"},
		{"a header without alg is refused", rawToken(`{"typ":"JWT"}`, payload, sig), ErrUnsupportedAlgorithm, "no alg"},
		{"alg none is refused", rawToken(`{"alg":"none"}`, payload, sig), ErrUnsupportedAlgorithm, "unsecured"},
		{"alg NONE in capitals is refused", rawToken(`{"alg":"NONE"}`, payload, sig), ErrUnsupportedAlgorithm, "unsecured"},
		{"an alg that is not a string is refused", rawToken(`{"alg":1}`, payload, sig), ErrMalformed, `"alg" must be a string`},
		{"a repeated header parameter is refused", rawToken(`{"alg":"EdDSA","alg":"none"}`, payload, sig), ErrMalformed, "twice"},
		{"critical extensions are refused", rawToken(`{"alg":"EdDSA","crit":["exp"]}`, payload, sig), ErrUnsupported, "crit"},
		{"an unencoded payload is refused", rawToken(`{"alg":"EdDSA","b64":false}`, payload, sig), ErrUnsupported, "b64"},
		{"a nested JWT is refused", rawToken(`{"alg":"EdDSA","cty":"JWT"}`, payload, sig), ErrUnsupported, "nested"},
		{"an encryption header is refused", rawToken(`{"alg":"EdDSA","enc":"A256GCM"}`, payload, sig), ErrUnsupported, "JWE"},
		{"a private key in the header jwk is refused", rawToken(`{"alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}}`, payload, sig), ErrMalformed, "private"},
		{"a symmetric key in the header jwk is refused", rawToken(`{"alg":"HS256","jwk":{"kty":"oct","k":"AA"}}`, payload, sig), ErrMalformed, "symmetric"},
		{"a payload that is not a JSON object is refused", rawToken(header, `"hello"`, sig), ErrMalformed, "not a JSON object"},
		{"data after the payload object is refused", rawToken(header, `{} {}`, sig), ErrMalformed, "not JSON"},
		{"a member repeated under an escaped name is refused", rawToken(header, `{"vc":{"id":"a","\u0069d":"b"}}`, sig), ErrMalformed, `"id" appears twice`},
		{"a member repeated inside an array of objects is refused", rawToken(header, `{"vc":{"evidence":[{"id":"a"},{"id":"b","name":"x","id":"c"}]}}`, sig), ErrMalformed, `"id" appears twice`},
		{"JSON nested deeper than 128 levels is refused", rawToken(header, `{"a":`+strings.Repeat("[", 130)+strings.Repeat("]", 130)+`}`, sig), ErrMalformed, "deeper than 128"},
		{"a repeated payload member is refused", rawToken(header, `{"vc":{"issuer":"did:a","issuer":"did:b"}}`, sig), ErrMalformed, `"issuer" appears twice`},
		{"a payload that is not UTF-8 is refused", rawToken(header, "{\"iss\":\"\xff\"}", sig), ErrMalformed, "UTF-8"},
		{"an exp that is a string is refused", rawToken(header, `{"exp":"1893456000"}`, sig), ErrMalformed, `"exp" must be a number`},
		{"an nbf beyond year 9999 is refused", rawToken(header, `{"nbf":1e20}`, sig), ErrMalformed, "9999"},
		{"an iss that is an object is refused", rawToken(header, `{"iss":{"id":"did:a"}}`, sig), ErrMalformed, `"iss" must be a string`},
		{"an aud of numbers is refused", rawToken(header, `{"aud":[1]}`, sig), ErrMalformed, `"aud"`},
		{"a vc claim that is a string is refused", rawToken(header, `{"vc":"x"}`, sig), ErrMalformed, "vc claim must be a JSON object"},
		{"a vc and a vp claim together are refused", rawToken(header, `{"vc":{},"vp":{}}`, sig), ErrMalformed, "both a vc and a vp"},
		{"a credential payload with a vc claim is refused", rawToken(header, `{"type":"VerifiableCredential","vc":{}}`, sig), ErrMalformed, "one or the other"},
		{"typ vp+jwt on a credential is refused", rawToken(`{"alg":"EdDSA","typ":"vp+jwt"}`, `{"type":["VerifiableCredential"]}`, sig), ErrMalformed, "announces a presentation"},
		{"typ vc+jwt on a payload without a credential is refused", rawToken(`{"alg":"EdDSA","typ":"application/vc+jwt"}`, `{"iss":"x"}`, sig), ErrMalformed, "announces a credential"},
		{"cty vp on a vc claim is refused", rawToken(`{"alg":"EdDSA","cty":"vp"}`, `{"vc":{}}`, sig), ErrMalformed, "cty"},
		{"a token over the size limit is refused", big + "." + big + ".x", ErrTooLarge, "at most"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Parse(c.token)
			if !errors.Is(err, c.want) {
				t.Fatalf("Parse error = %v, want %v", err, c.want)
			}
			if tok != nil {
				t.Fatal("Parse returned a token with an error")
			}
			if !strings.Contains(err.Error(), c.words) {
				t.Fatalf("error %q does not say %q", err, c.words)
			}
		})
	}
}

func TestVerificationMethod(t *testing.T) {
	sig := make([]byte, 64)
	cases := []struct {
		name, header, payload, want string
	}{
		{"a DID URL kid is returned as is", `{"alg":"EdDSA","kid":"did:web:example.org#key-1"}`, `{}`, "did:web:example.org#key-1"},
		{"an https kid is returned as is", `{"alg":"EdDSA","kid":"https://example.org/keys/1"}`, `{}`, "https://example.org/keys/1"},
		{"a fragment kid is resolved against iss", `{"alg":"EdDSA","kid":"#key-1"}`, `{"iss":"did:web:example.org"}`, "did:web:example.org#key-1"},
		{"a fragment kid is resolved against the credential issuer", `{"alg":"EdDSA","kid":"#key-1","typ":"vc+jwt"}`, `{"type":["VerifiableCredential"],"issuer":{"id":"did:web:example.org"}}`, "did:web:example.org#key-1"},
		{"a fragment kid replaces a fragment in iss", `{"alg":"EdDSA","kid":"#key-2"}`, `{"iss":"did:web:example.org#key-1"}`, "did:web:example.org#key-2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := mustParse(t, rawToken(c.header, c.payload, sig)).VerificationMethod()
			if err != nil || got != c.want {
				t.Fatalf("VerificationMethod = %q, %v; want %q", got, err, c.want)
			}
		})
	}
	refused := []struct{ name, header, payload string }{
		{"a missing kid is refused", `{"alg":"EdDSA"}`, `{"iss":"did:web:example.org"}`},
		{"a fragment kid without an issuer is refused", `{"alg":"EdDSA","kid":"#key-1"}`, `{}`},
		{"a bare relative kid is refused", `{"alg":"EdDSA","kid":"key-1"}`, `{"iss":"did:web:example.org"}`},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			_, err := mustParse(t, rawToken(c.header, c.payload, sig)).VerificationMethod()
			if !errors.Is(err, ErrNoKeyID) {
				t.Fatalf("error = %v, want ErrNoKeyID", err)
			}
		})
	}
}
