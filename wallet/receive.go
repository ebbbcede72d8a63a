package wallet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
)

// ProofTypeJWT is the typ of an OpenID4VCI key proof JWT.
const ProofTypeJWT = "openid4vci-proof+jwt"

// maxIssuerResponse bounds what the wallet reads from an issuer's endpoint.
const maxIssuerResponse = 1 << 20

// ReceiveOptions complete an offer.
type ReceiveOptions struct {
	// TxCode is the transaction code the issuer sent separately, when the offer asks for one.
	TxCode string
	// ConfigurationID picks one of the offered credential configurations (default: the first).
	ConfigurationID string
}

// IssuerMetadata is the part of OpenID4VCI Credential Issuer Metadata (§12.2) the wallet uses.
type IssuerMetadata struct {
	CredentialIssuer     string   `json:"credential_issuer"`
	AuthorizationServers []string `json:"authorization_servers,omitempty"`
	CredentialEndpoint   string   `json:"credential_endpoint"`
	NonceEndpoint        string   `json:"nonce_endpoint,omitempty"`
	// TokenEndpoint is read from issuers that publish it in their own metadata (drafts did).
	TokenEndpoint                     string                     `json:"token_endpoint,omitempty"`
	CredentialConfigurationsSupported map[string]json.RawMessage `json:"credential_configurations_supported"`
}

// Receive claims the credential of an OpenID4VCI offer link with the pre-authorized code flow:
// it reads the offer (fetching credential_offer_uri when given), the issuer's metadata and its
// authorization server's token endpoint, exchanges the pre-authorized code for an access token,
// asks for a nonce, proves possession of the holder key with a JWT (typ openid4vci-proof+jwt,
// aud = the issuer, nonce, iat) and requests the credential. The credential must verify and be
// issued to the holder DID (ErrNotBound otherwise); it is then stored like Import stores one.
// Offer and issuer errors wrap ErrOffer and ErrIssuer. Nothing is stored when it fails.
func (w *Wallet) Receive(ctx context.Context, offerURI string, opts ReceiveOptions) (*Badge, error) {
	b, err := w.receive(ctx, offerURI, opts)
	if err != nil {
		return nil, fmt.Errorf("receive: %w", err)
	}
	return b, nil
}

func (w *Wallet) receive(ctx context.Context, offerURI string, opts ReceiveOptions) (*Badge, error) {
	if w.holder == nil {
		return nil, ErrNotInitialized
	}
	if w.cfg.HTTPClient == nil {
		return nil, fmt.Errorf("the wallet has no HTTP client")
	}
	ref, err := ParseOfferURI(offerURI)
	if err != nil {
		return nil, err
	}
	offer := ref.Offer
	if offer == nil {
		raw, err := w.fetch(ctx, http.MethodGet, ref.URI, nil, "", "", "credential offer")
		if err != nil {
			return nil, err
		}
		if offer, err = ParseOffer(raw); err != nil {
			return nil, err
		}
	}
	grant := offer.Grants.PreAuthorizedCode
	if grant.TxCode != nil && opts.TxCode == "" {
		desc := grant.TxCode.Description
		if desc == "" {
			desc = "the issuer sent it separately"
		}
		return nil, fmt.Errorf("%w: the offer needs a transaction code (%s)", ErrOffer, desc)
	}
	configID := offer.CredentialConfigurationIDs[0]
	if opts.ConfigurationID != "" {
		found := false
		for _, id := range offer.CredentialConfigurationIDs {
			found = found || id == opts.ConfigurationID
		}
		if !found {
			return nil, fmt.Errorf("%w: the offer has no configuration %q", ErrOffer, opts.ConfigurationID)
		}
		configID = opts.ConfigurationID
	}
	meta, err := w.issuerMetadata(ctx, offer.CredentialIssuer)
	if err != nil {
		return nil, err
	}
	if _, ok := meta.CredentialConfigurationsSupported[configID]; !ok {
		return nil, fmt.Errorf("%w: its metadata does not describe the offered configuration %q", ErrIssuer, configID)
	}
	tokenURL, err := w.tokenEndpoint(ctx, offer, meta)
	if err != nil {
		return nil, err
	}
	form := url.Values{"grant_type": {GrantPreAuthorizedCode}, "pre-authorized_code": {grant.Code}}
	if opts.TxCode != "" {
		form.Set("tx_code", opts.TxCode)
	}
	raw, err := w.fetch(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", "", "token endpoint")
	if err != nil {
		return nil, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		CNonce      string `json:"c_nonce"`
	}
	if err := json.Unmarshal(raw, &tok); err != nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("%w: the token endpoint answered no access_token", ErrIssuer)
	}
	if !strings.EqualFold(tok.TokenType, "Bearer") {
		return nil, fmt.Errorf("%w: token type %q is not supported (only Bearer)", ErrIssuer, tok.TokenType)
	}
	nonce := tok.CNonce
	if meta.NonceEndpoint != "" {
		raw, err := w.fetch(ctx, http.MethodPost, meta.NonceEndpoint, nil, "", "", "nonce endpoint")
		if err != nil {
			return nil, err
		}
		var n struct {
			CNonce string `json:"c_nonce"`
		}
		if err := json.Unmarshal(raw, &n); err != nil || n.CNonce == "" {
			return nil, fmt.Errorf("%w: the nonce endpoint answered no c_nonce", ErrIssuer)
		}
		nonce = n.CNonce
	}
	proof, err := w.keyProof(ctx, meta.CredentialIssuer, nonce)
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]any{
		"credential_configuration_id": configID,
		"proofs":                      map[string]any{"jwt": []string{proof}},
	})
	raw, err = w.fetch(ctx, http.MethodPost, meta.CredentialEndpoint, bytes.NewReader(body), "application/json", tok.AccessToken, "credential endpoint")
	if err != nil {
		return nil, err
	}
	cred, err := credentialOf(raw)
	if err != nil {
		return nil, err
	}
	b, img, err := w.prepare(ctx, cred, ImportOptions{Source: "openid4vci:" + meta.CredentialIssuer})
	if err != nil {
		return nil, err
	}
	if !b.BoundToHolder {
		return nil, fmt.Errorf("%w (%s): its credentialSubject.id is not %s", ErrNotBound, meta.CredentialIssuer, w.holder.DID)
	}
	if err := w.store(b, img); err != nil {
		return nil, err
	}
	return b, nil
}

// credentialOf reads the first credential of a Credential Response: {"credentials":[{"credential":…}]}
// (1.0) or {"credential":…} (drafts); a JSON object (ldp_vc) or a string (a JWT).
func credentialOf(raw []byte) ([]byte, error) {
	var resp struct {
		Credentials []struct {
			Credential json.RawMessage `json:"credential"`
		} `json:"credentials"`
		Credential    json.RawMessage `json:"credential"`
		TransactionID string          `json:"transaction_id"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		return nil, fmt.Errorf("%w: the credential response is not JSON: %v", ErrIssuer, err)
	}
	c := resp.Credential
	if len(resp.Credentials) > 0 {
		c = resp.Credentials[0].Credential
	}
	if len(c) == 0 {
		if resp.TransactionID != "" {
			return nil, fmt.Errorf("%w: the issuer deferred the issuance (not supported)", ErrIssuer)
		}
		return nil, fmt.Errorf("%w: the credential response holds no credential", ErrIssuer)
	}
	if c[0] == '"' {
		var s string
		if err := json.Unmarshal(c, &s); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrIssuer, err)
		}
		return []byte(s), nil
	}
	return c, nil
}

// keyProof signs the proof of possession of the holder key.
func (w *Wallet) keyProof(ctx context.Context, aud, nonce string) (string, error) {
	signer, err := keys.SignerFor(ctx, w.ks, w.holder.KeyID)
	if err != nil {
		return "", err
	}
	claims := map[string]any{"aud": aud, "iat": w.cfg.Now().Unix()}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	proof, err := jwt.Sign(claims, "EdDSA", w.holder.KeyID, ProofTypeJWT, signer)
	if err != nil {
		return "", fmt.Errorf("sign key proof: %w", err)
	}
	return proof, nil
}

// issuerMetadata fetches and checks the Credential Issuer Metadata.
func (w *Wallet) issuerMetadata(ctx context.Context, issuer string) (*IssuerMetadata, error) {
	urls := wellKnownURLs(issuer, "openid-credential-issuer")
	var raw []byte
	var err error
	for _, u := range urls {
		if raw, err = w.fetch(ctx, http.MethodGet, u, nil, "", "", "issuer metadata"); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	var m IssuerMetadata
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: its metadata is not the expected JSON: %v", ErrIssuer, err)
	}
	if strings.TrimSuffix(m.CredentialIssuer, "/") != strings.TrimSuffix(issuer, "/") {
		return nil, fmt.Errorf("%w: its metadata names issuer %q, the offer %q", ErrIssuer, m.CredentialIssuer, issuer)
	}
	if m.CredentialEndpoint == "" {
		return nil, fmt.Errorf("%w: its metadata has no credential_endpoint", ErrIssuer)
	}
	return &m, nil
}

// tokenEndpoint finds the token endpoint: the authorization server's metadata (RFC 8414), the
// authorization server being the one the grant names, the first of the issuer's, or the issuer.
func (w *Wallet) tokenEndpoint(ctx context.Context, o *Offer, m *IssuerMetadata) (string, error) {
	as := o.Grants.PreAuthorizedCode.AuthorizationServer
	if as == "" && len(m.AuthorizationServers) > 0 {
		as = m.AuthorizationServers[0]
	}
	if as == "" {
		as = o.CredentialIssuer
	}
	var lastErr error
	for _, wk := range []string{"oauth-authorization-server", "openid-configuration"} {
		for _, u := range wellKnownURLs(as, wk) {
			raw, err := w.fetch(ctx, http.MethodGet, u, nil, "", "", "authorization server metadata")
			if err != nil {
				lastErr = err
				continue
			}
			var asm struct {
				TokenEndpoint string `json:"token_endpoint"`
			}
			if json.Unmarshal(raw, &asm) == nil && asm.TokenEndpoint != "" {
				return asm.TokenEndpoint, nil
			}
		}
	}
	if m.TokenEndpoint != "" {
		return m.TokenEndpoint, nil
	}
	return "", fmt.Errorf("%w: no token endpoint found for authorization server %s (%v)", ErrIssuer, as, lastErr)
}

// wellKnownURLs returns where a well-known document of base lives: inserted between host and
// path (RFC 8615, OpenID4VCI 1.0), then appended to the path (older deployments).
func wellKnownURLs(base, name string) []string {
	u, err := url.Parse(base)
	if err != nil {
		return nil
	}
	path := strings.TrimSuffix(u.Path, "/")
	first := *u
	first.Path = "/.well-known/" + name + path
	out := []string{first.String()}
	if path != "" {
		second := *u
		second.Path = path + "/.well-known/" + name
		out = append(out, second.String())
	}
	return out
}

// fetch sends a request and returns the body of a 2xx answer; any other answer is an ErrIssuer
// carrying the OAuth error and description when there are some.
func (w *Wallet) fetch(ctx context.Context, method, u string, body io.Reader, contentType, bearer, what string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s URL %q is not usable: %v", ErrIssuer, what, u, err)
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := w.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrIssuer, what, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxIssuerResponse+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrIssuer, what, err)
	}
	if len(raw) > maxIssuerResponse {
		return nil, fmt.Errorf("%w: %s answered more than %d bytes", ErrIssuer, what, maxIssuerResponse)
	}
	if resp.StatusCode/100 != 2 {
		var oe struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(raw, &oe) == nil && oe.Error != "" {
			if oe.Description != "" {
				return nil, fmt.Errorf("%w: %s answered %s: %s (%s)", ErrIssuer, what, resp.Status, oe.Error, oe.Description)
			}
			return nil, fmt.Errorf("%w: %s answered %s: %s", ErrIssuer, what, resp.Status, oe.Error)
		}
		return nil, fmt.Errorf("%w: %s answered %s", ErrIssuer, what, resp.Status)
	}
	return raw, nil
}
