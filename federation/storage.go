package federation

import (
	"bytes"
	"context"
	"fmt"
	"sync"
)

// Storage persists the raw, already verified objects of each origin's log.
// State (last seq, current view) is rebuilt from it by verification, so a
// Storage holds nothing that was not checked. Implementations must be safe
// for concurrent use; [Registry] and [Log] serialize their own writes.
type Storage interface {
	// AppendEntry stores the entry at seq of origin's log.
	AppendEntry(ctx context.Context, origin string, seq uint64, jws []byte) error
	// Entry returns the entry at seq, or nil when there is none.
	Entry(ctx context.Context, origin string, seq uint64) ([]byte, error)
	// Entries calls fn for each entry after seq, in seq order.
	Entries(ctx context.Context, origin string, after uint64, fn func(seq uint64, jws []byte) error) error
	// PutHead stores the best head known for origin.
	PutHead(ctx context.Context, origin string, jws []byte) error
	// Head returns the stored head, or nil when there is none.
	Head(ctx context.Context, origin string) ([]byte, error)
	// PutEquivocation stores the proof that origin equivocated.
	PutEquivocation(ctx context.Context, origin string, ev *EquivocationError) error
	// Equivocation returns the stored proof, or nil when there is none.
	Equivocation(ctx context.Context, origin string) (*EquivocationError, error)
}

// MemStorage is a [Storage] in memory, for tests and evaluators that do
// not persist.
type MemStorage struct {
	mu      sync.Mutex
	entries map[string][][]byte
	heads   map[string][]byte
	equiv   map[string]*EquivocationError
	// partners and statements back [NodeStorage] (storage_node.go).
	partners   map[string]Partner
	statements map[string][]byte
}

// NewMemStorage returns an empty MemStorage.
func NewMemStorage() *MemStorage {
	return &MemStorage{entries: map[string][][]byte{}, heads: map[string][]byte{}, equiv: map[string]*EquivocationError{}}
}

// AppendEntry implements [Storage]; seq must be the next one.
func (m *MemStorage) AppendEntry(_ context.Context, origin string, seq uint64, jws []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if want := uint64(len(m.entries[origin])) + 1; seq != want {
		return fmt.Errorf("append entry %d of %s: the next seq is %d", seq, origin, want)
	}
	m.entries[origin] = append(m.entries[origin], bytes.Clone(jws))
	return nil
}

// Entry implements [Storage].
func (m *MemStorage) Entry(_ context.Context, origin string, seq uint64) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	es := m.entries[origin]
	if seq == 0 || seq > uint64(len(es)) {
		return nil, nil
	}
	return bytes.Clone(es[seq-1]), nil
}

// Entries implements [Storage].
func (m *MemStorage) Entries(_ context.Context, origin string, after uint64, fn func(uint64, []byte) error) error {
	m.mu.Lock()
	es := m.entries[origin]
	m.mu.Unlock()
	for i := after; i < uint64(len(es)); i++ {
		if err := fn(i+1, bytes.Clone(es[i])); err != nil {
			return err
		}
	}
	return nil
}

// PutHead implements [Storage].
func (m *MemStorage) PutHead(_ context.Context, origin string, jws []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.heads[origin] = bytes.Clone(jws)
	return nil
}

// Head implements [Storage].
func (m *MemStorage) Head(_ context.Context, origin string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return bytes.Clone(m.heads[origin]), nil
}

// PutEquivocation implements [Storage].
func (m *MemStorage) PutEquivocation(_ context.Context, origin string, ev *EquivocationError) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := *ev
	m.equiv[origin] = &c
	return nil
}

// Equivocation implements [Storage].
func (m *MemStorage) Equivocation(_ context.Context, origin string) (*EquivocationError, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ev := m.equiv[origin]; ev != nil {
		c := *ev
		return &c, nil
	}
	return nil, nil
}
