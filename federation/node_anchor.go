package federation

import (
	"context"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// AddPartner adds or updates a partner (anchor role) and follows it at
// once: the anchor is a replica of every partner. It returns
// [ErrWrongRole] on a partner, and the errors of [Anchor.AddPartner].
func (n *Node) AddPartner(ctx context.Context, p Partner) (Partner, error) {
	if n.anchor == nil {
		return Partner{}, fmt.Errorf("add partner: %w: only the trust anchor keeps partners", ErrWrongRole)
	}
	p, err := n.anchor.AddPartner(ctx, p)
	if err != nil {
		return Partner{}, err
	}
	if err := n.reg.AddOrigin(ctx, p.Origin()); err != nil {
		return Partner{}, fmt.Errorf("add partner: %w", err)
	}
	return p, n.updatePeers()
}

// Expel expels a partner (anchor role): its statement is no longer
// served, the anchor stops following it at once, and partners drop it
// when the last statement they hold expires. It returns [ErrWrongRole] on
// a partner, and the errors of [Anchor.Expel].
func (n *Node) Expel(ctx context.Context, entityID string) (Partner, error) {
	if n.anchor == nil {
		return Partner{}, fmt.Errorf("expel: %w: only the trust anchor keeps partners", ErrWrongRole)
	}
	p, err := n.anchor.Expel(ctx, entityID)
	if err != nil {
		return Partner{}, err
	}
	n.reg.RemoveOrigin(entityID)
	return p, n.updatePeers()
}

// Partners returns the anchor's partner records, expelled ones included
// (anchor role; nil on a partner).
func (n *Node) Partners() []Partner {
	if n.anchor == nil {
		return nil
	}
	return n.anchor.Partners()
}

// AnchorJWKS returns the trust anchor's public keys: on the anchor, the
// JWKS to hand to partners for pinning; on a partner, the pinned keys.
func (n *Node) AnchorJWKS() jose.JSONWebKeySet {
	if n.anchor != nil {
		return n.anchor.JWKS()
	}
	return n.cfg.AnchorKeys
}
