package node

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
)

// Token roles.
const (
	RoleAdmin = "admin" // node admin: everything
	RoleStaff = "staff" // one issuer: its achievements, awards and revocations
)

// TokenPrefix starts every API token.
const TokenPrefix = "cmt_"

// Token is a stored API token (the secret itself is not stored, only its SHA-256).
type Token struct {
	V         int       `json:"v"`
	ID        string    `json:"id"`
	Role      string    `json:"role"`
	Issuer    string    `json:"issuer,omitempty"`
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	Created   time.Time `json:"created"`
}

// TokenRequest asks for a new token.
type TokenRequest struct {
	Role      string    `json:"role"`
	Issuer    string    `json:"issuer,omitempty"`
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// CreateToken makes a token and returns its secret (shown once) and record.
// Errors: ErrInvalid, ErrNotFound (unknown issuer).
func (n *Node) CreateToken(ctx context.Context, req TokenRequest) (string, *Token, error) {
	id, err := n.randomID()
	if err != nil {
		return "", nil, err
	}
	secret, err := n.randomID()
	if err != nil {
		return "", nil, err
	}
	secret = TokenPrefix + secret
	tok, err := n.putToken(ctx, secret, id, req)
	return secret, tok, err
}

// ProvisionAdminToken stores secret as an admin token (from COMMUNS_ADMIN_TOKEN or a token
// file); provisioning the same secret again is a no-op.
func (n *Node) ProvisionAdminToken(ctx context.Context, secret string) (*Token, error) {
	if len(secret) < 16 {
		return nil, fmt.Errorf("provision admin token: %w: it must be at least 16 characters", ErrInvalid)
	}
	if tok, err := n.lookupToken(secret); err == nil {
		return tok, nil
	}
	id, err := n.randomID()
	if err != nil {
		return nil, err
	}
	return n.putToken(ctx, secret, id, TokenRequest{Role: RoleAdmin})
}

func (n *Node) putToken(ctx context.Context, secret, id string, req TokenRequest) (*Token, error) {
	switch req.Role {
	case RoleAdmin:
		if req.Issuer != "" {
			return nil, fmt.Errorf("create token: %w: an admin token is not tied to an issuer", ErrInvalid)
		}
	case RoleStaff:
		if req.Issuer == "" {
			return nil, fmt.Errorf("create token: %w: a staff token needs an issuer", ErrInvalid)
		}
		if _, err := n.Issuer(ctx, req.Issuer); err != nil {
			return nil, fmt.Errorf("create token: %w", err)
		}
	default:
		return nil, fmt.Errorf("create token: %w: role must be %q or %q", ErrInvalid, RoleAdmin, RoleStaff)
	}
	if !req.ExpiresAt.IsZero() && !req.ExpiresAt.After(n.cfg.Now()) {
		return nil, fmt.Errorf("create token: %w: expiresAt is in the past", ErrInvalid)
	}
	tok := &Token{V: 1, ID: id, Role: req.Role, Issuer: req.Issuer, ExpiresAt: req.ExpiresAt.UTC(), Created: n.cfg.Now().UTC()}
	h := hashHex(secret)
	err := n.db.Update(func(t *store.Txn) error {
		t.Set(store.KeyToken(h), mustJSON(tok))
		t.Set(store.KeyTokenID(id), mustJSON(map[string]any{"v": 1, "hash": h}))
		return n.audit(t, "token.create", actorOf(ctx), req.Issuer, id)
	})
	if err != nil {
		return nil, fmt.Errorf("create token: %w", err)
	}
	return tok, nil
}

func (n *Node) lookupToken(secret string) (*Token, error) {
	var tok Token
	if err := getJSON(n.db.Get, store.KeyToken(hashHex(secret)), &tok, "token"); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, ErrUnauthorized
		}
		return nil, err
	}
	return &tok, nil
}

// Authenticate returns the token whose secret is given. Errors: ErrUnauthorized (unknown,
// malformed or expired).
func (n *Node) Authenticate(ctx context.Context, secret string) (*Token, error) {
	if secret == "" {
		return nil, fmt.Errorf("%w: send Authorization: Bearer <token>", ErrUnauthorized)
	}
	tok, err := n.lookupToken(secret)
	if err != nil {
		return nil, err
	}
	if !tok.ExpiresAt.IsZero() && !n.cfg.Now().Before(tok.ExpiresAt) {
		return nil, fmt.Errorf("%w: the token expired at %s", ErrUnauthorized, tok.ExpiresAt.Format(time.RFC3339))
	}
	return tok, nil
}

// Allows reports whether the token may act on issuer slug ("" = node-wide actions).
func (t *Token) Allows(slug string) bool {
	if t.Role == RoleAdmin {
		return true
	}
	return slug != "" && t.Role == RoleStaff && t.Issuer == slug
}

// DeleteToken removes the token id. Errors: ErrNotFound.
func (n *Node) DeleteToken(ctx context.Context, id string) error {
	if strings.ContainsRune(id, '/') {
		return fmt.Errorf("delete token: %w", ErrNotFound)
	}
	return n.db.Update(func(t *store.Txn) error {
		var ref struct {
			Hash string `json:"hash"`
		}
		if err := getJSON(t.Get, store.KeyTokenID(id), &ref, "token "+id); err != nil {
			return err
		}
		t.Delete(store.KeyToken(ref.Hash))
		t.Delete(store.KeyTokenID(id))
		return n.audit(t, "token.delete", actorOf(ctx), "", id)
	})
}
