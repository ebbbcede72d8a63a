package node

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/status"
)

// claimRecord is the value under store.KeyClaim: the award a claim token opens and the state
// of its OpenID4VCI exchange. Awards write {"v":1,"credential":id}; the other members are added
// as the exchange goes.
type claimRecord struct {
	V          int    `json:"v"`
	Credential string `json:"credential"`
	// TxCodeHash is the SHA-256 (hex) of the transaction code the wallet must send, if any.
	TxCodeHash     string `json:"txCodeHash,omitempty"`
	TxCodeFailures int    `json:"txCodeFailures,omitempty"`
	// Exchanged is when the pre-authorized code was exchanged (it is single-use).
	Exchanged          time.Time `json:"exchanged,omitzero"`
	AccessTokenHash    string    `json:"accessTokenHash,omitempty"`
	AccessTokenExpires time.Time `json:"accessTokenExpires,omitzero"`
	// Issued is the id of the credential issued to the holder, Holder its DID.
	Issued string    `json:"issued,omitempty"`
	Holder string    `json:"holder,omitempty"`
	At     time.Time `json:"issuedAt,omitzero"`
}

// newTxCode draws a numeric transaction code of txCodeLength digits.
func (n *Node) newTxCode() (string, error) {
	limit := big.NewInt(1)
	for range txCodeLength {
		limit.Mul(limit, big.NewInt(10))
	}
	v, err := randBig(n.cfg.Rand, limit)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", txCodeLength, v), nil
}

func randBig(r io.Reader, limit *big.Int) (*big.Int, error) {
	// Rejection sampling over 64 random bits keeps the draw uniform.
	var b [8]byte
	top := new(big.Int).Lsh(big.NewInt(1), 64)
	bound := new(big.Int).Sub(top, new(big.Int).Mod(top, limit))
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("read random bytes: %w", err)
		}
		v := new(big.Int).SetBytes(b[:])
		if v.Cmp(bound) < 0 {
			return v.Mod(v, limit), nil
		}
	}
}

// setTxCode requires a fresh transaction code for the claim token claimToken, in t, and
// returns it (to be shown to the award's creator only; the node keeps its hash).
func (n *Node) setTxCode(t *store.Txn, claimToken string) (string, error) {
	code, err := n.newTxCode()
	if err != nil {
		return "", err
	}
	var rec claimRecord
	if err := getJSON(t.Get, store.KeyClaim(hashHex(claimToken)), &rec, "claim link"); err != nil {
		return "", err
	}
	rec.TxCodeHash = hashHex(code)
	return code, t.Set(store.KeyClaim(hashHex(claimToken)), mustJSON(&rec))
}

// CredentialOffer returns the OpenID4VCI credential offer of a claim token (§4.1.1).
// Errors: ErrNotFound.
func (n *Node) CredentialOffer(ctx context.Context, claimToken string) (map[string]any, error) {
	rec, err := n.claimRecord(claimToken)
	if err != nil {
		return nil, err
	}
	grant := map[string]any{"pre-authorized_code": claimToken}
	if rec.TxCodeHash != "" {
		grant["tx_code"] = map[string]any{
			"input_mode": "numeric", "length": txCodeLength,
			"description": "Code à 6 chiffres remis par l’émetteur / 6-digit code given by the issuer",
		}
	}
	return map[string]any{
		"credential_issuer":            n.cfg.base(),
		"credential_configuration_ids": []string{OID4VCIConfiguration},
		"grants":                       map[string]any{GrantPreAuthorized: grant},
	}, nil
}

func (n *Node) claimRecord(claimToken string) (*claimRecord, error) {
	if !isRandomID(claimToken) {
		return nil, fmt.Errorf("claim link: %w", ErrNotFound)
	}
	var rec claimRecord
	if err := getJSON(n.db.Get, store.KeyClaim(hashHex(claimToken)), &rec, "claim link"); err != nil {
		return nil, err
	}
	return &rec, nil
}

// exchangeCode trades a pre-authorized code (a claim token) and its transaction code for an
// access token, once. The access token is "<claim hash>.<secret>"; the node keeps the secret's
// hash in the claim record, so the exchange survives a restart.
func (n *Node) exchangeCode(ctx context.Context, req tokenRequest) (string, error) {
	if !isRandomID(req.PreAuthorizedCode) {
		return "", badRequest("invalid_grant", "the pre-authorized code is unknown")
	}
	secret, err := n.randomID()
	if err != nil {
		return "", err
	}
	claimHash := hashHex(req.PreAuthorizedCode)
	var refused *oauthErr
	err = n.db.Update(func(t *store.Txn) error {
		var rec claimRecord
		if err := getJSON(t.Get, store.KeyClaim(claimHash), &rec, "claim link"); errors.Is(err, ErrNotFound) {
			refused = badRequest("invalid_grant", "the pre-authorized code is unknown")
			return nil
		} else if err != nil {
			return err
		}
		var a Award
		if err := getJSON(t.Get, store.KeyCredential(rec.Credential), &a, "credential "+rec.Credential); err != nil {
			return err
		}
		switch {
		case !rec.Exchanged.IsZero():
			refused = badRequest("invalid_grant", "the pre-authorized code was already used")
			return nil
		case a.Revoked:
			refused = badRequest("invalid_grant", "the issuer revoked this badge")
			return nil
		case rec.TxCodeHash != "" && rec.TxCodeFailures >= maxTxFailures:
			refused = badRequest("invalid_grant", "too many wrong transaction codes: ask the issuer for a new claim link")
			return nil
		case rec.TxCodeHash != "" && req.TxCode == "":
			refused = badRequest("invalid_request", "this offer needs a transaction code (tx_code)")
			return nil
		case rec.TxCodeHash != "" && subtle.ConstantTimeCompare([]byte(hashHex(req.TxCode)), []byte(rec.TxCodeHash)) != 1:
			rec.TxCodeFailures++
			refused = badRequest("invalid_grant", "the transaction code is wrong")
			return t.Set(store.KeyClaim(claimHash), mustJSON(&rec))
		}
		now := n.cfg.Now().UTC()
		rec.Exchanged, rec.AccessTokenHash, rec.AccessTokenExpires = now, hashHex(secret), now.Add(accessTokenLife)
		t.Set(store.KeyClaim(claimHash), mustJSON(&rec))
		return n.audit(t, "oid4vci-token", "", a.Issuer, a.ID)
	})
	if err != nil {
		return "", fmt.Errorf("exchange pre-authorized code: %w", err)
	}
	if refused != nil {
		return "", refused
	}
	return claimHash + "." + secret, nil
}

// errInvalidToken is the refusal of an access token (RFC 6750 §3.1).
func errInvalidToken(desc string) *oauthErr {
	return &oauthErr{Code: "invalid_token", Description: desc}
}

// accessClaim returns the claim hash an access token was issued for, checking it is live.
func (n *Node) accessClaim(token string) (string, *claimRecord, error) {
	claimHash, secret, ok := strings.Cut(token, ".")
	if !ok || len(claimHash) != 64 || !isRandomID(secret) || strings.Trim(claimHash, "0123456789abcdef") != "" {
		return "", nil, errInvalidToken("the access token is malformed")
	}
	var rec claimRecord
	if err := getJSON(n.db.Get, store.KeyClaim(claimHash), &rec, "claim link"); errors.Is(err, ErrNotFound) {
		return "", nil, errInvalidToken("the access token is unknown")
	} else if err != nil {
		return "", nil, err
	}
	switch {
	case rec.AccessTokenHash == "" || subtle.ConstantTimeCompare([]byte(hashHex(secret)), []byte(rec.AccessTokenHash)) != 1:
		return "", nil, errInvalidToken("the access token is unknown or was already used")
	case !n.cfg.Now().Before(rec.AccessTokenExpires):
		return "", nil, errInvalidToken("the access token expired")
	}
	return claimHash, &rec, nil
}

// issueToHolder issues, for the award of a claim, a new credential bound to holderDID: the
// award's credential with credentialSubject.id set to the holder, a new id and a new status
// entry, signed by the issuer's active key. Credential, status index, claim record and audit
// record are one synced batch; the access token is spent.
func (n *Node) issueToHolder(ctx context.Context, claimHash, accessToken, holderDID string) (json.RawMessage, error) {
	var rec claimRecord
	if err := getJSON(n.db.Get, store.KeyClaim(claimHash), &rec, "claim link"); err != nil {
		return nil, err
	}
	award, err := n.GetAward(ctx, rec.Credential)
	if err != nil {
		return nil, err
	}
	if award.Revoked {
		return nil, &oauthErr{Code: "credential_request_denied", Description: "the issuer revoked this badge"}
	}
	iss, err := n.Issuer(ctx, award.Issuer)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(award.Credential, &doc); err != nil {
		return nil, fmt.Errorf("credential %s: stored record is corrupt: %w", award.ID, err)
	}
	delete(doc, "proof")
	subj, ok := doc["credentialSubject"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("credential %s: stored credential has no credentialSubject object", award.ID)
	}
	subj["id"] = holderDID
	id, err := n.randomID()
	if err != nil {
		return nil, err
	}
	doc["id"] = n.CredentialURL(id)
	now := n.cfg.Now().UTC().Truncate(time.Second)
	for range 5 {
		a := &Award{
			V: 1, ID: id, Issuer: award.Issuer, AchievementID: award.AchievementID, StatusType: award.StatusType,
			Evidence: award.Evidence, RecipientName: award.RecipientName, ShowName: award.ShowName, Created: now,
		}
		if a.StatusType == StatusBitstring {
			a.StatusList, a.StatusIndex, err = n.proposeIndex(a.Issuer)
			if errors.Is(err, errRetry) {
				continue
			}
			if err != nil {
				return nil, err
			}
			doc["credentialStatus"] = status.NewEntry(n.StatusListURL(a.Issuer, a.StatusList), status.PurposeRevocation, a.StatusIndex)
		}
		body, err := n.sign(ctx, iss, doc)
		if err != nil {
			return nil, fmt.Errorf("sign credential: %w", err)
		}
		a.Credential = body
		var refused *oauthErr
		err = n.db.Update(func(t *store.Txn) error {
			var cur claimRecord
			if err := getJSON(t.Get, store.KeyClaim(claimHash), &cur, "claim link"); err != nil {
				return err
			}
			var aw Award
			if err := getJSON(t.Get, store.KeyCredential(award.ID), &aw, "credential "+award.ID); err != nil {
				return err
			}
			_, secret, _ := strings.Cut(accessToken, ".")
			switch {
			case cur.Issued != "" || cur.AccessTokenHash == "" || subtle.ConstantTimeCompare([]byte(hashHex(secret)), []byte(cur.AccessTokenHash)) != 1:
				refused = errInvalidToken("the access token was already used")
				return nil
			case aw.Revoked:
				refused = &oauthErr{Code: "credential_request_denied", Description: "the issuer revoked this badge"}
				return nil
			}
			if a.StatusType == StatusBitstring {
				if err := n.claimIndex(t, a.Issuer, a.StatusList, a.StatusIndex, id); err != nil {
					return err
				}
			}
			cur.Issued, cur.Holder, cur.At, cur.AccessTokenHash = id, holderDID, now, ""
			t.Set(store.KeyCredential(id), mustJSON(a))
			t.Set(store.KeyIssuerCredential(a.Issuer, id), []byte(`{"v":1}`))
			t.Set(store.KeyClaim(claimHash), mustJSON(&cur))
			return n.audit(t, "oid4vci-issue", "", a.Issuer, id)
		})
		if errors.Is(err, errRetry) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if refused != nil {
			return nil, refused
		}
		n.cfg.Logger.InfoContext(ctx, "issued to holder", "issuer", a.Issuer, "award", award.ID, "credential", id)
		return body, nil
	}
	return nil, fmt.Errorf("could not allocate a free status index after 5 attempts: %w", errRetry)
}

// revokeIssued revokes, in t, the credential issued to a holder from award a's claim (if any),
// so that revoking an award revokes both. Revoke calls it inside its batch.
func (n *Node) revokeIssued(t *store.Txn, a *Award, reason string, now time.Time) error {
	if a.ClaimToken == "" {
		return nil
	}
	var rec claimRecord
	if err := getJSON(t.Get, store.KeyClaim(hashHex(a.ClaimToken)), &rec, "claim link"); errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if rec.Issued == "" {
		return nil
	}
	var held Award
	if err := getJSON(t.Get, store.KeyCredential(rec.Issued), &held, "credential "+rec.Issued); err != nil {
		return err
	}
	if held.Revoked {
		return nil
	}
	held.Revoked, held.RevokedAt, held.RevokeReason = true, now, reason
	if held.StatusType == StatusBitstring {
		if err := n.setRevokedBit(t, held.Issuer, held.StatusList, held.StatusIndex); err != nil {
			return err
		}
	}
	t.Set(store.KeyRevocation(held.Issuer, held.ID), mustJSON(revocationRecord{V: 1, Credential: n.CredentialURL(held.ID), Reason: reason, At: now}))
	t.Set(store.KeyCredential(held.ID), mustJSON(&held))
	return n.audit(t, "revoke", "", held.Issuer, held.ID)
}
