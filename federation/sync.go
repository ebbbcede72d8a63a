package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SyncConfig configures a [Syncer].
type SyncConfig struct {
	// Registry receives what the peers hold; it verifies every object.
	Registry *Registry
	// Peers are the base URLs of the nodes to pull from
	// ("https://node.example").
	Peers []string
	// Client fetches from peers: the guarded client of internal/httpx.
	Client *http.Client
	// Interval is the pause between rounds with a peer. Default 1 minute.
	Interval time.Duration
	// Jitter is the fraction of Interval added or removed at random
	// (0 to 1). Default 0.2.
	Jitter float64
	// MaxBackoff bounds the pause after repeated failures with a peer.
	// Default 30 minutes.
	MaxBackoff time.Duration
	// PageSize is the limit asked of GET /federation/log (1 to
	// [MaxLogLimit]). Default 100.
	PageSize int
	// MaxResponseBytes bounds every answer read. Default 4 MiB.
	MaxResponseBytes int64
	// Self is this node's own entity id: heads of its own log relayed by
	// peers are skipped (the node's log is the source). Optional.
	Self string
}

// SyncMetrics counts what a [Syncer] did since it started.
type SyncMetrics struct {
	// Rounds counts rounds with a peer; Failures those that ended in an
	// error.
	Rounds, Failures uint64
	// Requests counts HTTP requests; BytesIn the answer bytes read.
	Requests, BytesIn uint64
	// HeadsAccepted counts heads kept; EntriesApplied entries stored.
	HeadsAccepted, EntriesApplied uint64
	// Refused counts heads and entries the registry refused (forged,
	// out of scope, broken chain, expired, …); Equivocations those that
	// proved an origin equivocated.
	Refused, Equivocations uint64
}

// Syncer pulls the heads and logs of its peers into a registry
// (pull-based anti-entropy). A peer can withhold objects but never forge
// one: the registry verifies each before storing it.
type Syncer struct {
	cfg SyncConfig

	rounds, failures, requests, bytesIn                   atomic.Uint64
	headsAccepted, entriesApplied, refused, equivocations atomic.Uint64

	mu        sync.Mutex
	peers     []string
	changed   chan struct{}        // closed when peers change
	lastErr   map[string]error     // peer → error of its last round
	lastSync  map[string]time.Time // peer → end of its last good round
	lastHeard map[string]time.Time // origin → last valid head received
}

// NewSyncer returns a Syncer; it returns [ErrInvalidConfig] when the
// registry or the client is missing or a peer URL is unusable.
func NewSyncer(cfg SyncConfig) (*Syncer, error) {
	switch {
	case cfg.Registry == nil:
		return nil, fmt.Errorf("new syncer: %w: no registry", ErrInvalidConfig)
	case cfg.Client == nil:
		return nil, fmt.Errorf("new syncer: %w: no HTTP client (pass the guarded client)", ErrInvalidConfig)
	case cfg.Interval < 0 || cfg.MaxBackoff < 0 || cfg.MaxResponseBytes < 0:
		return nil, fmt.Errorf("new syncer: %w: negative interval, backoff or size", ErrInvalidConfig)
	case cfg.Jitter < 0 || cfg.Jitter > 1:
		return nil, fmt.Errorf("new syncer: %w: jitter must be from 0 to 1", ErrInvalidConfig)
	case cfg.PageSize < 0 || cfg.PageSize > MaxLogLimit:
		return nil, fmt.Errorf("new syncer: %w: page size must be from 1 to %d", ErrInvalidConfig, MaxLogLimit)
	}
	if cfg.Interval == 0 {
		cfg.Interval = time.Minute
	}
	if cfg.Jitter == 0 {
		cfg.Jitter = 0.2
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 30 * time.Minute
	}
	if cfg.PageSize == 0 {
		cfg.PageSize = 100
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = 4 << 20
	}
	s := &Syncer{cfg: cfg, changed: make(chan struct{}), lastErr: map[string]error{}, lastSync: map[string]time.Time{}, lastHeard: map[string]time.Time{}}
	if err := s.SetPeers(cfg.Peers); err != nil {
		return nil, fmt.Errorf("new syncer: %w", err)
	}
	return s, nil
}

// SetPeers replaces the peers (base URLs; duplicates are dropped). A
// running [Syncer.Run] starts pulling from new peers and stops pulling from
// removed ones. It returns [ErrInvalidConfig] for an unusable URL, leaving
// the peers as they were.
func (s *Syncer) SetPeers(peers []string) error {
	var list []string
	for _, p := range peers {
		u, err := url.Parse(p)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("%w: peer %q is not an http(s) base URL", ErrInvalidConfig, p)
		}
		if p = strings.TrimSuffix(p, "/"); !slices.Contains(list, p) {
			list = append(list, p)
		}
	}
	slices.Sort(list)
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.Equal(list, s.peers) {
		return nil
	}
	s.peers = list
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}

// Peers returns the current peers.
func (s *Syncer) Peers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.peers)
}

// LastSync returns when the last good round with peer ended (zero when
// none).
func (s *Syncer) LastSync(peer string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastSync[strings.TrimSuffix(peer, "/")]
}

// LastHeard returns when a round last received a valid head of origin
// (zero when never).
func (s *Syncer) LastHeard(origin string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastHeard[origin]
}

// Metrics returns the counters so far.
func (s *Syncer) Metrics() SyncMetrics {
	return SyncMetrics{
		Rounds: s.rounds.Load(), Failures: s.failures.Load(),
		Requests: s.requests.Load(), BytesIn: s.bytesIn.Load(),
		HeadsAccepted: s.headsAccepted.Load(), EntriesApplied: s.entriesApplied.Load(),
		Refused: s.refused.Load(), Equivocations: s.equivocations.Load(),
	}
}

// LastError returns the error of the last round with peer (nil after a
// good round).
func (s *Syncer) LastError(peer string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr[strings.TrimSuffix(peer, "/")]
}

// SyncOnce runs one round with every peer, one after the other, and
// returns their errors joined.
func (s *Syncer) SyncOnce(ctx context.Context) error {
	var errs []error
	for _, p := range s.Peers() {
		if err := s.syncPeer(ctx, p); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Run syncs with each peer until ctx ends: a round every Interval (with
// jitter), backing off exponentially (up to MaxBackoff) while a peer fails.
// Peers added by [Syncer.SetPeers] are started, removed ones stopped. It
// returns ctx's error.
func (s *Syncer) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	running := map[string]context.CancelFunc{}
	defer func() {
		for _, stop := range running {
			stop()
		}
		wg.Wait()
	}()
	for {
		s.mu.Lock()
		peers, changed := slices.Clone(s.peers), s.changed
		s.mu.Unlock()
		for p, stop := range running {
			if !slices.Contains(peers, p) {
				stop()
				delete(running, p)
			}
		}
		for _, p := range peers {
			if running[p] != nil {
				continue
			}
			pctx, stop := context.WithCancel(ctx)
			running[p] = stop
			wg.Go(func() { s.runPeer(pctx, p) })
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		}
	}
}

// runPeer runs rounds with one peer until ctx ends.
func (s *Syncer) runPeer(ctx context.Context, p string) {
	failures := 0
	for {
		if err := s.syncPeer(ctx, p); err != nil {
			failures++
		} else {
			failures = 0
		}
		t := time.NewTimer(s.delay(failures))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// delay is the pause before the next round with a peer after failures
// failed rounds in a row.
func (s *Syncer) delay(failures int) time.Duration {
	d := s.cfg.Interval
	for i := 0; i < failures && d < s.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, s.cfg.MaxBackoff)
	spread := float64(d) * s.cfg.Jitter
	return max(time.Duration(float64(d)-spread+rand.Float64()*2*spread), time.Millisecond)
}

// syncPeer runs one round with peer: its heads, then the entries it holds
// past what the registry has, for every origin the registry follows.
func (s *Syncer) syncPeer(ctx context.Context, peer string) error {
	s.rounds.Add(1)
	err := s.pull(ctx, peer)
	if err != nil {
		s.failures.Add(1)
		err = fmt.Errorf("sync with %s: %w", peer, err)
	}
	s.mu.Lock()
	s.lastErr[peer] = err
	if err == nil {
		s.lastSync[peer] = s.cfg.Registry.cfg.Now()
	}
	s.mu.Unlock()
	return err
}

func (s *Syncer) pull(ctx context.Context, peer string) error {
	reg := s.cfg.Registry
	body, err := s.get(ctx, peer+PathHeads)
	if err != nil {
		return err
	}
	heads, err := ParseHeads(body, reg.cfg.Limits)
	if err != nil {
		return err
	}
	var errs []error
	for _, raw := range heads {
		h, err := ParseHead([]byte(raw), reg.cfg.Limits)
		if err != nil {
			s.refused.Add(1)
			errs = append(errs, err)
			continue
		}
		if _, followed := reg.OriginState(h.Claims.Iss); !followed || h.Claims.Iss == s.cfg.Self {
			continue // an origin this node does not follow, or its own log
		}
		res, err := reg.ApplyHead(ctx, []byte(raw))
		if err != nil {
			s.count(err)
			if !errors.Is(err, ErrHeadExpired) {
				errs = append(errs, err)
				continue
			}
			// An expired head still says what the peer holds.
		} else {
			s.heard(h.Claims.Iss)
			if res.Accepted {
				s.headsAccepted.Add(1)
			}
		}
		if err := s.pullLog(ctx, peer, h.Claims.Iss, h.Claims.Seq); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// pullLog fetches and applies origin's entries from peer until the
// registry reaches upTo (the seq of the peer's head) or the peer has no
// more.
func (s *Syncer) pullLog(ctx context.Context, peer, origin string, upTo uint64) error {
	reg := s.cfg.Registry
	for {
		st, ok := reg.OriginState(origin)
		if !ok || st.Seq >= upTo || st.Equivocation != nil {
			return nil
		}
		q := url.Values{"origin": {origin}, "after": {strconv.FormatUint(st.Seq, 10)}, "limit": {strconv.Itoa(s.cfg.PageSize)}}
		body, err := s.get(ctx, peer+PathLog+"?"+q.Encode())
		if err != nil {
			return err
		}
		page, err := ParseLogPage(body, origin, st.Seq, s.cfg.PageSize, reg.cfg.Limits)
		if err != nil {
			return err
		}
		if len(page.Entries) == 0 {
			return nil // the peer withholds what its head names
		}
		for _, e := range page.Entries {
			if _, err := reg.Apply(ctx, []byte(e)); err != nil {
				if errors.Is(err, ErrReplay) || errors.Is(err, ErrRollback) {
					continue
				}
				s.count(err)
				return err
			}
			s.entriesApplied.Add(1)
		}
		if !page.More {
			return nil
		}
	}
}

// heard records that a valid head of origin was received.
func (s *Syncer) heard(origin string) {
	now := s.cfg.Registry.cfg.Now()
	s.mu.Lock()
	s.lastHeard[origin] = now
	s.mu.Unlock()
}

func (s *Syncer) count(err error) {
	if errors.Is(err, ErrEquivocation) {
		s.equivocations.Add(1)
	}
	s.refused.Add(1)
}

// get fetches u and reads at most MaxResponseBytes of a 200 answer.
func (s *Syncer) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Cache-Control", "no-cache")
	s.requests.Add(1)
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, s.cfg.MaxResponseBytes+1))
	s.bytesIn.Add(uint64(len(body)))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: the peer answered %s", u, resp.Status)
	}
	if int64(len(body)) > s.cfg.MaxResponseBytes {
		return nil, fmt.Errorf("fetch %s: %w: the answer is over %d bytes", u, ErrTooLarge, s.cfg.MaxResponseBytes)
	}
	return body, nil
}
