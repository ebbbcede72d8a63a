package federation

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/go-jose/go-jose/v4"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/vc/keys"
)

// testClock is a settable clock shared by the nodes of a test.
type testClock struct{ t atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.t.Store(testEpoch.UnixNano())
	return c
}
func (c *testClock) Now() time.Time          { return time.Unix(0, c.t.Load()) }
func (c *testClock) Advance(d time.Duration) { c.t.Add(int64(d)) }

// lateHandler lets a server start (and so have its URL, the node's entity
// id) before the node it serves exists, and be pointed at a reopened node.
type lateHandler struct{ h atomic.Pointer[http.Handler] }

func (l *lateHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := l.h.Load(); h != nil {
		(*h).ServeHTTP(w, r)
		return
	}
	http.Error(w, "starting", http.StatusServiceUnavailable)
}
func (l *lateHandler) set(h http.Handler) { l.h.Store(&h) }

// testNode is a node on 127.0.0.1 with its key and pebble on a memory
// file system (nil fs: memory storage).
type testNode struct {
	*Node
	url  string
	key  *ecdsa.PrivateKey
	srv  *httptest.Server
	late *lateHandler
	fs   vfs.FS
	db   *store.DB
	cfg  NodeConfig
	root testing.TB // owns cleanups across restarts in subtests
}

func newKey(tb testing.TB) *ecdsa.PrivateKey {
	tb.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// multikey returns a fresh Ed25519 issuer key as a Multikey.
func multikey(tb testing.TB) (string, ed25519.PrivateKey) {
	tb.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	mk, err := keys.EncodeMultikey(pub)
	if err != nil {
		tb.Fatal(err)
	}
	return mk, priv
}

// startServer starts the node's server, whose URL becomes its entity id.
func startServer(tb testing.TB) (*httptest.Server, *lateHandler) {
	tb.Helper()
	late := &lateHandler{}
	srv := httptest.NewServer(late)
	tb.Cleanup(srv.Close)
	return srv, late
}

// baseNodeConfig returns a node configuration for tests.
func baseNodeConfig(url string, role Role, key *ecdsa.PrivateKey, clock *testClock, client *http.Client) NodeConfig {
	cfg := DefaultNodeConfig()
	cfg.EntityID, cfg.Role, cfg.Signer, cfg.Client, cfg.Now = url, role, key, client, clock.Now
	cfg.Organization = EntityMetadata{OrganizationName: "Node " + url, HomepageURI: url + "/", PolicyURI: url + "/policy"}
	cfg.PageSize = 100
	return cfg
}

// newAnchorNode starts a trust anchor; withDB puts it on pebble.
func newAnchorNode(tb testing.TB, clock *testClock, withDB bool) *testNode {
	tb.Helper()
	srv, late := startServer(tb)
	n := &testNode{url: srv.URL, key: newKey(tb), srv: srv, late: late, root: tb}
	n.cfg = baseNodeConfig(srv.URL, RoleAnchor, n.key, clock, guardedClient())
	n.open(tb, withDB)
	return n
}

// newPartnerNode starts a partner pinned to anchor.
func newPartnerNode(tb testing.TB, clock *testClock, anchor *testNode, withDB bool, client *http.Client) *testNode {
	tb.Helper()
	srv, late := startServer(tb)
	if client == nil {
		client = guardedClient()
	}
	n := &testNode{url: srv.URL, key: newKey(tb), srv: srv, late: late, root: tb}
	n.cfg = baseNodeConfig(srv.URL, RolePartner, n.key, clock, client)
	n.cfg.AnchorID, n.cfg.AnchorKeys = anchor.url, anchor.AnchorJWKS()
	n.open(tb, withDB)
	return n
}

// open (re)opens the node, on its pebble database when withDB.
func (n *testNode) open(tb testing.TB, withDB bool) {
	tb.Helper()
	cfg := n.cfg
	if withDB {
		if n.fs == nil {
			n.fs = vfs.NewMem()
		}
		db, err := store.Open("node", store.Options{FS: n.fs, OnFatal: func(msg string) { panic(msg) }})
		if err != nil {
			tb.Fatal(err)
		}
		n.db, cfg.DB = db, db
		n.root.Cleanup(func() { db.Close() })
	}
	node, err := NewNode(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	n.Node = node
	n.late.set(node.Handler())
}

// restart closes the node's database and opens the node again on it.
func (n *testNode) restart(tb testing.TB) {
	tb.Helper()
	n.late.h.Store(nil)
	if err := n.db.Close(); err != nil {
		tb.Fatal(err)
	}
	n.open(tb, true)
}

// admit adds p as a partner of the anchor with scope.
func (a *testNode) admit(tb testing.TB, p *testNode, name string, scope ...string) {
	tb.Helper()
	_, err := a.AddPartner(context.Background(), Partner{
		EntityID: p.url, Keys: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey}}},
		Scope: scope, OrganizationName: name,
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func (n *testNode) refresh(tb testing.TB) {
	tb.Helper()
	if err := n.Refresh(context.Background()); err != nil {
		tb.Fatal(err)
	}
}

// syncAll runs one round on every node, concurrently.
func syncAll(tb testing.TB, nodes ...*testNode) {
	tb.Helper()
	var wg sync.WaitGroup
	errs := make([]error, len(nodes))
	for i, n := range nodes {
		wg.Go(func() { errs[i] = n.Syncer().SyncOnce(context.Background()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			tb.Fatalf("node %d (%s): %v", i, nodes[i].url, err)
		}
	}
}

func (n *testNode) vouch(tb testing.TB, didStr, name string) *Entry {
	tb.Helper()
	mk, _ := multikey(tb)
	e, err := n.Vouch(context.Background(), VouchRequest{DID: didStr, IssuerKeys: []string{mk}, Organization: FederationEntity{OrganizationName: name}})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func (n *testNode) status(didStr string) string { return n.Assess(didStr).Status }

// webDID serves a did:web document with one Multikey, replaceable.
type webDID struct {
	did  string
	srv  *httptest.Server
	doc  atomic.Pointer[[]byte]
	port string
}

func newWebDID(tb testing.TB) *webDID {
	tb.Helper()
	w := &webDID{}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/issuers/acme/did.json" {
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write(*w.doc.Load())
	}))
	tb.Cleanup(w.srv.Close)
	_, w.port, _ = splitHostPort(w.srv.Listener.Addr().String())
	w.did = "did:web:127.0.0.1%3A" + w.port + ":issuers:acme"
	return w
}

func (w *webDID) setKey(mk string) {
	doc := []byte(fmt.Sprintf(`{"@context":["https://www.w3.org/ns/did/v1","https://w3id.org/security/multikey/v1"],"id":%q,`+
		`"verificationMethod":[{"id":%q,"type":"Multikey","controller":%q,"publicKeyMultibase":%q}],"assertionMethod":[%q]}`,
		w.did, w.did+"#key-1", w.did, mk, w.did+"#key-1"))
	w.doc.Store(&doc)
}

func webResolver() did.Resolver {
	return did.NewResolver(did.Options{HTTPClient: guardedClient(), AllowHTTP: true})
}

func splitHostPort(addr string) (string, string, error) { return net.SplitHostPort(addr) }
