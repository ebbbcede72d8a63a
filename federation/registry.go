package federation

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Config configures a [Registry].
type Config struct {
	// Storage persists verified entries, heads and equivocation proofs.
	Storage Storage
	// Now is the clock (heads' expiry, staleness).
	Now func() time.Time
	// Limits bound accepted entries and heads.
	Limits Limits
	// OnEquivocation, when set, is called once with the proof when an
	// origin is found to equivocate (after the proof is stored and the
	// origin frozen, outside the registry's locks).
	OnEquivocation func(*EquivocationError)
}

// DefaultConfig returns a configuration with in-memory storage, the wall
// clock and [DefaultLimits].
func DefaultConfig() Config {
	return Config{Storage: NewMemStorage(), Now: time.Now, Limits: DefaultLimits()}
}

// Validate reports an unusable configuration ([ErrInvalidConfig]).
func (c Config) Validate() error {
	switch {
	case c.Storage == nil:
		return fmt.Errorf("%w: no storage", ErrInvalidConfig)
	case c.Now == nil:
		return fmt.Errorf("%w: no clock", ErrInvalidConfig)
	case c.Limits.MaxEntryBytes <= 0 || c.Limits.MaxHeadBytes <= 0 || c.Limits.MaxIssuerKeys <= 0 || c.Limits.MaxStringBytes <= 0:
		return fmt.Errorf("%w: every limit must be positive", ErrInvalidConfig)
	}
	return nil
}

// Registry holds verified replicas of origins' logs (the state machine of
// docs/federation.md) and the registry view they make. It is safe for
// concurrent use; each origin's replica applies one object at a time.
type Registry struct {
	cfg     Config
	mu      sync.RWMutex
	origins map[string]*replica
}

// replica is the state of one origin's log.
type replica struct {
	origin Origin
	keys   originKeys

	mu      sync.Mutex
	seq     uint64
	last    string
	current map[string]*Entry // latest entry per sub
	head    *Head
	frozen  *EquivocationError
}

// NewRegistry returns an empty registry.
func NewRegistry(cfg Config) (*Registry, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new registry: %w", err)
	}
	return &Registry{cfg: cfg, origins: map[string]*replica{}}, nil
}

// AddOrigin starts following an origin as attested by the trust anchor, or
// replaces its keys and scope. Its replica is rebuilt from storage: the
// chain of stored entries is checked again (they were verified when
// stored), with the best head and any equivocation proof. It returns
// [ErrInvalidConfig] or a storage error.
func (r *Registry) AddOrigin(ctx context.Context, o Origin) error {
	ks, err := o.compile()
	if err != nil {
		return fmt.Errorf("add origin: %w", err)
	}
	o.Scope = append([]string(nil), o.Scope...)
	rep := &replica{origin: o, keys: ks, current: map[string]*Entry{}}
	st := r.cfg.Storage
	err = st.Entries(ctx, o.EntityID, 0, func(seq uint64, jws []byte) error {
		e, err := parseEntry(jws, r.cfg.Limits)
		if err != nil {
			return fmt.Errorf("stored entry %d: %w", seq, err)
		}
		if c := e.Claims; c.Iss != o.EntityID || c.Seq != seq || c.Seq != rep.seq+1 || c.Prev != rep.last {
			return fmt.Errorf("stored entry %d: %w: does not continue the stored chain", seq, ErrBrokenChain)
		}
		rep.advance(e)
		return nil
	})
	if err != nil {
		return fmt.Errorf("add origin %s: %w", o.EntityID, err)
	}
	if raw, err := st.Head(ctx, o.EntityID); err != nil {
		return fmt.Errorf("add origin %s: %w", o.EntityID, err)
	} else if raw != nil {
		if rep.head, err = ParseHead(raw, r.cfg.Limits); err != nil {
			return fmt.Errorf("add origin %s: stored head: %w", o.EntityID, err)
		}
	}
	if rep.frozen, err = st.Equivocation(ctx, o.EntityID); err != nil {
		return fmt.Errorf("add origin %s: %w", o.EntityID, err)
	}
	r.mu.Lock()
	r.origins[o.EntityID] = rep
	r.mu.Unlock()
	return nil
}

// RemoveOrigin stops following an origin (an expelled partner): its
// entries leave the registry view. Stored objects are kept.
func (r *Registry) RemoveOrigin(entityID string) {
	r.mu.Lock()
	delete(r.origins, entityID)
	r.mu.Unlock()
}

func (r *Registry) replica(entityID string) (*replica, error) {
	r.mu.RLock()
	rep := r.origins[entityID]
	r.mu.RUnlock()
	if rep == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownOrigin, entityID)
	}
	return rep, nil
}

// advance makes e the last entry; the caller holds rep.mu or owns rep.
func (rep *replica) advance(e *Entry) {
	rep.seq, rep.last = e.Claims.Seq, e.CID
	e.token = nil
	rep.current[e.Claims.Sub] = e
}
