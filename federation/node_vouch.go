package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// VouchRequest is what a partner says about an issuer it vouches for.
type VouchRequest struct {
	// DID is the issuer's DID; it must be within the node's scope.
	DID string
	// IssuerKeys are the issuer's public keys as Multikeys (z6Mk…, zDn…).
	IssuerKeys []string
	// Organization describes the issuer (name, homepage, logo, …).
	Organization FederationEntity
	// RenewBy, when set, promises a new entry before then.
	RenewBy time.Time
	// Reason is an optional status reason.
	Reason string
}

// Vouch appends an active entry about req.DID to the node's log (a first
// vouch, a reinstatement after a suspension, or new keys or metadata); a
// DID vouched for before keeps its registered_at. It returns
// [ErrWrongRole] on the anchor, [ErrNotAttested] before the anchor attests
// this node, [ErrOutOfScope], [ErrMalformed] for bad keys or metadata, or a
// storage error.
func (n *Node) Vouch(ctx context.Context, req VouchRequest) (*Entry, error) {
	n.writeMu.Lock()
	defer n.writeMu.Unlock()
	e, err := n.append(ctx, req.DID, StatusActive, req.Reason, func(c *EntryClaims) {
		c.IssuerKeys = slices.Clone(req.IssuerKeys)
		c.Metadata = Metadata{FederationEntity: req.Organization}
		if !req.RenewBy.IsZero() {
			c.RenewBy = req.RenewBy.Unix()
		}
	})
	if err != nil {
		return nil, fmt.Errorf("vouch for %s: %w", req.DID, err)
	}
	return e, nil
}

// Suspend appends a suspended entry about did, keeping its keys and
// metadata. It returns [ErrNotVouched] when the node never vouched for
// did, and the errors of [Node.Vouch].
func (n *Node) Suspend(ctx context.Context, did, reason string) (*Entry, error) {
	return n.setStatus(ctx, did, StatusSuspended, reason)
}

// Revoke appends a revoked entry (a tombstone) about did. It returns the
// errors of [Node.Suspend].
func (n *Node) Revoke(ctx context.Context, did, reason string) (*Entry, error) {
	return n.setStatus(ctx, did, StatusRevoked, reason)
}

func (n *Node) setStatus(ctx context.Context, did string, st Status, reason string) (*Entry, error) {
	n.writeMu.Lock()
	defer n.writeMu.Unlock()
	e, err := n.append(ctx, did, st, reason, nil)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", map[Status]string{StatusSuspended: "suspend", StatusRevoked: "revoke"}[st], did, err)
	}
	return e, nil
}

// append signs the next entry about did; the caller holds writeMu. When
// set is nil the current entry's keys and metadata are carried over (and
// there must be one).
func (n *Node) append(ctx context.Context, did string, st Status, reason string, set func(*EntryClaims)) (*Entry, error) {
	if n.log == nil {
		return nil, fmt.Errorf("%w: the trust anchor keeps no log; vouch from a partner node", ErrWrongRole)
	}
	own, ok := n.ownOrigin()
	if !ok {
		return nil, ErrNotAttested
	}
	if !own.InScope(did) {
		return nil, fmt.Errorf("%w: the anchor lets %s vouch for %v only", ErrOutOfScope, n.cfg.EntityID, own.Scope)
	}
	n.catchUpOwn(ctx)
	c := EntryClaims{Sub: did, Status: st, StatusReason: reason}
	cur := n.ownEntry(did)
	if cur != nil {
		c.RegisteredAt = cur.RegisteredAt.Unix()
		c.IssuerKeys, c.Metadata = cur.IssuerKeys, cur.Metadata
		if !cur.RenewBy.IsZero() {
			c.RenewBy = cur.RenewBy.Unix()
		}
	}
	if set != nil {
		set(&c)
	} else if cur == nil {
		return nil, ErrNotVouched
	}
	e, err := n.log.Append(ctx, c, n.cfg.Signer)
	if err != nil {
		return nil, err
	}
	if _, err := n.reg.apply(ctx, e.JWS, true); err != nil {
		return nil, fmt.Errorf("entry %d is stored but the registry refused it: %w", e.Claims.Seq, err)
	}
	n.refreshOwnHead(ctx)
	return e, nil
}

// ownOrigin returns this node's origin as the anchor attests it.
func (n *Node) ownOrigin() (Origin, bool) {
	n.mu.RLock()
	s := n.statements[n.cfg.EntityID]
	n.mu.RUnlock()
	if s == nil || !n.cfg.Now().Before(s.Expires) {
		return Origin{}, false
	}
	return s.Origin, true
}

// attested reports whether the anchor currently attests this node.
func (n *Node) attested() bool {
	_, ok := n.ownOrigin()
	return ok
}

// ownEntry returns the node's own current entry about did (nil when none).
func (n *Node) ownEntry(did string) *Vouch {
	for _, v := range n.reg.Lookup(did) {
		if v.Origin == n.cfg.EntityID {
			return &v
		}
	}
	return nil
}

// EnsureVouched makes the node vouch for each request's DID unless it
// already does with the same keys and metadata (for the node's own hosted
// issuers, at start and whenever they change). A DID the node suspended or
// revoked is left as it is: that was an operator's decision. The requests
// are remembered and applied again after each refresh from the anchor, so
// a node not attested yet vouches once it is; [ErrNotAttested] is then
// returned meanwhile. Other errors are those of [Node.Vouch], joined.
func (n *Node) EnsureVouched(ctx context.Context, reqs ...VouchRequest) error {
	if n.log == nil {
		return fmt.Errorf("ensure vouched: %w: the trust anchor keeps no log", ErrWrongRole)
	}
	n.mu.Lock()
	for _, r := range reqs {
		n.wanted[r.DID] = r
	}
	n.mu.Unlock()
	if !n.attested() {
		return fmt.Errorf("ensure vouched: %w; the requests are applied once it is", ErrNotAttested)
	}
	return n.reconcile(ctx)
}

// reconcile applies the EnsureVouched requests.
func (n *Node) reconcile(ctx context.Context) error {
	n.mu.RLock()
	wanted := make([]VouchRequest, 0, len(n.wanted))
	for _, r := range n.wanted {
		wanted = append(wanted, r)
	}
	n.mu.RUnlock()
	slices.SortFunc(wanted, func(a, b VouchRequest) int { return strings.Compare(a.DID, b.DID) })
	var errs []error
	for _, r := range wanted {
		cur := n.ownEntry(r.DID)
		if cur != nil && (cur.Status != StatusActive || (slices.Equal(cur.IssuerKeys, r.IssuerKeys) && cur.Metadata.FederationEntity == r.Organization)) {
			continue
		}
		if _, err := n.Vouch(ctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
