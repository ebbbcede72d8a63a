package wallet

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// transcriptWallet holds two badges: one with French accents, credits and a kept image, and one
// that has expired since it was imported.
func transcriptWallet(t *testing.T) (w *Wallet, rich, expired *Badge) {
	t.Helper()
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()
	is := newIssuer(t)
	w, holder := openAssetWallet(t, &now)
	credits := 1.5
	rich, err := w.Import(ctx, is.signRich(t, richBadge{
		ID: "https://node.example/credentials/œuvre", SubjectDID: holder,
		Name:       "Œuvre « éco-conçue » à l’école, ça va",
		IssuerName: "Université de Montréal — Cœur",
		Image:      "data:image/png;base64," + base64.StdEncoding.EncodeToString(testPNG(t, 300, 200)),
		Credits:    &credits,
		ValidFrom:  time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
	}), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.KeepAssets(ctx, rich.ID); err != nil {
		t.Fatal(err)
	}
	expired, err = w.Import(ctx, is.signRich(t, richBadge{
		ID: "https://node.example/credentials/expired", SubjectDID: holder, Name: "Secourisme en équipe",
		ValidFrom: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	}), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	now = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	if expired, err = w.Reverify(ctx, expired.ID); err != nil {
		t.Fatal(err)
	}
	if expired.Verified {
		t.Fatal("the expired badge still verifies")
	}
	return w, rich, expired
}

// pdfText extracts the text of a PDF with pdftotext; it skips the test when poppler is missing,
// except in CI (CI set), where it must be installed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := requireTool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "t.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdftotext writes a no-break space as a space.
	return strings.ReplaceAll(string(out), "\u00a0", " ")
}

func requireTool(t *testing.T, name string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (poppler-utils) must be installed in CI: %v", name, err)
		}
		t.Skipf("%s is not installed", name)
	}
	return bin
}

func TestTranscript(t *testing.T) {
	w, rich, expired := transcriptWallet(t)
	ctx := context.Background()
	day := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	opts := TranscriptOptions{Lang: "fr", HolderName: "Zoé Lefèvre-Næss", Now: day}
	var fr bytes.Buffer
	if err := w.Transcript(ctx, &fr, opts); err != nil {
		t.Fatal(err)
	}
	t.Logf("French transcript of 2 badges: %d bytes", fr.Len())

	t.Run("it is a PDF, the same bytes every time for the same date", func(t *testing.T) {
		if !bytes.HasPrefix(fr.Bytes(), []byte("%PDF-")) || !bytes.Contains(fr.Bytes(), []byte("%%EOF")) {
			t.Fatalf("not a PDF: %q", fr.Bytes()[:min(fr.Len(), 16)])
		}
		var again bytes.Buffer
		if err := w.Transcript(ctx, &again, opts); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fr.Bytes(), again.Bytes()) {
			t.Fatal("two transcripts with the same Now differ")
		}
		if !bytes.Contains(fr.Bytes(), []byte("D:20261203100000")) {
			t.Fatal("the creation date is not the transcript's date")
		}
	})
	t.Run("the French text keeps its accents, names, statuses and links", func(t *testing.T) {
		text := pdfText(t, fr.Bytes())
		for _, want := range []string{
			"Relevé de badges", "Titulaire : Zoé Lefèvre-Næss", "Établi le 3 décembre 2026",
			"Œuvre « éco-conçue » à l’école, ça va", "Émetteur : Université de Montréal — Cœur",
			"Délivré le 1er septembre 2026", "Statut : valide (vérifié le 1er octobre 2026)", "Crédits : 1,5",
			"Secourisme en équipe", "expire le 1er novembre 2026", "Statut : expiré",
			rich.CredentialID, expired.CredentialID, "Page 1 / 1",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the transcript does not show %q:\n%s", want, text)
			}
		}
	})
	t.Run("each QR code decodes to its badge's link", func(t *testing.T) {
		bin := requireTool(t, "pdfimages")
		dir := t.TempDir()
		path := filepath.Join(dir, "t.pdf")
		os.WriteFile(path, fr.Bytes(), 0o600)
		if out, err := exec.Command(bin, "-png", path, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
			t.Fatalf("pdfimages: %v %s", err, out)
		}
		found := map[string]bool{}
		files, _ := filepath.Glob(filepath.Join(dir, "img-*.png"))
		for _, f := range files {
			if s, err := decodeQRFile(f); err == nil {
				found[s] = true
			}
		}
		if !found[rich.CredentialID] || !found[expired.CredentialID] || len(found) != 2 {
			t.Fatalf("QR codes found in %d images: %v", len(files), found)
		}
	})
	t.Run("in English, with a chosen title, on Letter paper, for one badge", func(t *testing.T) {
		var en bytes.Buffer
		err := w.Transcript(ctx, &en, TranscriptOptions{Lang: "en", Title: "Relevé officiel", Refs: []string{expired.CredentialID},
			Now: day, Paper: "letter", LinkFor: func(b *Badge) string { return "https://wallet.example/s/" + b.ID }})
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, en.Bytes())
		for _, want := range []string{"Relevé officiel", "Prepared on 3 December 2026", "Status: expired", "Issued on 15 January 2026",
			"https://wallet.example/s/" + expired.ID, "Page 1 of 1"} {
			if !strings.Contains(text, want) {
				t.Errorf("missing %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Œuvre") || strings.Contains(text, "Holder") {
			t.Errorf("shows what was not asked:\n%s", text)
		}
	})
	t.Run("many badges run over several numbered pages", func(t *testing.T) {
		refs := []string{}
		for range 12 {
			refs = append(refs, rich.ID, expired.ID)
		}
		var many bytes.Buffer
		if err := w.Transcript(ctx, &many, TranscriptOptions{Refs: refs, Now: day}); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, many.Bytes())
		if !strings.Contains(text, "Page 1 / 4") || !strings.Contains(text, "Page 4 / 4") {
			t.Fatalf("pages:\n%s", text)
		}
	})
	t.Run("an unknown badge, language or paper is an error", func(t *testing.T) {
		if err := w.Transcript(ctx, &bytes.Buffer{}, TranscriptOptions{Refs: []string{"urn:none"}}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("%v", err)
		}
		if err := w.Transcript(ctx, &bytes.Buffer{}, TranscriptOptions{Lang: "de"}); err == nil {
			t.Fatal("German accepted")
		}
		if err := w.Transcript(ctx, &bytes.Buffer{}, TranscriptOptions{Paper: "A3"}); err == nil {
			t.Fatal("A3 accepted")
		}
	})
	t.Run("an empty wallet gives a transcript saying so", func(t *testing.T) {
		now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		empty, _ := openAssetWallet(t, &now)
		var buf bytes.Buffer
		if err := empty.Transcript(ctx, &buf, TranscriptOptions{Lang: "en"}); err != nil {
			t.Fatal(err)
		}
		if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "No badge in this transcript.") {
			t.Fatal(text)
		}
	})
}

func TestTranscriptQRCode(t *testing.T) {
	link := "https://node.example/credentials/œuvre?lang=fr"
	img, err := qrImage(link)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the QR code decodes to the link", func(t *testing.T) {
		if got, err := decodeQR(img); err != nil || got != link {
			t.Fatalf("%q %v", got, err)
		}
	})
}

func decodeQRFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return "", err
	}
	return decodeQR(img)
}

func decodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

func BenchmarkTranscript50(b *testing.B) {
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	is := newIssuer(b)
	w, holder := openAssetWallet(b, &now)
	image := "data:image/png;base64," + base64.StdEncoding.EncodeToString(testPNG(b, 256, 256))
	for i := range 50 {
		bd, err := w.Import(ctx, is.signRich(b, richBadge{ID: "https://node.example/credentials/" + string(rune('a'+i%26)) + string(rune('a'+i/26)),
			SubjectDID: holder, Name: "Compétence numéro " + string(rune('A'+i%26)), Image: image}), ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.KeepAssets(ctx, bd.ID); err != nil {
			b.Fatal(err)
		}
	}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := w.Transcript(ctx, &buf, TranscriptOptions{Now: now}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}
