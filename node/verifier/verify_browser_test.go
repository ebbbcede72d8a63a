package verifier_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/communs/communs/internal/browsertest"
	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/node"
)

// screenshotDir is $COMMUNS_ARTIFACTS/verify, else $ARTIFACTS_DIR/verify (set by CI), else a
// temporary directory of the test.
func screenshotDir(t *testing.T) string {
	t.Helper()
	base := os.Getenv("COMMUNS_ARTIFACTS")
	if base == "" {
		base = os.Getenv("ARTIFACTS_DIR")
	}
	if base == "" {
		return t.TempDir()
	}
	dir := filepath.Join(base, "verify")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestVerifyInBrowser(t *testing.T) {
	ctx := browsertest.Chromium(t)
	in := startIssuingNode(t)
	learner := learnerDID(t)
	valid := in.award(t, learner, nil)
	revoked := in.award(t, learnerDID(t), nil)
	if _, err := in.Revoke(context.Background(), revoked.ID, "erreur"); err != nil {
		t.Fatal(err)
	}
	expired := in.award(t, learnerDID(t), func(r *node.AwardRequest) {
		r.ValidFrom, r.ValidUntil = "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"
	})
	v, _ := newVerifier(t, testOptions(nil), nil)
	mux := http.NewServeMux()
	mux.Handle("/static/", web.StaticHandler())
	mux.Handle("/", v.Handler())
	srv := httptest.NewServer(mux)
	defer srv.Close()

	files := t.TempDir()
	pngPath := filepath.Join(files, "badge.png")
	os.WriteFile(pngPath, fetchBytes(t, valid.URL+".png"), 0o600)
	v1Path := filepath.Join(files, "v1.json")
	os.WriteFile(v1Path, vector(t, "dcc-verifier-core-fixtures/v1OBv3SpecExample.json"), 0o600)
	shots := screenshotDir(t)

	type how int
	const (
		byURL how = iota
		byUpload
		byPaste
	)
	cases := []struct {
		name, lang string
		how        how
		input      string
		verdict    string
		fields     []string
	}{
		{"a valid badge by URL, in French", "fr", byURL, valid.URL, "Badge valide",
			[]string{"Conception universelle de l’apprentissage", "Centre de services scolaire des Découvertes", learner, "Critères", "Séquence d’enseignement", "Compétence 3 — planifier", "Réussi", "Valide"}},
		{"a valid badge by upload of a baked PNG, in English", "en", byUpload, pngPath, "Valid badge",
			[]string{"Conception universelle", "Issued by", "Credits earned", "Evidence", "Alignments", "Results"}},
		{"a valid badge by pasted JSON, in English", "en", byPaste, string(valid.Credential), "Valid badge",
			[]string{"Conception universelle", learner}},
		{"a revoked badge by URL, in English", "en", byURL, revoked.URL, "Not a valid badge",
			[]string{"The issuer has revoked this badge.", "Revoked"}},
		{"an expired badge by URL, in French", "fr", byURL, expired.URL, "Badge non valide",
			[]string{"Ce badge a expiré.", "Expiré", "Expire le"}},
		{"a tampered badge by pasted JSON, in French", "fr", byPaste, string(vector(t, "tampers/eddsa-01-name-changed.json")), "Badge non valide",
			[]string{"La signature ne correspond pas", "Teamwork Badge (edited)", "Détail technique des contrôles"}},
		{"a VC 1.1 badge by upload, in French", "fr", byUpload, v1Path, "Badge valide",
			[]string{"Teamwork Badge", "Example Corp", "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"}},
	}
	for _, tc := range cases {
		t.Run(tc.name+" shows the right verdict and the displayer fields", func(t *testing.T) {
			if err := browsertest.SetAcceptLanguage(ctx, tc.lang); err != nil {
				t.Fatal(err)
			}
			actx, cancel := context.WithTimeout(ctx, browsertest.ActionTimeout)
			defer cancel()
			steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(srv.URL + "/verify"), chromedp.WaitVisible(chromedp.CSS("#form-url"))}
			switch tc.how {
			case byURL:
				steps = append(steps, chromedp.SendKeys(chromedp.CSS("#url"), tc.input), chromedp.Click(chromedp.CSS("#form-url button")))
			case byUpload:
				steps = append(steps, chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{tc.input}), chromedp.Click(chromedp.CSS("#form-file button")))
			case byPaste:
				steps = append(steps, chromedp.SetValue(chromedp.CSS("#text"), tc.input), chromedp.Click(chromedp.CSS("#form-text button")))
			}
			steps = append(steps, chromedp.WaitVisible(chromedp.CSS(".verdict-title")))
			if err := chromedp.Do(actx, steps...); err != nil {
				t.Fatal(err)
			}
			verdict, err := chromedp.Run(actx, chromedp.Text(chromedp.CSS("h1.verdict-title")))
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(verdict) != tc.verdict {
				t.Errorf("verdict %q, want %q", verdict, tc.verdict)
			}
			lang, _ := chromedp.Run(actx, chromedp.Evaluate[string](`document.documentElement.lang`))
			if lang != tc.lang {
				t.Errorf("page language %q, want %q", lang, tc.lang)
			}
			main, err := chromedp.Run(actx, chromedp.Text(chromedp.CSS("main")))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tc.fields {
				if !strings.Contains(main, f) {
					t.Errorf("the page does not show %q", f)
				}
			}
			png, err := chromedp.Run(actx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			name := regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(tc.name), "-") + ".png"
			if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("the technical checks open with the keyboard", func(t *testing.T) {
		actx, cancel := context.WithTimeout(ctx, browsertest.ActionTimeout)
		defer cancel()
		err := chromedp.Do(actx, chromedp.Navigate(srv.URL+"/verify"), chromedp.WaitVisible(chromedp.CSS("#form-text")),
			chromedp.SetValue(chromedp.CSS("#text"), string(valid.Credential)), chromedp.Click(chromedp.CSS("#form-text button")),
			chromedp.WaitVisible(chromedp.CSS("details.tech-checks summary")),
			chromedp.Focus(chromedp.CSS("details.tech-checks summary")), chromedp.KeyEvent("\r"),
			chromedp.WaitVisible(chromedp.CSS(".check-proof")))
		if err != nil {
			t.Fatal(err)
		}
		open, _ := chromedp.Run(actx, chromedp.Evaluate[bool](`document.querySelector("details.tech-checks").open`))
		if !open {
			t.Error("Enter on the summary did not open the details")
		}
	})
	t.Run("a batch uploaded through the form refreshes until done, then offers CSV and PDF", func(t *testing.T) {
		csvPath := filepath.Join(files, "badges.csv")
		os.WriteFile(csvPath, []byte("url\n"+valid.URL+"\n"+revoked.URL+"\n"+expired.URL+"\n"), 0o600)
		if err := browsertest.SetAcceptLanguage(ctx, "fr"); err != nil {
			t.Fatal(err)
		}
		actx, cancel := context.WithTimeout(ctx, browsertest.ActionTimeout)
		defer cancel()
		err := chromedp.Do(actx, chromedp.Navigate(srv.URL+"/verify/batch"), chromedp.WaitVisible(chromedp.CSS("#form-batch")),
			chromedp.SetUploadFiles(chromedp.CSS("#batch"), []string{csvPath}), chromedp.Click(chromedp.CSS("#form-batch button")),
			chromedp.WaitVisible(chromedp.CSS(`.job-status[data-done="true"]`)), chromedp.WaitVisible(chromedp.CSS("table.totals")))
		if err != nil {
			t.Fatal(err)
		}
		main, _ := chromedp.Run(actx, chromedp.Text(chromedp.CSS("main")))
		for _, w := range []string{"3 badges vérifiés sur 3", "1 valides, 0 avec avertissements, 2 non valides", "Totaux par personne", "Télécharger le rapport (PDF)", "Révoqué", "Expiré"} {
			if !strings.Contains(main, w) {
				t.Errorf("the job page does not show %q", w)
			}
		}
		png, err := chromedp.Run(actx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(shots, "batch-report-in-french.png"), png, 0o644)
		if err := chromedp.Do(actx, chromedp.Navigate(srv.URL+"/verify?lang=en"), chromedp.WaitVisible(chromedp.CSS("#form-qr"))); err != nil {
			t.Fatal(err)
		}
		if png, err = chromedp.Run(actx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(shots, "verify-form-in-english.png"), png, 0o644)
		}
	})
}
