package store

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Migration brings the store from version To-1 to version To.
type Migration struct {
	To    int
	Name  string
	Apply func(*Txn) error
}

// ErrNewerSchema is returned by Open when the data was written by a newer release.
var ErrNewerSchema = errors.New("the data was written by a newer release of Communs")

// Migrations are the schema migrations of the node store. Version 1 is the first layout
// (docs/storage.md); it needs no data change.
var Migrations = []Migration{
	{To: 1, Name: "initial layout", Apply: func(*Txn) error { return nil }},
}

type schemaRecord struct {
	V       int `json:"v"`
	Version int `json:"version"`
}

// SchemaVersion returns the schema version stored (0 for an empty store).
func (d *DB) SchemaVersion() (int, error) {
	raw, err := d.Get(KeySchema())
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var rec schemaRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return 0, fmt.Errorf("schema version record is corrupt: %w", err)
	}
	return rec.Version, nil
}

func (d *DB) migrate(migs []Migration) error {
	cur, err := d.SchemaVersion()
	if err != nil {
		return err
	}
	latest := 0
	for _, m := range migs {
		latest = max(latest, m.To)
	}
	if cur > latest {
		return fmt.Errorf("%w (schema version %d, this release knows up to %d)", ErrNewerSchema, cur, latest)
	}
	for _, m := range migs {
		if m.To <= cur {
			continue
		}
		if m.To != cur+1 {
			return fmt.Errorf("migration to version %d cannot follow version %d", m.To, cur)
		}
		err := d.Update(func(t *Txn) error {
			if err := m.Apply(t); err != nil {
				return err
			}
			raw, _ := json.Marshal(schemaRecord{V: 1, Version: m.To})
			return t.Set(KeySchema(), raw)
		})
		if err != nil {
			return fmt.Errorf("migrate to schema version %d (%s): %w", m.To, m.Name, err)
		}
		cur = m.To
	}
	return nil
}
