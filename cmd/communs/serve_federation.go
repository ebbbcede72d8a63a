package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/communs/communs/federation"
	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/node"
	"github.com/communs/communs/vc"
)

// serveFederationAbout documents the federation settings of `communs serve`.
const serveFederationAbout = `Federation (docs/federation.md): --federation-role anchor|partner makes the node a trust
anchor or a partner of a federation of issuer registries (default none: no federation routes).
Its ES256 key is DATA/federation.key (created with mode 0600 on first start) or
COMMUNS_FEDERATION_KEY (PEM, or its base64); its entity id is --base-url. A partner needs the
anchor's URL (--federation-anchor) and its pinned keys (--federation-anchor-jwks, the file
'communs federation anchor init' writes); it vouches for its own issuers automatically.
--federation-peer URL (repeatable; env comma-separated) adds peers to pull from, besides the
attested partners. --federation-allow-private lets the node reach peers on private addresses.
Routes: /.well-known/openid-federation, /federation/*, GET /api/v1/issuers/{did}, the admin
API /api/v1/federation/* and the page /admin/federation (admin token).`

// federationSettings are the federation settings of `communs serve`.
type federationSettings struct {
	role, key, anchor, anchorJWKS, peers                  string
	interval, refreshInterval, statementTTL, allowPrivate string
	orgName, homepage, logo, policy                       string
	trust                                                 *forwardTrust
}

// addFederationSettings declares the federation settings (flags, COMMUNS_FEDERATION_*, config
// file keys).
func addFederationSettings(s *settings, f *federationSettings) {
	f.trust = &forwardTrust{}
	s.String(&f.role, "federation-role", "COMMUNS_FEDERATION_ROLE", "none", "federation role: none, anchor or partner")
	s.Secret(&f.key, "federation-key", "COMMUNS_FEDERATION_KEY", "federation key (PEM or base64)")
	s.String(&f.anchor, "federation-anchor", "COMMUNS_FEDERATION_ANCHOR", "", "partners: the trust anchor's entity id (its base URL)")
	s.String(&f.anchorJWKS, "federation-anchor-jwks", "COMMUNS_FEDERATION_ANCHOR_JWKS", "", "partners: JWKS file pinning the trust anchor's keys")
	f.peers = ""
	s.list = append(s.list, setting{name: "federation-peer", env: "COMMUNS_FEDERATION_PEERS", usage: "peer base URL", value: &f.peers})
	s.fs.Var((*commaList)(&f.peers), "federation-peer", "peer base URL to pull from besides the attested partners, repeatable (env COMMUNS_FEDERATION_PEERS, comma-separated)")
	s.String(&f.interval, "federation-interval", "COMMUNS_FEDERATION_INTERVAL", "1m", "pause between sync rounds with each peer, and between automatic vouches")
	s.String(&f.refreshInterval, "federation-refresh-interval", "COMMUNS_FEDERATION_REFRESH_INTERVAL", "15m", "partners: pause between refreshes of the partner list from the anchor")
	s.String(&f.statementTTL, "federation-statement-ttl", "COMMUNS_FEDERATION_STATEMENT_TTL", "6h", "anchor: lifetime of its statements about partners (bounds how long an expulsion takes)")
	s.String(&f.allowPrivate, "federation-allow-private", "COMMUNS_FEDERATION_ALLOW_PRIVATE", "false", "reach peers on private addresses (compose networks): true or false")
	s.String(&f.orgName, "federation-org-name", "COMMUNS_FEDERATION_ORG_NAME", "", "organization name published in the Entity Configuration (default: the first issuer's name, or the host)")
	s.String(&f.homepage, "federation-homepage", "COMMUNS_FEDERATION_HOMEPAGE", "", "homepage_uri published in the Entity Configuration")
	s.String(&f.logo, "federation-logo", "COMMUNS_FEDERATION_LOGO", "", "logo_uri published in the Entity Configuration")
	s.String(&f.policy, "federation-policy", "COMMUNS_FEDERATION_POLICY", "", "policy_uri published in the Entity Configuration")
}

// commaList is a repeatable flag kept as a comma-separated string (the settings' form).
type commaList string

func (c *commaList) String() string { return string(*c) }

func (c *commaList) Set(v string) error {
	if *c != "" {
		*c += ","
	}
	*c += commaList(strings.TrimSpace(v))
	return nil
}

// enabled reports whether the node takes part in a federation.
func (f *federationSettings) enabled() bool {
	r := strings.ToLower(strings.TrimSpace(f.role))
	return r != "" && r != "none"
}

// Trust is the issuer-recognition check to give the node and the hosted backpack: nil without
// a federation role, else a forwarder that answers once startFederation has run.
func (f *federationSettings) Trust() vc.IssuerTrust {
	if !f.enabled() || f.trust == nil {
		return nil
	}
	return f.trust
}

// forwardTrust is a vc.IssuerTrust whose target is set once the federation node exists (the
// issuing node is created first).
type forwardTrust struct {
	target atomic.Pointer[vc.IssuerTrust]
}

// Recognize implements vc.IssuerTrust; before the federation starts every issuer is unknown.
func (t *forwardTrust) Recognize(ctx context.Context, issuerID, keyID string) (vc.Recognition, error) {
	if p := t.target.Load(); p != nil {
		return (*p).Recognize(ctx, issuerID, keyID)
	}
	return vc.Recognition{Status: "unknown"}, nil
}

func (t *forwardTrust) set(target vc.IssuerTrust) { t.target.Store(&target) }

// federationDeps is what startFederation takes from the serve command.
type federationDeps struct {
	base, data string
	db         *store.DB
	node       *node.Node
	mux        *http.ServeMux
	reg        *httpx.Registry
	logger     *slog.Logger
}

// federationRuntime is a running federation node; Stop ends its loops.
type federationRuntime struct {
	fed    *federation.Node
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Stop ends the federation's loops and waits for them (nil-safe).
func (r *federationRuntime) Stop() {
	if r == nil {
		return
	}
	r.cancel()
	r.wg.Wait()
}

// startFederation opens the federation node when a role is set (nil otherwise): it mounts the
// OpenID Federation, sync, issuer and admin routes on d.mux, sets the trust, registers the
// metrics and starts the sync loop and the automatic vouching of the node's own issuers.
func startFederation(ctx context.Context, f federationSettings, d federationDeps) (*federationRuntime, error) {
	if !f.enabled() {
		return nil, nil
	}
	cfg, err := federationConfig(ctx, f, d)
	if err != nil {
		return nil, err
	}
	logger := d.logger.With("component", "federation")
	equivocations := d.reg.Counter("communs_federation_equivocations_total", "Origins found equivocating (each is frozen; see /admin/federation).")
	cfg.Logger = logger
	cfg.OnEquivocation = func(a federation.EquivocationAlert) {
		equivocations.Inc()
		logger.Error("federation origin equivocated: frozen until an operator intervenes", "origin", a.Origin, "seq", a.Seq)
	}
	fed, err := federation.NewNode(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: federation: %v", errUsage, err)
	}
	f.trust.set(fed.Trust())

	issuers := fed.IssuerAPIHandler()
	public := d.node.Handler()
	d.mux.Handle("/federation/", fed.Handler())
	d.mux.Handle(federation.PathEntityConfiguration, fed.Handler())
	d.mux.Handle("GET /api/v1/issuers/{x}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.PathValue("x"), "did:") {
			issuers.ServeHTTP(w, r)
			return
		}
		public.ServeHTTP(w, r)
	}))
	api := &federationAPI{fed: fed, resolver: d.node.Resolver(), logger: logger}
	d.mux.Handle("/api/v1/federation/", d.node.RequireAdmin(api.handler()))
	d.mux.Handle("GET /admin/federation", d.node.RequireAdmin(http.HandlerFunc(api.page)))
	registerFederationMetrics(d.reg, fed)

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	rt := &federationRuntime{fed: fed, cancel: cancel}
	rt.wg.Add(2)
	go func() {
		defer rt.wg.Done()
		_ = fed.Run(runCtx)
	}()
	go func() {
		defer rt.wg.Done()
		rt.vouchLoop(runCtx, d.node, cfg.SyncInterval, logger)
	}()
	logger.Info("federation started", "role", string(cfg.Role), "entity_id", cfg.EntityID, "anchor", cfg.AnchorID)
	return rt, nil
}

// federationConfig turns the settings into a federation.NodeConfig.
func federationConfig(ctx context.Context, f federationSettings, d federationDeps) (federation.NodeConfig, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{errUsage}, a...)...)
	}
	cfg := federation.DefaultNodeConfig()
	cfg.EntityID = strings.TrimSuffix(d.base, "/")
	cfg.DB = d.db
	switch r := federation.Role(strings.ToLower(strings.TrimSpace(f.role))); r {
	case federation.RoleAnchor, federation.RolePartner:
		cfg.Role = r
	default:
		return cfg, bad("--federation-role %q: use none, anchor or partner", f.role)
	}
	key, created, err := loadFederationKey(d.data, f.key, true)
	if err != nil {
		return cfg, bad("%v", err)
	}
	if created {
		d.logger.Info("federation key created", "path", d.data+string(os.PathSeparator)+federationKeyFile)
	}
	cfg.Signer = key
	durations := []struct {
		name, v string
		dst     *time.Duration
	}{
		{"--federation-interval", f.interval, &cfg.SyncInterval},
		{"--federation-refresh-interval", f.refreshInterval, &cfg.RefreshInterval},
		{"--federation-statement-ttl", f.statementTTL, &cfg.StatementTTL},
	}
	for _, x := range durations {
		v, err := time.ParseDuration(strings.TrimSpace(x.v))
		if err != nil || v <= 0 {
			return cfg, bad("%s %q must be a positive duration such as 30s, 5m or 6h", x.name, x.v)
		}
		*x.dst = v
	}
	allowPrivate, err := parseBoolSetting("--federation-allow-private", f.allowPrivate)
	if err != nil {
		return cfg, bad("%v", err)
	}
	if cfg.Role == federation.RolePartner {
		if f.anchor == "" || f.anchorJWKS == "" {
			return cfg, bad("a partner needs --federation-anchor URL and --federation-anchor-jwks FILE (from 'communs federation anchor init')")
		}
		cfg.AnchorID = strings.TrimSuffix(strings.TrimSpace(f.anchor), "/")
		raw, err := os.ReadFile(f.anchorJWKS)
		if err != nil {
			return cfg, bad("--federation-anchor-jwks: %v", err)
		}
		if cfg.AnchorKeys, err = federation.ParseJWKS(raw); err != nil {
			return cfg, bad("--federation-anchor-jwks %s: %v", f.anchorJWKS, err)
		}
	}
	for _, p := range strings.Split(f.peers, ",") {
		if p = strings.TrimSuffix(strings.TrimSpace(p), "/"); p == "" {
			continue
		}
		if u, err := url.Parse(p); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return cfg, bad("--federation-peer %q is not a base URL", p)
		}
		cfg.Peers = append(cfg.Peers, p)
	}
	// The federation's own guarded client: the node's policy (loopback only for a loopback
	// node), private addresses on request, no response cache (heads change every round) and
	// room for full log pages.
	cfg.Client = httpx.NewGuardedClient(httpx.GuardOptions{
		AllowLoopback: isLoopbackURL(cfg.EntityID),
		AllowPrivate:  allowPrivate,
		Timeout:       10 * time.Second,
		MaxBodyBytes:  4 << 20,
		CacheTTL:      -1,
	})
	cfg.Resolver = d.node.Resolver()
	cfg.Organization = federation.EntityMetadata{
		OrganizationName: f.orgName, HomepageURI: f.homepage, LogoURI: f.logo, PolicyURI: f.policy,
	}
	if cfg.Organization.OrganizationName == "" {
		cfg.Organization.OrganizationName = defaultOrgName(ctx, d.node, cfg.EntityID)
	}
	return cfg, nil
}

// defaultOrgName is the first issuer's name, or the host of the node's URL.
func defaultOrgName(ctx context.Context, n *node.Node, base string) string {
	if list, err := n.Issuers(ctx); err == nil {
		for _, iss := range list {
			if iss.Name != "" {
				return iss.Name
			}
		}
	}
	if u, err := url.Parse(base); err == nil {
		return u.Host
	}
	return base
}

func parseBoolSetting(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes":
		return true, nil
	case "false", "0", "no", "":
		return false, nil
	}
	return false, fmt.Errorf("%s %q must be true or false", name, v)
}

// vouchLoop makes a partner vouch for the node's own issuers, at start and every interval (new
// issuers, rotated keys, renamed issuers); before the anchor attests the node the requests wait.
func (r *federationRuntime) vouchLoop(ctx context.Context, n *node.Node, every time.Duration, logger *slog.Logger) {
	if r.fed.Role() != federation.RolePartner {
		return
	}
	var last string
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		err := ensureHostedVouched(ctx, n, r.fed)
		msg := ""
		if err != nil && !errors.Is(err, federation.ErrNotAttested) && ctx.Err() == nil {
			msg = err.Error()
		}
		if msg != last && msg != "" {
			logger.Warn("federation: could not vouch for the node's own issuers", "error", msg)
		}
		last = msg
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// ensureHostedVouched declares the node's hosted issuers (DID, Multikeys, name, homepage).
func ensureHostedVouched(ctx context.Context, n *node.Node, fed *federation.Node) error {
	list, err := n.Issuers(ctx)
	if err != nil {
		return err
	}
	reqs := make([]federation.VouchRequest, 0, len(list))
	for _, iss := range list {
		doc, err := n.DIDDocument(ctx, iss.Slug)
		if err != nil {
			return err
		}
		req := federation.VouchRequest{DID: iss.DID, Organization: federation.FederationEntity{OrganizationName: iss.Name}}
		if u, err := url.Parse(iss.URL); err == nil && (u.Scheme == "https" || u.Scheme == "http") && len(iss.URL) <= 1024 {
			req.Organization.HomepageURI = iss.URL
		}
		for _, vm := range doc.VerificationMethod {
			if vm.PublicKeyMultibase != "" {
				req.IssuerKeys = append(req.IssuerKeys, vm.PublicKeyMultibase)
			}
		}
		reqs = append(reqs, req)
	}
	if len(reqs) == 0 {
		return nil
	}
	return fed.EnsureVouched(ctx, reqs...)
}

// registerFederationMetrics exports the federation's counters on /metrics.
func registerFederationMetrics(reg *httpx.Registry, fed *federation.Node) {
	m := func(f func(federation.NodeMetrics) float64) func() float64 {
		return func() float64 { return f(fed.Metrics()) }
	}
	reg.GaugeFunc("communs_federation_sync_rounds", "Sync rounds with peers since start.", m(func(x federation.NodeMetrics) float64 { return float64(x.Sync.Rounds) }))
	reg.GaugeFunc("communs_federation_sync_failures", "Sync rounds that ended in an error since start.", m(func(x federation.NodeMetrics) float64 { return float64(x.Sync.Failures) }))
	reg.GaugeFunc("communs_federation_entries_applied", "Registry entries verified and stored by sync since start.", m(func(x federation.NodeMetrics) float64 { return float64(x.Sync.EntriesApplied) }))
	reg.GaugeFunc("communs_federation_refused", "Heads and entries refused by the registry since start (forged, out of scope, broken chain, …).", m(func(x federation.NodeMetrics) float64 { return float64(x.Sync.Refused) }))
	reg.GaugeFunc("communs_federation_bytes_in", "Bytes read from peers since start.", m(func(x federation.NodeMetrics) float64 { return float64(x.Sync.BytesIn) }))
	reg.GaugeFunc("communs_federation_origins", "Origins (partner registries) followed.", m(func(x federation.NodeMetrics) float64 { return float64(x.Origins) }))
	reg.GaugeFunc("communs_federation_stale_origins", "Followed origins without an unexpired head.", m(func(x federation.NodeMetrics) float64 { return float64(x.StaleOrigins) }))
	reg.GaugeFunc("communs_federation_frozen_origins", "Origins frozen after an equivocation.", m(func(x federation.NodeMetrics) float64 { return float64(x.FrozenOrigins) }))
}
