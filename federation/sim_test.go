package federation

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
)

// countingTransport counts the response body bytes its client reads.
type countingTransport struct {
	next  http.RoundTripper
	bytes atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(r)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.bytes}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// simulation is an anchor and partners on memory storage whose clients
// share one byte counter.
type simulation struct {
	clock    *testClock
	counter  *countingTransport
	anchor   *testNode
	partners []*testNode
}

func newSimulation(tb testing.TB, partners int) *simulation {
	tb.Helper()
	s := &simulation{clock: newTestClock()}
	// A long timeout: 21 nodes verifying at once on a shared machine can
	// keep a loopback answer waiting for seconds.
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, CacheTTL: -1, Timeout: 2 * time.Minute})
	s.counter = &countingTransport{next: client.Transport}
	client.Transport = s.counter
	s.anchor = newAnchorNode(tb, s.clock, false)
	s.anchor.cfg.Client = client
	s.anchor.open(tb, false)
	for i := range partners {
		p := newPartnerNode(tb, s.clock, s.anchor, false, client)
		s.anchor.admit(tb, p, fmt.Sprintf("Partner %d", i), fmt.Sprintf("did:web:partner%d.example:*", i))
		s.partners = append(s.partners, p)
	}
	for _, p := range s.partners {
		p.refresh(tb)
	}
	return s
}

func (s *simulation) nodes() []*testNode { return append([]*testNode{s.anchor}, s.partners...) }

// vouchAll makes partner i vouch for issuers DIDs, partners in parallel.
func (s *simulation) vouchAll(tb testing.TB, issuers, from int) {
	tb.Helper()
	mk, _ := multikey(tb)
	var wg sync.WaitGroup
	for i, p := range s.partners {
		wg.Go(func() {
			for k := from; k < from+issuers; k++ {
				_, err := p.Vouch(context.Background(), VouchRequest{DID: issuerDID(i, k), IssuerKeys: []string{mk},
					Organization: FederationEntity{OrganizationName: fmt.Sprintf("School %d of partner %d", k, i), HomepageURI: "https://school.example/"}})
				if err != nil {
					tb.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// converged reports whether every node holds seq entries of every partner.
func (s *simulation) converged(seq uint64) error {
	for _, n := range s.nodes() {
		for _, p := range s.partners {
			st, ok := n.Registry().OriginState(p.url)
			if !ok || st.Seq != seq {
				return fmt.Errorf("%s holds %d entries of %s, want %d", n.url, st.Seq, p.url, seq)
			}
		}
	}
	return nil
}

// round runs one sync round on every node and returns the bytes moved.
func (s *simulation) round(tb testing.TB) int64 {
	before := s.counter.bytes.Load()
	syncAll(tb, s.nodes()...)
	return s.counter.bytes.Load() - before
}

// simulate runs the convergence scenario and returns its figures.
func simulate(tb testing.TB, partners, issuers int) (signing, converge time.Duration, first, incremental int64) {
	s := newSimulation(tb, partners)
	start := time.Now()
	s.vouchAll(tb, issuers, 0)
	signing = time.Since(start)

	start = time.Now()
	first = s.round(tb)
	converge = time.Since(start)
	if err := s.converged(uint64(issuers)); err != nil {
		tb.Fatal(err)
	}
	if got := s.anchor.status(issuerDID(partners-1, issuers-1)); got != "active" {
		tb.Fatalf("the anchor says %q about the last issuer", got)
	}

	s.vouchAll(tb, 1, issuers)
	incremental = s.round(tb)
	if err := s.converged(uint64(issuers + 1)); err != nil {
		tb.Fatal(err)
	}
	return signing, converge, first, incremental
}

func TestIncrementalSyncMovesOnlyTheNewEntries(t *testing.T) {
	const partners, issuers = 4, 60
	_, _, first, incr := simulate(t, partners, issuers)
	t.Logf("%d partners × %d issuers: first round %d bytes, incremental round %d bytes", partners, issuers, first, incr)
	// The incremental round moves, per node, each peer's heads and one
	// log page per origin with its one new entry.
	if incr*10 > first {
		t.Fatalf("the incremental round moved %d bytes, the first %d", incr, first)
	}
}

// BenchmarkFederationConverge is the simulation of the issue: an anchor
// and 20 partners, each vouching for 1,000 issuers, converge on loopback;
// then each partner appends one entry and a second round moves only the
// new entries. Run: go test -run='^$' -bench=FederationConverge -benchtime=1x ./federation
func BenchmarkFederationConverge(b *testing.B) {
	partners, issuers := 20, 1000
	if testing.Short() {
		partners, issuers = 20, 200
	}
	b.ReportAllocs()
	for b.Loop() {
		signing, converge, first, incr := simulate(b, partners, issuers)
		b.ReportMetric(signing.Seconds(), "s-signing")
		b.ReportMetric(converge.Seconds(), "s-converge")
		b.ReportMetric(float64(first), "bytes-first-round")
		b.ReportMetric(float64(incr), "bytes-incremental")
		b.Logf("%d partners × %d issuers: signing %s, first round %s moving %d bytes, incremental round %d bytes (%.2f%%)",
			partners, issuers, signing, converge, first, incr, 100*float64(incr)/float64(first))
		if incr*10 > first {
			b.Fatalf("the incremental round moved %d bytes, the first %d", incr, first)
		}
	}
}
