package vc

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrIncomplete is returned by constructors when a required member is missing.
var ErrIncomplete = errors.New("credential is incomplete")

// DateTime formats t as the XSD dateTime form credentials use (UTC, seconds).
func DateTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// ParseDateTime reads an XSD dateTime as found in credentials (RFC 3339, with or without
// fractional seconds; a missing zone is read as UTC).
func ParseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date-time like 2025-01-31T12:00:00Z", s)
}

// Badge says what an issuer awards to whom; NewOpenBadge turns it into an unsigned credential.
type Badge struct {
	ID           string      // the credential's public URL
	Issuer       Profile     // Issuer.ID is the issuer DID
	Achievement  Achievement // embedded as it is at award time
	RecipientDID string      // the learner's DID, if known
	// RecipientEmail, when set, adds a salted sha256 IdentityObject (the e-mail itself is not
	// written). Salt must be random per award.
	RecipientEmail string
	Salt           string
	Name           Text // the credential's name; defaults to the achievement's name
	ValidFrom      time.Time
	ValidUntil     time.Time // zero: no expiry
	Narrative      Text
	Evidence       []Evidence
	Results        []Result
	CreditsEarned  *float64
	ActivityStart  time.Time
	ActivityEnd    time.Time
	Extensions     bool // add the OB 3.0 extensions context
}

// NewOpenBadge builds an unsigned OpenBadgeCredential (VC DM 2.0) with contexts in the order OB
// 3.0 requires, types, validFrom, the achievement and the recipient.
func NewOpenBadge(b Badge) (*Credential, error) {
	switch {
	case b.ID == "":
		return nil, fmt.Errorf("%w: the credential needs an id (its public URL)", ErrIncomplete)
	case b.Issuer.ID == "":
		return nil, fmt.Errorf("%w: the issuer needs an id (its DID)", ErrIncomplete)
	case b.Achievement.ID == "" || b.Achievement.Name.IsZero() || b.Achievement.Description.IsZero():
		return nil, fmt.Errorf("%w: the achievement needs an id, a name and a description", ErrIncomplete)
	case b.Achievement.Criteria == nil || (b.Achievement.Criteria.ID == "" && b.Achievement.Criteria.Narrative.IsZero()):
		return nil, fmt.Errorf("%w: the achievement needs criteria (a narrative or a URL)", ErrIncomplete)
	case b.RecipientDID == "" && b.RecipientEmail == "":
		return nil, fmt.Errorf("%w: the recipient needs a DID or an e-mail", ErrIncomplete)
	case b.RecipientEmail != "" && b.Salt == "":
		return nil, fmt.Errorf("%w: a recipient e-mail needs a salt", ErrIncomplete)
	case b.ValidFrom.IsZero():
		return nil, fmt.Errorf("%w: validFrom is required", ErrIncomplete)
	case !b.ValidUntil.IsZero() && !b.ValidUntil.After(b.ValidFrom):
		return nil, fmt.Errorf("%w: validUntil must be after validFrom", ErrIncomplete)
	}
	for name, t := range map[string]Text{
		"name": b.Name, "narrative": b.Narrative, "issuer name": b.Issuer.Name, "issuer description": b.Issuer.Description,
		"achievement name": b.Achievement.Name, "achievement description": b.Achievement.Description,
		"criteria narrative": b.Achievement.Criteria.Narrative,
	} {
		if len(t.Langs) > 0 {
			return nil, fmt.Errorf("%w: the %s is a language map, which the OB 3.0 context does not define (it would not be signed): issue one edition per language and link them with related", ErrIncomplete, name)
		}
	}
	ctx := []json.RawMessage{json.RawMessage(`"` + ContextV2 + `"`), json.RawMessage(`"` + ContextOB + `"`)}
	if b.Extensions {
		ctx = append(ctx, json.RawMessage(`"`+ContextOBExt+`"`))
	}
	issuer := b.Issuer
	issuer.URIOnly = false
	if issuer.Type.IsZero() {
		issuer.Type = Many("Profile")
	}
	ach := b.Achievement
	if ach.Type.IsZero() {
		ach.Type = Many("Achievement")
	}
	subj := &Subject{
		ID:            b.RecipientDID,
		Type:          Many("AchievementSubject"),
		Achievement:   &ach,
		Narrative:     b.Narrative,
		Result:        b.Results,
		CreditsEarned: b.CreditsEarned,
	}
	if b.RecipientEmail != "" {
		subj.Identifier = []IdentityObject{HashedEmail(b.RecipientEmail, b.Salt)}
	}
	if !b.ActivityStart.IsZero() {
		subj.ActivityStartDate = DateTime(b.ActivityStart)
	}
	if !b.ActivityEnd.IsZero() {
		subj.ActivityEndDate = DateTime(b.ActivityEnd)
	}
	name := b.Name
	if name.IsZero() {
		name = ach.Name
	}
	c := &Credential{
		Context:           Many(ctx...),
		ID:                b.ID,
		Type:              Many(TypeVC, TypeOBC),
		Name:              name,
		Issuer:            &issuer,
		ValidFrom:         DateTime(b.ValidFrom),
		CredentialSubject: subj,
	}
	if !b.ValidUntil.IsZero() {
		c.ValidUntil = DateTime(b.ValidUntil)
	}
	if len(b.Evidence) > 0 {
		c.Evidence = Many(b.Evidence...)
	}
	return c, nil
}

// HashedEmail returns the OB 3.0 IdentityObject for an e-mail: identityHash is "sha256$" and the
// hex SHA-256 of the trimmed, lower-cased address followed by the salt.
func HashedEmail(email, salt string) IdentityObject {
	return IdentityObject{
		Type:         "IdentityObject",
		Hashed:       true,
		IdentityHash: hashIdentity(email, salt),
		IdentityType: "emailAddress",
		Salt:         salt,
	}
}

func hashIdentity(identity, salt string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(identity)) + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// Matches reports whether the identity object names identity (an e-mail address, compared
// without case), hashed or not.
func (o IdentityObject) Matches(identity string) bool {
	if !o.Hashed {
		return strings.EqualFold(strings.TrimSpace(o.IdentityHash), strings.TrimSpace(identity))
	}
	return strings.EqualFold(o.IdentityHash, hashIdentity(identity, o.Salt))
}

// ParseCredential reads a credential from JSON.
func ParseCredential(data []byte) (*Credential, error) {
	var c Credential
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("parse credential: %w", err)
	}
	return &c, nil
}

// Map returns the credential as a generic JSON object (the form proofs are computed on).
func (c *Credential) Map() (map[string]any, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// IssuerID returns the issuer's id whether the issuer is a URI or a Profile.
func (c *Credential) IssuerID() string {
	if c.Issuer == nil {
		return ""
	}
	return c.Issuer.ID
}

// IsOpenBadge reports whether the credential is typed as an OB 3.0 achievement credential.
func (c *Credential) IsOpenBadge() bool {
	return Contains(c.Type, TypeOBC) || Contains(c.Type, TypeAchCred)
}
