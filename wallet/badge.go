package wallet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
)

// Credential formats a badge is stored in.
const (
	FormatJSONLD = "json-ld" // a JSON-LD credential with embedded proof(s)
	FormatJWT    = "vc-jwt"  // a compact VC-JWT
)

// Badge is one credential in the wallet with what the wallet knows about it.
type Badge struct {
	V int `json:"v"`
	// ID is the wallet's id of the badge (16 lowercase base32 characters).
	ID string `json:"id"`
	// CredentialID is the credential's own id (often its public URL), when it has one.
	CredentialID string `json:"credentialId,omitempty"`
	// Format is FormatJSONLD or FormatJWT.
	Format string `json:"format"`
	// Credential is the credential as received: JSON bytes, or a compact JWT as a JSON string.
	Credential json.RawMessage `json:"credential"`
	// ContentHash is the hex SHA-256 of the credential's content (JSON members in sorted order).
	ContentHash string `json:"contentHash"`
	// Source says where it came from: a file name, a URL, or "openid4vci:" and the issuer.
	Source string `json:"source,omitempty"`
	// BakedKind is "png" or "svg" when the badge was imported from a baked image.
	BakedKind string `json:"bakedKind,omitempty"`
	// Summary is what a person reads about the badge.
	Summary *vc.Summary `json:"summary,omitempty"`
	// Verified is the verdict of the last verification; Reason says why.
	Verified bool   `json:"verified"`
	Reason   string `json:"reason"`
	// Report is the last verification report.
	Report *vc.Report `json:"report"`
	// BoundToHolder is true when credentialSubject.id is this wallet's holder DID.
	BoundToHolder bool      `json:"boundToHolder"`
	ImportedAt    time.Time `json:"importedAt"`
	VerifiedAt    time.Time `json:"verifiedAt"`
}

// JWT returns the compact JWT of a FormatJWT badge.
func (b *Badge) JWT() string {
	var s string
	if b.Format == FormatJWT {
		_ = json.Unmarshal(b.Credential, &s)
	}
	return s
}

// Raw returns the credential bytes as an issuer would serve them: JSON, or the compact JWT.
func (b *Badge) Raw() []byte {
	if b.Format == FormatJWT {
		return []byte(b.JWT())
	}
	return b.Credential
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func parseBadge(raw []byte) (*Badge, error) {
	var b Badge
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, fmt.Errorf("%w: badge record: %v", ErrCorrupt, err)
	}
	return &b, nil
}

// List returns every badge, oldest import first.
func (w *Wallet) List(ctx context.Context) ([]*Badge, error) {
	var out []*Badge
	err := w.db.Scan(w.space.Badges(), nil, func(_, v []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := parseBadge(v)
		if err != nil {
			return err
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list badges: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ImportedAt.Before(out[j].ImportedAt) })
	return out, nil
}

// Get returns the badge whose wallet id, or credential id, is ref. It returns ErrNotFound.
func (w *Wallet) Get(ctx context.Context, ref string) (*Badge, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id, err := w.resolve(ref)
	if err != nil {
		return nil, err
	}
	raw, err := w.db.Get(w.space.Badge(id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("get badge %q: %w", ref, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get badge %q: %w", ref, err)
	}
	return parseBadge(raw)
}

// resolve maps a wallet id or a credential id to the wallet id.
func (w *Wallet) resolve(ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", fmt.Errorf("get badge %q: %w", ref, ErrNotFound)
	}
	if isWalletID(ref) {
		return ref, nil
	}
	raw, err := w.db.Get(w.space.CredentialID(hashHex(ref)))
	if errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("get badge %q: %w", ref, ErrNotFound)
	}
	if err != nil {
		return "", err
	}
	var idx indexRecord
	if err := json.Unmarshal(raw, &idx); err != nil {
		return "", fmt.Errorf("%w: index record: %v", ErrCorrupt, err)
	}
	return idx.Badge, nil
}

func isWalletID(s string) bool {
	if len(s) != walletIDLen {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// indexRecord is the value of the credential-id and content indexes.
type indexRecord struct {
	V     int    `json:"v"`
	Badge string `json:"badge"`
}

// Delete removes a badge, its baked image, its kept picture and evidence files and its indexes
// in one write. It returns ErrNotFound.
func (w *Wallet) Delete(ctx context.Context, ref string) error {
	b, err := w.Get(ctx, ref)
	if err != nil {
		return fmt.Errorf("delete badge: %w", err)
	}
	err = w.db.Update(func(t *store.Txn) error {
		for _, k := range [][]byte{
			w.space.Badge(b.ID), w.space.Image(b.ID), w.space.Picture(b.ID), w.space.Content(b.ContentHash),
		} {
			if err := t.Delete(k); err != nil {
				return err
			}
		}
		if err := t.DeletePrefix(w.space.EvidenceOf(b.ID)); err != nil {
			return err
		}
		if b.CredentialID != "" {
			return t.Delete(w.space.CredentialID(hashHex(b.CredentialID)))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete badge %s: %w", b.ID, err)
	}
	return nil
}
