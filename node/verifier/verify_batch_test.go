package verifier_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/communs/communs/node"
	"github.com/communs/communs/node/verifier"
)

// mixedBatch awards badges to 10 learners and returns n files for a ZIP: valid credentials as
// JSON and as baked PNG, revoked ones, expired ones, tampered ones and a VC 1.1 vector.
func mixedBatch(t *testing.T, in *issuingNode, n int) (names []string, files [][]byte, holders []string) {
	t.Helper()
	learners := make([]string, 10)
	for i := range learners {
		learners[i] = learnerDID(t)
	}
	v1 := vector(t, "dcc-verifier-core-fixtures/v1OBv3SpecExample.json")
	for i := range n {
		learner := learners[(i/3)%len(learners)] // every learner gets badges of every kind
		var name string
		var data []byte
		switch i % 10 {
		case 9:
			name, data, learner = fmt.Sprintf("%03d-v1.json", i), v1, "did:example:ebfeb1f712ebc6f1c276e12ec21"
		case 7:
			res := in.award(t, learner, func(r *node.AwardRequest) { r.ValidFrom, r.ValidUntil = "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z" })
			name, data = fmt.Sprintf("%03d-expired.json", i), res.Credential
		case 5:
			res := in.award(t, learner, nil)
			name, data = fmt.Sprintf("%03d-tampered.json", i), bytes.Replace(res.Credential, []byte(`"creditsEarned":1.5`), []byte(`"creditsEarned":15`), 1)
		case 3:
			res := in.award(t, learner, nil)
			if _, err := in.Revoke(context.Background(), res.ID, "retrait"); err != nil {
				t.Fatal(err)
			}
			name, data = fmt.Sprintf("%03d-revoked.json", i), res.Credential
		case 1:
			res := in.award(t, learner, nil)
			name, data = fmt.Sprintf("%03d-baked.png", i), fetchBytes(t, res.URL+".png")
		default:
			res := in.award(t, learner, nil)
			name, data = fmt.Sprintf("%03d-valid.json", i), res.Credential
		}
		names, files, holders = append(names, name), append(files, data), append(holders, learner)
	}
	return names, files, holders
}

func zipOf(t *testing.T, names []string, files [][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[i])
	}
	zw.Close()
	return buf.Bytes()
}

// submitBatch posts a batch upload and follows the 303 to the job, returning its address.
func submitBatch(t *testing.T, base, name string, data []byte) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/verify/batch?lang=en", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/verify/batch/") {
		t.Fatalf("batch upload = %d, Location %q", resp.StatusCode, loc)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(loc, "/verify/batch/"), "?")
	if len(id) != 26 {
		t.Fatalf("job id %q is not 26 characters of base32", id)
	}
	return base + "/verify/batch/" + id
}

// waitJob polls the job's JSON until it is done.
func waitJob(t *testing.T, job string) verifier.JobStatus {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, body := get(t, job+".json", "")
		var st verifier.JobStatus
		if err := json.Unmarshal([]byte(body), &st); err != nil {
			t.Fatalf("job JSON: %v: %s", err, body)
		}
		if st.Done {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("job not done: %d/%d", st.Processed, st.Total)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestVerifyBatch(t *testing.T) {
	in := startIssuingNode(t)
	names, files, holders := mixedBatch(t, in, 200)
	v, srv := newVerifier(t, testOptions(nil), nil)

	job := submitBatch(t, srv.URL, "badges.zip", zipOf(t, names, files))
	st := waitJob(t, job)

	t.Run("the job page shows progress, totals and downloads", func(t *testing.T) {
		_, page := get(t, job+"?lang=fr", "")
		wantAll(t, page, "Rapport de vérification", "200 badges vérifiés sur 200", "Totaux par personne", ".csv?lang=fr", ".pdf?lang=fr")
	})
	var rows [][]string
	var totals map[string]*verifier.Total
	t.Run("the CSV has a header and one row per badge, matching the individual verdicts", func(t *testing.T) {
		_, body := get(t, job+".csv?lang=en", "")
		if !strings.HasPrefix(body, "\ufeff") {
			t.Error("CSV lacks the UTF-8 byte order mark spreadsheets need")
		}
		if !strings.Contains(body, "\r\n") {
			t.Error("CSV lines do not end with CRLF (RFC 4180)")
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		all, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 201 || all[0][2] != "Holder" || all[0][13] != "Verdict" {
			t.Fatalf("%d lines, header %v", len(all), all[0])
		}
		rows = all[1:]
		want := map[string]int{}
		totals = map[string]*verifier.Total{}
		for i, name := range names {
			rep, err := v.Verify(context.Background(), files[i], name)
			if err != nil {
				t.Fatal(err)
			}
			verdict := map[string]string{"valid": "Valid badge", "warnings": "Valid badge, with warnings", "invalid": "Not a valid badge"}[verifier.Verdict(rep)]
			row := rows[i]
			if row[1] != name || row[13] != verdict {
				t.Errorf("row %d (%s): input %q verdict %q, want %q", i+1, name, row[1], row[13], verdict)
			}
			want[verifier.BadgeStatus(rep)]++
			tot := totals[holders[i]]
			if tot == nil {
				tot = &verifier.Total{Learner: holders[i]}
				totals[holders[i]] = tot
			}
			tot.Badges++
			if rep.Verified {
				tot.Valid++
				if rep.Summary.CreditsEarned != nil {
					tot.Credits += *rep.Summary.CreditsEarned
				}
			}
		}
		if want["revoked"] != 20 || want["expired"] != 20 || want["unknown"] != 20 || want["valid"] != 140 {
			t.Errorf("statuses %v, want 20 revoked, 20 expired, 20 unknown (tampered), 140 valid", want)
		}
		if st.Valid != 140 || st.Invalid != 60 {
			t.Errorf("counts: %d valid, %d invalid; want 140 and 60", st.Valid, st.Invalid)
		}
	})
	t.Run("the rows carry learner, achievement, issuer, status, dates and credits", func(t *testing.T) {
		r := rows[0] // 000-valid.json
		if !strings.HasPrefix(r[2], "did:key:z6Mk") || !strings.Contains(r[3], "Conception universelle") ||
			r[4] != "Centre de services scolaire des Découvertes" || r[6] != "not checked" || r[7] != "Valid" ||
			r[10] != "1.5" || r[11] != "2026-09-01/2026-10-15" || r[8] == "" {
			t.Errorf("row 1 = %q", r)
		}
		if r := rows[3]; r[7] != "Revoked" || r[14] != "The issuer has revoked this badge." {
			t.Errorf("revoked row = %q", r)
		}
		if r := rows[7]; r[7] != "Expired" || r[9] != "2021-01-01" {
			t.Errorf("expired row = %q", r)
		}
	})
	t.Run("totals per learner count badges and the credits of valid ones, as verified one by one", func(t *testing.T) {
		if len(st.Totals) != len(totals) {
			t.Fatalf("%d totals, want %d: %+v", len(st.Totals), len(totals), st.Totals)
		}
		for _, tot := range st.Totals {
			if w := totals[tot.Learner]; w == nil || *w != tot {
				t.Errorf("total %+v, want %+v", tot, w)
			}
		}
	})
	t.Run("the PDF opens and pdftotext finds the title and the totals", func(t *testing.T) {
		resp, err := http.Get(job + ".pdf?lang=fr")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		if resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			t.Fatalf("not a PDF: %s", resp.Header.Get("Content-Type"))
		}
		text := pdfText(t, buf.Bytes())
		for _, w := range []string{"Rapport de vérification", "Totaux par personne", "Découvertes",
			"Révoqué", "Expiré", "140 valides, 0 avec avertissements, 60 non valides", "Crédits (badges valides)"} {
			if !strings.Contains(text, w) {
				t.Errorf("PDF text lacks %q", w)
			}
		}
		if t.Failed() {
			t.Logf("PDF text:\n%s", text)
		}
	})
}

// pdfText runs pdftotext on a PDF; without pdftotext the test is skipped, except in CI.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing (install poppler-utils); CI does not allow skipping")
		}
		t.Skip("pdftotext is missing (install poppler-utils)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "report.pdf")
	os.WriteFile(in, pdf, 0o600)
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func TestVerifyBatchFromCSV(t *testing.T) {
	in := startIssuingNode(t)
	a := in.award(t, learnerDID(t), nil)
	b := in.award(t, learnerDID(t), nil)
	_, srv := newVerifier(t, testOptions(nil), nil)
	t.Run("a CSV with a url column is read, and an unreachable address gets its own row", func(t *testing.T) {
		csvBody := "nom;url\nAda;" + a.URL + "\nBob;" + b.URL + "\nCleo;https://127.0.0.1:1/nothing\n"
		job := submitBatch(t, srv.URL, "badges.csv", []byte(csvBody))
		st := waitJob(t, job)
		if st.Total != 3 || st.Valid != 2 || st.Invalid != 1 {
			t.Fatalf("job %+v", st)
		}
		if r := st.Rows[2]; r.Verdict != "invalid" || !strings.Contains(r.ReasonIn("en"), "could not be fetched") {
			t.Errorf("unreachable row %+v", r)
		}
	})
	t.Run("an unknown job is a 404, and so is a malformed id", func(t *testing.T) {
		for _, id := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaa", "nope", "../../etc"} {
			if st, _ := get(t, srv.URL+"/verify/batch/"+id, "fr"); st != 404 {
				t.Errorf("%s = %d", id, st)
			}
		}
	})
	t.Run("a file with no badge, or too many, is refused with a sentence", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "x.csv")
		fw.Write([]byte("nom\n\n"))
		mw.Close()
		req, _ := http.NewRequest("POST", srv.URL+"/verify/batch?lang=en", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		st, body := do(t, req)
		if st != 400 || !strings.Contains(body, "No badge found in this file") {
			t.Errorf("%d %s", st, body)
		}
	})
}
