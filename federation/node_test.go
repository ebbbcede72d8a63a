package federation

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// federation starts an anchor and n partners on pebble; partner i may
// vouch for did:web:partner{i}.example:*, plus extra[i] patterns.
func federation(t *testing.T, clock *testClock, n int, extra ...[]string) (*testNode, []*testNode) {
	t.Helper()
	anchor := newAnchorNode(t, clock, true)
	partners := make([]*testNode, n)
	for i := range partners {
		partners[i] = newPartnerNode(t, clock, anchor, true, nil)
		scope := []string{fmt.Sprintf("did:web:partner%d.example:*", i)}
		if i < len(extra) {
			scope = append(scope, extra[i]...)
		}
		anchor.admit(t, partners[i], fmt.Sprintf("Partner %d", i), scope...)
	}
	for _, p := range partners {
		p.refresh(t)
	}
	return anchor, partners
}

func issuerDID(i, k int) string { return fmt.Sprintf("did:web:partner%d.example:issuers:%d", i, k) }

func TestFederationEndToEnd(t *testing.T) {
	clock := newTestClock()
	anchor, partners := federation(t, clock, 3)
	all := append([]*testNode{anchor}, partners...)
	for i, p := range partners {
		for k := range 2 {
			p.vouch(t, issuerDID(i, k), fmt.Sprintf("School %d-%d", i, k))
		}
	}

	t.Run("every node, the anchor included, converges after one round", func(t *testing.T) {
		syncAll(t, all...)
		for _, n := range all {
			for i := range partners {
				for k := range 2 {
					if got := n.status(issuerDID(i, k)); got != "active" {
						t.Fatalf("%s says %s is %q", n.url, issuerDID(i, k), got)
					}
				}
			}
		}
	})

	t.Run("the issuer-recognition check names the vouching partner", func(t *testing.T) {
		rec, err := partners[2].Trust().Recognize(context.Background(), issuerDID(0, 1), "")
		if err != nil {
			t.Fatal(err)
		}
		if !rec.Recognized || len(rec.VouchedBy) != 1 || rec.VouchedBy[0].Name != "Partner 0" || !rec.VouchedBy[0].Since.Equal(testEpoch) {
			t.Fatalf("recognition %+v", rec)
		}
	})

	t.Run("a suspension on one partner reaches every node within two rounds", func(t *testing.T) {
		if _, err := partners[1].Suspend(context.Background(), issuerDID(1, 0), "under review"); err != nil {
			t.Fatal(err)
		}
		for round := 1; round <= 2; round++ {
			syncAll(t, all...)
		}
		for _, n := range all {
			if got := n.status(issuerDID(1, 0)); got != "suspended" {
				t.Fatalf("%s says %q after two rounds", n.url, got)
			}
		}
	})

	t.Run("a partner cannot vouch outside its scope", func(t *testing.T) {
		_, err := partners[0].Vouch(context.Background(), VouchRequest{DID: issuerDID(1, 9)})
		if !errors.Is(err, ErrOutOfScope) {
			t.Fatalf("error %v, want ErrOutOfScope", err)
		}
		if seq, _ := partners[0].log.Seq(); seq != 2 {
			t.Fatalf("the log moved to seq %d", seq)
		}
	})

	t.Run("a restarted partner loses nothing and catches up", func(t *testing.T) {
		p := partners[2]
		seqBefore, _ := p.log.Seq()
		p.restart(t)
		if seq, _ := p.log.Seq(); seq != seqBefore {
			t.Fatalf("own log at seq %d after restart, was %d", seq, seqBefore)
		}
		if !p.attested() {
			t.Fatal("the stored anchor statement was not reloaded")
		}
		for i := range partners {
			if got := p.status(issuerDID(i, 1)); got != "active" {
				t.Fatalf("after restart %s is %q", issuerDID(i, 1), got)
			}
		}
		if _, err := partners[0].Revoke(context.Background(), issuerDID(0, 0), ""); err != nil {
			t.Fatal(err)
		}
		syncAll(t, all...)
		if got := p.status(issuerDID(0, 0)); got != "revoked" {
			t.Fatalf("the restarted node says %q, want revoked", got)
		}
		p.vouch(t, issuerDID(2, 5), "After restart")
		syncAll(t, all...)
		if got := anchor.status(issuerDID(2, 5)); got != "active" {
			t.Fatalf("the anchor says %q about an entry made after the restart", got)
		}
	})

	t.Run("an expelled partner's issuers stop being recognised once its statement expires", func(t *testing.T) {
		if _, err := anchor.Expel(context.Background(), partners[0].url); err != nil {
			t.Fatal(err)
		}
		p := partners[1]
		p.refresh(t) // the expelled partner is no longer listed, but its statement still holds
		if got := p.status(issuerDID(0, 1)); got != "active" {
			t.Fatalf("before expiry: %q", got)
		}
		clock.Advance(6*time.Hour + time.Second)
		for _, n := range partners {
			n.refresh(t)
		}
		syncAll(t, anchor, partners[1], partners[2])
		for _, n := range []*testNode{anchor, partners[1], partners[2]} {
			if got := n.status(issuerDID(0, 1)); got != "unknown" {
				t.Fatalf("%s still says %q about the expelled partner's issuer", n.url, got)
			}
			if got := n.status(issuerDID(2, 1)); got != "active" {
				t.Fatalf("%s says %q about a member's issuer", n.url, got)
			}
		}
		if partners[0].attested() {
			t.Fatal("the expelled partner still believes it is attested")
		}
		if _, err := partners[0].Vouch(context.Background(), VouchRequest{DID: issuerDID(0, 7)}); !errors.Is(err, ErrNotAttested) {
			t.Fatalf("an expelled partner vouched: %v", err)
		}
	})
}

func TestANodeRunsOnItsOwn(t *testing.T) {
	clock := newTestClock()
	anchor := newAnchorNode(t, clock, false)
	a := newPartnerNode(t, clock, anchor, false, nil)
	b := newPartnerNode(t, clock, anchor, false, nil)
	anchor.admit(t, a, "A", "did:web:a.example:*")
	anchor.admit(t, b, "B", "did:web:b.example:*")
	for _, n := range []*testNode{anchor, a, b} {
		n.cfg.SyncInterval = 20 * time.Millisecond
	}
	var alerts atomic.Int32
	for _, n := range []*testNode{a, b} {
		n.cfg.SyncInterval, n.cfg.RefreshInterval = 20*time.Millisecond, 50*time.Millisecond
		n.cfg.OnEquivocation = func(EquivocationAlert) { alerts.Add(1) }
		n.open(t, false)
	}
	mk, _ := multikey(t)
	t.Run("EnsureVouched waits for the attestation, then vouches once", func(t *testing.T) {
		req := VouchRequest{DID: "did:web:a.example:issuers:hosted", IssuerKeys: []string{mk}, Organization: FederationEntity{OrganizationName: "Hosted"}}
		if err := a.EnsureVouched(context.Background(), req); !errors.Is(err, ErrNotAttested) {
			t.Fatalf("before attestation: %v", err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		for _, n := range []*testNode{anchor, a, b} {
			go n.Run(ctx)
		}
		deadline := time.Now().Add(10 * time.Second)
		for b.status(req.DID) != "active" {
			if time.Now().After(deadline) {
				t.Fatalf("B never recognised the hosted issuer; A's status: %+v", a.Status(ctx))
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := a.EnsureVouched(ctx, req); err != nil {
			t.Fatal(err)
		}
		if seq, _ := a.log.Seq(); seq != 1 {
			t.Fatalf("EnsureVouched appended %d entries, want 1", seq)
		}
		st := a.Status(ctx)
		if !st.Attested || len(st.Origins) != 2 || len(st.Peers) != 2 || st.Metrics.Equivocations != 0 || alerts.Load() != 0 {
			t.Fatalf("status %+v", st)
		}
	})
}

func TestKeyChangedWithoutANewEntryIsFlagged(t *testing.T) {
	clock := newTestClock()
	web := newWebDID(t)
	anchor := newAnchorNode(t, clock, false)
	p := newPartnerNode(t, clock, anchor, false, nil)
	p.cfg.Resolver = webResolver()
	p.open(t, false)
	anchor.admit(t, p, "P", "did:web:127.0.0.1%3A"+web.port+":*")
	p.refresh(t)
	listed, _ := multikey(t)
	other, _ := multikey(t)
	if _, err := p.Vouch(context.Background(), VouchRequest{DID: web.did, IssuerKeys: []string{listed}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		key  string
		want bool
	}{
		{"the key the entry lists is accepted", listed, true},
		{"a key the DID document changed to is flagged", other, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			web.setKey(tc.key)
			rec, err := p.Trust().Recognize(context.Background(), web.did, "#key-1")
			if err != nil {
				t.Fatal(err)
			}
			if !rec.Recognized || rec.KeyListed == nil || *rec.KeyListed != tc.want {
				t.Fatalf("recognition %+v (key listed %v), want listed %v", rec, rec.KeyListed, tc.want)
			}
		})
	}
}

func TestAnEquivocationRaisesTheAlert(t *testing.T) {
	clock := newTestClock()
	anchor := newAnchorNode(t, clock, false)
	var alerts []EquivocationAlert
	anchor.cfg.OnEquivocation = func(a EquivocationAlert) { alerts = append(alerts, a) }
	anchor.open(t, false)
	p := newPartnerNode(t, clock, anchor, false, nil)
	anchor.admit(t, p, "P", "did:web:p.example:*")
	p.refresh(t)
	p.vouch(t, "did:web:p.example:a", "A")
	syncAll(t, anchor)
	fork, err := OpenLog(context.Background(), p.url, NewMemStorage(), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	forked, err := fork.Append(context.Background(), EntryClaims{Sub: "did:web:p.example:b", Status: StatusActive}, p.key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := anchor.Registry().Apply(context.Background(), forked.JWS); !errors.Is(err, ErrEquivocation) {
		t.Fatalf("error %v, want ErrEquivocation", err)
	}
	t.Run("the hook, the counter and the status all say so, with ids only", func(t *testing.T) {
		st := anchor.Status(context.Background())
		if len(alerts) != 1 || alerts[0] != (EquivocationAlert{Origin: p.url, Seq: 1}) || st.Metrics.Equivocations != 1 ||
			st.Metrics.FrozenOrigins != 1 || len(st.Equivocations) != 1 || !st.Origins[0].Frozen {
			t.Fatalf("alerts %v, status %+v", alerts, st)
		}
		if got := anchor.status("did:web:p.example:a"); got != "stale" {
			t.Fatalf("a frozen origin's issuer is %q, want stale", got)
		}
	})
}
