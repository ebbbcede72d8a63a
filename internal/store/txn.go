package store

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// Txn is a read-modify-write transaction run by Update: its reads see the store as of the
// transaction plus its own writes, and no other Update runs meanwhile.
type Txn struct {
	b *pebble.Batch
}

// Update runs fn in a transaction and commits its writes in one synced batch when fn returns
// nil. Updates are serialised. When fn returns an error nothing is written.
func (d *DB) Update(fn func(*Txn) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ErrClosed
	}
	b := d.db.NewIndexedBatch()
	defer b.Close()
	if err := fn(&Txn{b: b}); err != nil {
		return err
	}
	if b.Empty() {
		return nil
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}

// Get returns a copy of the value of key as the transaction sees it, or ErrNotFound.
func (t *Txn) Get(key []byte) ([]byte, error) { return get(t.b, key) }

// Has reports whether key holds a value.
func (t *Txn) Has(key []byte) (bool, error) {
	_, err := t.Get(key)
	if err == ErrNotFound {
		return false, nil
	}
	return err == nil, err
}

// Scan is DB.Scan as the transaction sees the store.
func (t *Txn) Scan(prefix, after []byte, fn func(key, value []byte) error) error {
	return scan(t.b, prefix, after, fn)
}

// Set writes value under key.
func (t *Txn) Set(key, value []byte) error {
	if err := t.b.Set(key, value, nil); err != nil {
		return fmt.Errorf("set %q: %w", key, err)
	}
	return nil
}

// Delete removes key.
func (t *Txn) Delete(key []byte) error {
	if err := t.b.Delete(key, nil); err != nil {
		return fmt.Errorf("delete %q: %w", key, err)
	}
	return nil
}

// DeletePrefix removes every key that starts with prefix (a range deletion, so it costs the
// same for one key or a million). An empty prefix is refused.
func (t *Txn) DeletePrefix(prefix []byte) error {
	if len(prefix) == 0 {
		return fmt.Errorf("delete prefix: an empty prefix would delete everything")
	}
	if err := t.b.DeleteRange(prefix, prefixEnd(prefix), nil); err != nil {
		return fmt.Errorf("delete prefix %q: %w", prefix, err)
	}
	return nil
}
