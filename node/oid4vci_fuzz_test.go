package node

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
)

// realProof signs a proof JWT with a fixed holder did:key.
func realProof(tb testing.TB, aud string, iat time.Time) string {
	tb.Helper()
	kp, err := keys.GenerateEd25519(bytes.NewReader(bytes.Repeat([]byte{3}, 64)))
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := jwt.Sign(map[string]any{"aud": aud, "iat": iat.Unix(), "nonce": "n-1"}, jwt.AlgEdDSA, kp.VerificationMethodID(), ProofTyp, kp.Signer())
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

func FuzzParseTokenRequest(f *testing.F) {
	f.Add([]byte("grant_type=" + url.QueryEscape(GrantPreAuthorized) + "&pre-authorized_code=u4ptxcjs4fgzyw5dqvb4h4n2su&tx_code=123456"))
	f.Add([]byte("grant_type=authorization_code&code=x"))
	f.Add([]byte("grant_type=a&grant_type=b"))
	f.Add([]byte("%zz=1"))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseTokenRequest(body)
		if err != nil {
			if asOAuth(err) == nil {
				t.Fatalf("not an OAuth error: %v", err)
			}
			return
		}
		if req.PreAuthorizedCode == "" {
			t.Fatal("accepted a request without a code")
		}
	})
}

func FuzzParseCredentialRequest(f *testing.F) {
	real, _ := json.Marshal(map[string]any{"credential_configuration_id": OID4VCIConfiguration, "proofs": map[string]any{"jwt": []string{realProof(f, "http://127.0.0.1:8080", time.Now())}}})
	f.Add(real)
	f.Add([]byte(`{"credential_configuration_id":"OpenBadgeCredential","proofs":{"jwt":["eyJhbGciOiJFZERTQSJ9.e30.c2ln"]}}`))
	f.Add([]byte(`{"credential_configuration_id":"OpenBadgeCredential","proof":{"proof_type":"jwt","jwt":"a.b.c"}}`))
	f.Add([]byte(`{"format":"ldp_vc","proof":{"proof_type":"jwt","jwt":"a.b.c"}}`))
	f.Add([]byte(`{"credential_identifier":"x"}`))
	f.Add([]byte(`{"credential_configuration_id":"OpenBadgeCredential","proofs":{"jwt":[]}} {}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseCredentialRequest(body)
		if err != nil {
			if asOAuth(err) == nil {
				t.Fatalf("not an OAuth error: %v", err)
			}
			return
		}
		if req.ConfigurationID != OID4VCIConfiguration || req.ProofJWT == "" {
			t.Fatalf("accepted %+v", req)
		}
		// The proof reaches the verifier: it must refuse garbage without panicking.
		if _, err := verifyProof(context.Background(), req.ProofJWT, "http://127.0.0.1:8080", time.Now()); err != nil && asOAuth(err) == nil {
			t.Fatalf("not an OAuth error: %v", err)
		}
	})
}

func BenchmarkVerifyProof(b *testing.B) {
	now := time.Now()
	proof := realProof(b, "http://127.0.0.1:8080", now)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := verifyProof(ctx, proof, "http://127.0.0.1:8080", now); err != nil {
			b.Fatal(err)
		}
	}
}
