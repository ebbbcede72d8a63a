package node

import (
	"strings"
	"testing"
)

// FuzzSniffEvidence: sniffing and hashing untrusted uploads never panics, and accepts only the
// allowlisted types.
func FuzzSniffEvidence(f *testing.F) {
	f.Add([]byte(testPDF))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00"))
	f.Add([]byte("\xff\xd8\xff\xe0JFIF"))
	f.Add([]byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`))
	f.Add([]byte("MZ"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mt, err := sniffEvidence(data)
		if err == nil && mt != "application/pdf" && mt != "image/png" && mt != "image/jpeg" && mt != "image/svg+xml" {
			t.Fatalf("accepted %q", mt)
		}
		c, d, err := EvidenceCID(data)
		if err != nil || !strings.HasPrefix(c, "bafkrei") || !strings.HasPrefix(d, "z") {
			t.Fatalf("cid %q digest %q err %v", c, d, err)
		}
	})
}

func TestEvidenceCID(t *testing.T) {
	t.Run("the CID of empty input is the well-known raw sha2-256 CIDv1", func(t *testing.T) {
		c, _, _ := EvidenceCID(nil)
		if c != "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku" {
			t.Fatalf("cid = %s", c)
		}
	})
}
