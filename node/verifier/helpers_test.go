package verifier_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/node"
	"github.com/communs/communs/node/verifier"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

var masterKey = bytes.Repeat([]byte{7}, 32)

// awards numbers the test awards, so that each is a new one.
var awards atomic.Int64

// issuingNode is a real node on a 127.0.0.1 listener over pebble in memory, with one issuer and
// one achievement, that awards real badges.
type issuingNode struct {
	*node.Node
	srv   *httptest.Server
	slug  string
	achID string
}

// startIssuingNode runs a node (the few lines of node's own serveNode test helper) and creates
// an issuer with a French name and an achievement with criteria and an alignment.
func startIssuingNode(t testing.TB) *issuingNode {
	t.Helper()
	db, err := store.Open("data", store.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := node.DefaultConfig()
	cfg.BaseURL = "http://" + ln.Addr().String()
	n, err := node.New(context.Background(), cfg, db, masterKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(n.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		db.Close()
	})
	ctx := context.Background()
	if _, err := n.CreateIssuer(ctx, node.IssuerRequest{Slug: "demo", Name: "Centre de services scolaire des Découvertes",
		URL: "https://example.org", Email: "badges@example.org", Description: "Formation continue"}); err != nil {
		t.Fatal(err)
	}
	credits := 3.0
	ach, err := n.CreateAchievement(ctx, "demo", vc.Achievement{
		Name:             vc.Plain("Conception universelle de l’apprentissage — niveau 1"),
		Description:      vc.Plain("Applique les principes de la CUA en classe."),
		Criteria:         &vc.Criteria{Narrative: vc.Plain("Soumettre une **séquence** d’enseignement.")},
		AchievementType:  "Competency",
		Alignment:        []vc.Alignment{{Type: vc.Many("Alignment"), TargetName: vc.Plain("Compétence 3 — planifier"), TargetURL: "https://example.org/referentiel/c3", TargetFramework: "Référentiel 2020", TargetCode: "C3"}},
		CreditsAvailable: &credits,
		Tag:              []string{"CUA"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &issuingNode{Node: n, srv: srv, slug: "demo", achID: ach.ID}
}

// learnerDID returns a fresh did:key.
func learnerDID(t testing.TB) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, err := did.NewKeyDID(pub)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// award issues a badge to learner; edit adjusts the request first.
func (in *issuingNode) award(t testing.TB, learner string, edit func(*node.AwardRequest)) *node.AwardResult {
	t.Helper()
	credits := 1.5
	req := node.AwardRequest{
		AchievementID:     in.achID,
		Recipient:         node.Recipient{DID: learner},
		Narrative:         "A soumis une séquence remarquable.",
		Evidence:          []node.EvidenceLink{{URL: "https://example.org/portfolio/sequence.pdf", Name: "Séquence d’enseignement"}},
		Results:           []vc.Result{{Value: "Réussi", Status: "Completed"}},
		CreditsEarned:     &credits,
		ActivityStartDate: "2026-09-01T00:00:00Z",
		ActivityEndDate:   "2026-10-15T00:00:00Z",
		RowKey:            fmt.Sprintf("award-%d", awards.Add(1)), // one learner may hold several badges
	}
	if edit != nil {
		edit(&req)
	}
	res, err := in.Award(context.Background(), in.slug, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// testOptions are the verification options of a node in test mode: did:web and status lists
// over loopback http through the guarded client (without its cache, so revocations show at
// once), and trust when given.
func testOptions(trust vc.IssuerTrust) vc.Options {
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, CacheTTL: -1})
	return vc.Options{
		Resolver:   did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true}),
		HTTPClient: client,
		Trust:      trust,
	}
}

// newVerifier returns a verifier with opts, no rate limit unless edit sets one, and a server.
func newVerifier(t testing.TB, opts vc.Options, edit func(*verifier.Config)) (*verifier.Verifier, *httptest.Server) {
	t.Helper()
	cfg := verifier.DefaultConfig()
	cfg.Options = opts
	cfg.NodeName = "Nœud de test"
	cfg.NoRateLimit = true
	cfg.Logger = discardLogger()
	if edit != nil {
		edit(&cfg)
	}
	v, err := verifier.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(v.Handler())
	t.Cleanup(func() {
		srv.Close()
		v.Close()
	})
	return v, srv
}

// vector reads a file of the shared test vectors.
func vector(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "vectors", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// get fetches url with an Accept-Language and returns status and body.
func get(t testing.TB, url, lang string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
