// Package node is the issuer role of Communs: a node hosts issuers (tenants) with did:web
// identifiers and encrypted signing keys, their achievements, the badges they award (with
// content-addressed evidence), status lists for revocation, API tokens and an audit trail, and
// serves all of it over HTTP (admin API, W3C VC-API, public pages).
package node

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/communs/communs/internal/store"
)

// Node is an issuing node. It is safe for concurrent use.
type Node struct {
	cfg  Config
	db   *store.DB
	keys *KeyStore
	host string // the did:web host part (port escaped as %3A)

	handlerOnce sync.Once
	handler     http.Handler

	listMu sync.Mutex
	lists  map[string]cachedList // signed status list documents, by slug/list

	imgMu  sync.Mutex
	images map[string][]byte // default badge images, by achievement id

	notifier *notifier // award e-mails; nil without SMTP
}

// New returns a node over db, whose private keys are encrypted with masterKey (32 bytes).
func New(ctx context.Context, cfg Config, db *store.DB, masterKey []byte) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if db == nil {
		return nil, fmt.Errorf("%w: a store is required", ErrConfig)
	}
	ks, err := newKeyStore(db, masterKey, cfg.Rand)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(cfg.BaseURL)
	n := &Node{
		cfg:    cfg,
		db:     db,
		keys:   ks,
		host:   strings.ReplaceAll(u.Host, ":", "%3A"),
		lists:  map[string]cachedList{},
		images: map[string][]byte{},
	}
	if cfg.SMTP != nil {
		n.notifier = newNotifier(*cfg.SMTP, cfg.Logger, cfg.Now, cfg.Rand)
	}
	return n, nil
}

// KeyStore returns the node's key store (it signs by key id; private keys never leave it).
func (n *Node) KeyStore() *KeyStore { return n.keys }

// Config returns the node's configuration.
func (n *Node) Config() Config { return n.cfg }

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// randomID returns 26 characters of lowercase base32 of 128 random bits.
func (n *Node) randomID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(n.cfg.Rand, b[:]); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return strings.ToLower(b32.EncodeToString(b[:])), nil
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// getJSON reads key into v, mapping a missing key to ErrNotFound wrapped with what.
func getJSON(get func([]byte) ([]byte, error), key []byte, v any, what string) error {
	raw, err := get(key)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: stored record is corrupt: %w", what, err)
	}
	return nil
}

func mustJSON(v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal record: %v", err)) // records are plain structs: cannot fail
	}
	return raw
}
