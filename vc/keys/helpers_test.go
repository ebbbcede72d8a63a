package keys

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// vectors is the shared test-vector folder at the root of the repository.
const vectors = "../../testdata/vectors"

// readVector returns the bytes of a file under testdata/vectors.
func readVector(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectors, filepath.FromSlash(name)))
	if err != nil {
		t.Fatalf("read vector %s: %v", name, err)
	}
	return data
}

// readJSONVector decodes a JSON vector into v.
func readJSONVector(t testing.TB, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(readVector(t, name), v); err != nil {
		t.Fatalf("decode vector %s: %v", name, err)
	}
}

// seedReader returns a reader yielding a fixed 32-byte seed, for
// deterministic keys in tests.
func seedReader(b byte) *bytes.Reader {
	return bytes.NewReader(bytes.Repeat([]byte{b}, 32))
}

// b64url encodes b as unpadded base64url.
func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// ed25519Opts are the SignerOpts for pure Ed25519.
var ed25519Opts = crypto.Hash(0)

// hexVector decodes a vector file holding hex text.
func hexVector(t testing.TB, name string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.TrimSpace(string(readVector(t, name))))
	if err != nil {
		t.Fatalf("vector %s is not hex: %v", name, err)
	}
	return b
}

// fixedTime is a creation date for golden key files.
var fixedTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
