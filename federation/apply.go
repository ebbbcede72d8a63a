package federation

import (
	"context"
	"errors"
	"fmt"
)

// Apply verifies an entry JWS and, if it is the next entry of its origin's
// log, stores it and updates the registry view. It returns the applied
// entry, or [ErrTooLarge], [ErrMalformed], [ErrUnknownOrigin], [ErrFrozen],
// [ErrBadSignature], [ErrOutOfScope], [ErrGap], [ErrReplay], [ErrRollback],
// [ErrBrokenChain], an [*EquivocationError] (after which the origin is
// frozen), or a storage error. ErrReplay and ErrRollback mean the entry is
// already held: nothing changed.
func (r *Registry) Apply(ctx context.Context, data []byte) (*Entry, error) {
	e, err := r.apply(ctx, data, false)
	if err != nil {
		r.alert(err)
		return nil, fmt.Errorf("apply registry entry: %w", err)
	}
	return e, nil
}

// alert calls the OnEquivocation hook when err is a new proof of
// equivocation.
func (r *Registry) alert(err error) {
	var ev *EquivocationError
	if r.cfg.OnEquivocation != nil && errors.As(err, &ev) {
		r.cfg.OnEquivocation(ev)
	}
}

// apply verifies and applies an entry; stored says the entry is already in
// storage (the node's own log appended it), so it is only verified and
// made current.
func (r *Registry) apply(ctx context.Context, data []byte, stored bool) (*Entry, error) {
	e, err := parseEntry(data, r.cfg.Limits)
	if err != nil {
		return nil, err
	}
	c := &e.Claims
	rep, err := r.replica(c.Iss)
	if err != nil {
		return nil, err
	}
	if err := verifyObject(e.token, e.KeyID, rep.keys); err != nil {
		return nil, fmt.Errorf("entry %d of %s: %w", c.Seq, c.Iss, err)
	}
	if !rep.origin.InScope(c.Sub) {
		return nil, fmt.Errorf("%w: %s may not vouch for %s", ErrOutOfScope, c.Iss, c.Sub)
	}

	rep.mu.Lock()
	defer rep.mu.Unlock()
	if rep.frozen != nil {
		return nil, fmt.Errorf("%w: %s (equivocated at seq %d)", ErrFrozen, c.Iss, rep.frozen.Seq)
	}
	switch {
	case c.Seq > rep.seq+1:
		return nil, fmt.Errorf("%w: entry %d of %s arrived but the last applied is %d; fetch from %d", ErrGap, c.Seq, c.Iss, rep.seq, rep.seq+1)
	case c.Seq <= rep.seq:
		if stored {
			return nil, fmt.Errorf("%w: entry %d of %s", ErrReplay, c.Seq, c.Iss)
		}
		held, err := r.cfg.Storage.Entry(ctx, c.Iss, c.Seq)
		if err != nil {
			return nil, err
		}
		if held == nil {
			return nil, fmt.Errorf("entry %d of %s is missing from storage", c.Seq, c.Iss)
		}
		if CIDOf(held) != e.CID {
			return nil, r.freeze(ctx, rep, c.Seq, held, e.JWS)
		}
		if c.Seq == rep.seq {
			return nil, fmt.Errorf("%w: entry %d of %s", ErrReplay, c.Seq, c.Iss)
		}
		return nil, fmt.Errorf("%w: entry %d of %s is already applied; the last is %d", ErrRollback, c.Seq, c.Iss, rep.seq)
	}
	if c.Prev != rep.last {
		return nil, fmt.Errorf("%w: entry %d of %s has prev %q, the last entry is %q", ErrBrokenChain, c.Seq, c.Iss, c.Prev, rep.last)
	}
	if !stored {
		if err := r.cfg.Storage.AppendEntry(ctx, c.Iss, c.Seq, e.JWS); err != nil {
			return nil, fmt.Errorf("store entry %d of %s: %w", c.Seq, c.Iss, err)
		}
	}
	rep.advance(e)
	return e, nil
}

// freeze records the proof of equivocation and freezes the origin; the
// caller holds rep.mu. It returns the proof as the error.
func (r *Registry) freeze(ctx context.Context, rep *replica, seq uint64, held, conflicting []byte) error {
	ev := &EquivocationError{Origin: rep.origin.EntityID, Seq: seq, Held: held, Conflicting: conflicting}
	rep.frozen = ev
	if err := r.cfg.Storage.PutEquivocation(ctx, ev.Origin, ev); err != nil {
		return fmt.Errorf("%w (and storing the proof failed: %v)", ev, err)
	}
	return ev
}
