package node

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
)

func (n *Node) postIssuer(w http.ResponseWriter, r *http.Request, _ *Token) {
	var req IssuerRequest
	if err := readJSON(r, &req, true); err != nil {
		n.fail(w, r, err)
		return
	}
	iss, err := n.CreateIssuer(r.Context(), req)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/issuers/"+iss.Slug)
	writeJSON(w, http.StatusCreated, iss)
}

func (n *Node) listIssuers(w http.ResponseWriter, r *http.Request, _ *Token) {
	list, err := n.Issuers(r.Context())
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"issuers": list})
}

func (n *Node) getIssuerAPI(w http.ResponseWriter, r *http.Request, _ *Token) {
	iss, err := n.Issuer(r.Context(), r.PathValue("slug"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, iss)
}

func (n *Node) postRotate(w http.ResponseWriter, r *http.Request, _ *Token) {
	iss, err := n.RotateKey(r.Context(), r.PathValue("slug"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, iss)
}

func (n *Node) postAchievement(w http.ResponseWriter, r *http.Request, _ *Token) {
	var a vc.Achievement
	if err := readJSON(r, &a, false); err != nil {
		n.fail(w, r, err)
		return
	}
	rec, err := n.CreateAchievement(r.Context(), r.PathValue("slug"), a)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rec)
}

func (n *Node) listAchievements(w http.ResponseWriter, r *http.Request, _ *Token) {
	list, err := n.Achievements(r.Context(), r.PathValue("slug"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"achievements": list})
}

func (n *Node) getAchievementAPI(w http.ResponseWriter, r *http.Request, _ *Token) {
	rec, err := n.Achievement(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (n *Node) putAchievement(w http.ResponseWriter, r *http.Request, _ *Token) {
	var a vc.Achievement
	if err := readJSON(r, &a, false); err != nil {
		n.fail(w, r, err)
		return
	}
	rec, err := n.UpdateAchievement(r.Context(), r.PathValue("slug"), r.PathValue("id"), a)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (n *Node) postArchive(w http.ResponseWriter, r *http.Request, _ *Token) {
	rec, err := n.ArchiveAchievement(r.Context(), r.PathValue("slug"), r.PathValue("id"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (n *Node) putImage(w http.ResponseWriter, r *http.Request, _ *Token) {
	_ = httpx.SetBodyLimit(r, n.cfg.MaxImageBytes+1) // raise the server-wide cap, when there is one
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, n.cfg.MaxImageBytes+1))
	if err != nil || int64(len(data)) > n.cfg.MaxImageBytes {
		n.fail(w, r, fmt.Errorf("%w: the image is larger than %d bytes", ErrTooLarge, n.cfg.MaxImageBytes))
		return
	}
	rec, err := n.SetAchievementImage(r.Context(), r.PathValue("slug"), r.PathValue("id"), data)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

// postAward takes a JSON AwardRequest, or multipart/form-data with an "award" JSON part and
// "evidence" file parts.
func (n *Node) postAward(w http.ResponseWriter, r *http.Request, _ *Token) {
	var req AwardRequest
	var files []EvidenceFile
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		var err error
		req, files, err = n.readMultipartAward(r, params["boundary"])
		if err != nil {
			n.fail(w, r, err)
			return
		}
	} else if err := readJSON(r, &req, true); err != nil {
		n.fail(w, r, err)
		return
	}
	res, err := n.Award(r.Context(), r.PathValue("slug"), req, files)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	st := http.StatusCreated
	if res.Existing {
		st = http.StatusOK
	}
	writeJSON(w, st, res)
}

func (n *Node) readMultipartAward(r *http.Request, boundary string) (AwardRequest, []EvidenceFile, error) {
	var req AwardRequest
	var files []EvidenceFile
	if boundary == "" {
		return req, nil, fmt.Errorf("%w: multipart body without a boundary", ErrInvalid)
	}
	// Bound the whole body: a few files at the evidence limit plus the JSON part (raising the
	// server-wide cap of the MaxBody middleware, when it runs).
	limit := 4*n.cfg.MaxEvidenceBytes + maxJSONBody
	if err := httpx.SetBodyLimit(r, limit); err != nil && !errors.Is(err, httpx.ErrNoBodyLimit) {
		return req, nil, err
	}
	body := http.MaxBytesReader(nil, r.Body, limit)
	mr := multipartReader(body, boundary)
	seenAward := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return req, nil, fmt.Errorf("%w: the upload is too large", ErrTooLarge)
			}
			return req, nil, fmt.Errorf("%w: malformed multipart body: %v", ErrInvalid, err)
		}
		switch part.FormName() {
		case "award":
			dec := json.NewDecoder(io.LimitReader(part, maxJSONBody))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil {
				return req, nil, errors.Join(errBadJSON, fmt.Errorf("the award part is not the expected JSON: %v", err))
			}
			seenAward = true
		case "evidence":
			data, err := io.ReadAll(io.LimitReader(part, n.cfg.MaxEvidenceBytes+1))
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					return req, nil, fmt.Errorf("%w: the upload is too large", ErrTooLarge)
				}
				return req, nil, fmt.Errorf("%w: reading evidence file: %v", ErrInvalid, err)
			}
			if int64(len(data)) > n.cfg.MaxEvidenceBytes {
				return req, nil, fmt.Errorf("%w: evidence file %q is larger than %d bytes", ErrTooLarge, part.FileName(), n.cfg.MaxEvidenceBytes)
			}
			files = append(files, EvidenceFile{Name: part.FileName(), Data: data})
		default:
			return req, nil, fmt.Errorf("%w: unexpected form part %q (expected award and evidence)", ErrInvalid, part.FormName())
		}
	}
	if !seenAward {
		return req, nil, fmt.Errorf("%w: the multipart body has no award part", ErrInvalid)
	}
	return req, files, nil
}

func (n *Node) getAwardAPI(w http.ResponseWriter, r *http.Request, _ *Token) {
	a, err := n.GetAward(r.Context(), r.PathValue("id"))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": a.ID, "url": n.CredentialURL(a.ID), "issuer": a.Issuer, "achievementId": a.AchievementID,
		"credential": a.Credential, "claimUrl": n.cfg.base() + "/claim/" + a.ClaimToken,
		"revoked": a.Revoked, "revokedAt": a.RevokedAt, "revocationReason": a.RevokeReason, "created": a.Created,
	})
}

func (n *Node) postRevoke(w http.ResponseWriter, r *http.Request, _ *Token) {
	var body struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 {
		if err := readJSON(r, &body, true); err != nil {
			n.fail(w, r, err)
			return
		}
	}
	a, err := n.Revoke(r.Context(), r.PathValue("id"), strings.TrimSpace(body.Reason))
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": a.ID, "revoked": true, "revokedAt": a.RevokedAt, "revocationReason": a.RevokeReason})
}

func (n *Node) postToken(w http.ResponseWriter, r *http.Request, _ *Token) {
	var req TokenRequest
	if err := readJSON(r, &req, true); err != nil {
		n.fail(w, r, err)
		return
	}
	secret, tok, err := n.CreateToken(r.Context(), req)
	if err != nil {
		n.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": tok.ID, "token": secret, "role": tok.Role, "issuer": tok.Issuer, "expiresAt": tok.ExpiresAt})
}

func (n *Node) deleteToken(w http.ResponseWriter, r *http.Request, _ *Token) {
	if err := n.DeleteToken(r.Context(), r.PathValue("id")); err != nil {
		n.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func multipartReader(r io.Reader, boundary string) *multipart.Reader {
	return multipart.NewReader(r, boundary)
}
