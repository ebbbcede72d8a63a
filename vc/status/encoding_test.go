package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func multibase(raw []byte) string { return "u" + base64.RawURLEncoding.EncodeToString(raw) }

func TestEncodeDecode(t *testing.T) {
	t.Run("a list round-trips through Encode and Decode", func(t *testing.T) {
		b, err := New(MinEntries)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		want := map[int]bool{}
		for range 500 {
			i := r.IntN(MinEntries)
			want[i] = true
			if err := b.Set(i, true); err != nil {
				t.Fatal(err)
			}
		}
		enc := b.Encode()
		if !strings.HasPrefix(enc, "uH4sI") {
			t.Fatalf("encoding %q… does not start with multibase 'u' and a GZIP header", enc[:10])
		}
		got, err := Decode(enc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.bits, b.bits) {
			t.Fatal("decoded bits differ from the encoded ones")
		}
		for i := range want {
			if v, _ := got.Get(i); !v {
				t.Fatalf("bit %d lost in the round trip", i)
			}
		}
	})
	t.Run("encoding is deterministic", func(t *testing.T) {
		b, _ := New(MinEntries)
		_ = b.Set(42, true)
		if b.Encode() != b.Encode() {
			t.Fatal("two encodings of one list differ")
		}
	})
	t.Run("an all-clear list of 131,072 entries compresses to a few hundred characters", func(t *testing.T) {
		b, _ := New(MinEntries)
		if n := len(b.Encode()); n > 200 {
			t.Fatalf("encoded length %d, want under 200", n)
		}
	})
	t.Run("the StatusList2021 form without the multibase prefix decodes", func(t *testing.T) {
		b, err := Decode(w3cSuiteList)
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := b.Get(201); !v {
			t.Fatal("bit 201 not set")
		}
	})
	t.Run("padding and the standard base64 alphabet are tolerated", func(t *testing.T) {
		b, _ := New(MinEntries)
		_ = b.Set(5, true)
		raw := gzipBytes(t, b.bits)
		for _, enc := range []string{
			"u" + base64.URLEncoding.EncodeToString(raw),
			base64.StdEncoding.EncodeToString(raw),
		} {
			got, err := Decode(enc)
			if err != nil {
				t.Fatalf("Decode(%.12s…): %v", enc, err)
			}
			if v, _ := got.Get(5); !v {
				t.Fatal("bit 5 not set")
			}
		}
	})
	t.Run("a nil list encodes as an empty list", func(t *testing.T) {
		var b *Bitstring
		got, err := Decode(b.Encode())
		if err != nil || got.Len() != 0 {
			t.Fatalf("Decode = %d bits, %v; want 0 bits", got.Len(), err)
		}
	})
}

func TestDecodeRefusals(t *testing.T) {
	valid := gzipBytes(t, make([]byte, 16))
	for _, tc := range []struct {
		name    string
		encoded string
		want    error
		words   string
	}{
		{"an empty string is refused", "", ErrMalformedList, "empty"},
		{"text outside base64url is refused", "u!!!!", ErrMalformedList, "base64url"},
		{"data that is not GZIP is refused", multibase([]byte("not a gzip stream at all")), ErrMalformedList, "GZIP"},
		{"a truncated GZIP stream is refused", multibase(valid[:len(valid)-6]), ErrMalformedList, "corrupt"},
		{"bytes after the GZIP stream are refused", multibase(append(append([]byte{}, valid...), "junk"...)), ErrMalformedList, ""},
		{"an encoded text longer than any allowed list is refused before decoding", "u" + strings.Repeat("A", maxEncodedLen), ErrListTooLarge, "characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.encoded)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.words) {
				t.Fatalf("error %q does not mention %q", err, tc.words)
			}
		})
	}
}

// zeroReader yields zeros forever.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// zeroBomb compresses n zero bytes with GZIP.
func zeroBomb(t testing.TB, n int64) []byte {
	t.Helper()
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	if _, err := io.CopyN(zw, zeroReader{}, n); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return bomb.Bytes()
}

func TestGzipBomb(t *testing.T) {
	// 24 MiB of zeros compress to about 100 KiB: half as much again as the largest list allowed.
	bomb := zeroBomb(t, 24<<20)
	encoded := multibase(bomb)

	t.Run("a list decompressing beyond 16 MiB is refused", func(t *testing.T) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Decode(encoded)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrListTooLarge) {
			t.Fatalf("err = %v, want ErrListTooLarge", err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
			t.Fatalf("refusing the bomb allocated %d KiB; its trailer alone shows it is too large", alloc>>10)
		}
	})
	t.Run("a bomb whose trailer lies about its size is refused after at most 16 MiB", func(t *testing.T) {
		lying := append([]byte{}, bomb...)
		copy(lying[len(lying)-4:], []byte{0, 0x40, 0, 0}) // claims 16 KiB
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := Decode(multibase(lying))
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrListTooLarge) {
			t.Fatalf("err = %v, want ErrListTooLarge", err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2*MaxListBytes {
			t.Fatalf("refusing the bomb allocated %d MiB; it must stay near the 16 MiB limit", alloc>>20)
		}
	})
	t.Run("a list of exactly 16 MiB is accepted", func(t *testing.T) {
		b, err := Decode(multibase(zeroBomb(t, MaxListBytes)))
		if err != nil {
			t.Fatal(err)
		}
		if b.Len() != MaxListBytes*8 {
			t.Fatalf("Len = %d", b.Len())
		}
	})
}
