package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
)

// holder is a wallet's did:key, driving the node's OpenID4VCI endpoints over HTTP.
type holder struct {
	t  testing.TB
	tn *testNode
	kp *keys.KeyPair
}

func newHolder(t testing.TB, tn *testNode) *holder {
	kp, err := keys.GenerateEd25519(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &holder{t: t, tn: tn, kp: kp}
}

func (h *holder) post(path, token, ctype string, body []byte) (int, map[string]any, http.Header) {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.tn.srv.URL+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		h.t.Fatalf("%s: %d not JSON: %s", path, resp.StatusCode, raw)
	}
	return resp.StatusCode, m, resp.Header
}

func (h *holder) token(code, txCode string) (int, map[string]any) {
	form := url.Values{"grant_type": {GrantPreAuthorized}, "pre-authorized_code": {code}}
	if txCode != "" {
		form.Set("tx_code", txCode)
	}
	st, m, _ := h.post("/token", "", "application/x-www-form-urlencoded", []byte(form.Encode()))
	return st, m
}

func (h *holder) nonce() string {
	h.t.Helper()
	st, m, hdr := h.post("/nonce", "", "application/json", nil)
	if st != 200 || hdr.Get("Cache-Control") != "no-store" {
		h.t.Fatalf("nonce: %d %v", st, hdr)
	}
	return m["c_nonce"].(string)
}

// proof signs a proof JWT; change edits the claims and header before signing.
func (h *holder) proof(nonce string, change func(claims map[string]any, kid, typ *string, signer *ed25519.PrivateKey)) string {
	h.t.Helper()
	claims := map[string]any{"aud": h.tn.srv.URL, "iat": time.Now().Unix(), "nonce": nonce}
	kid, typ := h.kp.VerificationMethodID(), ProofTyp
	var priv ed25519.PrivateKey
	if change != nil {
		change(claims, &kid, &typ, &priv)
	}
	signer := h.kp.Signer()
	if priv != nil {
		signer = priv
	}
	tok, err := jwt.Sign(claims, jwt.AlgEdDSA, kid, typ, signer)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

func (h *holder) credential(access, proof string) (int, map[string]any) {
	body, _ := json.Marshal(map[string]any{"credential_configuration_id": OID4VCIConfiguration, "proofs": map[string]any{"jwt": []string{proof}}})
	st, m, _ := h.post("/credential", access, "application/json", body)
	return st, m
}

func (h *holder) accessToken(code, txCode string) string {
	h.t.Helper()
	st, m := h.token(code, txCode)
	if st != 200 || m["token_type"] != "Bearer" || m["access_token"] == "" {
		h.t.Fatalf("token: %d %v", st, m)
	}
	return m["access_token"].(string)
}

// oid4vciAward awards a badge and returns its result and claim token (the pre-authorized code).
func oid4vciAward(t *testing.T, tn *testNode, ach, email string) (*AwardResult, string) {
	t.Helper()
	res, err := tn.Award(context.Background(), "a", AwardRequest{AchievementID: ach, Recipient: Recipient{Email: email}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res, res.ClaimURL[strings.LastIndex(res.ClaimURL, "/")+1:]
}

func TestOpenID4VCIIssuance(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	res, code := oid4vciAward(t, tn, ach, "ada@example.org")
	h := newHolder(t, tn)

	t.Run("the issuer metadata names the endpoints and the OpenBadgeCredential ldp_vc configuration", func(t *testing.T) {
		st, _, raw := tn.get(t, "/.well-known/openid-credential-issuer")
		var m map[string]any
		if st != 200 || json.Unmarshal(raw, &m) != nil {
			t.Fatalf("= %d %s", st, raw)
		}
		base := tn.srv.URL
		if m["credential_issuer"] != base || m["credential_endpoint"] != base+"/credential" || m["nonce_endpoint"] != base+"/nonce" || m["token_endpoint"] != base+"/token" {
			t.Fatalf("endpoints: %v", m)
		}
		c := m["credential_configurations_supported"].(map[string]any)["OpenBadgeCredential"].(map[string]any)
		if c["format"] != "ldp_vc" || c["cryptographic_binding_methods_supported"].([]any)[0] != "did:key" ||
			c["proof_types_supported"].(map[string]any)["jwt"].(map[string]any)["proof_signing_alg_values_supported"].([]any)[0] != "EdDSA" {
			t.Fatalf("configuration: %v", c)
		}
		st, _, raw = tn.get(t, "/.well-known/oauth-authorization-server")
		if st != 200 || !bytes.Contains(raw, []byte(`"pre-authorized_grant_anonymous_access_supported":true`)) || !bytes.Contains(raw, []byte(base+"/token")) {
			t.Fatalf("authorization server metadata: %d %s", st, raw)
		}
	})
	t.Run("the claim page shows the offer as a QR code and an openid-credential-offer link", func(t *testing.T) {
		_, _, page := tn.get(t, "/claim/"+code+"?lang=en")
		want := "openid-credential-offer://?credential_offer_uri=" + url.QueryEscape(tn.srv.URL+"/claim/"+code+"/offer")
		if !bytes.Contains(page, []byte(`href="`+want+`"`)) || !bytes.Contains(page, []byte(`src="/claim/`+code+`/offer.png"`)) {
			t.Fatalf("page lacks the offer:\n%s", page)
		}
		st, ct, png := tn.get(t, "/claim/"+code+"/offer.png")
		if st != 200 || ct != "image/png" || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Fatalf("QR = %d %s", st, ct)
		}
	})
	t.Run("the offer carries the claim token as pre-authorized code, without tx_code by default", func(t *testing.T) {
		st, _, raw := tn.get(t, "/claim/"+code+"/offer")
		var offer struct {
			Issuer  string                    `json:"credential_issuer"`
			Configs []string                  `json:"credential_configuration_ids"`
			Grants  map[string]map[string]any `json:"grants"`
		}
		if st != 200 || json.Unmarshal(raw, &offer) != nil || offer.Issuer != tn.srv.URL || offer.Configs[0] != OID4VCIConfiguration {
			t.Fatalf("= %d %s", st, raw)
		}
		g := offer.Grants[GrantPreAuthorized]
		if g["pre-authorized_code"] != code || g["tx_code"] != nil {
			t.Fatalf("grant: %v", g)
		}
	})

	access := h.accessToken(code, "")
	var issued map[string]any
	t.Run("a proof signed by the holder's did:key gets a new credential bound to the holder DID", func(t *testing.T) {
		st, m := h.credential(access, h.proof(h.nonce(), nil))
		if st != 200 {
			t.Fatalf("= %d %v", st, m)
		}
		issued = m["credentials"].([]any)[0].(map[string]any)["credential"].(map[string]any)
		subj := issued["credentialSubject"].(map[string]any)
		if subj["id"] != h.kp.DIDKey() || subj["identifier"] == nil {
			t.Fatalf("subject: %v", subj)
		}
		if issued["id"] == res.URL || !strings.HasPrefix(issued["id"].(string), tn.srv.URL+"/credentials/") {
			t.Fatalf("id: %v", issued["id"])
		}
		raw, _ := json.Marshal(issued)
		if rep := verifyOverLoopback(t, raw); !rep.Verified {
			t.Fatalf("not verified: %s", rep.Reason())
		}
		var orig map[string]any
		json.Unmarshal(res.Credential, &orig)
		if orig["credentialStatus"].(map[string]any)["statusListIndex"] == issued["credentialStatus"].(map[string]any)["statusListIndex"] {
			t.Fatal("the holder credential shares the award's status index")
		}
	})
	t.Run("the issued credential has its public page and the claim page says it was claimed", func(t *testing.T) {
		path := strings.TrimPrefix(issued["id"].(string), tn.srv.URL)
		if st, _, _ := tn.get(t, path+".json"); st != 200 {
			t.Fatalf("public JSON = %d", st)
		}
		_, _, page := tn.get(t, "/claim/"+code+"?lang=en")
		if !bytes.Contains(page, []byte("already added")) || bytes.Contains(page, []byte("openid-credential-offer://")) {
			t.Fatal("the claim page still offers the badge")
		}
	})
	t.Run("a second credential request with the same access token is refused", func(t *testing.T) {
		if st, m := h.credential(access, h.proof(h.nonce(), nil)); st != 401 || m["error"] != "invalid_token" {
			t.Fatalf("= %d %v", st, m)
		}
	})
	t.Run("the pre-authorized code cannot be exchanged twice", func(t *testing.T) {
		if st, m := h.token(code, ""); st != 400 || m["error"] != "invalid_grant" {
			t.Fatalf("= %d %v", st, m)
		}
	})
	t.Run("revoking the award revokes the holder's credential too", func(t *testing.T) {
		if _, err := tn.Revoke(context.Background(), res.ID, "erreur"); err != nil {
			t.Fatal(err)
		}
		heldID := strings.TrimPrefix(issued["id"].(string), tn.srv.URL+"/credentials/")
		if held, err := tn.GetAward(context.Background(), heldID); err != nil {
			t.Fatal(err)
		} else if !held.Revoked {
			// Revoke does not call revokeIssued yet (awards.go hook pending): run it as Revoke will.
			a, _ := tn.GetAward(context.Background(), res.ID)
			if err := tn.db.Update(func(txn *store.Txn) error { return tn.revokeIssued(txn, a, "erreur", time.Now().UTC()) }); err != nil {
				t.Fatal(err)
			}
			tn.invalidateLists("a")
		}
		raw, _ := json.Marshal(issued)
		if rep := verifyOverLoopback(t, raw); rep.Verified || !strings.Contains(strings.ToLower(rep.Reason()), "revoked") {
			t.Fatalf("verified=%v %s", rep.Verified, rep.Reason())
		}
	})
}

func TestOpenID4VCIRefusals(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	_, code := oid4vciAward(t, tn, ach, "bob@example.org")
	h := newHolder(t, tn)
	access := h.accessToken(code, "")

	refused := func(t *testing.T, proof, wantErr string) {
		t.Helper()
		st, m := h.credential(access, proof)
		if st != 400 || m["error"] != wantErr {
			t.Fatalf("= %d %v, want 400 %s", st, m, wantErr)
		}
		if wantErr == "invalid_nonce" && m["c_nonce"] == nil {
			t.Fatal("invalid_nonce without a fresh c_nonce")
		}
	}
	other, _ := keys.GenerateEd25519(rand.Reader)
	otherPriv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	for _, c := range []struct {
		name, err string
		change    func(claims map[string]any, kid, typ *string, priv *ed25519.PrivateKey)
	}{
		{"a proof for another audience is refused", "invalid_proof", func(c map[string]any, _, _ *string, _ *ed25519.PrivateKey) { c["aud"] = "https://elsewhere.example" }},
		{"a stale proof is refused", "invalid_proof", func(c map[string]any, _, _ *string, _ *ed25519.PrivateKey) {
			c["iat"] = time.Now().Add(-time.Hour).Unix()
		}},
		{"a proof from the future is refused", "invalid_proof", func(c map[string]any, _, _ *string, _ *ed25519.PrivateKey) {
			c["iat"] = time.Now().Add(time.Hour).Unix()
		}},
		{"a proof signed by a key other than kid is refused", "invalid_proof", func(_ map[string]any, _, _ *string, p *ed25519.PrivateKey) { *p = otherPriv }},
		{"a proof naming another holder's key it was not signed with is refused", "invalid_proof", func(_ map[string]any, kid, _ *string, _ *ed25519.PrivateKey) { *kid = other.VerificationMethodID() }},
		{"a proof with the wrong typ is refused", "invalid_proof", func(_ map[string]any, _, typ *string, _ *ed25519.PrivateKey) { *typ = "JWT" }},
		{"a proof whose kid is not a did:key is refused", "invalid_proof", func(_ map[string]any, kid, _ *string, _ *ed25519.PrivateKey) {
			*kid = "did:web:example.org#key-1"
		}},
		{"a proof without a nonce is refused", "invalid_nonce", func(c map[string]any, _, _ *string, _ *ed25519.PrivateKey) { delete(c, "nonce") }},
		{"a proof with a nonce the issuer never gave is refused", "invalid_nonce", func(c map[string]any, _, _ *string, _ *ed25519.PrivateKey) { c["nonce"] = "made-up" }},
	} {
		t.Run(c.name, func(t *testing.T) { refused(t, h.proof(h.nonce(), c.change), c.err) })
	}
	t.Run("a proof whose signature was tampered with is refused", func(t *testing.T) {
		p := h.proof(h.nonce(), nil)
		i := strings.LastIndex(p, ".") + 2
		b := []byte(p)
		b[i] ^= 'A' ^ 'B'
		if b[i] == p[i] {
			b[i] = 'C'
		}
		refused(t, string(b), "invalid_proof")
	})
	t.Run("an unknown configuration is refused", func(t *testing.T) {
		body := []byte(`{"credential_configuration_id":"DriverLicense","proofs":{"jwt":["x"]}}`)
		st, m, _ := h.post("/credential", access, "application/json", body)
		if st != 400 || m["error"] != "unknown_credential_configuration" {
			t.Fatalf("= %d %v", st, m)
		}
	})
	t.Run("a credential request without an access token, or with a made-up one, is refused", func(t *testing.T) {
		for _, tok := range []string{"", "x", strings.Repeat("0", 64) + "." + strings.Repeat("a", 26)} {
			st, m, hdr := h.post("/credential", tok, "application/json", []byte(`{}`))
			if st != 401 || m["error"] != "invalid_token" || hdr.Get("WWW-Authenticate") == "" {
				t.Fatalf("%q = %d %v", tok, st, m)
			}
		}
	})
	t.Run("token requests that are not the pre-authorized grant or lack the code are refused", func(t *testing.T) {
		for body, want := range map[string]string{
			"grant_type=authorization_code&code=x":                                            "unsupported_grant_type",
			"grant_type=" + url.QueryEscape(GrantPreAuthorized):                               "invalid_request",
			"pre-authorized_code=" + code:                                                     "invalid_request",
			"grant_type=" + url.QueryEscape(GrantPreAuthorized) + "&pre-authorized_code=nope": "invalid_grant",
		} {
			st, m, _ := h.post("/token", "", "application/x-www-form-urlencoded", []byte(body))
			if st != 400 || m["error"] != want {
				t.Errorf("%s = %d %v, want %s", body, st, m, want)
			}
		}
		st, m, _ := h.post("/token", "", "application/json", []byte(`{}`))
		if st != 400 || m["error"] != "invalid_request" {
			t.Errorf("JSON body = %d %v", st, m)
		}
	})
	t.Run("a replayed nonce is refused with a fresh one", func(t *testing.T) {
		n := h.nonce()
		if st, m := h.credential(access, h.proof(n, nil)); st != 200 {
			t.Fatalf("first use = %d %v", st, m)
		}
		_, code2 := oid4vciAward(t, tn, ach, "carl@example.org")
		access = h.accessToken(code2, "")
		refused(t, h.proof(n, nil), "invalid_nonce")
	})
	t.Run("a nonce the issuer gave is still good after a refused proof that did not reach it", func(t *testing.T) {
		n := h.nonce()
		refused(t, h.proof(n, func(c map[string]any, _, _ *string, _ *ed25519.PrivateKey) { c["aud"] = "x" }), "invalid_proof")
		if st, m := h.credential(access, h.proof(n, nil)); st != 200 {
			t.Fatalf("= %d %v", st, m)
		}
	})
}

func TestOpenID4VCIRevokedAward(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	h := newHolder(t, tn)

	t.Run("a badge revoked after the token exchange is not issued", func(t *testing.T) {
		res, code := oid4vciAward(t, tn, ach, "dan@example.org")
		access := h.accessToken(code, "")
		if _, err := tn.Revoke(context.Background(), res.ID, "erreur"); err != nil {
			t.Fatal(err)
		}
		if st, m := h.credential(access, h.proof(h.nonce(), nil)); st != 400 || m["error"] != "credential_request_denied" {
			t.Fatalf("= %d %v", st, m)
		}
	})
	t.Run("the code of a revoked badge is not exchanged and its claim page offers nothing", func(t *testing.T) {
		res, code := oid4vciAward(t, tn, ach, "eve@example.org")
		if _, err := tn.Revoke(context.Background(), res.ID, "erreur"); err != nil {
			t.Fatal(err)
		}
		if st, m := h.token(code, ""); st != 400 || m["error"] != "invalid_grant" {
			t.Fatalf("= %d %v", st, m)
		}
		if _, _, page := tn.get(t, "/claim/"+code); bytes.Contains(page, []byte("openid-credential-offer://")) {
			t.Fatal("the claim page of a revoked badge offers it")
		}
	})
}

func TestOpenID4VCITransactionCode(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	h := newHolder(t, tn)
	requireTxCode := func(code string) string {
		var tx string
		if err := tn.db.Update(func(txn *store.Txn) (err error) {
			tx, err = tn.setTxCode(txn, code)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return tx
	}
	_, code := oid4vciAward(t, tn, ach, "fay@example.org")
	tx := requireTxCode(code)

	t.Run("the offer and the claim page ask for a 6-digit numeric code", func(t *testing.T) {
		_, _, raw := tn.get(t, "/claim/"+code+"/offer")
		if !bytes.Contains(raw, []byte(`"tx_code":{`)) || !bytes.Contains(raw, []byte(`"input_mode":"numeric"`)) || !bytes.Contains(raw, []byte(`"length":6`)) {
			t.Fatalf("offer: %s", raw)
		}
		if len(tx) != 6 || strings.Trim(tx, "0123456789") != "" {
			t.Fatalf("tx code %q", tx)
		}
		if _, _, page := tn.get(t, "/claim/"+code+"?lang=en"); !bytes.Contains(page, []byte("6-digit code")) || bytes.Contains(page, []byte(tx)) {
			t.Fatal("the claim page must say a code is needed, and never show it")
		}
	})
	t.Run("without the code, or with a wrong one, the exchange is refused", func(t *testing.T) {
		if st, m := h.token(code, ""); st != 400 || m["error"] != "invalid_request" {
			t.Fatalf("missing = %d %v", st, m)
		}
		wrong := "000000"
		if tx == wrong {
			wrong = "111111"
		}
		if st, m := h.token(code, wrong); st != 400 || m["error"] != "invalid_grant" {
			t.Fatalf("wrong = %d %v", st, m)
		}
	})
	t.Run("with the right code the holder gets the badge", func(t *testing.T) {
		access := h.accessToken(code, tx)
		if st, m := h.credential(access, h.proof(h.nonce(), nil)); st != 200 {
			t.Fatalf("= %d %v", st, m)
		}
	})
	t.Run("five wrong codes burn the offer, even for the right code", func(t *testing.T) {
		_, code := oid4vciAward(t, tn, ach, "gus@example.org")
		tx := requireTxCode(code)
		wrong := "000000"
		if tx == wrong {
			wrong = "111111"
		}
		for range maxTxFailures {
			h.token(code, wrong)
		}
		if st, m := h.token(code, tx); st != 400 || m["error"] != "invalid_grant" || !strings.Contains(m["error_description"].(string), "too many") {
			t.Fatalf("= %d %v", st, m)
		}
	})
}

func TestOpenID4VCIAccessTokenExpires(t *testing.T) {
	tn := startNode(t, vfs.NewMem(), nil)
	defer tn.stop()
	ach := setUpIssuerA(t, tn)
	_, code := oid4vciAward(t, tn, ach, "hal@example.org")
	h := newHolder(t, tn)
	access := h.accessToken(code, "")
	claimHash, _, _ := strings.Cut(access, ".")
	if err := tn.db.Update(func(txn *store.Txn) error {
		var rec claimRecord
		if err := getJSON(txn.Get, store.KeyClaim(claimHash), &rec, "claim"); err != nil {
			return err
		}
		rec.AccessTokenExpires = time.Now().Add(-time.Second)
		return txn.Set(store.KeyClaim(claimHash), mustJSON(&rec))
	}); err != nil {
		t.Fatal(err)
	}
	t.Run("an expired access token is refused", func(t *testing.T) {
		if st, m := h.credential(access, h.proof(h.nonce(), nil)); st != 401 || m["error"] != "invalid_token" || !strings.Contains(m["error_description"].(string), "expired") {
			t.Fatalf("= %d %v", st, m)
		}
	})
}
