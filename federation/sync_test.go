package federation

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
)

// syncNode is a node on 127.0.0.1: a registry, its sync endpoints and a
// syncer pulling from its peers.
type syncNode struct {
	reg    *Registry
	srv    *httptest.Server
	syncer *Syncer
}

func guardedClient() *http.Client {
	return httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, CacheTTL: -1})
}

// newSyncNode starts a node following origins; own (may be nil) is its own
// log. wrap (may be nil) alters its handler.
func newSyncNode(t *testing.T, now func() time.Time, own *testOrigin, wrap func(http.Handler) http.Handler, peers []string, origins ...*testOrigin) *syncNode {
	t.Helper()
	n := &syncNode{reg: newTestRegistry(t, nil, now, origins...)}
	cfg := ServerConfig{Registry: n.reg}
	if own != nil {
		cfg.Log, cfg.Signer = own.log, own.key
	}
	s, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	n.srv = httptest.NewServer(h)
	t.Cleanup(n.srv.Close)
	n.syncer, err = NewSyncer(SyncConfig{Registry: n.reg, Peers: peers, Client: guardedClient(), PageSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (n *syncNode) sync(t *testing.T) {
	t.Helper()
	if err := n.syncer.SyncOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func statusOf(reg *Registry, did string) Status {
	v := reg.Lookup(did)
	if len(v) == 0 {
		return ""
	}
	return v[0].Status
}

// relay starts A (writer), B (pulls from A) and C (pulls from B only).
func relay(t *testing.T, wrapB func(http.Handler) http.Handler) (a *testOrigin, nodeB, nodeC *syncNode) {
	now := fixedClock(testEpoch)
	a = newTestOrigin(t, "a.example", now)
	nodeA := newSyncNode(t, now, a, nil, nil)
	nodeB = newSyncNode(t, now, nil, wrapB, []string{nodeA.srv.URL}, a)
	nodeC = newSyncNode(t, now, nil, nil, []string{nodeB.srv.URL}, a)
	return a, nodeB, nodeC
}

func TestSyncThroughARelay(t *testing.T) {
	a, b, c := relay(t, nil)
	for i := range 7 {
		a.append(t, "did:web:a.example:issuers:"+string(rune('a'+i)), StatusActive)
	}

	t.Run("B and C converge on A's log, C hearing only from B", func(t *testing.T) {
		b.sync(t)
		c.sync(t)
		for _, n := range []*syncNode{b, c} {
			st, _ := n.reg.OriginState(a.EntityID)
			if seq, last := a.log.Seq(); st.Seq != seq || st.LastCID != last || st.Stale {
				t.Fatalf("replica at seq %d (%s, stale %v), A at %d (%s)", st.Seq, st.LastCID, st.Stale, seq, last)
			}
		}
		if got := c.syncer.Metrics().EntriesApplied; got != 7 {
			t.Fatalf("C applied %d entries, want 7", got)
		}
	})

	t.Run("a suspension on A reaches C within two rounds", func(t *testing.T) {
		did := "did:web:a.example:issuers:c"
		a.append(t, did, StatusSuspended)
		c.sync(t) // round 1: C before B
		b.sync(t)
		if statusOf(c.reg, did) != StatusActive || statusOf(b.reg, did) != StatusSuspended {
			t.Fatalf("after round 1: B %q, C %q", statusOf(b.reg, did), statusOf(c.reg, did))
		}
		c.sync(t) // round 2
		b.sync(t)
		if got := statusOf(c.reg, did); got != StatusSuspended {
			t.Fatalf("C says %q after two rounds, want suspended", got)
		}
	})

	t.Run("an incremental sync moves only the new entry", func(t *testing.T) {
		before := c.syncer.Metrics()
		b.sync(t)
		c.sync(t)
		idle := c.syncer.Metrics()
		e := a.append(t, "did:web:a.example:issuers:new", StatusActive)
		b.sync(t)
		c.sync(t)
		after := c.syncer.Metrics()
		if n := after.EntriesApplied - idle.EntriesApplied; n != 1 {
			t.Fatalf("applied %d entries, want 1", n)
		}
		idleBytes := idle.BytesIn - before.BytesIn
		moved := after.BytesIn - idle.BytesIn
		// An idle round moves one head; a round with one new entry moves
		// that head, one log page with the entry, and nothing else.
		if moved <= uint64(len(e.JWS)) || moved > idleBytes+uint64(len(e.JWS))+200 {
			t.Fatalf("moved %d bytes for a %d-byte entry (an idle round moves %d)", moved, len(e.JWS), idleBytes)
		}
		t.Logf("idle round %d bytes, one new entry %d bytes (entry %d bytes)", idleBytes, moved, len(e.JWS))
	})
}

// tamper rewrites the payload of every entry a relay serves, keeping
// the origin's signature.
func tamper(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != PathLog {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var p LogPage
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		for i, e := range p.Entries {
			parts := strings.Split(e, ".")
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			payload = []byte(strings.Replace(string(payload), `"suspended"`, `"active"`, 1))
			parts[1] = base64.RawURLEncoding.EncodeToString(payload)
			p.Entries[i] = strings.Join(parts, ".")
		}
		_ = json.NewEncoder(w).Encode(p)
	})
}

func TestARelayCannotForge(t *testing.T) {
	var tampering atomic.Bool
	a, b, c := relay(t, func(next http.Handler) http.Handler {
		forged := tamper(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tampering.Load() {
				forged.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	did := "did:web:a.example:issuers:x"
	a.append(t, did, StatusActive)
	b.sync(t)
	c.sync(t)
	a.append(t, did, StatusSuspended)
	b.sync(t)
	tampering.Store(true)

	err := c.syncer.SyncOnce(context.Background())
	t.Run("the forged entry is refused", func(t *testing.T) {
		if !errors.Is(err, ErrBadSignature) {
			t.Fatalf("sync error %v, want ErrBadSignature", err)
		}
		if m := c.syncer.Metrics(); m.Refused == 0 || m.EntriesApplied != 1 {
			t.Fatalf("metrics %+v: want a refusal and only the first entry applied", m)
		}
	})
	t.Run("C keeps its state", func(t *testing.T) {
		st, _ := c.reg.OriginState(a.EntityID)
		if st.Seq != 1 || statusOf(c.reg, did) != StatusActive {
			t.Fatalf("C at seq %d with status %q, want 1 and active", st.Seq, statusOf(c.reg, did))
		}
	})
	t.Run("an honest round afterwards catches up", func(t *testing.T) {
		tampering.Store(false)
		c.sync(t)
		if statusOf(c.reg, did) != StatusSuspended {
			t.Fatalf("C says %q, want suspended", statusOf(c.reg, did))
		}
	})
}

func TestSyncRefusesBadPeers(t *testing.T) {
	now := fixedClock(testEpoch)
	a := newTestOrigin(t, "a.example", now)
	reg := newTestRegistry(t, nil, now, a)
	cases := []struct {
		name, body string
		want       error
	}{
		{"a peer answering garbage", "<html>", ErrMalformed},
		{"a peer answering too much", "[\"" + strings.Repeat("x", 5000) + "\"]", ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name+" fails the round", func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, tc.body) }))
			defer srv.Close()
			s, err := NewSyncer(SyncConfig{Registry: reg, Peers: []string{srv.URL}, Client: guardedClient(), MaxResponseBytes: 4096})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SyncOnce(context.Background()); !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if s.LastError(srv.URL) == nil || s.Metrics().Failures != 1 {
				t.Fatal("the failure is not recorded")
			}
		})
	}
	t.Run("backoff doubles up to the bound", func(t *testing.T) {
		s, err := NewSyncer(SyncConfig{Registry: reg, Client: guardedClient(), Interval: time.Second, Jitter: 0.1, MaxBackoff: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		for failures, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second} {
			if d := s.delay(failures); d < want*9/10 || d > want*11/10 {
				t.Errorf("after %d failures the pause is %s, want %s ± 10%%", failures, d, want)
			}
		}
	})
	t.Run("Run stops with its context", func(t *testing.T) {
		s, err := NewSyncer(SyncConfig{Registry: reg, Peers: []string{"http://127.0.0.1:1"}, Client: guardedClient(), Interval: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if err := s.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Run returned %v", err)
		}
		if s.Metrics().Failures == 0 {
			t.Fatal("no failed round recorded against an unreachable peer")
		}
	})
}
