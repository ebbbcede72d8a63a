package verifier_test

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/node/verifier"
)

func FuzzParseAPIBody(f *testing.F) {
	cred := vector(f, "tampers/eddsa-00-untouched.json")
	f.Add("application/json", cred)
	f.Add("application/json", []byte(`{"credential":`+string(cred)+`}`))
	f.Add("application/json", []byte(`{"url":"https://example.org/credentials/x"}`))
	f.Add("application/json", []byte(`{"image":"data:image/png;base64,`+base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n"))+`"}`))
	f.Add("application/json", []byte(`{"jwt":"eyJhbGciOiJFZERTQSJ9.e30.sig","url":"x"}`))
	f.Add("application/vc+jwt", []byte("eyJ.eyJ.x"))
	f.Add("image/png", []byte("\x89PNG"))
	f.Add("text/plain; charset=utf-8", []byte(" "))
	f.Add("", []byte(`{"presentation":"{}"}`))
	f.Fuzz(func(t *testing.T, ctype string, body []byte) {
		raw, url, err := verifier.ParseAPIBody(ctype, body)
		if err == nil && raw == nil && url == "" {
			t.Fatal("no error, yet nothing to verify")
		}
		if err != nil && verifier.Message("fr", err) == "" {
			t.Fatal("an error without a message")
		}
	})
}

func FuzzReadBatchCSV(f *testing.F) {
	f.Add([]byte("url\nhttps://a.example/c/1\n"))
	f.Add([]byte("\ufeffnom;url\nAda;https://a.example/c/1\nBob;\n"))
	f.Add([]byte("https://a.example/1\nhttps://a.example/2\n\n"))
	f.Add([]byte("\"unterminated\nhttps://x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := verifier.ReadBatchCSV(bytes.NewReader(data), 50)
		if err == nil && (len(items) == 0 || len(items) > 50) {
			t.Fatalf("%d items without an error", len(items))
		}
	})
}

func FuzzReadBatchZIP(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("a.json")
	w.Write(vector(f, "tampers/eddsa-00-untouched.json"))
	zw.Create("dir/")
	w, _ = zw.Create("__MACOSX/._a.json")
	w.Write([]byte("x"))
	zw.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := verifier.ReadBatch(data, 20, 4096, 16384)
		if err != nil {
			return
		}
		var total int
		for _, it := range items {
			if len(it.Data) > 4096 {
				t.Fatalf("a file of %d bytes passed the 4096-byte bound", len(it.Data))
			}
			total += len(it.Data)
		}
		if len(items) == 0 || len(items) > 20 || total > 16384 {
			t.Fatalf("%d items, %d bytes", len(items), total)
		}
	})
}

func FuzzDecodeQR(f *testing.F) {
	qr, err := web.QRPNG("https://badges.example.org/credentials/abc", 128)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(qr)
	f.Add(qr[:len(qr)/2])
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := verifier.DecodeQR(data)
		if err == nil && text == "" {
			t.Fatal("decoded an empty text without an error")
		}
	})
}
