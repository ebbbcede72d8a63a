package node

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/communs/communs/internal/store"
)

// AuditRecord is one entry of the audit trail. It holds ids only, never personal data.
type AuditRecord struct {
	V      int       `json:"v"`
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	Actor  string    `json:"actor,omitempty"` // token id
	Issuer string    `json:"issuer,omitempty"`
	Object string    `json:"object,omitempty"`
}

type actorKey struct{}

// WithActor returns a context naming the token id that acts, recorded in the audit trail.
func WithActor(ctx context.Context, tokenID string) context.Context {
	return context.WithValue(ctx, actorKey{}, tokenID)
}

func actorOf(ctx context.Context) string {
	s, _ := ctx.Value(actorKey{}).(string)
	return s
}

// audit writes an audit record in the transaction t.
func (n *Node) audit(t *store.Txn, action, actor, issuer, object string) error {
	id, err := n.randomID()
	if err != nil {
		return err
	}
	at := n.cfg.Now().UTC()
	return t.Set(store.KeyAudit(at, id), mustJSON(AuditRecord{V: 1, At: at, Action: action, Actor: actor, Issuer: issuer, Object: object}))
}

// Audit returns the audit trail, oldest first (at most limit records; 0 means all).
func (n *Node) Audit(ctx context.Context, limit int) ([]AuditRecord, error) {
	var out []AuditRecord
	err := n.db.Scan(store.PrefixAudit(), nil, func(_, v []byte) error {
		var r AuditRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("read audit trail: %w", err)
		}
		out = append(out, r)
		if limit > 0 && len(out) >= limit {
			return store.ErrStop
		}
		return nil
	})
	return out, err
}
