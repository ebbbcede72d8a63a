package federation

import (
	"context"
	"crypto"
	"fmt"
	"sync"
	"time"
)

// Log is an origin's own registry log: the single writer that assigns seq
// and prev, signs entries and heads, and persists entries before it
// acknowledges them. It is safe for concurrent use.
type Log struct {
	mu       sync.Mutex
	entityID string
	store    Storage
	now      func() time.Time
	seq      uint64
	last     string
}

// OpenLog opens origin entityID's log kept in store, resuming after its
// last stored entry. now may be nil (time.Now).
func OpenLog(ctx context.Context, entityID string, store Storage, now func() time.Time) (*Log, error) {
	if err := checkEntityID(entityID); err != nil {
		return nil, fmt.Errorf("open log: %w: %v", ErrInvalidConfig, err)
	}
	if now == nil {
		now = time.Now
	}
	l := &Log{entityID: entityID, store: store, now: now}
	err := store.Entries(ctx, entityID, 0, func(seq uint64, jws []byte) error {
		l.seq, l.last = seq, CIDOf(jws)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open log %s: %w", entityID, err)
	}
	return l, nil
}

// Append signs c as the next entry of the log with signer (an ECDSA P-256
// key the trust anchor attests) and stores it. It fills iss, seq, prev and
// iat (and effective_at and registered_at when zero) and returns the entry
// and its CID.
func (l *Log) Append(ctx context.Context, c EntryClaims, signer crypto.Signer) (*Entry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now().Unix()
	c.Iss, c.Seq, c.Prev, c.Iat = l.entityID, l.seq+1, l.last, now
	if c.EffectiveAt == 0 {
		c.EffectiveAt = now
	}
	if c.RegisteredAt == 0 {
		c.RegisteredAt = now
	}
	if c.IssuerKeys == nil {
		c.IssuerKeys = []string{}
	}
	limits := DefaultLimits()
	if err := c.validate(limits); err != nil {
		return nil, fmt.Errorf("append entry for %s: %w", c.Sub, err)
	}
	jws, kid, err := signObject(c, TypeEntry, signer)
	if err != nil {
		return nil, fmt.Errorf("append entry for %s: %w", c.Sub, err)
	}
	if len(jws) > limits.MaxEntryBytes {
		return nil, fmt.Errorf("append entry for %s: %w: %d bytes, at most %d", c.Sub, ErrTooLarge, len(jws), limits.MaxEntryBytes)
	}
	if err := l.store.AppendEntry(ctx, l.entityID, c.Seq, jws); err != nil {
		return nil, fmt.Errorf("append entry %d: %w", c.Seq, err)
	}
	e := &Entry{JWS: jws, CID: CIDOf(jws), KeyID: kid, Claims: c}
	l.seq, l.last = c.Seq, e.CID
	return e, nil
}

// Seq returns the seq of the last entry (0 for an empty log) and its CID.
func (l *Log) Seq() (uint64, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq, l.last
}

// SignHead signs a head naming the last entry, valid for ttl.
func (l *Log) SignHead(signer crypto.Signer, ttl time.Duration) ([]byte, error) {
	l.mu.Lock()
	now := l.now()
	c := HeadClaims{Iss: l.entityID, Seq: l.seq, Head: l.last, Iat: now.Unix(), Exp: now.Add(ttl).Unix()}
	l.mu.Unlock()
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("sign head: %w", err)
	}
	jws, _, err := signObject(c, TypeHead, signer)
	if err != nil {
		return nil, fmt.Errorf("sign head: %w", err)
	}
	return jws, nil
}
