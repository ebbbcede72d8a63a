package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/communs/communs/internal/store"
)

// PebbleStorage is a [Storage] in the node's pebble database, under the
// federation key space of internal/store/keys.go. Every write is one
// synced transaction.
type PebbleStorage struct {
	db *store.DB
}

// NewPebbleStorage returns a Storage over db; the caller keeps ownership of db.
func NewPebbleStorage(db *store.DB) *PebbleStorage { return &PebbleStorage{db: db} }

// equivocationRecord is the stored form of an [EquivocationError].
type equivocationRecord struct {
	V           int    `json:"v"`
	Seq         uint64 `json:"seq"`
	Held        []byte `json:"held"`
	Conflicting []byte `json:"conflicting"`
}

// AppendEntry implements [Storage]: it refuses a seq that is taken or does
// not follow a stored entry.
func (p *PebbleStorage) AppendEntry(_ context.Context, origin string, seq uint64, jws []byte) error {
	err := p.db.Update(func(tx *store.Txn) error {
		if seq == 0 {
			return errors.New("seq 0 is not an entry")
		}
		if taken, err := tx.Has(store.KeyFedEntry(origin, seq)); err != nil || taken {
			return errors.Join(err, fmt.Errorf("seq %d is already stored", seq))
		}
		if seq > 1 {
			if prev, err := tx.Has(store.KeyFedEntry(origin, seq-1)); err != nil || !prev {
				return errors.Join(err, fmt.Errorf("seq %d is not stored, so %d cannot follow", seq-1, seq))
			}
		}
		return tx.Set(store.KeyFedEntry(origin, seq), jws)
	})
	if err != nil {
		return fmt.Errorf("store entry %d of %s: %w", seq, origin, err)
	}
	return nil
}

// Entry implements [Storage].
func (p *PebbleStorage) Entry(_ context.Context, origin string, seq uint64) ([]byte, error) {
	return p.get(store.KeyFedEntry(origin, seq))
}

// Entries implements [Storage].
func (p *PebbleStorage) Entries(_ context.Context, origin string, after uint64, fn func(uint64, []byte) error) error {
	var from []byte
	if after > 0 {
		from = store.KeyFedEntry(origin, after)
	}
	prefix := store.PrefixFedEntries(origin)
	return p.db.Scan(prefix, from, func(k, v []byte) error {
		seq, err := strconv.ParseUint(string(k[len(prefix):]), 10, 64)
		if err != nil {
			return fmt.Errorf("entry key %q has no seq", k)
		}
		return fn(seq, append([]byte(nil), v...))
	})
}

// PutHead implements [Storage].
func (p *PebbleStorage) PutHead(_ context.Context, origin string, jws []byte) error {
	return p.db.Update(func(tx *store.Txn) error { return tx.Set(store.KeyFedHead(origin), jws) })
}

// Head implements [Storage].
func (p *PebbleStorage) Head(_ context.Context, origin string) ([]byte, error) {
	return p.get(store.KeyFedHead(origin))
}

// PutEquivocation implements [Storage].
func (p *PebbleStorage) PutEquivocation(_ context.Context, origin string, ev *EquivocationError) error {
	v, err := json.Marshal(equivocationRecord{V: 1, Seq: ev.Seq, Held: ev.Held, Conflicting: ev.Conflicting})
	if err != nil {
		return err
	}
	return p.db.Update(func(tx *store.Txn) error { return tx.Set(store.KeyFedEquivocation(origin), v) })
}

// Equivocation implements [Storage].
func (p *PebbleStorage) Equivocation(_ context.Context, origin string) (*EquivocationError, error) {
	raw, err := p.get(store.KeyFedEquivocation(origin))
	if raw == nil || err != nil {
		return nil, err
	}
	var rec equivocationRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, fmt.Errorf("read equivocation proof of %s: %w", origin, err)
	}
	return &EquivocationError{Origin: origin, Seq: rec.Seq, Held: rec.Held, Conflicting: rec.Conflicting}, nil
}

// get returns the value of key, or nil when there is none.
func (p *PebbleStorage) get(key []byte) ([]byte, error) {
	v, err := p.db.Get(key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return v, err
}
