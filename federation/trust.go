package federation

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/vc/keys"
)

// Trust answers [vc.IssuerTrust] from a registry: an issuer is recognised
// when at least one followed origin's current entry about it is active,
// its origin is not frozen and its head is not stale past StaleGrace.
type Trust struct {
	// Registry is the registry consulted.
	Registry *Registry
	// Resolver resolves the verification method that signed a badge, to
	// compare its key with the entry's issuer_keys. When nil, keys are
	// not compared (KeyListed stays nil).
	Resolver did.Resolver
	// StaleGrace is how long past its head's expiry an origin's word
	// still counts.
	StaleGrace time.Duration
	// OriginName names a vouching origin ("Région Occitanie") for
	// [vc.Voucher].Name; nil or "" leaves the entity id to name it.
	OriginName func(entityID string) string
}

var _ vc.IssuerTrust = (*Trust)(nil)

// Recognize implements [vc.IssuerTrust]. issuerID is matched as given and
// percent-decoded (did:web:host%3A8443). When keyID (a DID URL, or a
// fragment "#key-1" of issuerID) is set and the recognising entries list
// issuer keys, KeyListed says whether its public key is among them. Status
// is active, suspended, revoked, stale (vouched, but only by origins that
// are stale or frozen) or unknown.
func (t *Trust) Recognize(ctx context.Context, issuerID, keyID string) (vc.Recognition, error) {
	if t.Registry == nil {
		return vc.Recognition{}, fmt.Errorf("recognize %s: %w: no registry", issuerID, ErrInvalidConfig)
	}
	vouches := t.lookup(issuerID)
	now := t.Registry.cfg.Now()
	rec := vc.Recognition{Status: "unknown"}
	var keysListed []string
	var suspended, revoked, stale bool
	for _, v := range vouches {
		switch {
		case v.Status == StatusSuspended:
			suspended = true
		case v.Status == StatusRevoked:
			revoked = true
		case v.Frozen || t.tooStale(v, now):
			stale = true
		case v.Status == StatusActive:
			rec.Recognized = true
			by := vc.Voucher{EntityID: v.Origin, Since: v.RegisteredAt}
			if t.OriginName != nil {
				by.Name = t.OriginName(v.Origin)
			}
			rec.VouchedBy = append(rec.VouchedBy, by)
			keysListed = append(keysListed, v.IssuerKeys...)
		}
	}
	switch {
	case rec.Recognized:
		rec.Status = string(StatusActive)
	case suspended:
		rec.Status = string(StatusSuspended)
	case revoked:
		rec.Status = string(StatusRevoked)
	case stale:
		rec.Status = "stale"
	}
	if !rec.Recognized || keyID == "" || len(keysListed) == 0 || t.Resolver == nil {
		return rec, nil
	}
	mk, err := t.signingKey(ctx, issuerID, keyID)
	if err != nil {
		return vc.Recognition{}, fmt.Errorf("recognize %s: %w", issuerID, err)
	}
	listed := false
	for _, k := range keysListed {
		if k == mk {
			listed = true
			break
		}
	}
	rec.KeyListed = &listed
	return rec, nil
}

// lookup finds the vouches for did as given, else percent-decoded.
func (t *Trust) lookup(issuerID string) []Vouch {
	if v := t.Registry.Lookup(issuerID); len(v) > 0 {
		return v
	}
	if dec, err := url.PathUnescape(issuerID); err == nil && dec != issuerID {
		return t.Registry.Lookup(dec)
	}
	return nil
}

// tooStale reports whether v's origin has been stale for longer than the
// grace period.
func (t *Trust) tooStale(v Vouch, now time.Time) bool {
	if !v.Stale {
		return false
	}
	st, ok := t.Registry.OriginState(v.Origin)
	return !ok || st.HeadExpires.IsZero() || !now.Before(st.HeadExpires.Add(t.StaleGrace))
}

// signingKey resolves keyID and returns its public key as a Multikey.
func (t *Trust) signingKey(ctx context.Context, issuerID, keyID string) (string, error) {
	if strings.HasPrefix(keyID, "#") {
		keyID = issuerID + keyID
	}
	vm, _, err := did.ResolveVerificationMethod(ctx, t.Resolver, keyID)
	if err != nil {
		return "", fmt.Errorf("resolve signing key %s: %w", keyID, err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return "", fmt.Errorf("signing key %s: %w", keyID, err)
	}
	mk, err := keys.EncodeMultikey(pub)
	if err != nil {
		return "", fmt.Errorf("signing key %s: %w", keyID, err)
	}
	return mk, nil
}
