package node

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

var masterKey = bytes.Repeat([]byte{7}, 32)

// testNode runs a node on a real 127.0.0.1 listener over pebble on fs.
type testNode struct {
	*Node
	srv   *httptest.Server
	db    *store.DB
	admin string
}

func startNode(t testing.TB, fs vfs.FS, ln net.Listener) *testNode {
	t.Helper()
	db, err := store.Open("data", store.Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	return serveNode(t, db, ln, nil)
}

// serveNode runs a node over db on ln (nil: a new 127.0.0.1 port) with an admin token; edit,
// when given, adjusts the configuration first.
func serveNode(t testing.TB, db *store.DB, ln net.Listener, edit func(*Config)) *testNode {
	t.Helper()
	var err error
	if ln == nil {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg := DefaultConfig()
	cfg.BaseURL = "http://" + ln.Addr().String()
	if edit != nil {
		edit(&cfg)
	}
	n, err := New(context.Background(), cfg, db, masterKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(n.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	admin := "cmt_test-admin-token-0123456789"
	if _, err := n.ProvisionAdminToken(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	return &testNode{Node: n, srv: srv, db: db, admin: admin}
}

func (tn *testNode) stop() {
	tn.srv.Close()
	tn.db.Close()
}

func (tn *testNode) do(t testing.TB, method, path, token, ctype string, body []byte) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, tn.srv.URL+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (tn *testNode) mustJSON(t testing.TB, method, path string, body any, want int) map[string]any {
	t.Helper()
	raw, _ := json.Marshal(body)
	st, out := tn.do(t, method, path, tn.admin, "application/json", raw)
	if st != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, st, want, out)
	}
	var m map[string]any
	json.Unmarshal(out, &m)
	return m
}

const testPDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

var testAchievement = map[string]any{
	"name": "Conception universelle de l'apprentissage — niveau 1", "description": "Applique les principes de la CUA.",
	"criteria": map[string]any{"narrative": "Soumettre une **séquence** d'enseignement."}, "achievementType": "Competency",
	"tag": []string{"CUA"}, "inLanguage": "fr",
}

func multipartAward(t testing.TB, award any, files map[string][]byte) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	raw, _ := json.Marshal(award)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="award"`)
	h.Set("Content-Type", "application/json")
	p, _ := mw.CreatePart(h)
	p.Write(raw)
	for name, data := range files {
		fw, _ := mw.CreateFormFile("evidence", name)
		fw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// verifyOverLoopback verifies raw resolving did:web over real loopback HTTP.
func verifyOverLoopback(t *testing.T, raw []byte) *vc.Report {
	t.Helper()
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, CacheTTL: -1})
	rep, err := vc.Verify(context.Background(), raw, vc.Options{
		Resolver:   did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true}),
		HTTPClient: client,
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestEndToEnd(t *testing.T) {
	fs := vfs.NewMem()
	tn := startNode(t, fs, nil)
	addr := tn.srv.Listener.Addr().String()

	tn.mustJSON(t, "POST", "/api/v1/issuers", map[string]any{"slug": "demo", "name": "Centre de démonstration", "url": "https://example.org", "email": "badges@example.org", "description": "Démo"}, 201)
	ach := tn.mustJSON(t, "POST", "/api/v1/issuers/demo/achievements", testAchievement, 201)
	achID := ach["id"].(string)
	ctype, body := multipartAward(t, map[string]any{
		"achievementId": achID, "recipient": map[string]any{"email": "Ada@example.org", "name": "Ada", "showName": true},
		"narrative": "A soumis une séquence.",
	}, map[string][]byte{"sequence.pdf": []byte(testPDF)})
	st, out := tn.do(t, "POST", "/api/v1/issuers/demo/awards", tn.admin, ctype, body)
	if st != 201 {
		t.Fatalf("award = %d: %s", st, out)
	}
	var award AwardResult
	json.Unmarshal(out, &award)
	var credJSON []byte

	t.Run("the credential JSON is served by content negotiation and names the did:web issuer", func(t *testing.T) {
		req, _ := http.NewRequest("GET", award.URL, nil)
		req.Header.Set("Accept", "application/vc+ld+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		credJSON, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		c, err := vc.ParseCredential(credJSON)
		if err != nil {
			t.Fatal(err)
		}
		wantDID := "did:web:" + strings.ReplaceAll(addr, ":", "%3A") + ":issuers:demo"
		if c.IssuerID() != wantDID || c.ID != award.URL {
			t.Fatalf("issuer %s id %s", c.IssuerID(), c.ID)
		}
		rr := c.RelatedResource.First()
		if !strings.HasPrefix(rr.DigestMultibase, "z") || rr.MediaType != "application/pdf" || !strings.Contains(rr.ID, "/evidence/b") {
			t.Fatalf("relatedResource = %+v", rr)
		}
	})
	t.Run("the credential verifies with did:web resolved from the node over loopback", func(t *testing.T) {
		rep := verifyOverLoopback(t, credJSON)
		if !rep.Verified {
			t.Fatalf("not verified: %s %+v", rep.Reason(), rep.Checks)
		}
	})
	t.Run("the public page shows name, issuer, recipient and the evidence link", func(t *testing.T) {
		req, _ := http.NewRequest("GET", award.URL+"?lang=fr", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{"Conception universelle", "Centre de démonstration", "Ada", "/evidence/b"} {
			if !strings.Contains(string(page), want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
	t.Run("the evidence digest matches, then a changed byte is reported", func(t *testing.T) {
		checks, err := tn.CheckEvidence(context.Background(), credJSON)
		if err != nil || len(checks) != 1 || !checks[0].OK {
			t.Fatalf("checks = %+v, %v", checks, err)
		}
		cid := checks[0].URL[strings.LastIndex(checks[0].URL, "/")+1:]
		changed := []byte(testPDF)
		changed[10] ^= 1
		b := tn.db.NewBatch()
		b.Set(store.KeyEvidenceBlob(cid), changed)
		b.Commit()
		checks, _ = tn.CheckEvidence(context.Background(), credJSON)
		if checks[0].OK || !strings.Contains(checks[0].Detail, "does not match") {
			t.Fatalf("changed file not detected: %+v", checks)
		}
		b = tn.db.NewBatch()
		b.Set(store.KeyEvidenceBlob(cid), []byte(testPDF))
		b.Commit()
	})
	t.Run("a revoked badge fails verification with revoked", func(t *testing.T) {
		tn.mustJSON(t, "POST", "/api/v1/awards/"+award.ID+"/revoke", map[string]any{"reason": "erreur"}, 200)
		rep := verifyOverLoopback(t, credJSON)
		if rep.Verified || !strings.Contains(strings.ToLower(rep.Reason()), "revoked") {
			t.Fatalf("after revocation: verified=%v reason=%s", rep.Verified, rep.Reason())
		}
	})
	t.Run("after a restart on the same data everything is still there", func(t *testing.T) {
		tn.stop()
		ln2, err := net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("cannot rebind %s: %v", addr, err)
		}
		tn2 := startNode(t, fs, ln2)
		defer tn2.stop()
		a := tn2.mustJSON(t, "GET", "/api/v1/awards/"+award.ID, nil, 200)
		if a["revoked"] != true {
			t.Fatalf("award after restart = %v", a)
		}
		rep := verifyOverLoopback(t, credJSON)
		if rep.Verified || !strings.Contains(strings.ToLower(rep.Reason()), "revoked") {
			t.Fatalf("after restart: %s", rep.Reason())
		}
		if st, _ := tn2.do(t, "GET", "/issuers/demo/did.json", "", "", nil); st != 200 {
			t.Fatalf("did.json after restart = %d", st)
		}
	})
}
