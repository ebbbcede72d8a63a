package bake

import (
	"bytes"
	"compress/zlib"
	"errors"
	"image"
	"image/png"
	"slices"
	"strings"
	"testing"
)

func TestBakePNG(t *testing.T) {
	plain, img := makePNG(t, 64, 48)
	jsonCred := readVector(t, "harness-signed/basic-openbadgecredential.eddsa-rdfc-2022.didkey.json")
	jwsCred := makeJWS(t)

	for _, c := range []struct {
		name string
		cred []byte
	}{{"a JSON credential", jsonCred}, {"a VC-JWT credential", jwsCred}} {
		t.Run(c.name+" bakes and unbakes unchanged", func(t *testing.T) {
			baked, err := BakePNG(plain, c.cred)
			if err != nil {
				t.Fatal(err)
			}
			got, err := UnbakePNG(baked)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, bytes.TrimSpace(c.cred)) {
				t.Fatalf("unbaked credential differs:\n%s", got)
			}
		})
	}

	baked, err := BakePNG(plain, jsonCred)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the baked image still decodes with image/png, pixel for pixel", func(t *testing.T) {
		decoded, err := png.Decode(bytes.NewReader(baked))
		if err != nil {
			t.Fatal(err)
		}
		if decoded.Bounds() != img.Bounds() {
			t.Fatalf("bounds %v, want %v", decoded.Bounds(), img.Bounds())
		}
		for y := range 48 {
			for x := range 64 {
				r1, g1, b1, a1 := decoded.At(x, y).RGBA()
				r2, g2, b2, a2 := img.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
					t.Fatalf("pixel (%d,%d) changed", x, y)
				}
			}
		}
		if _, format, err := image.DecodeConfig(bytes.NewReader(baked)); err != nil || format != "png" {
			t.Fatalf("DecodeConfig = %q, %v", format, err)
		}
	})

	t.Run("the credential is one uncompressed iTXt chunk just before IEND", func(t *testing.T) {
		kinds := chunkTypes(t, baked)
		if len(kinds) < 2 || kinds[len(kinds)-2] != "iTXt" || kinds[len(kinds)-1] != "IEND" {
			t.Fatalf("chunks = %v", kinds)
		}
		want := append([]byte("iTXtopenbadgecredential\x00\x00\x00\x00\x00"), bytes.TrimSpace(jsonCred)...)
		if !bytes.Contains(baked, want) {
			t.Fatal("no uncompressed iTXt chunk with keyword openbadgecredential and empty language tag")
		}
		if !slices.Equal(kinds[:len(kinds)-2], chunkTypes(t, plain)[:len(kinds)-2]) {
			t.Fatal("other chunks were changed")
		}
	})

	t.Run("baking again replaces the credential", func(t *testing.T) {
		again, err := BakePNG(baked, jwsCred)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(again), "openbadgecredential"); n != 1 {
			t.Fatalf("%d openbadgecredential chunks after rebaking", n)
		}
		got, err := UnbakePNG(again)
		if err != nil || !bytes.Equal(got, jwsCred) {
			t.Fatalf("UnbakePNG = %q, %v", got, err)
		}
	})

	t.Run("a credential baked as tEXt by other tools is replaced too", func(t *testing.T) {
		withText := insertChunk(t, plain, "tEXt", append([]byte("openbadgecredential\x00"), jwsCred...))
		rebaked, err := BakePNG(withText, jsonCred)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := UnbakePNG(rebaked); err != nil || !bytes.Equal(got, bytes.TrimSpace(jsonCred)) {
			t.Fatalf("UnbakePNG = %v", err)
		}
	})

	t.Run("an Open Badges 2.0 chunk is kept alongside", func(t *testing.T) {
		ob2 := insertChunk(t, plain, "iTXt", itxtChunkData(keywordOB2, []byte(`{"type":"Assertion"}`)))
		rebaked, err := BakePNG(ob2, jsonCred)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(rebaked, []byte("openbadges\x00")) {
			t.Fatal("OB 2.0 chunk dropped")
		}
	})

	refused := []struct {
		name string
		png  []byte
		cred []byte
		want error
	}{
		{"an empty credential is refused", plain, []byte("  \n"), ErrMalformed},
		{"a credential that is neither JSON nor JWS is refused", plain, []byte("hello badge"), ErrMalformed},
		{"broken JSON is refused", plain, []byte(`{"id":`), ErrMalformed},
		{"a JWS with an empty segment is refused", plain, []byte("a..c"), ErrMalformed},
		{"a credential over 5 MiB is refused", plain, append([]byte(`{"x":"`), append(bytes.Repeat([]byte("a"), MaxCredentialSize), `"}`...)...), ErrTooLarge},
		{"an image that is not a PNG is refused", []byte("GIF89a...."), jwsCred, ErrMalformed},
		{"a truncated PNG is refused", plain[:len(plain)-12], jwsCred, ErrMalformed},
		{"an image over 20 MiB is refused", append(append([]byte(nil), plain...), make([]byte, MaxImageSize)...), jwsCred, ErrTooLarge},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			if _, err := BakePNG(r.png, r.cred); !errors.Is(err, r.want) {
				t.Fatalf("BakePNG = %v, want %v", err, r.want)
			}
		})
	}
}

func TestUnbakePNG(t *testing.T) {
	plain, _ := makePNG(t, 32, 32)
	cred := makeJWS(t)
	baked, err := BakePNG(plain, cred)
	if err != nil {
		t.Fatal(err)
	}
	iTXt := func(text []byte) []byte { return itxtChunkData(keywordCredential, text) }
	compressed := func(text []byte) []byte {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(text)
		zw.Close()
		return append([]byte("openbadgecredential\x00\x01\x00en\x00\x00"), buf.Bytes()...)
	}

	t.Run("a compressed iTXt chunk is inflated", func(t *testing.T) {
		got, err := UnbakePNG(insertChunk(t, plain, "iTXt", compressed(cred)))
		if err != nil || !bytes.Equal(got, cred) {
			t.Fatalf("UnbakePNG = %q, %v", got, err)
		}
	})

	t.Run("a tEXt chunk is read as Latin-1", func(t *testing.T) {
		got, err := UnbakePNG(insertChunk(t, plain, "tEXt", append([]byte("openbadgecredential\x00"), `{"name":"caf`+"\xe9"+`"}`...)))
		if err != nil || string(got) != `{"name":"café"}` {
			t.Fatalf("UnbakePNG = %q, %v", got, err)
		}
	})

	t.Run("an OB 3.0 credential wins over an OB 2.0 assertion in the same image", func(t *testing.T) {
		both := insertChunk(t, baked, "iTXt", itxtChunkData(keywordOB2, []byte(`{"type":"Assertion"}`)))
		if got, err := UnbakePNG(both); err != nil || !bytes.Equal(got, cred) {
			t.Fatalf("UnbakePNG = %q, %v", got, err)
		}
	})

	t.Run("the returned credential does not alias the image", func(t *testing.T) {
		img := bytes.Clone(baked)
		got, err := UnbakePNG(img)
		if err != nil {
			t.Fatal(err)
		}
		clear(img)
		if !bytes.Equal(got, cred) {
			t.Fatal("credential changed when the image buffer was cleared")
		}
	})

	bomb := compressed(make([]byte, MaxCredentialSize+1))
	flipped := func(at int) []byte {
		b := bytes.Clone(baked)
		b[at] ^= 0x01
		return b
	}
	credAt := bytes.Index(baked, cred)
	idatAt := bytes.Index(baked, []byte("IDAT")) + 10
	cases := []struct {
		name  string
		png   []byte
		want  error
		words string
	}{
		{"an image without a credential is reported as not baked", plain, ErrNotBaked, "no openbadgecredential"},
		{"an Open Badges 2.0 image is reported as such", insertChunk(t, plain, "iTXt", itxtChunkData(keywordOB2, []byte(`{"type":"Assertion"}`))), ErrOpenBadges2, "Open Badges 2.0"},
		{"an Open Badges 1.0 tEXt image is reported as OB 2.0", insertChunk(t, plain, "tEXt", []byte("openbadges\x00https://example.org/assertion")), ErrOpenBadges2, "not supported"},
		{"two credential chunks are refused", insertChunk(t, baked, "iTXt", iTXt(cred)), ErrDuplicate, "openbadgecredential chunks at bytes"},
		{"a credential in iTXt and another in tEXt are refused", insertChunk(t, baked, "tEXt", append([]byte("openbadgecredential\x00"), cred...)), ErrDuplicate, "at bytes"},
		{"a changed byte in the credential fails the CRC", flipped(credAt + 5), ErrMalformed, "CRC"},
		{"a changed byte in the pixels fails the CRC", flipped(idatAt), ErrMalformed, "CRC"},
		{"a file cut inside a chunk is refused", baked[:credAt+10], ErrMalformed, "truncated"},
		{"a file cut before IEND is refused", baked[:len(baked)-12], ErrMalformed, "before its IEND"},
		{"a file that does not start with the PNG signature is refused", append([]byte("\x89PNX"), baked[4:]...), ErrMalformed, "signature"},
		{"a first chunk other than IHDR is refused", append([]byte(pngSignature), appendChunk(nil, "tEXt", []byte("a\x00b"))...), ErrMalformed, "IHDR"},
		{"a chunk type with non-letters is refused", append(append([]byte(nil), baked[:8]...), appendChunk(nil, "IH1R", nil)...), ErrMalformed, "four ASCII letters"},
		{"an empty credential chunk is refused", insertChunk(t, plain, "iTXt", iTXt([]byte(" "))), ErrMalformed, "empty"},
		{"an iTXt chunk cut before its compression flag is refused", insertChunk(t, plain, "iTXt", []byte("openbadgecredential\x00")), ErrMalformed, "compression flag"},
		{"an iTXt chunk without an end to its language tag is refused", insertChunk(t, plain, "iTXt", []byte("openbadgecredential\x00\x00\x00en")), ErrMalformed, "language tag"},
		{"an unknown compression method is refused", insertChunk(t, plain, "iTXt", []byte("openbadgecredential\x00\x01\x07\x00\x00x")), ErrMalformed, "compression flag 1 and method 7"},
		{"damaged zlib data is refused", insertChunk(t, plain, "iTXt", []byte("openbadgecredential\x00\x01\x00\x00\x00not zlib")), ErrMalformed, "zlib"},
		{"text that is not UTF-8 is refused", insertChunk(t, plain, "iTXt", iTXt([]byte("\xff\xfe"))), ErrMalformed, "UTF-8"},
		{"a compressed credential expanding beyond 5 MiB is refused", insertChunk(t, plain, "iTXt", bomb), ErrTooLarge, "expands beyond"},
		{"an uncompressed credential over 5 MiB is refused", insertChunk(t, plain, "iTXt", iTXt(bytes.Repeat([]byte("a"), MaxCredentialSize+1))), ErrTooLarge, "at most"},
		{"an image over 20 MiB is refused", append(bytes.Clone(baked), make([]byte, MaxImageSize)...), ErrTooLarge, "at most"},
		{"an empty file is refused", nil, ErrMalformed, "signature"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := UnbakePNG(c.png)
			if !errors.Is(err, c.want) {
				t.Fatalf("UnbakePNG = %v, want %v", err, c.want)
			}
			if got != nil {
				t.Fatal("a credential came back with the error")
			}
			if !strings.Contains(err.Error(), c.words) {
				t.Fatalf("error %q does not say %q", err, c.words)
			}
		})
	}
}
