package did

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// vectors is the shared test-vector folder at the root of the repository.
const vectors = "../../testdata/vectors"

// didWebSite is the local copy of digitalcredentials.github.io.
const didWebSite = vectors + "/didweb-sites/digitalcredentials.github.io"

// DIDs of the DCC did:web fixtures.
const (
	dccDID         = "did:web:digitalcredentials.github.io:dcc-did-web"
	dccMultikeyDID = "did:web:digitalcredentials.github.io:dcc-did-web:multikey"
	dccKey         = "z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"
)

// readVector returns the bytes of a file under testdata/vectors.
func readVector(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectors, filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("read vector %s: %v", name, err)
	}
	return data
}

// proofMethods returns the verificationMethod of every proof of a credential
// vector.
func proofMethods(t testing.TB, name string) []string {
	t.Helper()
	var doc struct {
		Proof json.RawMessage `json:"proof"`
	}
	if err := json.Unmarshal(readVector(t, name), &doc); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	type proof struct {
		VerificationMethod string `json:"verificationMethod"`
	}
	var proofs []proof
	if err := json.Unmarshal(doc.Proof, &proofs); err != nil {
		var one proof
		if err := json.Unmarshal(doc.Proof, &one); err != nil {
			t.Fatalf("%s: proof is neither an object nor an array", name)
		}
		proofs = []proof{one}
	}
	var out []string
	for _, p := range proofs {
		out = append(out, p.VerificationMethod)
	}
	return out
}
