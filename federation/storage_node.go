package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/communs/communs/internal/store"
)

// StatementStorage persists the anchor statements a partner holds, so that
// a restart follows the same origins before the anchor answers.
type StatementStorage interface {
	// PutStatement stores the last verified statement about entityID.
	PutStatement(ctx context.Context, entityID string, jws []byte) error
	// DeleteStatement forgets the statement about entityID.
	DeleteStatement(ctx context.Context, entityID string) error
	// Statements calls fn with every stored statement.
	Statements(ctx context.Context, fn func(jws []byte) error) error
}

// NodeStorage is everything a [Node] persists: logs and replicas,
// partner records (anchor) and held statements (partners). [MemStorage]
// and [PebbleStorage] implement it.
type NodeStorage interface {
	Storage
	PartnerStorage
	StatementStorage
}

var (
	_ NodeStorage = (*MemStorage)(nil)
	_ NodeStorage = (*PebbleStorage)(nil)
)

// partnerRecord is the stored form of a [Partner].
type partnerRecord struct {
	V int `json:"v"`
	Partner
}

// PutPartner implements [PartnerStorage].
func (m *MemStorage) PutPartner(_ context.Context, p Partner) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.partners == nil {
		m.partners = map[string]Partner{}
	}
	p.Scope = slices.Clone(p.Scope)
	m.partners[p.EntityID] = p
	return nil
}

// Partners implements [PartnerStorage].
func (m *MemStorage) Partners(context.Context) ([]Partner, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Partner, 0, len(m.partners))
	for _, p := range m.partners {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Partner) int { return strings.Compare(a.EntityID, b.EntityID) })
	return out, nil
}

// PutStatement implements [StatementStorage].
func (m *MemStorage) PutStatement(_ context.Context, entityID string, jws []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.statements == nil {
		m.statements = map[string][]byte{}
	}
	m.statements[entityID] = bytes.Clone(jws)
	return nil
}

// DeleteStatement implements [StatementStorage].
func (m *MemStorage) DeleteStatement(_ context.Context, entityID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.statements, entityID)
	return nil
}

// Statements implements [StatementStorage].
func (m *MemStorage) Statements(_ context.Context, fn func([]byte) error) error {
	m.mu.Lock()
	all := make([][]byte, 0, len(m.statements))
	for _, s := range m.statements {
		all = append(all, bytes.Clone(s))
	}
	m.mu.Unlock()
	for _, s := range all {
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

// PutPartner implements [PartnerStorage].
func (p *PebbleStorage) PutPartner(_ context.Context, pt Partner) error {
	v, err := json.Marshal(partnerRecord{V: 1, Partner: pt})
	if err != nil {
		return fmt.Errorf("store partner %s: %w", pt.EntityID, err)
	}
	return p.db.Update(func(tx *store.Txn) error { return tx.Set(store.KeyFedPartner(pt.EntityID), v) })
}

// Partners implements [PartnerStorage].
func (p *PebbleStorage) Partners(context.Context) ([]Partner, error) {
	var out []Partner
	err := p.db.Scan(store.PrefixFedPartners(), nil, func(k, v []byte) error {
		var rec partnerRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("read partner record %q: %w", k, err)
		}
		out = append(out, rec.Partner)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Partner) int { return strings.Compare(a.EntityID, b.EntityID) })
	return out, nil
}

// PutStatement implements [StatementStorage].
func (p *PebbleStorage) PutStatement(_ context.Context, entityID string, jws []byte) error {
	return p.db.Update(func(tx *store.Txn) error { return tx.Set(store.KeyFedStatement(entityID), jws) })
}

// DeleteStatement implements [StatementStorage].
func (p *PebbleStorage) DeleteStatement(_ context.Context, entityID string) error {
	return p.db.Update(func(tx *store.Txn) error { return tx.Delete(store.KeyFedStatement(entityID)) })
}

// Statements implements [StatementStorage].
func (p *PebbleStorage) Statements(_ context.Context, fn func([]byte) error) error {
	return p.db.Scan(store.PrefixFedStatements(), nil, func(_, v []byte) error {
		return fn(bytes.Clone(v))
	})
}
