package node

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/vc/jwt"
)

// maxOID4VCIBody bounds token and credential request bodies.
const maxOID4VCIBody = 64 << 10

// oauthErr is an OAuth 2.0 (RFC 6749 §5.2) or OpenID4VCI (§8.3.1.2) error response.
type oauthErr struct {
	Code        string // error
	Description string // error_description: what is wrong, for a person
}

func (e *oauthErr) Error() string { return e.Code + ": " + e.Description }

func badRequest(code, format string, args ...any) *oauthErr {
	return &oauthErr{Code: code, Description: fmt.Sprintf(format, args...)}
}

// tokenRequest is a token request of the pre-authorized code flow.
type tokenRequest struct {
	PreAuthorizedCode string
	TxCode            string
}

// parseTokenRequest reads a form-encoded token request (RFC 6749 §4.5, OpenID4VCI §6.1).
func parseTokenRequest(body []byte) (tokenRequest, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return tokenRequest{}, badRequest("invalid_request", "the body is not application/x-www-form-urlencoded: %v", err)
	}
	for k, v := range form {
		if len(v) > 1 {
			return tokenRequest{}, badRequest("invalid_request", "parameter %q is repeated", k)
		}
	}
	switch gt := form.Get("grant_type"); gt {
	case GrantPreAuthorized:
	case "":
		return tokenRequest{}, badRequest("invalid_request", "grant_type is missing")
	default:
		return tokenRequest{}, badRequest("unsupported_grant_type", "only the pre-authorized code grant (%s) is supported", GrantPreAuthorized)
	}
	req := tokenRequest{PreAuthorizedCode: form.Get("pre-authorized_code"), TxCode: form.Get("tx_code")}
	if req.PreAuthorizedCode == "" {
		return tokenRequest{}, badRequest("invalid_request", "pre-authorized_code is missing")
	}
	return req, nil
}

// credentialRequest is a credential request (OpenID4VCI §8.2), reduced to what the node uses.
type credentialRequest struct {
	ConfigurationID string
	ProofJWT        string
}

// parseCredentialRequest reads a credential request: one JWT proof, in proofs.jwt[0] or in the
// older single proof object.
func parseCredentialRequest(body []byte) (credentialRequest, error) {
	var raw struct {
		ConfigurationID *string `json:"credential_configuration_id"`
		Identifier      *string `json:"credential_identifier"`
		Format          *string `json:"format"`
		Proofs          *struct {
			JWT []string `json:"jwt"`
		} `json:"proofs"`
		Proof *struct {
			ProofType string `json:"proof_type"`
			JWT       string `json:"jwt"`
		} `json:"proof"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		return credentialRequest{}, badRequest("invalid_credential_request", "the body is not the expected JSON object: %v", err)
	}
	if dec.More() {
		return credentialRequest{}, badRequest("invalid_credential_request", "the body holds more than one JSON value")
	}
	var req credentialRequest
	switch {
	case raw.ConfigurationID != nil:
		req.ConfigurationID = *raw.ConfigurationID
	case raw.Identifier != nil:
		return req, badRequest("unknown_credential_identifier", "this issuer offers no credential identifiers; ask for credential_configuration_id %q", OID4VCIConfiguration)
	case raw.Format != nil && *raw.Format == "ldp_vc":
		req.ConfigurationID = OID4VCIConfiguration // draft 13 requests name the format
	default:
		return req, badRequest("invalid_credential_request", "credential_configuration_id is missing")
	}
	if req.ConfigurationID != OID4VCIConfiguration {
		return req, badRequest("unknown_credential_configuration", "credential configuration %q is not offered; this issuer offers %q", req.ConfigurationID, OID4VCIConfiguration)
	}
	switch {
	case raw.Proofs != nil && raw.Proof != nil:
		return req, badRequest("invalid_credential_request", "give proofs or proof, not both")
	case raw.Proofs != nil:
		if len(raw.Proofs.JWT) != 1 {
			return req, badRequest("invalid_proof", "proofs.jwt must hold exactly one proof (one credential is issued per claim), not %d", len(raw.Proofs.JWT))
		}
		req.ProofJWT = raw.Proofs.JWT[0]
	case raw.Proof != nil:
		if raw.Proof.ProofType != "jwt" {
			return req, badRequest("invalid_proof", "proof_type %q is not supported; use \"jwt\"", raw.Proof.ProofType)
		}
		req.ProofJWT = raw.Proof.JWT
	default:
		return req, badRequest("invalid_proof", "a proof of possession of the holder key is required (proofs.jwt)")
	}
	if req.ProofJWT == "" {
		return req, badRequest("invalid_proof", "the proof JWT is empty")
	}
	return req, nil
}

// holderProof is a verified proof of possession.
type holderProof struct {
	DID   string // the holder's did:key
	Nonce string // the c_nonce it carries (not yet checked against the issued ones)
}

// verifyProof checks a proof JWT (OpenID4VCI §8.2.1.1 and Appendix F.1): typ, EdDSA, kid a
// did:key URL whose key signed it, aud the issuer, iat recent, a nonce. Errors are invalid_proof.
func verifyProof(ctx context.Context, token, audience string, now time.Time) (holderProof, error) {
	t, err := jwt.Parse(token)
	if err != nil {
		return holderProof{}, badRequest("invalid_proof", "the proof is not a compact JWS: %v", err)
	}
	h := t.Header()
	if h.Typ != ProofTyp {
		return holderProof{}, badRequest("invalid_proof", "the proof's typ is %q; it must be %q", h.Typ, ProofTyp)
	}
	if h.Alg != jwt.AlgEdDSA {
		return holderProof{}, badRequest("invalid_proof", "the proof's alg is %q; this issuer accepts EdDSA", h.Alg)
	}
	if !strings.HasPrefix(h.Kid, "did:key:") || !strings.Contains(h.Kid, "#") {
		return holderProof{}, badRequest("invalid_proof", "the proof's kid must be a did:key URL with a fragment (did:key:z…#z…)")
	}
	vm, doc, err := did.ResolveVerificationMethod(ctx, did.NewResolver(did.Options{}), h.Kid)
	if err != nil {
		return holderProof{}, badRequest("invalid_proof", "the proof's kid does not resolve: %v", err)
	}
	if vm.Controller != doc.ID {
		return holderProof{}, badRequest("invalid_proof", "the key %s is not controlled by %s", vm.ID, doc.ID)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return holderProof{}, badRequest("invalid_proof", "the proof's key cannot be used: %v", err)
	}
	if err := t.Verify(pub); err != nil {
		return holderProof{}, badRequest("invalid_proof", "the proof's signature does not verify with the key named by kid: %v", err)
	}
	if !slices.Contains(t.Audience(), audience) {
		return holderProof{}, badRequest("invalid_proof", "the proof's aud must be the credential issuer %s", audience)
	}
	iat, ok := t.IssuedAt()
	switch {
	case !ok:
		return holderProof{}, badRequest("invalid_proof", "the proof has no iat")
	case iat.Before(now.Add(-proofMaxAge)):
		return holderProof{}, badRequest("invalid_proof", "the proof was made at %s, more than %s ago", iat.UTC().Format(time.RFC3339), proofMaxAge)
	case iat.After(now.Add(proofMaxAhead)):
		return holderProof{}, badRequest("invalid_proof", "the proof's iat %s is in the future", iat.UTC().Format(time.RFC3339))
	}
	nonce, _ := t.Claims()["nonce"].(string)
	if nonce == "" {
		return holderProof{}, badRequest("invalid_nonce", "the proof carries no nonce; get one from the nonce endpoint")
	}
	return holderProof{DID: doc.ID, Nonce: nonce}, nil
}

// asOAuth returns err as an OAuth error, or nil when it is another error.
func asOAuth(err error) *oauthErr {
	var oe *oauthErr
	if errors.As(err, &oe) {
		return oe
	}
	return nil
}
