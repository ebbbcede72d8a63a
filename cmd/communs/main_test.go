package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	example = "../../examples/badge-cua-niveau-1.json"
	vectors = "../../testdata/vectors"
)

// communs runs the command in-process and returns its exit code and outputs.
func communs(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageAndHelp(t *testing.T) {
	t.Run("no command is a usage error that lists the commands", func(t *testing.T) {
		code, out, _ := communs(t, "")
		if code != exitUsage || !strings.Contains(out, "verify") {
			t.Fatalf("code %d, out %q", code, out)
		}
	})
	t.Run("an unknown command is a usage error", func(t *testing.T) {
		if code, _, _ := communs(t, "", "frobnicate"); code != exitUsage {
			t.Fatalf("code %d", code)
		}
	})
	for name := range commands() {
		t.Run(name+" --help succeeds and describes the command", func(t *testing.T) {
			code, _, errOut := communs(t, "", name, "--help")
			if code != exitOK || !strings.Contains(errOut, "Usage: communs "+name) {
				t.Fatalf("code %d, help %q", code, errOut)
			}
		})
	}
	t.Run("an unknown flag is a usage error", func(t *testing.T) {
		if code, _, _ := communs(t, "", "verify", "--nope", example); code != exitUsage {
			t.Fatalf("code %d", code)
		}
	})
}

func TestVerifyCommand(t *testing.T) {
	t.Run("a valid badge prints VERIFIED with what it says and exits 0", func(t *testing.T) {
		code, out, _ := communs(t, "", "verify", example)
		if code != exitOK || !strings.Contains(out, "VERIFIED") || !strings.Contains(out, "Centre de démonstration") || !strings.Contains(out, "niveau 1") {
			t.Fatalf("code %d\n%s", code, out)
		}
	})
	t.Run("--json prints one object per input, one per line, and any failure exits 1", func(t *testing.T) {
		tampered := filepath.Join(vectors, "tampers/eddsa-01-name-changed.json")
		code, out, _ := communs(t, "", "verify", "--json", example, tampered, "../../examples/badge-cua-niveau-1.png")
		if code != exitFailure {
			t.Fatalf("code %d", code)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 {
			t.Fatalf("%d lines:\n%s", len(lines), out)
		}
		want := []bool{true, false, true}
		for i, l := range lines {
			var r struct {
				Input    string `json:"input"`
				Verified bool   `json:"verified"`
				Checks   []struct{ Name, Status, Detail string }
			}
			if err := json.Unmarshal([]byte(l), &r); err != nil {
				t.Fatal(err)
			}
			if r.Verified != want[i] || r.Input == "" || len(r.Checks) == 0 || r.Checks[0].Name != "format" {
				t.Fatalf("line %d: %+v", i, r)
			}
		}
	})
	t.Run("standard input is read with -", func(t *testing.T) {
		data, _ := os.ReadFile(example)
		if code, _, _ := communs(t, string(data), "verify", "-"); code != exitOK {
			t.Fatalf("code %d", code)
		}
	})
	t.Run("a missing file is reported, not verified", func(t *testing.T) {
		code, out, _ := communs(t, "", "verify", "no-such-file.json")
		if code != exitFailure || !strings.Contains(out, "no file no-such-file.json") {
			t.Fatalf("code %d\n%s", code, out)
		}
	})
	t.Run("--now moves the clock: the badge is not valid before it was issued", func(t *testing.T) {
		code, out, _ := communs(t, "", "verify", "--now", "2020-01-01T00:00:00Z", example)
		if code != exitFailure || !strings.Contains(out, "not valid yet") {
			t.Fatalf("code %d\n%s", code, out)
		}
	})
	t.Run("a did:web issuer and its status list are answered from local files with --resolve", func(t *testing.T) {
		site := filepath.Join(vectors, "didweb-sites/digitalcredentials.github.io/dcc-did-web/did.json")
		in := filepath.Join(vectors, "dcc-verifier-core-fixtures/v2didWebWithValidStatus.json")
		code, out, _ := communs(t, "", "verify", "--resolve", "https://digitalcredentials.github.io/dcc-did-web/did.json="+site,
			"--resolve-dir", filepath.Join(vectors, "web"), "--now", "2026-11-29T00:00:00Z", in)
		// The proof verifies with the did:web key; the status list is issued by another DID,
		// so the status is unknown and, by default, the badge is not verified.
		if code != exitFailure || !strings.Contains(out, "[ok  ] proof") || !strings.Contains(out, "status is unknown") {
			t.Fatalf("code %d\n%s", code, out)
		}
	})
	t.Run("a URL is fetched through the guarded client only when loopback is allowed", func(t *testing.T) {
		data, _ := os.ReadFile(example)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(data) }))
		defer srv.Close()
		if code, out, _ := communs(t, "", "verify", srv.URL+"/badge"); code != exitFailure || !strings.Contains(out, "could not fetch") {
			t.Fatalf("loopback fetched without --allow-loopback: code %d\n%s", code, out)
		}
		if code, out, _ := communs(t, "", "verify", "--allow-loopback", srv.URL+"/badge"); code != exitOK {
			t.Fatalf("code %d\n%s", code, out)
		}
	})
}

func TestSignReproducesTheW3CVector(t *testing.T) {
	dir := filepath.Join(vectors, "w3c-vc-di-eddsa")
	code, out, errOut := communs(t, "", "sign", "--key", filepath.Join(dir, "keyPair.json"),
		"--vm", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
		"--created", "2023-02-24T23:36:38Z", filepath.Join(dir, "unsigned.json"))
	if code != exitOK {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var got, want map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "eddsa-rdfc-2022/signedDataInt.json"))
	json.Unmarshal(raw, &want)
	gp, wp := got["proof"].(map[string]any), want["proof"].(map[string]any)
	if gp["proofValue"] != wp["proofValue"] {
		t.Fatalf("proofValue %v, want %v", gp["proofValue"], wp["proofValue"])
	}
}

func TestKeysAndSignRoundTrip(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.json")
	code, out, _ := communs(t, "", "keys", "new", "--out", keyFile)
	did := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(did, "did:key:z6Mk") {
		t.Fatalf("code %d %q", code, out)
	}
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st.Mode(), err)
	}
	if code, _, _ := communs(t, "", "keys", "new", "--out", keyFile); code != exitFailure {
		t.Fatal("an existing key file was overwritten")
	}
	if _, out, _ := communs(t, "", "keys", "show", keyFile); !strings.Contains(out, did) {
		t.Fatalf("show: %s", out)
	}
	unsigned := filepath.Join(vectors, "ob3-spec-examples/basic-openbadgecredential.json")
	for _, args := range [][]string{
		{"--cryptosuite", "eddsa-rdfc-2022"},
		{"--cryptosuite", "Ed25519Signature2020"},
		{"--format", "jwt"},
	} {
		t.Run("signed with "+strings.Join(args, " ")+" verifies, issued by the key's did:key", func(t *testing.T) {
			code, signed, errOut := communs(t, "", append(append([]string{"sign", "--key", keyFile}, args...), unsigned)...)
			if code != exitOK {
				t.Fatalf("sign: %d %s", code, errOut)
			}
			code, out, _ := communs(t, signed, "verify", "-")
			if code != exitOK || !strings.Contains(out, did) {
				t.Fatalf("verify: %d\n%s", code, out)
			}
		})
	}
}
