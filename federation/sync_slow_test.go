package federation

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
)

// A peer that answers too slowly fails its round within the client's time limit, and does
// not keep the node from converging through an honest peer.
func TestSlowPeerDoesNotStallSync(t *testing.T) {
	now := fixedClock(testEpoch)
	a := newTestOrigin(t, "a.example", now)
	nodeA := newSyncNode(t, now, a, nil, nil)
	for i := range 3 {
		a.append(t, "did:web:a.example:issuers:"+string(rune('a'+i)), StatusActive)
	}
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	reg := newTestRegistry(t, nil, now, a)
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, CacheTTL: -1, Timeout: 300 * time.Millisecond})
	s, err := NewSyncer(SyncConfig{Registry: reg, Peers: []string{slow.URL, nodeA.srv.URL}, Client: client})
	if err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	err = s.SyncOnce(context.Background())
	took := time.Since(begin)
	if err == nil {
		t.Fatal("the slow peer's round did not fail")
	}
	if took > 3*time.Second {
		t.Fatalf("the round waited %v for the slow peer", took)
	}
	if s.LastError(slow.URL) == nil || s.LastError(nodeA.srv.URL) != nil {
		t.Fatalf("errors: slow=%v honest=%v", s.LastError(slow.URL), s.LastError(nodeA.srv.URL))
	}
	if st, _ := reg.OriginState(a.EntityID); st.Seq != 3 {
		t.Fatalf("the replica is at seq %d, want 3 from the honest peer", st.Seq)
	}
}
