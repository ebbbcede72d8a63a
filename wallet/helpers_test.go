package wallet

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/vc/keys"
)

// vectorTime is when the third-party verdicts of testdata/vectors/expected.json were recorded.
var vectorTime = time.Date(2026, 11, 29, 21, 50, 0, 0, time.UTC)

// testKDF keeps tests fast; production uses DefaultKDF.
var testKDF = KDFParams{Time: 1, MemoryKiB: 64, Threads: 1}

const testPassphrase = "correct horse battery staple"

// testConfig answers did:web documents and status lists of the vectors from local copies, and
// reaches 127.0.0.1 test servers through the guarded client.
func testConfig(t testing.TB, now *time.Time) Config {
	t.Helper()
	files, err := httpx.LoadIndex("../testdata/vectors/web")
	if err != nil {
		t.Fatal(err)
	}
	site := "../testdata/vectors/didweb-sites/digitalcredentials.github.io/dcc-did-web"
	files["https://digitalcredentials.github.io/dcc-did-web/did.json"] = filepath.Join(site, "did.json")
	files["https://digitalcredentials.github.io/dcc-did-web/multikey/did.json"] = filepath.Join(site, "multikey/did.json")
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true})
	client.Transport = &httpx.FileTransport{Files: files, Fallback: client.Transport}
	return Config{
		HTTPClient: client,
		Resolver:   did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true}),
		Now:        func() time.Time { return *now },
		KDF:        testKDF,
	}
}

// openWallet opens and initialises a wallet in a fresh folder.
func openWallet(t testing.TB, now *time.Time) (*Wallet, string) {
	t.Helper()
	dir := t.TempDir()
	w, err := Open(dir, testPassphrase, testConfig(t, now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	holder, err := w.Init(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return w, holder
}

// issuer is a did:key issuer signing Open Badges in tests.
type issuer struct {
	kp *keys.KeyPair
}

func newIssuer(t testing.TB) *issuer {
	t.Helper()
	kp, err := keys.GenerateEd25519(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &issuer{kp: kp}
}

// badge signs an Open Badge with id to subject (a DID), valid from validFrom (and until
// validUntil when not zero).
func (is *issuer) badge(t testing.TB, id, subject string, validFrom, validUntil time.Time) []byte {
	t.Helper()
	c, err := vc.NewOpenBadge(vc.Badge{
		ID:     id,
		Issuer: vc.Profile{ID: is.kp.DIDKey(), Name: vc.Plain("Centre de test")},
		Achievement: vc.Achievement{
			ID:          "https://communs.example/achievements/secourisme",
			Name:        vc.Plain("Premiers secours"),
			Description: vc.Plain("Sait porter secours."),
			Criteria:    &vc.Criteria{Narrative: vc.Plain("Réussir la mise en situation.")},
		},
		RecipientDID: subject,
		ValidFrom:    validFrom,
		ValidUntil:   validUntil,
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.Map()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := dataintegrity.Sign(context.Background(), doc, dataintegrity.Options{
		VerificationMethod: is.kp.VerificationMethodID(), Created: validFrom,
	}, is.kp.Signer())
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(signed)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type expectation struct {
	File   string `json:"file"`
	Expect struct {
		Verified bool `json:"verified"`
	} `json:"expect"`
	Flags []string `json:"flags"`
}

func loadExpectations(t testing.TB) []expectation {
	t.Helper()
	var e struct {
		Vectors []expectation `json:"vectors"`
	}
	if err := json.Unmarshal(readFile(t, "../testdata/vectors/expected.json"), &e); err != nil {
		t.Fatal(err)
	}
	return e.Vectors
}

func count(t testing.TB, w *Wallet) int {
	t.Helper()
	list, err := w.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// unzip reads every file of a ZIP archive.
func unzip(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	return files
}
