package federation

import (
	"slices"
	"time"
)

// IssuerAssessment is a node's answer about an issuer DID: the issuer
// API's JSON (docs/federation.md, "Issuer API") and the ground of fetch
// answers.
type IssuerAssessment struct {
	// DID is the DID as registered (as asked when unknown).
	DID        string `json:"did"`
	Recognized bool   `json:"recognized"`
	// Status is active, suspended, revoked, stale or unknown.
	Status string `json:"status"`
	// VouchedBy lists every followed origin's current entry about DID.
	VouchedBy []IssuerVoucher `json:"vouched_by"`
	// IssuerKeys is the union of the active entries' issuer keys.
	IssuerKeys []string `json:"issuer_keys"`
	// Metadata is the issuer's metadata from this node's own entry when
	// it vouches, else from the first active entry by origin.
	Metadata    *Metadata `json:"metadata,omitempty"`
	TrustAnchor string    `json:"trust_anchor"`
	EvaluatedAt time.Time `json:"evaluated_at"`
	// ValidUntil is when the answer may change without new information
	// (zero when not recognised).
	ValidUntil time.Time `json:"valid_until,omitzero"`
	Freshness  Freshness `json:"freshness"`

	registeredAt time.Time
	active       []string
}

// IssuerVoucher is one origin's word on an issuer.
type IssuerVoucher struct {
	EntityID         string    `json:"entity_id"`
	OrganizationName string    `json:"organization_name,omitempty"`
	RegisteredAt     time.Time `json:"registered_at"`
	EntryCID         string    `json:"entry_cid"`
	Status           Status    `json:"status"`
	Stale            bool      `json:"stale"`
	Frozen           bool      `json:"frozen"`
}

// Freshness says how current the vouching origins' replicas are.
type Freshness struct {
	// Stale is set when a vouching origin has no unexpired head.
	Stale bool `json:"stale"`
	// HeadAgeSeconds is the age of the oldest head among them.
	HeadAgeSeconds int64             `json:"head_age_seconds"`
	Origins        []OriginFreshness `json:"origins"`
}

// OriginFreshness is the state of one vouching origin's replica.
type OriginFreshness struct {
	EntityID      string    `json:"entity_id"`
	Seq           uint64    `json:"seq"`
	HeadSeq       uint64    `json:"head_seq"`
	HeadIssuedAt  time.Time `json:"head_issued_at,omitzero"`
	HeadExpiresAt time.Time `json:"head_expires_at,omitzero"`
	Stale         bool      `json:"stale"`
	Frozen        bool      `json:"frozen"`
	// LastHeard is when a sync round last received a valid head of the
	// origin (zero for the node's own log).
	LastHeard time.Time `json:"last_heard,omitzero"`
}

// Assess evaluates an issuer DID (matched as given, then
// percent-decoded) against the registry now.
func (n *Node) Assess(did string) IssuerAssessment {
	now := n.cfg.Now()
	a := IssuerAssessment{
		DID: did, Status: "unknown", VouchedBy: []IssuerVoucher{}, IssuerKeys: []string{},
		TrustAnchor: n.cfg.AnchorID, EvaluatedAt: now.UTC().Truncate(time.Second),
		Freshness: Freshness{Origins: []OriginFreshness{}},
	}
	vouches := n.trust.lookup(did)
	var suspended, revoked, stale bool
	for _, v := range vouches {
		a.DID = v.DID
		a.VouchedBy = append(a.VouchedBy, IssuerVoucher{
			EntityID: v.Origin, OrganizationName: n.originName(v.Origin), RegisteredAt: v.RegisteredAt,
			EntryCID: v.EntryCID, Status: v.Status, Stale: v.Stale, Frozen: v.Frozen,
		})
		st, _ := n.reg.OriginState(v.Origin)
		f := OriginFreshness{
			EntityID: v.Origin, Seq: st.Seq, HeadSeq: st.HeadSeq, HeadIssuedAt: st.HeadIssued,
			HeadExpiresAt: st.HeadExpires, Stale: st.Stale, Frozen: st.Equivocation != nil,
			LastHeard: n.syncer.LastHeard(v.Origin),
		}
		a.Freshness.Origins = append(a.Freshness.Origins, f)
		a.Freshness.Stale = a.Freshness.Stale || st.Stale
		if !st.HeadIssued.IsZero() {
			a.Freshness.HeadAgeSeconds = max(a.Freshness.HeadAgeSeconds, int64(now.Sub(st.HeadIssued)/time.Second))
		}
		switch {
		case v.Status == StatusSuspended:
			suspended = true
		case v.Status == StatusRevoked:
			revoked = true
		case v.Frozen || n.trust.tooStale(v, now):
			stale = true
		case v.Status == StatusActive:
			a.Recognized = true
			a.active = append(a.active, v.Origin)
			for _, k := range v.IssuerKeys {
				if !slices.Contains(a.IssuerKeys, k) {
					a.IssuerKeys = append(a.IssuerKeys, k)
				}
			}
			if a.registeredAt.IsZero() || v.RegisteredAt.Before(a.registeredAt) {
				a.registeredAt = v.RegisteredAt
			}
			if a.Metadata == nil || v.Origin == n.cfg.EntityID {
				m := v.Metadata
				a.Metadata = &m
			}
			for _, t := range []time.Time{st.HeadExpires.Add(n.cfg.StaleGrace), n.statementExpiry(v.Origin), v.RenewBy} {
				if !t.IsZero() && (a.ValidUntil.IsZero() || t.Before(a.ValidUntil)) {
					a.ValidUntil = t.UTC()
				}
			}
		}
	}
	switch {
	case a.Recognized:
		a.Status = string(StatusActive)
	case suspended:
		a.Status = string(StatusSuspended)
	case revoked:
		a.Status = string(StatusRevoked)
	case stale:
		a.Status = "stale"
	}
	if !a.Recognized {
		a.ValidUntil = time.Time{}
	}
	return a
}

// recognizedDIDs returns every DID the node currently recognises, sorted.
func (n *Node) recognizedDIDs() []string {
	seen := map[string]bool{}
	for _, rep := range n.reg.replicas() {
		rep.mu.Lock()
		for did, e := range rep.current {
			if e.Claims.Status == StatusActive {
				seen[did] = true
			}
		}
		rep.mu.Unlock()
	}
	out := make([]string, 0, len(seen))
	for did := range seen {
		if n.Assess(did).Recognized {
			out = append(out, did)
		}
	}
	slices.Sort(out)
	return out
}
