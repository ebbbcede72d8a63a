package bake

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

const vectors = "../../testdata/vectors"

// readVector reads a credential from the shared test vectors.
func readVector(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectors, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// makePNG encodes a real w×h RGBA gradient with image/png.
func makePNG(t testing.TB, w, h int) ([]byte, image.Image) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{R: uint8(x * 255 / w), G: uint8(y * 255 / h), B: 0x80, A: 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), img
}

// makeJWS signs a small payload with a fresh Ed25519 key and returns the
// compact JWS, as a VC-JWT credential would be baked.
func makeJWS(t testing.TB) []byte {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(`{"alg":"EdDSA","typ":"vc+jwt","kid":"did:web:badges.example#key-1"}`)) + "." +
		enc.EncodeToString([]byte(`{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential","OpenBadgeCredential"],"issuer":"did:web:badges.example"}`))
	return []byte(signed + "." + enc.EncodeToString(ed25519.Sign(priv, []byte(signed))))
}

// insertChunk returns png with a chunk inserted just before IEND.
func insertChunk(t testing.TB, png []byte, kind string, data []byte) []byte {
	t.Helper()
	iend := bytes.LastIndex(png, []byte("IEND")) - 4
	if iend < 8 {
		t.Fatal("no IEND")
	}
	out := append([]byte(nil), png[:iend]...)
	out = appendChunk(out, kind, data)
	return append(out, png[iend:]...)
}

// chunkTypes lists the chunk types of a PNG in order.
func chunkTypes(t testing.TB, png []byte) []string {
	t.Helper()
	var kinds []string
	for pos := 8; pos+8 <= len(png); {
		n := int(binary.BigEndian.Uint32(png[pos:]))
		kinds = append(kinds, string(png[pos+4:pos+8]))
		pos += 12 + n
	}
	return kinds
}

// sampleSVG is a small but real badge image.
const sampleSVG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Badge artwork -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 512 512" width="512" height="512">
  <title>Teamwork &amp; co</title>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#1d4ed8"/><stop offset="1" stop-color="#9333ea"/></linearGradient></defs>
  <circle cx="256" cy="256" r="240" fill="url(#g)"/>
  <text x="256" y="276" text-anchor="middle" font-size="48" fill="#fff">Teamwork</text>
</svg>
`
