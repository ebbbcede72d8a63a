package store

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// Batch collects writes that Commit applies atomically and durably (synced to disk).
type Batch struct {
	b *pebble.Batch
}

// NewBatch returns an empty batch.
func (d *DB) NewBatch() *Batch {
	return &Batch{b: d.db.NewBatch()}
}

// Set writes value under key when the batch commits.
func (b *Batch) Set(key, value []byte) error {
	if err := b.b.Set(key, value, nil); err != nil {
		return fmt.Errorf("batch set %q: %w", key, err)
	}
	return nil
}

// Delete removes key when the batch commits.
func (b *Batch) Delete(key []byte) error {
	if err := b.b.Delete(key, nil); err != nil {
		return fmt.Errorf("batch delete %q: %w", key, err)
	}
	return nil
}

// Len is the number of writes in the batch.
func (b *Batch) Len() int { return int(b.b.Count()) }

// Commit applies the batch in one synced write and releases it. A batch cannot be reused.
func (b *Batch) Commit() error {
	defer b.b.Close()
	if err := b.b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	return nil
}

// Close releases a batch that will not be committed.
func (b *Batch) Close() error { return b.b.Close() }
