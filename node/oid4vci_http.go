package node

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/web"
)

// oauthError writes an OAuth error response (RFC 6749 §5.2, RFC 6750 §3.1).
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	if code == "invalid_token" {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
}

// failOAuth writes err: an OAuth error as such (401 for invalid_token, 400 otherwise), any
// other error as a server_error whose details stay in the log.
func (n *Node) failOAuth(w http.ResponseWriter, r *http.Request, err error) {
	if oe := asOAuth(err); oe != nil {
		st := http.StatusBadRequest
		if oe.Code == "invalid_token" {
			st = http.StatusUnauthorized
		}
		oauthError(w, st, oe.Code, oe.Description)
		return
	}
	if errors.Is(err, ErrNotFound) {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "the claim behind this request no longer exists")
		return
	}
	n.cfg.Logger.ErrorContext(r.Context(), "openid4vci request failed", "path", r.URL.Path, "requestId", httpx.RequestIDFrom(r.Context()), "error", err)
	oauthError(w, http.StatusInternalServerError, "server_error", "the issuer failed; request id "+httpx.RequestIDFrom(r.Context()))
}

// readBody reads a bounded request body.
func readBody(r *http.Request) ([]byte, error) {
	_ = httpx.SetBodyLimit(r, maxOID4VCIBody)
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxOID4VCIBody))
	if err != nil {
		return nil, badRequest("invalid_request", "the body is unreadable or larger than 64 KiB")
	}
	return body, nil
}

func (n *Node) postOAuthToken(w http.ResponseWriter, r *http.Request) {
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); !strings.EqualFold(strings.TrimSpace(ct), "application/x-www-form-urlencoded") {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the token request must be application/x-www-form-urlencoded")
		return
	}
	body, err := readBody(r)
	if err != nil {
		n.failOAuth(w, r, err)
		return
	}
	req, err := parseTokenRequest(body)
	if err != nil {
		n.failOAuth(w, r, err)
		return
	}
	tok, err := n.exchangeCode(r.Context(), req)
	if err != nil {
		n.failOAuth(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "Bearer", "expires_in": int(accessTokenLife.Seconds()),
	})
}

func (s *oid4vciState) postCredential(w http.ResponseWriter, r *http.Request) {
	n := s.n
	w.Header().Set("Cache-Control", "no-store")
	token := bearer(r)
	if token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="communs"`)
		oauthError(w, http.StatusUnauthorized, "invalid_token", "an access token from the token endpoint is required (Authorization: Bearer …)")
		return
	}
	claimHash, _, err := n.accessClaim(token)
	if err != nil {
		n.failOAuth(w, r, err)
		return
	}
	body, err := readBody(r)
	if err != nil {
		n.failOAuth(w, r, err)
		return
	}
	req, err := parseCredentialRequest(body)
	if err != nil {
		n.failOAuth(w, r, err)
		return
	}
	proof, err := verifyProof(r.Context(), req.ProofJWT, n.cfg.base(), n.cfg.Now())
	if err == nil && !s.useNonce(proof.Nonce) {
		err = badRequest("invalid_nonce", "the proof's nonce is unknown, used or expired; get a fresh one from the nonce endpoint")
	}
	if oe := asOAuth(err); oe != nil && oe.Code == "invalid_nonce" {
		nonce, _, nerr := s.newNonce()
		if nerr != nil {
			n.failOAuth(w, r, nerr)
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": oe.Code, "error_description": oe.Description, "c_nonce": nonce})
		return
	}
	if err != nil {
		n.failOAuth(w, r, err)
		return
	}
	cred, err := n.issueToHolder(r.Context(), claimHash, token, proof.DID)
	if err != nil {
		n.failOAuth(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"credentials": []map[string]any{{"credential": json.RawMessage(cred)}}})
}

func (n *Node) getCredentialOffer(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	offer, err := n.CredentialOffer(r.Context(), r.PathValue("token"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, offer)
}

func (n *Node) getCredentialOfferQR(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	tok := r.PathValue("token")
	if _, err := n.claimRecord(tok); err != nil {
		n.fail(w, r, err)
		return
	}
	png, err := web.QRPNG(n.OfferURI(tok), 320)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}
