package federation

import (
	"slices"
	"time"
)

// Vouch is one origin's current word on an issuer DID: its latest entry.
type Vouch struct {
	// Origin is the entity id of the vouching partner.
	Origin       string
	DID          string
	Status       Status
	StatusReason string
	// RegisteredAt is when the origin first vouched ("vouched since").
	RegisteredAt time.Time
	EffectiveAt  time.Time
	// RenewBy is zero when the entry sets no renewal date.
	RenewBy    time.Time
	Seq        uint64
	EntryCID   string
	IssuerKeys []string
	Metadata   Metadata
	// Frozen is set when the origin equivocated: its word is not to be
	// trusted.
	Frozen bool
	// Stale is set when the origin has no unexpired head.
	Stale bool
}

// OriginState summarizes a replica.
type OriginState struct {
	EntityID string
	// Seq and LastCID name the last applied entry (0, "" when none).
	Seq     uint64
	LastCID string
	// HeadSeq, HeadIssued and HeadExpires describe the best head (zero
	// when none).
	HeadSeq     uint64
	HeadIssued  time.Time
	HeadExpires time.Time
	// Stale is set when there is no head or it has expired.
	Stale bool
	// Equivocation is the proof held when the origin is frozen.
	Equivocation *EquivocationError
}

// Lookup returns every followed origin's current entry about did, in origin
// order. Entries outside an origin's current scope are left out (the anchor
// may have narrowed it). An empty result means no origin vouches for did.
func (r *Registry) Lookup(did string) []Vouch {
	now := r.cfg.Now()
	r.mu.RLock()
	reps := make([]*replica, 0, len(r.origins))
	for _, rep := range r.origins {
		reps = append(reps, rep)
	}
	r.mu.RUnlock()
	var out []Vouch
	for _, rep := range reps {
		if !rep.origin.InScope(did) {
			continue
		}
		rep.mu.Lock()
		e := rep.current[did]
		frozen, stale := rep.frozen != nil, rep.stale(now)
		rep.mu.Unlock()
		if e == nil {
			continue
		}
		c := e.Claims
		v := Vouch{
			Origin: c.Iss, DID: c.Sub, Status: c.Status, StatusReason: c.StatusReason,
			RegisteredAt: time.Unix(c.RegisteredAt, 0).UTC(), EffectiveAt: time.Unix(c.EffectiveAt, 0).UTC(),
			Seq: c.Seq, EntryCID: e.CID, IssuerKeys: slices.Clone(c.IssuerKeys), Metadata: c.Metadata,
			Frozen: frozen, Stale: stale,
		}
		if c.RenewBy != 0 {
			v.RenewBy = time.Unix(c.RenewBy, 0).UTC()
		}
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b Vouch) int {
		switch {
		case a.Origin < b.Origin:
			return -1
		case a.Origin > b.Origin:
			return 1
		}
		return 0
	})
	return out
}

// OriginState returns the state of a followed origin's replica.
func (r *Registry) OriginState(entityID string) (OriginState, bool) {
	rep, err := r.replica(entityID)
	if err != nil {
		return OriginState{}, false
	}
	now := r.cfg.Now()
	rep.mu.Lock()
	defer rep.mu.Unlock()
	s := OriginState{EntityID: entityID, Seq: rep.seq, LastCID: rep.last, Stale: rep.stale(now)}
	if rep.head != nil {
		s.HeadSeq, s.HeadExpires = rep.head.Claims.Seq, time.Unix(rep.head.Claims.Exp, 0).UTC()
		s.HeadIssued = time.Unix(rep.head.Claims.Iat, 0).UTC()
	}
	if rep.frozen != nil {
		c := *rep.frozen
		s.Equivocation = &c
	}
	return s, true
}

// stale reports whether the replica lacks an unexpired head.
func (rep *replica) stale(now time.Time) bool {
	return rep.head == nil || !now.Before(time.Unix(rep.head.Claims.Exp, 0))
}
