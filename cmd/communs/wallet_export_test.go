package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/communs/communs/node"
)

func TestWalletExportTranscript(t *testing.T) {
	rn := startRealNode(t)
	t.Setenv("COMMUNS_WALLET_PASSPHRASE", "a transcript passphrase")
	dir := filepath.Join(t.TempDir(), "wallet")
	w := func(args ...string) (int, string, string) {
		t.Helper()
		return communs(t, "", append([]string{"wallet", "--wallet", dir, "--allow-loopback"}, args...)...)
	}
	code, out, stderr := w("init")
	if code != exitOK {
		t.Fatalf("init: %d %s", code, stderr)
	}
	holder := strings.TrimSpace(out)
	award, err := rn.Award(context.Background(), "demo", node.AwardRequest{AchievementID: rn.achievement, Recipient: node.Recipient{DID: holder}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := w("import", award.URL); code != exitOK {
		t.Fatalf("import: %d %s", code, stderr)
	}
	pdf := filepath.Join(t.TempDir(), "releve.pdf")
	t.Run("export --format pdf writes a French transcript naming the badge and its link", func(t *testing.T) {
		if code, _, stderr := w("export", "--format", "pdf", "--name", "Zoé Lefèvre", "--title", "Relevé de Zoé", "--out", pdf, award.URL); code != exitOK {
			t.Fatalf("%d %s", code, stderr)
		}
		data, err := os.ReadFile(pdf)
		if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %v", err)
		}
		bin, err := exec.LookPath("pdftotext")
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("pdftotext (poppler-utils) must be installed in CI")
			}
			t.Skip("pdftotext is not installed")
		}
		text, err := exec.Command(bin, "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Relevé de Zoé", "Zoé Lefèvre", "Premiers secours", "Centre de démonstration", "valide", award.URL} {
			if !strings.Contains(string(text), want) {
				t.Errorf("missing %q:\n%s", want, text)
			}
		}
	})
	t.Run("without ID, the transcript lists the whole wallet on standard output", func(t *testing.T) {
		code, out, stderr := w("export", "--format", "pdf", "--lang", "en")
		if code != exitOK || !strings.HasPrefix(out, "%PDF-") {
			t.Fatalf("%d %s", code, stderr)
		}
	})
	t.Run("an unknown language is a usage error and an unknown badge a failure", func(t *testing.T) {
		if code, _, _ := w("export", "--format", "pdf", "--lang", "de"); code != exitUsage {
			t.Fatalf("--lang de: %d", code)
		}
		if code, _, _ := w("export", "--format", "pdf", "https://nowhere.example/credentials/x"); code != exitFailure {
			t.Fatalf("unknown badge: %d", code)
		}
	})
	t.Run("json, png and zip keep their arity", func(t *testing.T) {
		if code, _, _ := w("export", "--format", "json", award.URL, award.URL); code != exitUsage {
			t.Fatalf("two ids with json: %d", code)
		}
		if code, out, _ := w("export", award.URL); code != exitOK || !strings.Contains(out, award.URL) {
			t.Fatalf("json export: %d", code)
		}
	})
}
