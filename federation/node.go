package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/communs/communs/vc"
)

// Node is a federation node, anchor or partner: its own log (partners),
// the registry of verified replicas, the sync server and syncer, the
// anchor's partner records (anchor), the origins learnt from the anchor
// (partners), the OpenID Federation endpoints and the issuer API. Wiring
// it into a server takes: [NewNode], mount [Node.Handler], start
// [Node.Run] in a goroutine, pass [Node.Trust] to vc.Options.Trust, and
// call [Node.EnsureVouched] with the node's hosted issuers. It is safe for
// concurrent use.
type Node struct {
	cfg    NodeConfig
	store  NodeStorage
	reg    *Registry
	log    *Log
	server *Server
	syncer *Syncer
	trust  *Trust
	anchor *Anchor

	writeMu sync.Mutex // serializes appends to the node's own log

	mu          sync.RWMutex
	statements  map[string]*PartnerStatement // partners: held anchor statements by entity id
	wanted      map[string]VouchRequest      // EnsureVouched requests by DID
	lastRefresh time.Time
	refreshErr  error

	equivocations atomic.Uint64
}

// NewNode opens a node over cfg.DB (or memory): it rebuilds the replicas,
// reloads the anchor's partner records (anchor) or the anchor statements
// held (partners), and sets the peers. It does no network I/O; [Node.Run]
// (or [Node.Refresh]) does. It returns [ErrInvalidConfig] or a storage
// error.
func NewNode(ctx context.Context, cfg NodeConfig) (*Node, error) {
	if cfg.Role == RoleAnchor && cfg.Signer != nil {
		cfg.AnchorID = cfg.EntityID
		if j, err := publicJWK(cfg.Signer.Public()); err == nil {
			cfg.AnchorKeys = jose.JSONWebKeySet{Keys: []jose.JSONWebKey{j}}
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("new federation node: %w", err)
	}
	n := &Node{cfg: cfg, statements: map[string]*PartnerStatement{}, wanted: map[string]VouchRequest{}}
	if cfg.DB != nil {
		n.store = NewPebbleStorage(cfg.DB)
	} else {
		n.store = NewMemStorage()
	}
	var err error
	rcfg := Config{Storage: n.store, Now: cfg.Now, Limits: DefaultLimits(), OnEquivocation: n.equivocated}
	if n.reg, err = NewRegistry(rcfg); err != nil {
		return nil, fmt.Errorf("new federation node: %w", err)
	}
	scfg := ServerConfig{Registry: n.reg, HeadTTL: cfg.HeadTTL}
	if cfg.Role == RolePartner {
		if n.log, err = OpenLog(ctx, cfg.EntityID, n.store, cfg.Now); err != nil {
			return nil, fmt.Errorf("new federation node: %w", err)
		}
		scfg.Log, scfg.Signer = n.log, cfg.Signer
	}
	if n.server, err = NewServer(scfg); err != nil {
		return nil, fmt.Errorf("new federation node: %w", err)
	}
	n.syncer, err = NewSyncer(SyncConfig{
		Registry: n.reg, Client: cfg.Client, Interval: cfg.SyncInterval, Self: cfg.EntityID,
		PageSize: cfg.PageSize, MaxResponseBytes: cfg.MaxResponseBytes,
	})
	if err != nil {
		return nil, fmt.Errorf("new federation node: %w", err)
	}
	n.trust = &Trust{Registry: n.reg, Resolver: cfg.Resolver, StaleGrace: cfg.StaleGrace, OriginName: n.originName}

	if cfg.Role == RoleAnchor {
		n.anchor, err = NewAnchor(ctx, AnchorConfig{EntityID: cfg.EntityID, Signer: cfg.Signer, Storage: n.store, StatementTTL: cfg.StatementTTL, Now: cfg.Now})
		if err != nil {
			return nil, fmt.Errorf("new federation node: %w", err)
		}
		for _, p := range n.anchor.Partners() {
			if !p.Expelled() {
				if err := n.reg.AddOrigin(ctx, p.Origin()); err != nil {
					return nil, fmt.Errorf("new federation node: %w", err)
				}
			}
		}
	} else {
		var held []*PartnerStatement
		err := n.store.Statements(ctx, func(jws []byte) error {
			// An expired or no longer verifiable statement is left out:
			// its origin is not followed until the anchor attests it again.
			if ps, err := ParseSubordinateStatement(jws, cfg.AnchorID, cfg.AnchorKeys, cfg.Now()); err == nil {
				held = append(held, ps)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("new federation node: %w", err)
		}
		for _, ps := range held {
			if err := n.adoptStatement(ctx, ps, false); err != nil {
				return nil, fmt.Errorf("new federation node: %w", err)
			}
		}
		n.catchUpOwn(ctx)
		n.refreshOwnHead(ctx)
	}
	if err := n.updatePeers(); err != nil {
		return nil, fmt.Errorf("new federation node: %w", err)
	}
	return n, nil
}

// EntityID returns the node's entity id.
func (n *Node) EntityID() string { return n.cfg.EntityID }

// Role returns the node's role.
func (n *Node) Role() Role { return n.cfg.Role }

// Registry returns the node's registry of verified replicas.
func (n *Node) Registry() *Registry { return n.reg }

// Syncer returns the node's syncer (metrics, peers).
func (n *Node) Syncer() *Syncer { return n.syncer }

// Trust returns the issuer-recognition check for vc.Options.Trust.
func (n *Node) Trust() vc.IssuerTrust { return n.trust }

// Run runs the sync loop, the refresh of origins from the anchor
// (partners: at once, then every RefreshInterval or when a held statement
// expires) and the re-signing of the node's own head, until ctx ends. It
// returns ctx's error.
func (n *Node) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() { _ = n.syncer.Run(ctx) })
	if n.cfg.Role == RolePartner {
		wg.Go(func() { n.refreshLoop(ctx) })
		wg.Go(func() { n.headLoop(ctx) })
	}
	wg.Wait()
	return ctx.Err()
}

func (n *Node) refreshLoop(ctx context.Context) {
	for {
		if err := n.Refresh(ctx); err != nil && ctx.Err() == nil && n.cfg.Logger != nil {
			n.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "federation refresh from the anchor failed", slog.String("anchor", n.cfg.AnchorID))
		}
		wait := n.cfg.RefreshInterval
		if next := n.nextExpiry(); !next.IsZero() {
			wait = min(wait, max(next.Sub(n.cfg.Now())+time.Second, time.Second))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (n *Node) headLoop(ctx context.Context) {
	t := time.NewTicker(max(n.cfg.HeadTTL/3, time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n.refreshOwnHead(ctx)
		}
	}
}

// nextExpiry returns the earliest expiry of a held statement (zero when
// none).
func (n *Node) nextExpiry() time.Time {
	n.mu.RLock()
	defer n.mu.RUnlock()
	var next time.Time
	for _, s := range n.statements {
		if next.IsZero() || s.Expires.Before(next) {
			next = s.Expires
		}
	}
	return next
}

// equivocated is the registry's OnEquivocation hook.
func (n *Node) equivocated(ev *EquivocationError) {
	n.equivocations.Add(1)
	if n.cfg.Logger != nil {
		n.cfg.Logger.LogAttrs(context.Background(), slog.LevelError, "federation origin equivocated; frozen",
			slog.String("origin", ev.Origin), slog.Uint64("seq", ev.Seq))
	}
	if n.cfg.OnEquivocation != nil {
		n.cfg.OnEquivocation(EquivocationAlert{Origin: ev.Origin, Seq: ev.Seq})
	}
}

// originName names an origin: the anchor's name for the partner, or this
// node's configured organization name.
func (n *Node) originName(entityID string) string {
	if n.anchor != nil {
		if p, ok := n.anchor.Partner(entityID); ok && p.OrganizationName != "" {
			return p.OrganizationName
		}
	}
	n.mu.RLock()
	s := n.statements[entityID]
	n.mu.RUnlock()
	if s != nil && s.OrganizationName != "" {
		return s.OrganizationName
	}
	if entityID == n.cfg.EntityID {
		return n.cfg.Organization.OrganizationName
	}
	return ""
}

// statementExpiry returns when the anchor's attestation of an origin
// ends (zero when unknown or, on the anchor, unbounded).
func (n *Node) statementExpiry(entityID string) time.Time {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if s := n.statements[entityID]; s != nil {
		return s.Expires
	}
	return time.Time{}
}

// followedOrigins returns the entity ids the registry follows.
func (n *Node) followedOrigins() []string {
	reps := n.reg.replicas()
	out := make([]string, 0, len(reps))
	for _, rep := range reps {
		out = append(out, rep.origin.EntityID)
	}
	return out
}

// updatePeers sets the syncer's peers: configured peers, the anchor
// (partners) and every attested partner but this node.
func (n *Node) updatePeers() error {
	peers := slices.Clone(n.cfg.Peers)
	if n.cfg.Role == RolePartner {
		peers = append(peers, n.cfg.AnchorID)
	}
	for _, id := range n.followedOrigins() {
		if id != n.cfg.EntityID {
			peers = append(peers, id)
		}
	}
	return n.syncer.SetPeers(peers)
}

// adoptStatement holds a verified anchor statement and follows its origin
// (again, when its keys or scope changed). An older statement than the
// one held is ignored.
func (n *Node) adoptStatement(ctx context.Context, ps *PartnerStatement, persist bool) error {
	id := ps.Origin.EntityID
	n.mu.Lock()
	old := n.statements[id]
	if old != nil && ps.IssuedAt.Before(old.IssuedAt) {
		n.mu.Unlock()
		return nil
	}
	n.statements[id] = ps
	n.mu.Unlock()
	if persist {
		if err := n.store.PutStatement(ctx, id, ps.JWS); err != nil {
			return fmt.Errorf("keep anchor statement about %s: %w", id, err)
		}
	}
	if _, followed := n.reg.OriginState(id); followed && old != nil && sameOrigin(old.Origin, ps.Origin) {
		return nil
	}
	if err := n.reg.AddOrigin(ctx, ps.Origin); err != nil {
		return fmt.Errorf("follow %s: %w", id, err)
	}
	return nil
}

// expireStatements drops the origins whose last statement has expired.
func (n *Node) expireStatements(ctx context.Context) error {
	now := n.cfg.Now()
	var gone []string
	n.mu.Lock()
	for id, s := range n.statements {
		if !now.Before(s.Expires) {
			delete(n.statements, id)
			gone = append(gone, id)
		}
	}
	n.mu.Unlock()
	var errs []error
	for _, id := range gone {
		n.reg.RemoveOrigin(id)
		if err := n.store.DeleteStatement(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// catchUpOwn makes the registry's replica of the node's own log current
// (after a restart, or an append whose adoption failed).
func (n *Node) catchUpOwn(ctx context.Context) {
	st, ok := n.reg.OriginState(n.cfg.EntityID)
	if n.log == nil || !ok {
		return
	}
	_ = n.store.Entries(ctx, n.cfg.EntityID, st.Seq, func(_ uint64, jws []byte) error {
		_, err := n.reg.apply(ctx, jws, true)
		return err
	})
}

// refreshOwnHead gives the registry the node's current head, so that its
// own origin is not stale.
func (n *Node) refreshOwnHead(ctx context.Context) {
	if n.log == nil {
		return
	}
	if _, ok := n.reg.OriginState(n.cfg.EntityID); !ok {
		return
	}
	if h, err := n.server.head(); err == nil {
		_, _ = n.reg.ApplyHead(ctx, h)
	}
}
