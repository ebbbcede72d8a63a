package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/communs/communs/federation"
)

func runFed(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"federation"}, args...), nil, &out, &errb)
	return code, out.String(), errb.String()
}

func TestFederationCLIUsage(t *testing.T) {
	t.Run("every subcommand answers --help with exit 0", func(t *testing.T) {
		for _, sub := range [][]string{{}, {"anchor"}, {"anchor", "init"}, {"anchor", "add-partner"}, {"anchor", "expel"}, {"anchor", "partners"},
			{"vouch"}, {"suspend"}, {"revoke"}, {"status"}, {"peers"}, {"health"}} {
			code, out, errb := runFed(append(sub, "--help")...)
			if code != exitOK || !strings.Contains(out+errb, "Usage: communs federation") {
				t.Errorf("federation %v --help: exit %d\n%s%s", sub, code, out, errb)
			}
		}
	})
	t.Run("command-line mistakes exit 2 with a reason", func(t *testing.T) {
		t.Setenv("COMMUNS_TOKEN", "cmt_federation-cli-test-token-01")
		for _, c := range []struct {
			args []string
			want string
		}{
			{nil, "Usage"},
			{[]string{"nonsense"}, "unknown subcommand"},
			{[]string{"vouch", "--node", "http://127.0.0.1:1"}, "give one issuer DID"},
			{[]string{"vouch", "--node", "http://127.0.0.1:1", "not-a-did"}, "is not a DID"},
			{[]string{"vouch", "did:web:example.org"}, "--node is required"},
			{[]string{"status", "--node", "http://example.org"}, "https://"},
			{[]string{"anchor", "add-partner", "--node", "http://127.0.0.1:1", "https://p.example"}, "--scope"},
			{[]string{"anchor", "add-partner", "--node", "http://127.0.0.1:1", "--scope", "did:web:p.example:*", "p.example"}, "not a base URL"},
			{[]string{"anchor", "expel", "--node", "http://127.0.0.1:1"}, "ENTITY_ID"},
		} {
			code, _, errb := runFed(c.args...)
			if code != exitUsage || !strings.Contains(errb, c.want) {
				t.Errorf("federation %q: exit %d, stderr %q (want 2 and %q)", c.args, code, errb, c.want)
			}
		}
	})
	t.Run("an unreachable node exits 3", func(t *testing.T) {
		t.Setenv("COMMUNS_TOKEN", "cmt_federation-cli-test-token-01")
		if code, _, errb := runFed("status", "--node", "http://127.0.0.1:1"); code != exitInternal || !strings.Contains(errb, "could not reach") {
			t.Errorf("exit %d: %s", code, errb)
		}
	})
	t.Run("a token is never a flag", func(t *testing.T) {
		if code, _, _ := runFed("status", "--node", "http://127.0.0.1:1", "--token", "x"); code != exitUsage {
			t.Errorf("--token accepted: exit %d", code)
		}
	})
}

func TestFederationAnchorInit(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("COMMUNS_FEDERATION_KEY", "")
	code, first, errb := runFed("anchor", "init", "--data", dir)
	if code != exitOK || !strings.Contains(errb, "created") {
		t.Fatalf("exit %d: %s", code, errb)
	}
	keys, err := federation.ParseJWKS([]byte(first))
	if err != nil || len(keys.Keys) != 1 {
		t.Fatalf("the JWKS printed does not parse: %v\n%s", err, first)
	}
	if strings.Contains(first, `"d"`) {
		t.Fatal("the JWKS carries the private key")
	}
	fi, err := os.Stat(filepath.Join(dir, federationKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("federation.key: %v %v", fi, err)
	}
	out := filepath.Join(dir, "anchor.jwks")
	if code, _, errb := runFed("anchor", "init", "--data", dir, "--out", out); code != exitOK || strings.Contains(errb, "created") {
		t.Fatalf("second init: exit %d %s", code, errb)
	}
	if second, _ := os.ReadFile(out); string(second) != first {
		t.Fatalf("a second init changed the key:\n%s\n%s", first, second)
	}
}

func TestFederationKeyForms(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(k)
	sec1, _ := x509.MarshalECPrivateKey(k)
	pemPKCS8 := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	pemSEC1 := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})
	for name, in := range map[string]string{
		"PKCS#8 PEM":           string(pemPKCS8),
		"SEC 1 PEM":            string(pemSEC1),
		"base64 of a PEM":      base64.StdEncoding.EncodeToString(pemPKCS8),
		"base64 of PKCS#8 DER": base64.StdEncoding.EncodeToString(pkcs8),
	} {
		got, err := parseFederationKey([]byte(in))
		if err != nil || !got.Equal(k) {
			t.Errorf("%s: %v", name, err)
		}
	}
	k384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	der384, _ := x509.MarshalPKCS8PrivateKey(k384)
	for name, in := range map[string]string{
		"a P-384 key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der384})),
		"garbage":        "not a key",
		"a broken PEM":   "-----BEGIN PRIVATE KEY-----\nAAAA",
		"base64 garbage": base64.StdEncoding.EncodeToString([]byte("nope")),
	} {
		if _, err := parseFederationKey([]byte(in)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	dir := t.TempDir()
	if _, _, err := loadFederationKey(dir, "", false); err == nil || !strings.Contains(err.Error(), "anchor init") {
		t.Errorf("a missing key without create: %v", err)
	}
	got, created, err := loadFederationKey(dir, string(pemSEC1), true)
	if err != nil || created || !got.Equal(k) {
		t.Errorf("COMMUNS_FEDERATION_KEY: %v %v", created, err)
	}
	if _, err := os.Stat(filepath.Join(dir, federationKeyFile)); err == nil {
		t.Error("a key file was written although the key came from the environment")
	}
}
