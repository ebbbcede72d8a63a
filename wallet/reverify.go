package wallet

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
)

// Reverify verifies a stored badge again (its status may have changed: revoked, expired) and
// stores the new report. It returns the updated badge, or ErrNotFound.
func (w *Wallet) Reverify(ctx context.Context, ref string) (*Badge, error) {
	b, err := w.Get(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("reverify: %w", err)
	}
	rep, err := vc.Verify(ctx, b.Raw(), w.verifyOptions(b.Source))
	if err != nil {
		return nil, fmt.Errorf("reverify %s: %w", b.ID, err)
	}
	b.setReport(rep)
	b.VerifiedAt = w.cfg.Now().UTC()
	if rep.Credential != nil && w.holder != nil {
		b.BoundToHolder = subjectIs(rep.Credential, w.holder.DID)
	}
	raw, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	err = w.db.Update(func(t *store.Txn) error {
		// The badge may have been deleted meanwhile: do not bring it back.
		if ok, err := t.Has(w.space.Badge(b.ID)); err != nil || !ok {
			if err == nil {
				err = ErrNotFound
			}
			return err
		}
		return t.Set(w.space.Badge(b.ID), raw)
	})
	if err != nil {
		return nil, fmt.Errorf("reverify %s: %w", b.ID, err)
	}
	return b, nil
}
