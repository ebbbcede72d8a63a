package federation

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestDCCRegistryClientReadsTheAnchor runs ../interop/registry-client.mjs
// (the Digital Credentials Consortium's issuer-registry-client, pinned in
// interop/package.json) against an anchor and a partner on 127.0.0.1. It
// is skipped when node or the installed interop packages are missing.
func TestDCCRegistryClientReadsTheAnchor(t *testing.T) {
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	interop, _ := filepath.Abs(filepath.Join("..", "interop"))
	if _, err := os.Stat(filepath.Join(interop, "node_modules", "@digitalcredentials", "issuer-registry-client")); err != nil {
		t.Skip("interop packages are not installed (cd interop && npm ci)")
	}
	clock := newTestClock()
	clock.t.Store(time.Now().UnixNano())
	const did = "did:web:127.0.0.1%3A8443:issuers:acme"
	anchor := newAnchorNode(t, clock, false)
	p := newPartnerNode(t, clock, anchor, false, nil)
	anchor.admit(t, p, "Partner", "did:web:127.0.0.1%3A8443:*")
	p.refresh(t)
	mk, _ := multikey(t)
	if _, err := p.Vouch(context.Background(), VouchRequest{DID: did, IssuerKeys: []string{mk}, Organization: FederationEntity{OrganizationName: "Académie Acme"}}); err != nil {
		t.Fatal(err)
	}
	syncAll(t, anchor, p)

	t.Run("the DCC client finds the vouched issuer by its name through the anchor, and not an unknown one", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, nodeBin, "registry-client.mjs", "--ec", anchor.url+PathEntityConfiguration,
			"--did", did, "--name", "Académie Acme", "--unknown", "did:web:nobody.example")
		cmd.Dir = interop
		out, err := cmd.CombinedOutput()
		t.Logf("registry-client.mjs:\n%s", out)
		if err != nil {
			t.Fatal(err)
		}
	})
}
