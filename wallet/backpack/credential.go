package backpack

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/wallet"
)

// credentialOf parses a stored badge's credential (a JWT's payload, or its VC 1.1 vc claim).
func credentialOf(bd *wallet.Badge) (*vc.Credential, error) {
	raw := []byte(bd.Credential)
	if bd.Format == wallet.FormatJWT {
		parts := strings.Split(bd.JWT(), ".")
		if len(parts) != 3 {
			return nil, wallet.ErrCorrupt
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			return nil, wallet.ErrCorrupt
		}
		var claims map[string]json.RawMessage
		if err := json.Unmarshal(payload, &claims); err != nil {
			return nil, wallet.ErrCorrupt
		}
		raw = payload
		if inner, ok := claims["vc"]; ok {
			raw = inner
		}
	}
	return vc.ParseCredential(raw)
}

// statusOf is what a badge's last verification says about it: valid, revoked, suspended,
// expired, unknown (status not readable) or invalid.
func statusOf(bd *wallet.Badge) string {
	if bd.Report == nil {
		return web.StatusUnknown
	}
	switch st := bd.Report.State(); st {
	case vc.StateValid:
		if bd.Verified {
			return web.StatusValid
		}
	case vc.StateRevoked, vc.StateSuspended, vc.StateExpired, vc.StateUnknown:
		return string(st)
	}
	return "invalid"
}

// item is the list entry of a badge.
func item(bd *wallet.Badge, imageURL, lang string) badgeItem {
	it := badgeItem{Lang: lang, ID: bd.ID, Image: imageURL, URL: "/backpack/badges/" + bd.ID, Status: statusOf(bd), Verified: bd.Verified}
	if s := bd.Summary; s != nil {
		it.Name, it.IssuerName = firstNonEmpty(s.Achievement, s.Name), firstNonEmpty(s.IssuerName, s.IssuerID)
		if t, err := vc.ParseDateTime(s.ValidFrom); err == nil {
			it.IssuedOn = t
		}
	}
	if it.Name == "" {
		it.Name = bd.ID
	}
	it.Reason = bd.Reason
	if bd.Report != nil {
		it.Reason = web.ReportReason(lang, bd.Report)
	}
	return it
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// fresh re-verifies the badges whose last verification is older than ReverifyAfter (status
// can change: revoked, expired), four at a time, and returns the list with the new reports.
// A badge that cannot be re-verified keeps its last report.
func (b *Backpack) fresh(ctx context.Context, w *wallet.Wallet, list []*wallet.Badge) []*wallet.Badge {
	now := b.cfg.Now()
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, bd := range list {
		if now.Sub(bd.VerifiedAt) < b.cfg.ReverifyAfter {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if nb, err := w.Reverify(ctx, bd.ID); err == nil {
				list[i] = nb
			}
		}()
	}
	wg.Wait()
	return list
}
