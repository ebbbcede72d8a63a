package vc

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/communs/communs/vc/bake"
	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
	"github.com/communs/communs/vc/status"
)

var testNow = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

func keyPair(t testing.TB, seed byte) *keys.KeyPair {
	t.Helper()
	kp, err := keys.NewKeyPair(ed25519.NewKeyFromSeed(make32(seed)))
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func make32(b byte) []byte {
	s := make([]byte, 32)
	for i := range s {
		s[i] = b
	}
	return s
}

// badge makes an unsigned OB 3.0 credential from issuer kp; edit may change it before signing.
func badge(t testing.TB, kp *keys.KeyPair, edit func(map[string]any)) map[string]any {
	t.Helper()
	c, err := NewOpenBadge(Badge{
		ID:           "urn:uuid:7d1c3b1e-1111-4c2a-9c1e-2f3e4d5c6b7a",
		Issuer:       Profile{ID: kp.DIDKey(), Name: Plain("Commission scolaire de test")},
		Achievement:  Achievement{ID: "https://example.org/achievements/1", Name: Plain("Enseigner à distance"), Description: Plain("Concevoir et animer une classe à distance."), Criteria: &Criteria{Narrative: Plain("Suivre la formation.")}},
		RecipientDID: "did:example:learner",
		ValidFrom:    testNow.Add(-24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Map()
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	return m
}

func sign(t testing.TB, kp *keys.KeyPair, doc map[string]any, purpose, challenge string) map[string]any {
	t.Helper()
	signed, err := dataintegrity.Sign(context.Background(), doc, dataintegrity.Options{
		VerificationMethod: kp.VerificationMethodID(),
		ProofPurpose:       purpose,
		Created:            testNow.Add(-time.Hour),
		Challenge:          challenge,
	}, kp.Signer())
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

func verifyDoc(t testing.TB, doc any, opts Options) *Report {
	t.Helper()
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	rep, err := Verify(context.Background(), raw, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func wantFailure(t *testing.T, rep *Report, check, phrase string) {
	t.Helper()
	for _, c := range rep.Failures() {
		if c.Name == check && strings.Contains(c.Detail, phrase) {
			if rep.Verified {
				t.Fatal("a failed check left the report verified")
			}
			return
		}
	}
	t.Fatalf("want check %s to fail with %q:\n%s", check, phrase, describe(rep))
}

func TestPresentations(t *testing.T) {
	issuer, holder := keyPair(t, 1), keyPair(t, 2)
	cred := sign(t, issuer, badge(t, issuer, nil), "", "")
	vp := func(creds ...any) map[string]any {
		return map[string]any{
			"@context":             []any{ContextV2},
			"type":                 []any{TypeVP},
			"holder":               holder.DIDKey(),
			"verifiableCredential": creds,
		}
	}
	t.Run("a presentation signed by its holder with the expected challenge verifies with its credential", func(t *testing.T) {
		rep := verifyDoc(t, sign(t, holder, vp(cred), "authentication", "c-123"), Options{Challenge: "c-123"})
		if !rep.Verified || rep.Kind != "presentation" || len(rep.Credentials) != 1 || !rep.Credentials[0].Verified {
			t.Fatalf("not verified:\n%s", describe(rep))
		}
	})
	t.Run("another challenge is refused (a replayed presentation)", func(t *testing.T) {
		rep := verifyDoc(t, sign(t, holder, vp(cred), "authentication", "old"), Options{Challenge: "c-123"})
		wantFailure(t, rep, CheckProof, "challenge")
	})
	t.Run("a presentation signed by someone other than the holder is refused", func(t *testing.T) {
		rep := verifyDoc(t, sign(t, issuer, vp(cred), "authentication", ""), Options{})
		wantFailure(t, rep, CheckProof, "signed by a key of")
	})
	t.Run("a tampered credential inside fails the presentation", func(t *testing.T) {
		bad := cloneMap(t, cred)
		bad["name"] = "Autre badge"
		rep := verifyDoc(t, sign(t, holder, vp(bad), "authentication", ""), Options{})
		wantFailure(t, rep, CheckCredentials, "1 of the 1 credentials")
	})
	t.Run("an unsigned presentation is refused", func(t *testing.T) {
		wantFailure(t, verifyDoc(t, vp(cred), Options{}), CheckProof, "not signed by its holder")
	})
	t.Run("a presentation carrying a VC-JWT verifies it too", func(t *testing.T) {
		token, err := jwt.Sign(badge(t, issuer, nil), "EdDSA", issuer.VerificationMethodID(), "vc+jwt", issuer.Signer())
		if err != nil {
			t.Fatal(err)
		}
		rep := verifyDoc(t, sign(t, holder, vp(token), "authentication", ""), Options{})
		if !rep.Verified || rep.Credentials[0].Format != "vc-jwt" {
			t.Fatalf("not verified:\n%s", describe(rep))
		}
	})
}

func TestJWTShapes(t *testing.T) {
	issuer := keyPair(t, 3)
	t.Run("a VC 1.1 credential in the vc claim verifies, dates taken from nbf", func(t *testing.T) {
		raw, _ := os.ReadFile("../testdata/vectors/dcc-verifier-core-fixtures/v1NoStatus.json")
		var c map[string]any
		json.Unmarshal(raw, &c)
		delete(c, "proof")
		delete(c, "issuanceDate")
		c["issuer"] = map[string]any{"id": issuer.DIDKey(), "name": "Test"}
		claims := map[string]any{"vc": c, "iss": issuer.DIDKey(), "nbf": testNow.Add(-time.Hour).Unix(), "jti": c["id"]}
		token, err := jwt.Sign(claims, "EdDSA", issuer.VerificationMethodID(), "JWT", issuer.Signer())
		if err != nil {
			t.Fatal(err)
		}
		rep, _ := Verify(context.Background(), []byte(token), Options{Now: testNow})
		if !rep.Verified || rep.Version != "1.1" {
			t.Fatalf("not verified:\n%s", describe(rep))
		}
		rep, _ = Verify(context.Background(), []byte(token), Options{Now: testNow.Add(-2 * time.Hour)})
		wantFailure(t, rep, CheckDates, "not valid yet")
	})
	t.Run("a JWT whose iss is not the issuer is refused", func(t *testing.T) {
		other := keyPair(t, 4)
		token, _ := jwt.Sign(badge(t, issuer, func(m map[string]any) { m["issuer"] = other.DIDKey() }), "EdDSA", issuer.VerificationMethodID(), "vc+jwt", issuer.Signer())
		rep, _ := Verify(context.Background(), []byte(token), Options{Now: testNow})
		wantFailure(t, rep, CheckProof, "")
	})
}

// trust is a hand-written IssuerTrust.
type trust struct {
	rec Recognition
	err error
}

func (f trust) Recognize(context.Context, string, string) (Recognition, error) { return f.rec, f.err }

func TestIssuerRecognition(t *testing.T) {
	issuer := keyPair(t, 5)
	cred := sign(t, issuer, badge(t, issuer, nil), "", "")
	since := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	no := false
	cases := []struct {
		name    string
		trust   trust
		require bool
		want    Outcome
		phrase  string
	}{
		{"a recognised issuer says who vouches since when", trust{rec: Recognition{Recognized: true, Status: "active", VouchedBy: []Voucher{{EntityID: "https://anchor.example", Name: "Réseau Communs", Since: since}}}}, false, OK, "vouched for by Réseau Communs since 2025-03-01"},
		{"an unknown issuer is a warning", trust{rec: Recognition{Status: "unknown"}}, false, Warning, "not found in the registries"},
		{"an unknown issuer fails when the evaluator requires recognition", trust{rec: Recognition{}}, true, Failed, "not found"},
		{"a key the registry does not list fails", trust{rec: Recognition{Recognized: true, KeyListed: &no}}, false, Failed, "not among the keys"},
		{"an unreachable registry is a warning", trust{err: context.DeadlineExceeded}, false, Warning, "could not be consulted"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := verifyDoc(t, cred, Options{Trust: c.trust, RequireRecognizedIssuer: c.require})
			got, _ := rep.Check(CheckIssuer)
			if got.Status != c.want || !strings.Contains(got.Detail, c.phrase) {
				t.Fatalf("got %s %q", got.Status, got.Detail)
			}
			if rep.Verified != (c.want != Failed) {
				t.Fatalf("verified = %v", rep.Verified)
			}
		})
	}
}

func TestRevocationThroughABitstringStatusList(t *testing.T) {
	issuer := keyPair(t, 6)
	bits, err := status.New(status.MinEntries)
	if err != nil {
		t.Fatal(err)
	}
	var listDoc atomic.Value
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		w.Header().Set("Content-Type", "application/vc+ld+json")
		w.Write(listDoc.Load().([]byte))
	}))
	defer srv.Close()
	listURL := srv.URL + "/status/1"
	publish := func(signer *keys.KeyPair) {
		list := status.NewListCredential(listURL, signer.DIDKey(), "revocation", bits, testNow.Add(-48*time.Hour))
		b, _ := json.Marshal(sign(t, signer, list, "", ""))
		listDoc.Store(b)
	}
	cred := sign(t, issuer, badge(t, issuer, func(m map[string]any) {
		m["credentialStatus"] = status.NewEntry(listURL, "revocation", 4242)
	}), "", "")
	opts := Options{HTTPClient: srv.Client()}

	publish(issuer)
	if rep := verifyDoc(t, cred, opts); !rep.Verified {
		t.Fatalf("a badge whose bit is clear should verify:\n%s", describe(rep))
	}
	bits.Set(4242, true)
	publish(issuer)
	wantFailure(t, verifyDoc(t, cred, opts), CheckStatus, "revoked")

	t.Run("a list signed by another DID leaves the status unknown", func(t *testing.T) {
		publish(keyPair(t, 7))
		wantFailure(t, verifyDoc(t, cred, opts), CheckStatus, "unknown")
		lenient := opts
		lenient.UnknownStatusIsWarning = true
		if rep := verifyDoc(t, cred, lenient); !rep.Verified {
			t.Fatalf("with unknown status accepted:\n%s", describe(rep))
		}
	})
	t.Run("without network access the status is unknown, never assumed valid", func(t *testing.T) {
		wantFailure(t, verifyDoc(t, cred, Options{}), CheckStatus, "not consulted")
	})
	if fetches.Load() == 0 {
		t.Fatal("the list was never fetched")
	}
}

func TestInputForms(t *testing.T) {
	issuer := keyPair(t, 8)
	cred := sign(t, issuer, badge(t, issuer, nil), "", "")
	js, _ := json.Marshal(cred)
	png, err := os.ReadFile("../examples/badge-cua-niveau-1.png")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a baked PNG says so in the format check", func(t *testing.T) {
		rep, _ := Verify(context.Background(), png, Options{Now: testNow})
		if !rep.Verified || !strings.HasPrefix(rep.Checks[0].Detail, "Baked in a PNG image") || rep.Format != "png/json-ld" {
			t.Fatalf("%s %s", rep.Format, describe(rep))
		}
	})
	t.Run("a PNG with two credentials is refused", func(t *testing.T) {
		twice := append(append([]byte{}, png[:len(png)-12]...), png[33:len(png)-12]...)
		twice = append(twice, png[len(png)-12:]...)
		rep, _ := Verify(context.Background(), twice, Options{Now: testNow})
		if rep.Verified {
			t.Fatal("verified")
		}
	})
	t.Run("a baked SVG of our credential verifies", func(t *testing.T) {
		svg, err := bake.BakeSVG([]byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`), js)
		if err != nil {
			t.Fatal(err)
		}
		if rep, _ := Verify(context.Background(), svg, Options{Now: testNow}); !rep.Verified {
			t.Fatal(describe(rep))
		}
	})
	for name, in := range map[string]string{
		"empty input":        "",
		"not JSON":           "{nope",
		"a JSON array":       "[1,2]",
		"a JWT-like garbage": "a.b.c",
		"JSON without types": `{"credentialSubject":{}}`,
		"a GIF":              "GIF89a....",
	} {
		t.Run(name+" is refused with a reason, never a panic", func(t *testing.T) {
			rep, err := Verify(context.Background(), []byte(in), Options{})
			if err != nil || rep.Verified || len(rep.Checks) == 0 || rep.Checks[0].Detail == "" {
				t.Fatalf("%v %+v", err, rep)
			}
		})
	}
}

func cloneMap(t testing.TB, m map[string]any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(m)
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}

func FuzzVerify(f *testing.F) {
	for _, p := range vectorFiles(f) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	png, _ := os.ReadFile("../examples/badge-cua-niveau-1.png")
	f.Add(png)
	f.Add([]byte("eyJhbGciOiJFZERTQSJ9.e30.AA"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rep, _ := Verify(ctx, data, Options{Now: testNow})
		if rep == nil || len(rep.Checks) == 0 {
			t.Fatal("no report")
		}
		if c, _ := rep.Check(CheckFormat); strings.Contains(c.Detail, "internal error") {
			t.Fatalf("panic inside Verify: %s", c.Detail)
		}
	})
}

func FuzzParseCredential(f *testing.F) {
	for _, p := range vectorFiles(f) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCredential(data)
		if err != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("a parsed credential does not serialize: %v", err)
		}
		if _, err := ParseCredential(out); err != nil {
			t.Fatalf("our own output does not parse: %v", err)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	for _, name := range []string{"basic", "complete"} {
		raw, err := os.ReadFile("../testdata/vectors/harness-signed/" + name + "-openbadgecredential.eddsa-rdfc-2022.didkey.json")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Verify(context.Background(), raw, Options{Now: testNow, UnknownStatusIsWarning: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
