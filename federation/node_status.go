package federation

import (
	"context"
	"time"
)

// NodeStatus is what `communs federation status` shows: the node, its
// origins and its peers.
type NodeStatus struct {
	EntityID    string `json:"entity_id"`
	Role        Role   `json:"role"`
	TrustAnchor string `json:"trust_anchor"`
	// Attested and AttestedUntil: whether (and until when) the anchor's
	// statement about this node holds (partners).
	Attested      bool      `json:"attested"`
	AttestedUntil time.Time `json:"attested_until,omitzero"`
	// Seq is the seq of the node's own log (partners).
	Seq uint64 `json:"seq"`
	// LastRefresh and RefreshError describe the last refresh from the
	// anchor (partners).
	LastRefresh   time.Time           `json:"last_refresh,omitzero"`
	RefreshError  string              `json:"refresh_error,omitempty"`
	Origins       []OriginStatus      `json:"origins"`
	Peers         []PeerStatus        `json:"peers"`
	Metrics       NodeMetrics         `json:"metrics"`
	Equivocations []EquivocationAlert `json:"equivocations"`
}

// OriginStatus is the state of one followed origin's replica.
type OriginStatus struct {
	EntityID         string    `json:"entity_id"`
	OrganizationName string    `json:"organization_name,omitempty"`
	Seq              uint64    `json:"seq"`
	HeadSeq          uint64    `json:"head_seq"`
	HeadIssuedAt     time.Time `json:"head_issued_at,omitzero"`
	HeadExpiresAt    time.Time `json:"head_expires_at,omitzero"`
	// HeadAge is now minus the best head's iat (0 without a head).
	HeadAge time.Duration `json:"head_age"`
	Stale   bool          `json:"stale"`
	// LastHeard is when a sync round last received a valid head of it.
	LastHeard time.Time `json:"last_heard,omitzero"`
	// StatementExpires is when the anchor's attestation held ends
	// (partners; zero on the anchor).
	StatementExpires time.Time `json:"statement_expires,omitzero"`
	// Frozen is set after an equivocation at EquivocationSeq.
	Frozen          bool   `json:"frozen"`
	EquivocationSeq uint64 `json:"equivocation_seq,omitempty"`
}

// PeerStatus is the state of one peer.
type PeerStatus struct {
	URL       string    `json:"url"`
	LastSync  time.Time `json:"last_sync,omitzero"`
	LastError string    `json:"last_error,omitempty"`
}

// NodeMetrics are counters to export (Prometheus): the syncer's, and the
// equivocations seen.
type NodeMetrics struct {
	Sync SyncMetrics `json:"sync"`
	// Equivocations counts origins found equivocating since start;
	// FrozenOrigins those frozen now (including proofs from before).
	Equivocations uint64 `json:"equivocations"`
	FrozenOrigins int    `json:"frozen_origins"`
	// Origins counts the followed origins, StaleOrigins the stale ones.
	Origins      int `json:"origins"`
	StaleOrigins int `json:"stale_origins"`
}

// Metrics returns the node's counters.
func (n *Node) Metrics() NodeMetrics {
	m := NodeMetrics{Sync: n.syncer.Metrics(), Equivocations: n.equivocations.Load()}
	for _, id := range n.followedOrigins() {
		st, ok := n.reg.OriginState(id)
		if !ok {
			continue
		}
		m.Origins++
		if st.Stale {
			m.StaleOrigins++
		}
		if st.Equivocation != nil {
			m.FrozenOrigins++
		}
	}
	return m
}

// Status returns the node's state.
func (n *Node) Status(_ context.Context) NodeStatus {
	now := n.cfg.Now()
	s := NodeStatus{EntityID: n.cfg.EntityID, Role: n.cfg.Role, TrustAnchor: n.cfg.AnchorID, Origins: []OriginStatus{}, Peers: []PeerStatus{}, Metrics: n.Metrics()}
	if n.log != nil {
		s.Seq, _ = n.log.Seq()
		if own, ok := n.ownOrigin(); ok {
			s.Attested, s.AttestedUntil = true, n.statementExpiry(own.EntityID)
		}
	}
	n.mu.RLock()
	s.LastRefresh = n.lastRefresh
	if n.refreshErr != nil {
		s.RefreshError = n.refreshErr.Error()
	}
	n.mu.RUnlock()
	for _, id := range n.followedOrigins() {
		st, ok := n.reg.OriginState(id)
		if !ok {
			continue
		}
		o := OriginStatus{
			EntityID: id, OrganizationName: n.originName(id), Seq: st.Seq, HeadSeq: st.HeadSeq,
			HeadIssuedAt: st.HeadIssued, HeadExpiresAt: st.HeadExpires, Stale: st.Stale,
			LastHeard: n.syncer.LastHeard(id), StatementExpires: n.statementExpiry(id),
		}
		if !st.HeadIssued.IsZero() {
			o.HeadAge = now.Sub(st.HeadIssued)
		}
		if st.Equivocation != nil {
			o.Frozen, o.EquivocationSeq = true, st.Equivocation.Seq
			s.Equivocations = append(s.Equivocations, EquivocationAlert{Origin: id, Seq: st.Equivocation.Seq})
		}
		s.Origins = append(s.Origins, o)
	}
	for _, p := range n.syncer.Peers() {
		ps := PeerStatus{URL: p, LastSync: n.syncer.LastSync(p)}
		if err := n.syncer.LastError(p); err != nil {
			ps.LastError = err.Error()
		}
		s.Peers = append(s.Peers, ps)
	}
	return s
}
