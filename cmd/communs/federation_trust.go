package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/communs/communs/federation"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/vc/keys"
)

// registryTrust is a vc.IssuerTrust over HTTP: it asks a federation node's issuer API
// (GET {base}/api/v1/issuers/{did}) whether an issuer is recognised, for `communs verify
// --registry URL`. Its client should be the guarded one; resolver (nil: no comparison) resolves
// the badge's verification method to compare its key with the registry's issuer keys.
type registryTrust struct {
	base     string
	client   *http.Client
	resolver did.Resolver
}

// newRegistryTrust checks the registry node's base URL (https, or http on a loopback host).
func newRegistryTrust(base string, client *http.Client, resolver did.Resolver) (*registryTrust, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("--registry %q must be a node's base URL like https://registry.example.org", base)
	}
	if u.Scheme == "http" && !did.IsLoopbackHost(u.Host) {
		return nil, fmt.Errorf("--registry %q must use https:// (plain http only on a loopback address)", base)
	}
	return &registryTrust{base: strings.TrimSuffix(base, "/"), client: client, resolver: resolver}, nil
}

// Recognize implements vc.IssuerTrust.
func (t *registryTrust) Recognize(ctx context.Context, issuerID, keyID string) (vc.Recognition, error) {
	a, err := t.assess(ctx, issuerID)
	if err != nil {
		return vc.Recognition{}, err
	}
	rec := vc.Recognition{Recognized: a.Recognized, Status: a.Status}
	if rec.Status == "" {
		rec.Status = "unknown"
	}
	for _, v := range a.VouchedBy {
		if v.Status == federation.StatusActive && !v.Stale && !v.Frozen {
			rec.VouchedBy = append(rec.VouchedBy, vc.Voucher{EntityID: v.EntityID, Name: v.OrganizationName, Since: v.RegisteredAt})
		}
	}
	if !rec.Recognized || keyID == "" || len(a.IssuerKeys) == 0 || t.resolver == nil {
		return rec, nil
	}
	if strings.HasPrefix(keyID, "#") {
		keyID = issuerID + keyID
	}
	vm, _, err := did.ResolveVerificationMethod(ctx, t.resolver, keyID)
	if err != nil {
		return vc.Recognition{}, fmt.Errorf("registry: resolve signing key %s: %w", keyID, err)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return vc.Recognition{}, fmt.Errorf("registry: signing key %s: %w", keyID, err)
	}
	mk, err := keys.EncodeMultikey(pub)
	if err != nil {
		return vc.Recognition{}, fmt.Errorf("registry: signing key %s: %w", keyID, err)
	}
	listed := false
	for _, k := range a.IssuerKeys {
		listed = listed || k == mk
	}
	rec.KeyListed = &listed
	return rec, nil
}

// assess fetches the registry node's answer about issuerID.
func (t *registryTrust) assess(ctx context.Context, issuerID string) (*federation.IssuerAssessment, error) {
	if !strings.HasPrefix(issuerID, "did:") || strings.ContainsAny(issuerID, "/?#") {
		return nil, fmt.Errorf("registry: issuer %q is not a DID the registry can be asked about", issuerID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.base+federation.PathIssuers+issuerID, nil)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("registry %s could not be reached: %w", t.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("registry %s answered HTTP %d about %s (is it a federation node?)", t.base, resp.StatusCode, issuerID)
	}
	var a federation.IssuerAssessment
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&a); err != nil {
		return nil, fmt.Errorf("registry %s: the answer is not an issuer assessment: %w", t.base, err)
	}
	if a.DID == "" {
		return nil, errors.New("registry: the answer names no DID")
	}
	return &a, nil
}
