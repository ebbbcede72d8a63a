package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func vectorPath(name string) string { return filepath.Join("..", "..", "testdata", "vectors", name) }

func TestVerifyReport(t *testing.T) {
	valid := vectorPath("tampers/eddsa-00-untouched.json")
	tampered := vectorPath("tampers/eddsa-01-name-changed.json")
	v1 := vectorPath("dcc-verifier-core-fixtures/v1OBv3SpecExample.json")

	t.Run("--report csv writes one row per input to standard output, exit code unchanged", func(t *testing.T) {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"verify", "--report", "csv", valid, tampered, v1}, nil, &out, &errb)
		if code != exitFailure {
			t.Fatalf("exit %d, want %d (one input does not verify); stderr %s", code, exitFailure, errb.String())
		}
		recs, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 4 || recs[0][13] != "Verdict" {
			t.Fatalf("records %q", recs)
		}
		want := []string{"Valid badge", "Not a valid badge", "Valid badge"}
		for i, w := range want {
			if recs[i+1][13] != w {
				t.Errorf("row %d verdict %q, want %q", i+1, recs[i+1][13], w)
			}
		}
		if recs[2][14] != "The signature does not match: the badge was changed or was not signed by its issuer." || recs[2][1] != tampered {
			t.Errorf("tampered row %q", recs[2])
		}
		if recs[1][4] != "Example Corp" || recs[1][3] != "Teamwork" {
			t.Errorf("valid row %q", recs[1])
		}
	})
	t.Run("--lang fr writes the CSV in French", func(t *testing.T) {
		var out bytes.Buffer
		run(context.Background(), []string{"verify", "--report", "csv", "--lang", "fr", valid}, nil, &out, &bytes.Buffer{})
		if !strings.Contains(out.String(), "Titulaire") || !strings.Contains(out.String(), "Badge valide") {
			t.Errorf("CSV:\n%s", out.String())
		}
	})
	t.Run("--report pdf --out FILE writes a PDF whose text has the totals", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "rapport.pdf")
		code := run(context.Background(), []string{"verify", "--report", "pdf", "--lang", "fr", "--out", file, valid, tampered, v1}, nil, &bytes.Buffer{}, &bytes.Buffer{})
		if code != exitFailure {
			t.Fatalf("exit %d", code)
		}
		pdf, err := os.ReadFile(file)
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("no PDF: %v", err)
		}
		bin, err := exec.LookPath("pdftotext")
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("pdftotext is missing (poppler-utils); CI does not allow skipping")
			}
			t.Skip("pdftotext is missing")
		}
		text, err := exec.Command(bin, "-layout", "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"Rapport de vérification", "Totaux par personne", "2 valides, 0 avec avertissements, 1 non valides", "did:example:ebfeb1f712ebc6f1c276e12ec21"} {
			if !strings.Contains(string(text), w) {
				t.Errorf("PDF text lacks %q:\n%s", w, text)
			}
		}
	})
	t.Run("--report pdf to a pipe or file on standard output is allowed", func(t *testing.T) {
		var out bytes.Buffer
		run(context.Background(), []string{"verify", "--report", "pdf", valid}, nil, &out, &bytes.Buffer{})
		if !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) {
			t.Error("no PDF on standard output")
		}
	})
	t.Run("a wrong --report, --lang or a lone --out is a usage error", func(t *testing.T) {
		for _, args := range [][]string{{"--report", "xml"}, {"--report", "csv", "--lang", "de"}, {"--out", "x.csv"}} {
			var errb bytes.Buffer
			code := run(context.Background(), append(append([]string{"verify"}, args...), valid), nil, &bytes.Buffer{}, &errb)
			if code != exitUsage || errb.Len() == 0 {
				t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
			}
		}
	})
}
