package main

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/wallet"
	"github.com/communs/communs/wallet/backpack"
)

// newBackpack opens the node's hosted backpack over the node's store. Its secret is derived
// from the master key (HKDF-SHA256), so one key file protects issuers' and learners' keys, each
// under its own derived key. client is the node's guarded HTTP client; trust (nil: none) says
// which issuers the federation recognises; clients says how rate limits tell clients apart;
// sendMail (nil: none) sends password-reset e-mails.
func newBackpack(db *store.DB, master []byte, base string, client *http.Client, allowHTTPDIDs bool, trust vc.IssuerTrust, clients httpx.RateLimitOptions, sendMail func(ctx context.Context, to, subject, body, ref string) error, logger *slog.Logger) (*backpack.Backpack, error) {
	secret, err := hkdf.Key(sha256.New, master, nil, "communs hosted backpack", 32)
	if err != nil {
		return nil, err
	}
	cfg := backpack.DefaultConfig()
	cfg.DB, cfg.Secret, cfg.BaseURL, cfg.NodeName, cfg.Logger = db, secret, base, "Communs", logger
	wc := wallet.DefaultConfig()
	wc.HTTPClient, wc.Trust = client, trust
	wc.AssetClient = httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: allowHTTPDIDs, MaxBodyBytes: wallet.MaxEvidenceBytes, CacheTTL: -1})
	wc.Resolver = did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: allowHTTPDIDs})
	cfg.Wallet = wc
	cfg.ClientAddr = httpx.NewRateLimiter(clients).ClientKey
	cfg.SendMail = sendMail
	bp, err := backpack.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("hosted backpack: %w", err)
	}
	return bp, nil
}
