package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/communs/communs/vc"
)

// vcapiIssue signs the given credential with the key of its issuer (a DID of this node that
// the token may act for): POST /credentials/issue {credential, options} -> 201
// {verifiableCredential}.
func (n *Node) vcapiIssue(w http.ResponseWriter, r *http.Request, tok *Token) {
	var body struct {
		Credential map[string]any `json:"credential"`
		Options    map[string]any `json:"options"`
	}
	if err := readJSON(r, &body, false); err != nil {
		n.fail(w, r, err)
		return
	}
	if body.Credential == nil {
		n.fail(w, r, fmt.Errorf("%w: credential is required", ErrInvalid))
		return
	}
	if _, ok := body.Credential["proof"]; ok {
		n.fail(w, r, fmt.Errorf("%w: the credential already has a proof", ErrInvalid))
		return
	}
	issuerID, _ := body.Credential["issuer"].(string)
	if m, ok := body.Credential["issuer"].(map[string]any); ok {
		issuerID, _ = m["id"].(string)
	}
	iss, err := n.issuerForDID(r.Context(), issuerID)
	if err != nil {
		n.fail(w, r, fmt.Errorf("%w: the credential's issuer must be a DID of an issuer of this node", ErrInvalid))
		return
	}
	if !tok.Allows(iss.Slug) {
		n.fail(w, r, errors.Join(ErrForbidden, errors.New("this token may not issue for "+iss.Slug)))
		return
	}
	signed, err := n.sign(r.Context(), iss, body.Credential)
	if err != nil {
		n.fail(w, r, fmt.Errorf("%w: the credential cannot be signed: %v", ErrInvalid, err))
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"verifiableCredential": json.RawMessage(signed)})
}

func vcapiResult(rep *vc.Report) map[string]any {
	checks, warnings, errs := []string{}, []string{}, []string{}
	for _, c := range rep.Checks {
		switch c.Status {
		case vc.OK:
			checks = append(checks, c.Name)
		case vc.Warning:
			warnings = append(warnings, c.Name+": "+c.Detail)
		case vc.Failed:
			errs = append(errs, c.Name+": "+c.Detail)
		}
	}
	return map[string]any{"verified": rep.Verified, "checks": checks, "warnings": warnings, "errors": errs, "report": rep}
}

func (n *Node) vcapiVerifyMember(w http.ResponseWriter, r *http.Request, member string) {
	var body map[string]json.RawMessage
	if err := readJSON(r, &body, false); err != nil {
		n.fail(w, r, err)
		return
	}
	raw := body[member]
	if len(raw) == 0 {
		n.fail(w, r, fmt.Errorf("%w: %s is required", ErrInvalid, member))
		return
	}
	rep, err := n.Verify(r.Context(), raw)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	st := http.StatusOK
	if !rep.Verified {
		st = http.StatusBadRequest
	}
	writeJSON(w, st, vcapiResult(rep))
}

func (n *Node) vcapiVerify(w http.ResponseWriter, r *http.Request) {
	n.vcapiVerifyMember(w, r, "verifiableCredential")
}

func (n *Node) vcapiVerifyPresentation(w http.ResponseWriter, r *http.Request) {
	n.vcapiVerifyMember(w, r, "verifiablePresentation")
}

// vcapiStatus revokes: POST /credentials/status {credentialId, credentialStatus:[{type, status}]}
// with status "revoked" (or "1"/true). Revocation cannot be undone.
func (n *Node) vcapiStatus(w http.ResponseWriter, r *http.Request, tok *Token) {
	var body struct {
		CredentialID     string `json:"credentialId"`
		CredentialStatus []struct {
			Type   string `json:"type"`
			Status any    `json:"status"`
		} `json:"credentialStatus"`
	}
	if err := readJSON(r, &body, false); err != nil {
		n.fail(w, r, err)
		return
	}
	id := strings.TrimPrefix(body.CredentialID, n.cfg.base()+"/credentials/")
	a, err := n.GetAward(r.Context(), id)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	if !tok.Allows(a.Issuer) {
		n.fail(w, r, errors.Join(ErrForbidden, errors.New("this token may not change this credential")))
		return
	}
	revoke := false
	for _, s := range body.CredentialStatus {
		switch v := s.Status.(type) {
		case string:
			revoke = revoke || v == "revoked" || v == "1" || v == "true"
		case bool:
			revoke = revoke || v
		case float64:
			revoke = revoke || v == 1
		}
	}
	if !revoke {
		n.fail(w, r, fmt.Errorf("%w: only revocation is supported (status \"revoked\"); revocation cannot be undone", ErrInvalid))
		return
	}
	if _, err := n.Revoke(r.Context(), id, "status update through the VC-API"); err != nil && !errors.Is(err, ErrAlreadyRevoked) {
		n.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}
