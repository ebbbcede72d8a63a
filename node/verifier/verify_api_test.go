package verifier_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
)

// postAPI sends body to the verify API and returns the status, the Content-Type and the body.
func postAPI(t testing.TB, base, ctype, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/verify", strings.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), sb.String()
}

func decodeReport(t testing.TB, body string) vc.Report {
	t.Helper()
	var rep vc.Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("not a report: %v\n%s", err, body)
	}
	return rep
}

func TestVerifyAPI(t *testing.T) {
	in := startIssuingNode(t)
	valid := in.award(t, learnerDID(t), nil)
	_, srv := newVerifier(t, testOptions(nil), nil)

	t.Run("a URL is fetched and its report returned", func(t *testing.T) {
		st, ct, body := postAPI(t, srv.URL, "application/json", `{"url":"`+valid.URL+`"}`)
		rep := decodeReport(t, body)
		if st != 200 || ct != "application/json" || !rep.Verified || rep.Summary == nil || rep.Summary.IssuerName == "" {
			t.Fatalf("status %d %s verified=%v: %s", st, ct, rep.Verified, body)
		}
	})
	t.Run("a raw credential body is verified as it is", func(t *testing.T) {
		_, _, body := postAPI(t, srv.URL, "application/vc+ld+json", string(valid.Credential))
		if rep := decodeReport(t, body); !rep.Verified {
			t.Fatalf("not verified: %s", body)
		}
	})
	t.Run("a credential member, and a base64 baked image, verify", func(t *testing.T) {
		_, _, body := postAPI(t, srv.URL, "application/json", `{"credential":`+string(valid.Credential)+`}`)
		if rep := decodeReport(t, body); !rep.Verified {
			t.Fatalf("credential member: %s", body)
		}
		png := fetchBytes(t, valid.URL+".png")
		_, _, body = postAPI(t, srv.URL, "application/json", `{"image":"data:image/png;base64,`+base64.StdEncoding.EncodeToString(png)+`"}`)
		if rep := decodeReport(t, body); !rep.Verified || !strings.Contains(rep.Format, "png") {
			t.Fatalf("image member: %s", body)
		}
	})
	t.Run("a tampered credential is a report, not an error", func(t *testing.T) {
		st, _, body := postAPI(t, srv.URL, "application/json", string(vector(t, "tampers/eddsa-01-name-changed.json")))
		rep := decodeReport(t, body)
		if st != 200 || rep.Verified {
			t.Fatalf("status %d verified %v", st, rep.Verified)
		}
		if c, _ := rep.Check(vc.CheckProof); c.Status != vc.Failed {
			t.Errorf("proof check %+v", c)
		}
	})
	t.Run("bad bodies are problem+json with a sentence", func(t *testing.T) {
		for _, tc := range []struct{ name, ctype, body, want string }{
			{"not JSON", "application/json", "{nope", "not valid JSON"},
			{"two inputs", "application/json", `{"url":"https://a.example/b","jwt":"x.y.z"}`, "only one"},
			{"nothing to verify", "application/json", `{"foo":1}`, "Say what to verify"},
			{"a JSON array", "application/json", `[1]`, "must be an object"},
			{"an empty body", "application/json", ``, "empty"},
			{"bad base64", "application/json", `{"image":"***"}`, "base64"},
			{"an unknown media type", "application/xml", `<a/>`, "not accepted"},
		} {
			st, ct, body := postAPI(t, srv.URL, tc.ctype, tc.body)
			var p httpx.Problem
			json.Unmarshal([]byte(body), &p)
			if st < 400 || st >= 500 || ct != httpx.ProblemContentType || !strings.Contains(p.Detail, tc.want) {
				t.Errorf("%s: status %d %s detail %q, want %q", tc.name, st, ct, p.Detail, tc.want)
			}
		}
	})
}
