package wallet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/bake"
)

// walletIDLen is the length of a wallet id: 10 bytes of a SHA-256 in lowercase base32.
const walletIDLen = 16

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ImportOptions say how Import treats a credential.
type ImportOptions struct {
	// KeepInvalid stores a credential that does not verify, marked invalid, instead of refusing
	// it with an *InvalidError.
	KeepInvalid bool
	// Source names where the credential came from (a file name or URL), for the report.
	Source string
}

// imageRecord is the value of KeyWalletImage.
type imageRecord struct {
	V         int    `json:"v"`
	MediaType string `json:"mediaType"`
	Data      []byte `json:"data"`
}

// Import verifies a credential (JSON-LD, compact VC-JWT, or a PNG/SVG image with a baked
// credential) and stores it with its verification report, in one write with its indexes.
//
// It returns an *InvalidError (ErrInvalid) with the failed checks when the credential does not
// verify and opts.KeepInvalid is false, a *DuplicateError (ErrDuplicate) when the wallet holds
// the same credential (same id, or same content), and ErrNotCredential for a presentation or an
// input that is no credential at all. Nothing is stored when it returns an error.
func (w *Wallet) Import(ctx context.Context, data []byte, opts ImportOptions) (*Badge, error) {
	b, img, err := w.prepare(ctx, data, opts)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if err := w.store(b, img); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return b, nil
}

// prepare verifies data and builds the badge record (and the baked image record, if any).
func (w *Wallet) prepare(ctx context.Context, data []byte, opts ImportOptions) (*Badge, *imageRecord, error) {
	if len(data) > vc.MaxInput {
		return nil, nil, fmt.Errorf("%w: the input is larger than %d bytes", ErrNotCredential, vc.MaxInput)
	}
	cred, kind, err := bake.Unbake(data)
	var img *imageRecord
	switch {
	case err == nil:
		img = &imageRecord{V: 1, MediaType: "image/png", Data: bytes.Clone(data)}
		if kind == bake.KindSVG {
			img.MediaType = "image/svg+xml"
		}
	case errors.Is(err, bake.ErrNotImage):
		cred, kind = data, ""
	default:
		return nil, nil, fmt.Errorf("%w: %v", ErrNotCredential, err)
	}
	cred = bytes.TrimSpace(cred)
	b := &Badge{V: 1, Source: opts.Source, BakedKind: kind}
	var content string
	switch {
	case len(cred) > 0 && cred[0] == '{':
		var m map[string]any
		if err := json.Unmarshal(cred, &m); err != nil {
			return nil, nil, fmt.Errorf("%w: the JSON cannot be read: %v", ErrNotCredential, err)
		}
		canon, err := json.Marshal(m)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrNotCredential, err)
		}
		b.Format, b.Credential, content = FormatJSONLD, json.RawMessage(cred), string(canon)
	case looksLikeJWT(cred):
		b.Format, content = FormatJWT, string(cred)
		b.Credential, _ = json.Marshal(content)
	default:
		return nil, nil, fmt.Errorf("%w: it is neither a JSON credential, a compact JWT nor a badge image", ErrNotCredential)
	}
	rep, err := vc.Verify(ctx, data, w.verifyOptions(opts.Source))
	if err != nil {
		return nil, nil, err
	}
	if rep.Kind != "credential" {
		return nil, nil, fmt.Errorf("%w: it is a %s (import the credentials it holds instead)", ErrNotCredential, rep.Kind)
	}
	if !rep.Verified && !opts.KeepInvalid {
		return nil, nil, &InvalidError{Report: rep}
	}
	if rep.Credential != nil {
		b.CredentialID, _ = rep.Credential["id"].(string)
		b.BoundToHolder = w.holder != nil && subjectIs(rep.Credential, w.holder.DID)
	}
	sum := sha256.Sum256([]byte(content))
	b.ContentHash = fmt.Sprintf("%x", sum)
	b.ID = idEncoding.EncodeToString(sum[:10])
	now := w.cfg.Now().UTC()
	b.ImportedAt, b.VerifiedAt = now, now
	b.setReport(rep)
	return b, img, nil
}

func (b *Badge) setReport(rep *vc.Report) {
	b.Report, b.Summary, b.Verified, b.Reason = rep, rep.Summary, rep.Verified, rep.Reason()
}

func looksLikeJWT(b []byte) bool {
	if bytes.Count(b, []byte{'.'}) != 2 || len(b) < 5 {
		return false
	}
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// subjectIs reports whether a credentialSubject (object or array) has id did.
func subjectIs(cred map[string]any, did string) bool {
	switch s := cred["credentialSubject"].(type) {
	case map[string]any:
		id, _ := s["id"].(string)
		return id == did
	case []any:
		for _, e := range s {
			if m, ok := e.(map[string]any); ok {
				if id, _ := m["id"].(string); id == did {
					return true
				}
			}
		}
	}
	return false
}

// store writes a new badge, its indexes and its image in one synced write, after checking in
// the same transaction that the wallet does not hold it already.
func (w *Wallet) store(b *Badge, img *imageRecord) error {
	raw, err := json.Marshal(b)
	if err != nil {
		return err
	}
	idx, _ := json.Marshal(indexRecord{V: 1, Badge: b.ID})
	return w.db.Update(func(t *store.Txn) error {
		if dup, err := t.Get(w.space.Content(b.ContentHash)); err == nil {
			return &DuplicateError{ID: indexedID(dup), By: "content"}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if b.CredentialID != "" {
			if dup, err := t.Get(w.space.CredentialID(hashHex(b.CredentialID))); err == nil {
				return &DuplicateError{ID: indexedID(dup), By: "credential id"}
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if err := t.Set(w.space.CredentialID(hashHex(b.CredentialID)), idx); err != nil {
				return err
			}
		}
		if img != nil {
			ir, err := json.Marshal(img)
			if err != nil {
				return err
			}
			if err := t.Set(w.space.Image(b.ID), ir); err != nil {
				return err
			}
		}
		if err := t.Set(w.space.Content(b.ContentHash), idx); err != nil {
			return err
		}
		return t.Set(w.space.Badge(b.ID), raw)
	})
}

func indexedID(raw []byte) string {
	var idx indexRecord
	_ = json.Unmarshal(raw, &idx)
	return idx.Badge
}

// verifyOptions are the vc.Verify options of this wallet at this moment.
func (w *Wallet) verifyOptions(input string) vc.Options {
	return vc.Options{
		Now:                    w.cfg.Now(),
		Resolver:               w.cfg.Resolver,
		HTTPClient:             w.cfg.HTTPClient,
		UnknownStatusIsWarning: w.cfg.UnknownStatusIsWarning,
		Trust:                  w.cfg.Trust,
		Input:                  input,
	}
}

// ImportURL fetches a credential or baked image from url through the wallet's HTTP client (the
// guarded client) and imports it like Import.
func (w *Wallet) ImportURL(ctx context.Context, url string, opts ImportOptions) (*Badge, error) {
	if w.cfg.HTTPClient == nil {
		return nil, fmt.Errorf("import %s: the wallet has no HTTP client", url)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("import %s: not a usable URL: %w", url, err)
	}
	req.Header.Set("Accept", "application/vc+ld+json, application/vc+jwt, application/ld+json, application/json, image/png, image/svg+xml")
	resp, err := w.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("import %s: the server answered %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, vc.MaxInput+1))
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", url, err)
	}
	if opts.Source == "" {
		opts.Source = url
	}
	return w.Import(ctx, data, opts)
}
