package federation

import (
	"context"
	"fmt"
	"time"
)

// HeadResult says what [Registry.ApplyHead] did with a valid head.
type HeadResult struct {
	// Accepted is false for a replayed older (or no fresher) head, which is
	// ignored.
	Accepted bool
	// Seq is the head's seq.
	Seq uint64
	// Missing counts the entries the replica lacks up to the head: fetch
	// the log after [OriginState.Seq].
	Missing uint64
}

// ApplyHead verifies an origin's head and keeps it if it is the best known.
// A head older than the best one held is ignored (Accepted false, no
// error). It returns [ErrTooLarge], [ErrMalformed], [ErrUnknownOrigin],
// [ErrFrozen], [ErrBadSignature], [ErrHeadExpired] (the origin is stale),
// an [*EquivocationError] when the head contradicts an entry or head held,
// or a storage error.
func (r *Registry) ApplyHead(ctx context.Context, data []byte) (HeadResult, error) {
	res, err := r.applyHead(ctx, data)
	if err != nil {
		r.alert(err)
		return HeadResult{}, fmt.Errorf("apply registry head: %w", err)
	}
	return res, nil
}

func (r *Registry) applyHead(ctx context.Context, data []byte) (HeadResult, error) {
	h, err := ParseHead(data, r.cfg.Limits)
	if err != nil {
		return HeadResult{}, err
	}
	c := &h.Claims
	rep, err := r.replica(c.Iss)
	if err != nil {
		return HeadResult{}, err
	}
	if err := verifyObject(h.token, h.KeyID, rep.keys); err != nil {
		return HeadResult{}, fmt.Errorf("head %d of %s: %w", c.Seq, c.Iss, err)
	}
	h.token = nil
	if now := r.cfg.Now(); !now.Before(time.Unix(c.Exp, 0)) {
		return HeadResult{}, fmt.Errorf("%w: head %d of %s expired at %s", ErrHeadExpired, c.Seq, c.Iss, time.Unix(c.Exp, 0).UTC().Format(time.RFC3339))
	}

	rep.mu.Lock()
	defer rep.mu.Unlock()
	if rep.frozen != nil {
		return HeadResult{}, fmt.Errorf("%w: %s (equivocated at seq %d)", ErrFrozen, c.Iss, rep.frozen.Seq)
	}
	if c.Seq > 0 && c.Seq <= rep.seq {
		held, err := r.cfg.Storage.Entry(ctx, c.Iss, c.Seq)
		if err != nil {
			return HeadResult{}, err
		}
		if held != nil && CIDOf(held) != c.Head {
			return HeadResult{}, r.freeze(ctx, rep, c.Seq, held, h.JWS)
		}
	}
	if best := rep.head; best != nil {
		if c.Seq == best.Claims.Seq && c.Head != best.Claims.Head {
			return HeadResult{}, r.freeze(ctx, rep, c.Seq, best.JWS, h.JWS)
		}
		if c.Seq < best.Claims.Seq || (c.Seq == best.Claims.Seq && c.Exp <= best.Claims.Exp) {
			return HeadResult{Seq: c.Seq}, nil
		}
	}
	if err := r.cfg.Storage.PutHead(ctx, c.Iss, h.JWS); err != nil {
		return HeadResult{}, fmt.Errorf("store head of %s: %w", c.Iss, err)
	}
	rep.head = h
	res := HeadResult{Accepted: true, Seq: c.Seq}
	if c.Seq > rep.seq {
		res.Missing = c.Seq - rep.seq
	}
	return res, nil
}
