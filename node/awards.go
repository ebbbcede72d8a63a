package node

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/status"
)

// Recipient names who receives a badge: an e-mail and/or a DID.
type Recipient struct {
	Email    string `json:"email,omitempty"`
	DID      string `json:"did,omitempty"`
	Name     string `json:"name,omitempty"`
	ShowName bool   `json:"showName,omitempty"`
}

// EvidenceLink is evidence given by URL.
type EvidenceLink struct {
	URL         string `json:"url"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Genre       string `json:"genre,omitempty"`
}

// AwardRequest is one award (the admin API's JSON, and one CSV row).
type AwardRequest struct {
	AchievementID     string         `json:"achievementId"`
	Recipient         Recipient      `json:"recipient"`
	Narrative         string         `json:"narrative,omitempty"`
	Evidence          []EvidenceLink `json:"evidence,omitempty"`
	Results           []vc.Result    `json:"results,omitempty"`
	ActivityStartDate string         `json:"activityStartDate,omitempty"`
	ActivityEndDate   string         `json:"activityEndDate,omitempty"`
	CreditsEarned     *float64       `json:"creditsEarned,omitempty"`
	ValidFrom         string         `json:"validFrom,omitempty"`
	ValidUntil        string         `json:"validUntil,omitempty"`
	RowKey            string         `json:"rowKey,omitempty"`
}

// AwardResult is what an award returns.
type AwardResult struct {
	ID         string          `json:"id"`
	URL        string          `json:"url"`
	Credential json.RawMessage `json:"credential"`
	ClaimURL   string          `json:"claimUrl"`
	// TxCode is the OpenID4VCI transaction code of the claim (Config.RequireTxCode), shown once.
	TxCode string `json:"txCode,omitempty"`
	// Existing is true when the row key named an award made before (nothing new was issued).
	Existing bool `json:"existing,omitempty"`
}

// Award is a stored award.
type Award struct {
	V             int             `json:"v"`
	ID            string          `json:"id"`
	Issuer        string          `json:"issuer"`
	AchievementID string          `json:"achievementId"`
	Credential    json.RawMessage `json:"credential"`
	StatusType    string          `json:"statusType"`
	StatusList    string          `json:"statusList,omitempty"`
	StatusIndex   int             `json:"statusIndex"`
	Evidence      []string        `json:"evidence,omitempty"` // CIDs
	RecipientName string          `json:"recipientName,omitempty"`
	ShowName      bool            `json:"showName,omitempty"`
	ClaimToken    string          `json:"claimToken"`
	Created       time.Time       `json:"created"`
	Revoked       bool            `json:"revoked,omitempty"`
	RevokedAt     time.Time       `json:"revokedAt,omitzero"`
	RevokeReason  string          `json:"revokeReason,omitempty"`
}

func (n *Node) result(a *Award, existing bool) *AwardResult {
	return &AwardResult{
		ID: a.ID, URL: n.CredentialURL(a.ID), Credential: a.Credential,
		ClaimURL: n.cfg.base() + "/claim/" + a.ClaimToken, Existing: existing,
	}
}

// CredentialURL is the public URL (and id) of credential id.
func (n *Node) CredentialURL(id string) string { return n.cfg.base() + "/credentials/" + id }

// parseDate reads RFC 3339 or YYYY-MM-DD (midnight UTC); "" is the zero time.
func parseDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%w: %s %q is not an RFC 3339 date-time or a YYYY-MM-DD date", ErrInvalid, field, s)
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http")
}

// RowKey returns the idempotency key of a request: its rowKey, else the lowercased e-mail,
// else the DID.
func (r *AwardRequest) rowKey() string {
	switch {
	case r.RowKey != "":
		return r.RowKey
	case r.Recipient.Email != "":
		return strings.ToLower(strings.TrimSpace(r.Recipient.Email))
	}
	return r.Recipient.DID
}

// Award issues a badge of issuer slug: it validates the request, stores the evidence files
// content-addressed, builds and signs the credential, and stores credential, status index,
// evidence, row-key index and audit record in one synced batch. A request whose row key (or,
// without one, recipient) was already awarded this achievement returns the existing award.
// Errors: ErrNotFound (issuer, achievement), ErrInvalid, ErrArchived, ErrTooLarge, ErrUnsupported.
func (n *Node) Award(ctx context.Context, slug string, req AwardRequest, files []EvidenceFile) (*AwardResult, error) {
	res, err := n.award(ctx, slug, req, files)
	if err != nil {
		return nil, fmt.Errorf("award: %w", err)
	}
	return res, nil
}

func (n *Node) award(ctx context.Context, slug string, req AwardRequest, files []EvidenceFile) (*AwardResult, error) {
	iss, err := n.Issuer(ctx, slug)
	if err != nil {
		return nil, err
	}
	if req.AchievementID == "" {
		return nil, fmt.Errorf("%w: achievementId is required", ErrInvalid)
	}
	ach, err := n.Achievement(ctx, slug, req.AchievementID)
	if err != nil {
		return nil, err
	}
	if ach.Archived {
		return nil, fmt.Errorf("achievement %s: %w: it cannot be awarded", ach.ID, ErrArchived)
	}
	rc := req.Recipient
	if rc.Email == "" && rc.DID == "" {
		return nil, fmt.Errorf("%w: the recipient needs an e-mail or a DID", ErrInvalid)
	}
	if rc.Email != "" {
		if a, err := mail.ParseAddress(rc.Email); err != nil || a.Address != strings.TrimSpace(rc.Email) {
			return nil, fmt.Errorf("%w: the recipient e-mail is not a valid address", ErrInvalid)
		}
	}
	if rc.DID != "" && !strings.HasPrefix(rc.DID, "did:") {
		return nil, fmt.Errorf("%w: the recipient DID must start with \"did:\"", ErrInvalid)
	}
	rowHash := hashHex(req.rowKey())
	if existing, err := n.byRowKey(n.db.Get, slug, ach.ID, rowHash); err != nil || existing != nil {
		return existing, err
	}
	now := n.cfg.Now().UTC().Truncate(time.Second)
	var dates [4]time.Time
	for i, f := range []struct{ name, v string }{
		{"validFrom", req.ValidFrom}, {"validUntil", req.ValidUntil},
		{"activityStartDate", req.ActivityStartDate}, {"activityEndDate", req.ActivityEndDate},
	} {
		if dates[i], err = parseDate(f.name, f.v); err != nil {
			return nil, err
		}
	}
	validFrom := dates[0]
	if validFrom.IsZero() {
		validFrom = now
	}
	if !dates[1].IsZero() && !dates[1].After(validFrom) {
		return nil, fmt.Errorf("%w: validUntil must be after validFrom", ErrInvalid)
	}

	id, err := n.randomID()
	if err != nil {
		return nil, err
	}
	claim, err := n.randomID()
	if err != nil {
		return nil, err
	}
	var salt [16]byte
	if _, err := io.ReadFull(n.cfg.Rand, salt[:]); err != nil {
		return nil, fmt.Errorf("read random bytes: %w", err)
	}

	var evidence []vc.Evidence
	var related []vc.RelatedResource
	stored := make([]StoredEvidence, len(files))
	for i, f := range files {
		ev, err := n.prepareEvidence(f)
		if err != nil {
			return nil, err
		}
		stored[i] = ev
		u := n.cfg.base() + "/evidence/" + ev.CID
		name := f.Name
		if name == "" {
			name = ev.CID
		}
		e := vc.Evidence{ID: u, Type: vc.Many("Evidence"), Name: vc.Plain(name), Genre: f.Genre}
		if f.Description != "" {
			e.Description = vc.Plain(f.Description)
		}
		evidence = append(evidence, e)
		related = append(related, vc.RelatedResource{ID: u, DigestMultibase: ev.DigestMultibase, MediaType: ev.MediaType})
	}
	for _, l := range req.Evidence {
		if !absoluteURL(l.URL) {
			return nil, fmt.Errorf("%w: evidence url %q must be an absolute http(s) URL", ErrInvalid, l.URL)
		}
		e := vc.Evidence{ID: l.URL, Type: vc.Many("Evidence"), Genre: l.Genre}
		if l.Name != "" {
			e.Name = vc.Plain(l.Name)
		}
		if l.Description != "" {
			e.Description = vc.Plain(l.Description)
		}
		evidence = append(evidence, e)
	}
	for i := range req.Results {
		if req.Results[i].Type.IsZero() {
			req.Results[i].Type = vc.Many("Result")
		}
	}
	achievement := ach.Achievement
	if achievement.Image == nil {
		// Every achievement has an image: its own, or the default drawn for it (served at the
		// same address), so that wallets and displayers show the badge as the node does.
		achievement.Image = &vc.Image{ID: achievement.ID + "/image", Type: "Image"}
	}
	badge := vc.Badge{
		ID: n.CredentialURL(id), Issuer: iss.Profile(), Achievement: achievement,
		RecipientDID: rc.DID, RecipientEmail: strings.TrimSpace(rc.Email), Salt: hex.EncodeToString(salt[:]),
		ValidFrom: validFrom, ValidUntil: dates[1], Evidence: evidence, Results: req.Results,
		CreditsEarned: req.CreditsEarned, ActivityStart: dates[2], ActivityEnd: dates[3],
		// 1EdTechRevocationList is defined by the OB 3.0 extensions context only.
		Extensions: n.cfg.StatusType == Status1EdTech,
	}
	if req.Narrative != "" {
		badge.Narrative = vc.Plain(req.Narrative)
	}
	cred, err := vc.NewOpenBadge(badge)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if len(related) > 0 {
		cred.RelatedResource = vc.Many(related...)
	}
	doc, err := cred.Map()
	if err != nil {
		return nil, err
	}

	for range 5 {
		a := &Award{
			V: 1, ID: id, Issuer: slug, AchievementID: ach.ID, StatusType: n.cfg.StatusType,
			RecipientName: rc.Name, ShowName: rc.ShowName, ClaimToken: claim, Created: now,
		}
		for _, ev := range stored {
			a.Evidence = append(a.Evidence, ev.CID)
		}
		if n.cfg.StatusType == StatusBitstring {
			a.StatusList, a.StatusIndex, err = n.proposeIndex(slug)
			if err != nil && !errors.Is(err, errRetry) {
				return nil, err
			}
			if err != nil {
				continue
			}
			doc["credentialStatus"] = status.NewEntry(n.StatusListURL(slug, a.StatusList), status.PurposeRevocation, a.StatusIndex)
		} else {
			doc["credentialStatus"] = map[string]any{"id": n.RevocationListURL(slug), "type": status.Type1EdTechRevocationList}
		}
		body, err := n.sign(ctx, iss, doc)
		if err != nil {
			return nil, fmt.Errorf("sign credential: %w", err)
		}
		a.Credential = body
		var existing *AwardResult
		var txCode string
		err = n.db.Update(func(t *store.Txn) error {
			if existing, err = n.byRowKey(t.Get, slug, ach.ID, rowHash); err != nil || existing != nil {
				return err
			}
			if a.StatusType == StatusBitstring {
				if err := n.claimIndex(t, slug, a.StatusList, a.StatusIndex, id); err != nil {
					return err
				}
			}
			for i, ev := range stored {
				if err := n.putEvidence(t, ev, files[i].Data); err != nil {
					return err
				}
			}
			t.Set(store.KeyCredential(id), mustJSON(a))
			t.Set(store.KeyIssuerCredential(slug, id), []byte(`{"v":1}`))
			t.Set(store.KeyRowKey(slug, ach.ID, rowHash), mustJSON(map[string]any{"v": 1, "credential": id}))
			t.Set(store.KeyClaim(hashHex(claim)), mustJSON(map[string]any{"v": 1, "credential": id}))
			if n.cfg.RequireTxCode {
				if txCode, err = n.setTxCode(t, claim); err != nil {
					return err
				}
			}
			return n.audit(t, "award", actorOf(ctx), slug, id)
		})
		if errors.Is(err, errRetry) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if existing != nil {
			return existing, nil
		}
		n.cfg.Logger.InfoContext(ctx, "awarded", "issuer", slug, "achievement", ach.ID, "credential", id)
		res := n.result(a, false)
		res.TxCode = txCode
		n.notifyAward(ctx, iss, ach, rc, res)
		return res, nil
	}
	return nil, fmt.Errorf("could not allocate a free status index after 5 attempts: %w", errRetry)
}

func (n *Node) byRowKey(get func([]byte) ([]byte, error), slug, achID, rowHash string) (*AwardResult, error) {
	var ref struct {
		Credential string `json:"credential"`
	}
	err := getJSON(get, store.KeyRowKey(slug, achID, rowHash), &ref, "row key")
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var a Award
	if err := getJSON(get, store.KeyCredential(ref.Credential), &a, "credential "+ref.Credential); err != nil {
		return nil, err
	}
	return n.result(&a, true), nil
}

// GetAward returns the award id. Errors: ErrNotFound.
func (n *Node) GetAward(ctx context.Context, id string) (*Award, error) {
	if id == "" || strings.ContainsRune(id, '/') {
		return nil, fmt.Errorf("credential %q: %w", id, ErrNotFound)
	}
	var a Award
	if err := getJSON(n.db.Get, store.KeyCredential(id), &a, "credential "+id); err != nil {
		return nil, err
	}
	return &a, nil
}

// Revoke revokes the award id with a reason: it sets its status bit (and lists it in the
// issuer's 1EdTech revocation list) in one synced batch; the signed list is re-signed on its
// next request. Errors: ErrNotFound, ErrAlreadyRevoked.
func (n *Node) Revoke(ctx context.Context, id, reason string) (*Award, error) {
	var a Award
	err := n.db.Update(func(t *store.Txn) error {
		if err := getJSON(t.Get, store.KeyCredential(id), &a, "credential "+id); err != nil {
			return err
		}
		if a.Revoked {
			return ErrAlreadyRevoked
		}
		now := n.cfg.Now().UTC()
		a.Revoked, a.RevokedAt, a.RevokeReason = true, now, reason
		if a.StatusType == StatusBitstring {
			if err := n.setRevokedBit(t, a.Issuer, a.StatusList, a.StatusIndex); err != nil {
				return err
			}
		}
		t.Set(store.KeyRevocation(a.Issuer, id), mustJSON(revocationRecord{V: 1, Credential: n.CredentialURL(id), Reason: reason, At: now}))
		t.Set(store.KeyCredential(id), mustJSON(&a))
		if err := n.revokeIssued(t, &a, reason, now); err != nil {
			return err
		}
		return n.audit(t, "revoke", actorOf(ctx), a.Issuer, id)
	})
	if err != nil {
		return nil, fmt.Errorf("revoke %s: %w", id, err)
	}
	n.invalidateLists(a.Issuer)
	return &a, nil
}
