package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/node"
	"github.com/communs/communs/vc"
)

// realNode is a real node (pebble in memory) served on 127.0.0.1 behind the same middleware
// stack as communs serve, with issuer "demo" and one achievement.
type realNode struct {
	*node.Node
	srv         *httptest.Server
	achievement string
	tokenFile   string
}

func startRealNode(t *testing.T) *realNode {
	t.Helper()
	db, err := store.Open("data", store.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := httptest.NewUnstartedServer(nil)
	cfg := node.DefaultConfig()
	cfg.BaseURL = "http://" + srv.Listener.Addr().String()
	n, err := node.New(context.Background(), cfg, db, []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = httpx.Chain(n.Handler(), httpx.Stack(httpx.StackOptions{Logger: cfg.Logger})...)
	srv.Start()
	t.Cleanup(srv.Close)
	ctx := context.Background()
	if _, err := n.ProvisionAdminToken(ctx, testToken); err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateIssuer(ctx, node.IssuerRequest{Slug: "demo", Name: "Centre de démonstration"}); err != nil {
		t.Fatal(err)
	}
	var a vc.Achievement
	if err := json.Unmarshal([]byte(`{"name":"Premiers secours","description":"Sait porter secours.","criteria":{"narrative":"Réussir la mise en situation."}}`), &a); err != nil {
		t.Fatal(err)
	}
	rec, err := n.CreateAchievement(ctx, "demo", a)
	if err != nil {
		t.Fatal(err)
	}
	return &realNode{Node: n, srv: srv, achievement: rec.ID, tokenFile: tokenFile(t)}
}

func TestIssueCSVAgainstARealNode(t *testing.T) {
	rn := startRealNode(t)
	rows := append(recipients(25, "example.org"), "not-an-address;Nobody")
	path := csvFile(t, rows...)
	issue := func(t *testing.T, extra ...string) (int, [][]string, string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "results.csv")
		args := append([]string{"issue", "--node", rn.srv.URL, "--token-file", rn.tokenFile, "--issuer", "demo",
			"--achievement", rn.achievement, "--csv", path, "--out", out, "--progress", "plain"}, extra...)
		code, _, stderr := communs(t, "", args...)
		data, _ := os.ReadFile(out)
		var recs [][]string
		if len(data) > 0 {
			recs = readResultsCSV(t, string(data))
		}
		return code, recs, stderr
	}
	var first [][]string

	t.Run("an invalid row stops the upload before anything is awarded", func(t *testing.T) {
		code, _, stderr := issue(t)
		if code != exitFailure || !strings.Contains(stderr, "line 27, column email") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if list, _ := rn.Audit(context.Background(), 0); countAction(list, "award") != 0 {
			t.Fatalf("the node awarded %d badges", countAction(list, "award"))
		}
	})
	t.Run("with --skip-invalid every valid row is awarded and the node refuses the invalid one", func(t *testing.T) {
		code, recs, stderr := issue(t, "--skip-invalid")
		if code != exitOK {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		if !strings.Contains(stderr, "26 rows: awarded 25, existing 0, errors 1 (1 invalid rows skipped)") {
			t.Fatalf("stderr:\n%s", stderr)
		}
		if len(recs) != 27 {
			t.Fatalf("%d result rows", len(recs))
		}
		for _, r := range recs[1:26] {
			if r[2] != "awarded" || !strings.HasPrefix(r[3], rn.srv.URL+"/credentials/") || !strings.HasPrefix(r[4], rn.srv.URL+"/claim/") {
				t.Fatalf("row %v", r)
			}
		}
		if r := recs[26]; r[0] != "27" || r[2] != "error" || !strings.Contains(r[5], "column email") {
			t.Fatalf("invalid row %v", r)
		}
		first = recs
	})
	t.Run("uploading the same CSV again awards nothing new", func(t *testing.T) {
		code, recs, stderr := issue(t, "--skip-invalid")
		if code != exitOK || !strings.Contains(stderr, "awarded 0, existing 25, errors 1") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
		for i, r := range recs[1:26] {
			if r[2] != "existing" || r[3] != first[i+1][3] {
				t.Fatalf("row %v, first time %v", r, first[i+1])
			}
		}
		if list, _ := rn.Audit(context.Background(), 0); countAction(list, "award") != 25 {
			t.Fatalf("the node made %d awards in all, want 25", countAction(list, "award"))
		}
	})
	t.Run("an archived achievement is refused with exit 1 and the node's reason", func(t *testing.T) {
		if _, err := rn.ArchiveAchievement(context.Background(), "demo", rn.achievement); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := issue(t, "--skip-invalid")
		if code != exitFailure || !strings.Contains(stderr, "archived") || !strings.Contains(stderr, "HTTP 409") {
			t.Fatalf("code %d\n%s", code, stderr)
		}
	})
}

func countAction(list []node.AuditRecord, action string) int {
	n := 0
	for _, r := range list {
		if r.Action == action {
			n++
		}
	}
	return n
}
