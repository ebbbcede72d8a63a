package node

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
)

// OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow: the node is both the
// Credential Issuer and its own authorization server. docs/openid4vci.md describes the profile.
const (
	// OID4VCIConfiguration is the one credential configuration the node offers.
	OID4VCIConfiguration = "OpenBadgeCredential"
	// GrantPreAuthorized is the OAuth grant type of the pre-authorized code flow.
	GrantPreAuthorized = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
	// ProofTyp is the JOSE typ of a holder's proof of possession.
	ProofTyp = "openid4vci-proof+jwt"
	// OfferScheme starts the credential offer link a wallet opens.
	OfferScheme = "openid-credential-offer://"

	accessTokenLife = 5 * time.Minute
	nonceLife       = 5 * time.Minute
	proofMaxAge     = 5 * time.Minute
	proofMaxAhead   = time.Minute
	maxNonces       = 100_000
	maxTxFailures   = 5
	txCodeLength    = 6
)

// oid4vciRoutes registers the issuer metadata, token, nonce, credential and offer endpoints.
func (n *Node) oid4vciRoutes(mux *http.ServeMux) {
	s := &oid4vciState{n: n, nonces: map[string]time.Time{}}
	mux.HandleFunc("GET /.well-known/openid-credential-issuer", n.getIssuerMetadata)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", n.getAuthServerMetadata)
	mux.HandleFunc("GET /claim/{token}/offer", n.getCredentialOffer)
	mux.HandleFunc("GET /claim/{token}/offer.png", n.getCredentialOfferQR)
	mux.HandleFunc("POST /token", n.postOAuthToken)
	mux.HandleFunc("POST /nonce", s.postNonce)
	mux.HandleFunc("POST /credential", s.postCredential)
}

// oid4vciState holds the c_nonces handed out and not yet used. They live in memory: a nonce
// lost by a restart is answered with invalid_nonce and a fresh one, which wallets retry.
type oid4vciState struct {
	n      *Node
	mu     sync.Mutex
	nonces map[string]time.Time // c_nonce -> expiry
}

// newNonce returns a fresh c_nonce, forgetting expired ones.
func (s *oid4vciState) newNonce() (string, time.Time, error) {
	var b [24]byte
	if _, err := io.ReadFull(s.n.cfg.Rand, b[:]); err != nil {
		return "", time.Time{}, err
	}
	nonce := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.n.cfg.Now()
	exp := now.Add(nonceLife)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.nonces) >= maxNonces/2 {
		for k, e := range s.nonces {
			if !now.Before(e) {
				delete(s.nonces, k)
			}
		}
	}
	if len(s.nonces) >= maxNonces { // under a flood, the oldest-looking entries go first
		for k := range s.nonces {
			delete(s.nonces, k)
			if len(s.nonces) < maxNonces/2 {
				break
			}
		}
	}
	s.nonces[nonce] = exp
	return nonce, exp, nil
}

// useNonce consumes nonce; it reports false when it is unknown, used or expired.
func (s *oid4vciState) useNonce(nonce string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.nonces[nonce]
	if !ok {
		return false
	}
	delete(s.nonces, nonce)
	return s.n.cfg.Now().Before(exp)
}

func (s *oid4vciState) postNonce(w http.ResponseWriter, r *http.Request) {
	nonce, _, err := s.newNonce()
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error", "could not draw a random nonce")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"c_nonce": nonce})
}

// IssuerMetadata returns the Credential Issuer Metadata (OpenID4VCI 1.0 §12.2).
func (n *Node) IssuerMetadata() map[string]any {
	base := n.cfg.base()
	display := []map[string]any{
		{"name": web.T("fr", "oid4vci.credential.name"), "locale": "fr-CA", "description": web.T("fr", "oid4vci.credential.description")},
		{"name": web.T("en", "oid4vci.credential.name"), "locale": "en", "description": web.T("en", "oid4vci.credential.description")},
	}
	return map[string]any{
		"credential_issuer":     base,
		"authorization_servers": []string{base},
		"credential_endpoint":   base + "/credential",
		"nonce_endpoint":        base + "/nonce",
		"token_endpoint":        base + "/token",
		"display": []map[string]any{
			{"name": web.T("fr", "oid4vci.issuer.name"), "locale": "fr-CA"},
			{"name": web.T("en", "oid4vci.issuer.name"), "locale": "en"},
		},
		"credential_configurations_supported": map[string]any{
			OID4VCIConfiguration: map[string]any{
				"format": "ldp_vc",
				"scope":  OID4VCIConfiguration,
				"credential_definition": map[string]any{
					"@context": []string{vc.ContextV2, vc.ContextOB},
					"type":     []string{"VerifiableCredential", "OpenBadgeCredential"},
				},
				"cryptographic_binding_methods_supported": []string{"did:key"},
				"credential_signing_alg_values_supported": []string{"eddsa-rdfc-2022"},
				"proof_types_supported": map[string]any{
					"jwt": map[string]any{"proof_signing_alg_values_supported": []string{"EdDSA"}},
				},
				"display":             display,
				"credential_metadata": map[string]any{"display": display},
			},
		},
	}
}

func (n *Node) getIssuerMetadata(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "max-age=300")
	writeJSON(w, http.StatusOK, n.IssuerMetadata())
}

// AuthorizationServerMetadata returns the RFC 8414 metadata of the node's token endpoint.
func (n *Node) AuthorizationServerMetadata() map[string]any {
	base := n.cfg.base()
	return map[string]any{
		"issuer":                                          base,
		"token_endpoint":                                  base + "/token",
		"grant_types_supported":                           []string{GrantPreAuthorized},
		"response_types_supported":                        []string{},
		"token_endpoint_auth_methods_supported":           []string{"none"},
		"pre-authorized_grant_anonymous_access_supported": true,
	}
}

func (n *Node) getAuthServerMetadata(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "max-age=300")
	writeJSON(w, http.StatusOK, n.AuthorizationServerMetadata())
}

// OfferURL is where the credential offer of a claim token is served.
func (n *Node) OfferURL(claimToken string) string {
	return n.cfg.base() + "/claim/" + claimToken + "/offer"
}

// OfferURI is the credential offer link a wallet opens (by reference to OfferURL).
func (n *Node) OfferURI(claimToken string) string {
	return OfferScheme + "?credential_offer_uri=" + url.QueryEscape(n.OfferURL(claimToken))
}
