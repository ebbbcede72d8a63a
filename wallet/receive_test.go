package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
)

// testIssuer is a small OpenID4VCI 1.0 credential issuer (pre-authorized code flow) written
// from the specification, serving on 127.0.0.1.
type testIssuer struct {
	srv *httptest.Server
	is  *issuer
	now time.Time
	// bindTo, when set, is the DID the issuer puts in credentialSubject.id instead of the
	// proof's key (an issuer signing for another DID).
	bindTo string
	txCode string

	mu     sync.Mutex
	codes  map[string]bool // pre-authorized codes not yet used
	tokens map[string]bool
	nonces map[string]bool
	serial int
}

func newTestIssuer(t *testing.T, now time.Time) *testIssuer {
	ti := &testIssuer{is: newIssuer(t), now: now, codes: map[string]bool{}, tokens: map[string]bool{}, nonces: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-credential-issuer", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{
			"credential_issuer":   ti.srv.URL,
			"credential_endpoint": ti.srv.URL + "/credential",
			"nonce_endpoint":      ti.srv.URL + "/nonce",
			"credential_configurations_supported": map[string]any{
				"OpenBadgeCredential": map[string]any{"format": "ldp_vc", "proof_types_supported": map[string]any{"jwt": map[string]any{"proof_signing_alg_values_supported": []string{"EdDSA"}}}},
			},
		})
	})
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"issuer": ti.srv.URL, "token_endpoint": ti.srv.URL + "/token"})
	})
	mux.HandleFunc("GET /offers/{code}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, ti.offer(r.PathValue("code")))
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		ti.mu.Lock()
		defer ti.mu.Unlock()
		code := r.PostForm.Get("pre-authorized_code")
		if r.PostForm.Get("grant_type") != GrantPreAuthorizedCode || !ti.codes[code] {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "unknown or used code"})
			return
		}
		if ti.txCode != "" && r.PostForm.Get("tx_code") != ti.txCode {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "wrong transaction code"})
			return
		}
		delete(ti.codes, code)
		tok := "at-" + code
		ti.tokens[tok] = true
		writeJSON(w, 200, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 300})
	})
	mux.HandleFunc("POST /nonce", func(w http.ResponseWriter, r *http.Request) {
		ti.mu.Lock()
		defer ti.mu.Unlock()
		ti.serial++
		n := "n-" + strings.Repeat("x", ti.serial)
		ti.nonces[n] = true
		writeJSON(w, 200, map[string]any{"c_nonce": n})
	})
	mux.HandleFunc("POST /credential", ti.credential(t))
	ti.srv = httptest.NewServer(mux)
	t.Cleanup(ti.srv.Close)
	return ti
}

func (ti *testIssuer) offer(code string) map[string]any {
	grant := map[string]any{"pre-authorized_code": code}
	if ti.txCode != "" {
		grant["tx_code"] = map[string]any{"length": len(ti.txCode), "input_mode": "numeric", "description": "sent by e-mail"}
	}
	return map[string]any{
		"credential_issuer":            ti.srv.URL,
		"credential_configuration_ids": []string{"OpenBadgeCredential"},
		"grants":                       map[string]any{GrantPreAuthorizedCode: grant},
	}
}

// offerURI makes a new pre-authorized code and its offer link, by value or by reference.
func (ti *testIssuer) offerURI(byRef bool) string {
	ti.mu.Lock()
	ti.serial++
	code := "code" + strings.Repeat("c", ti.serial)
	ti.codes[code] = true
	ti.mu.Unlock()
	if byRef {
		return "openid-credential-offer://?credential_offer_uri=" + url.QueryEscape(ti.srv.URL+"/offers/"+code)
	}
	raw, _ := json.Marshal(ti.offer(code))
	return "openid-credential-offer://?credential_offer=" + url.QueryEscape(string(raw))
}

func (ti *testIssuer) credential(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ti.mu.Lock()
		ok := ti.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		ti.mu.Unlock()
		if !ok {
			writeJSON(w, 401, map[string]any{"error": "invalid_token"})
			return
		}
		var req struct {
			ConfigurationID string `json:"credential_configuration_id"`
			Proofs          struct {
				JWT []string `json:"jwt"`
			} `json:"proofs"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.ConfigurationID != "OpenBadgeCredential" || len(req.Proofs.JWT) != 1 {
			writeJSON(w, 400, map[string]any{"error": "invalid_credential_request"})
			return
		}
		holder, err := ti.checkProof(req.Proofs.JWT[0])
		if err != nil {
			writeJSON(w, 400, map[string]any{"error": "invalid_proof", "error_description": err.Error()})
			return
		}
		if ti.bindTo != "" {
			holder = ti.bindTo
		}
		ti.mu.Lock()
		ti.serial++
		id := "urn:uuid:0b1c2d3e-0000-4000-8000-" + strings.Repeat("0", 12-len(itoa(ti.serial))) + itoa(ti.serial)
		ti.mu.Unlock()
		cred := ti.is.badge(t, id, holder, ti.now.Add(-time.Minute), time.Time{})
		writeJSON(w, 200, map[string]any{"credentials": []any{map[string]any{"credential": json.RawMessage(cred)}}})
	}
}

// checkProof verifies the key proof and returns the holder DID.
func (ti *testIssuer) checkProof(proof string) (string, error) {
	tok, err := jwt.Parse(proof)
	if err != nil {
		return "", err
	}
	if tok.Header().Typ != ProofTypeJWT {
		return "", errors.New("wrong typ")
	}
	didStr, frag, ok := strings.Cut(tok.Kid(), "#")
	if !ok || !strings.HasPrefix(didStr, "did:key:") {
		return "", errors.New("kid is not a did:key URL")
	}
	pub, err := keys.DecodeMultikey(frag)
	if err != nil {
		return "", err
	}
	if err := tok.Verify(pub); err != nil {
		return "", err
	}
	claims := tok.Claims()
	if aud := tok.Audience(); len(aud) != 1 || aud[0] != ti.srv.URL {
		return "", errors.New("wrong audience")
	}
	n, _ := claims["nonce"].(string)
	ti.mu.Lock()
	defer ti.mu.Unlock()
	if !ti.nonces[n] {
		return "", errors.New("unknown nonce")
	}
	delete(ti.nonces, n)
	if _, ok := tok.IssuedAt(); !ok {
		return "", errors.New("no iat")
	}
	return didStr, nil
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func TestReceiveFromAnOpenID4VCIIssuer(t *testing.T) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	ti := newTestIssuer(t, now)
	w, holder := openWallet(t, &now)

	t.Run("an offer by value gives a verified badge bound to the holder", func(t *testing.T) {
		b, err := w.Receive(ctx, ti.offerURI(false), ReceiveOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !b.Verified || !b.BoundToHolder || !strings.HasPrefix(b.Source, "openid4vci:") {
			t.Fatalf("%+v", b)
		}
		if b.Summary.Recipient != holder && !strings.Contains(string(b.Credential), holder) {
			t.Fatalf("not issued to %s", holder)
		}
	})
	t.Run("an offer by reference works too", func(t *testing.T) {
		if _, err := w.Receive(ctx, ti.offerURI(true), ReceiveOptions{}); err != nil {
			t.Fatal(err)
		}
		if count(t, w) != 2 {
			t.Fatalf("%d badges", count(t, w))
		}
	})
	t.Run("a used code is refused with the issuer's reason and nothing is stored", func(t *testing.T) {
		uri := ti.offerURI(false)
		if _, err := w.Receive(ctx, uri, ReceiveOptions{}); err != nil {
			t.Fatal(err)
		}
		_, err := w.Receive(ctx, uri, ReceiveOptions{})
		if !errors.Is(err, ErrIssuer) || !strings.Contains(err.Error(), "invalid_grant") {
			t.Fatalf("%v", err)
		}
		if count(t, w) != 3 {
			t.Fatalf("%d badges", count(t, w))
		}
	})
	t.Run("an issuer that signs for another DID is refused and nothing is stored", func(t *testing.T) {
		ti.bindTo = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
		defer func() { ti.bindTo = "" }()
		if _, err := w.Receive(ctx, ti.offerURI(false), ReceiveOptions{}); !errors.Is(err, ErrNotBound) {
			t.Fatalf("%v", err)
		}
		if count(t, w) != 3 {
			t.Fatalf("%d badges", count(t, w))
		}
	})
	t.Run("an offer that needs a transaction code asks for it, then works with it", func(t *testing.T) {
		ti.txCode = "493536"
		defer func() { ti.txCode = "" }()
		uri := ti.offerURI(false)
		if _, err := w.Receive(ctx, uri, ReceiveOptions{}); !errors.Is(err, ErrOffer) || !strings.Contains(err.Error(), "sent by e-mail") {
			t.Fatalf("%v", err)
		}
		if _, err := w.Receive(ctx, uri, ReceiveOptions{TxCode: "000000"}); !errors.Is(err, ErrIssuer) {
			t.Fatalf("wrong code: %v", err)
		}
	})
	t.Run("malformed offers are refused before any request", func(t *testing.T) {
		for _, uri := range []string{
			"openid-credential-offer://",
			"openid-credential-offer://?credential_offer=%7B",
			"openid-credential-offer://?credential_offer=%7B%22credential_issuer%22%3A%22ftp%3A%2F%2Fx%22%7D",
			"openid-credential-offer://?credential_offer_uri=file%3A%2F%2F%2Fetc%2Fpasswd",
		} {
			if _, err := w.Receive(ctx, uri, ReceiveOptions{}); !errors.Is(err, ErrOffer) {
				t.Fatalf("%s: %v", uri, err)
			}
		}
	})
	t.Run("the production client refuses an issuer on a loopback address", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.KDF = testKDF
		cfg.Now = func() time.Time { return now }
		w2, err := Open(t.TempDir(), testPassphrase, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer w2.Close()
		if _, err := w2.Init(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := w2.Receive(ctx, ti.offerURI(false), ReceiveOptions{}); !errors.Is(err, ErrIssuer) {
			t.Fatalf("%v", err)
		}
	})
}
