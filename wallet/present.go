package wallet

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"

	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/keys"
)

// Present builds a Verifiable Presentation of the badges refs (wallet ids or credential ids),
// holder = the wallet's did:key, signed with eddsa-rdfc-2022 for proof purpose authentication
// and bound to challenge and domain when they are given. It verifies the presentation with
// vc.Verify and returns it (JSON) with that report; a presentation that holds a badge which no
// longer verifies is returned with a report that says so. VC-JWT badges are enveloped
// (EnvelopedVerifiableCredential with a data: URL).
func (w *Wallet) Present(ctx context.Context, refs []string, challenge, domain string) ([]byte, *vc.Report, error) {
	if w.holder == nil {
		return nil, nil, fmt.Errorf("present: %w", ErrNotInitialized)
	}
	if len(refs) == 0 {
		return nil, nil, fmt.Errorf("present: name at least one badge")
	}
	creds := make([]any, 0, len(refs))
	seen := map[string]bool{}
	for _, ref := range refs {
		b, err := w.Get(ctx, ref)
		if err != nil {
			return nil, nil, fmt.Errorf("present: %w", err)
		}
		if seen[b.ID] {
			continue
		}
		seen[b.ID] = true
		if b.Format == FormatJWT {
			creds = append(creds, map[string]any{
				"@context": vc.ContextV2,
				"id":       "data:application/vc+jwt," + b.JWT(),
				"type":     "EnvelopedVerifiableCredential",
			})
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(b.Credential, &m); err != nil {
			return nil, nil, fmt.Errorf("present: badge %s: %w: %v", b.ID, ErrCorrupt, err)
		}
		creds = append(creds, m)
	}
	id, err := uuidURN(w.cfg.Rand)
	if err != nil {
		return nil, nil, fmt.Errorf("present: %w", err)
	}
	vp := map[string]any{
		"@context":             []any{vc.ContextV2},
		"id":                   id,
		"type":                 []any{vc.TypeVP},
		"holder":               w.holder.DID,
		"verifiableCredential": creds,
	}
	signer, err := keys.SignerFor(ctx, w.ks, w.holder.KeyID)
	if err != nil {
		return nil, nil, fmt.Errorf("present: %w", err)
	}
	signed, err := dataintegrity.Sign(ctx, vp, dataintegrity.Options{
		VerificationMethod: w.holder.KeyID,
		ProofPurpose:       "authentication",
		Created:            w.cfg.Now(),
		Challenge:          challenge,
		Domain:             domain,
	}, signer)
	if err != nil {
		return nil, nil, fmt.Errorf("present: sign: %w", err)
	}
	out, err := json.MarshalIndent(signed, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	opts := w.verifyOptions("presentation")
	opts.Challenge, opts.Domain = challenge, domain
	rep, err := vc.Verify(ctx, out, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("present: %w", err)
	}
	return out, rep, nil
}

// uuidURN returns a random (version 4) UUID as a urn:uuid: URI.
func uuidURN(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var u [16]byte
	if _, err := io.ReadFull(r, u[:]); err != nil {
		return "", err
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]), nil
}
