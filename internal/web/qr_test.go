package web

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

const badgeURL = "https://badges.example.org/credentials/abcdefghijklmnopqrstuvwxyz"

// modules reads the module grid of a QR image, sampling each module at its centre, with n
// modules a side (quiet zone included).
func modules(img image.Image, n int) [][]bool {
	size := img.Bounds().Dx()
	out := make([][]bool, n)
	for y := range n {
		out[y] = make([]bool, n)
		for x := range n {
			px := (2*x + 1) * size / (2 * n)
			py := (2*y + 1) * size / (2 * n)
			r, _, _, _ := img.At(px, py).RGBA()
			out[y][x] = r < 0x8000
		}
	}
	return out
}

func TestQRPNG(t *testing.T) {
	t.Run("the image is a PNG of the requested size", func(t *testing.T) {
		for _, size := range []int{MinQRSize * 2, 256, 512} {
			b, err := QRPNG(badgeURL, size)
			if err != nil {
				t.Fatal(err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
			if err != nil || format != "png" {
				t.Fatalf("not a PNG: %v (%s)", err, format)
			}
			if cfg.Width != size || cfg.Height != size {
				t.Errorf("image is %dx%d, want %dx%d", cfg.Width, cfg.Height, size, size)
			}
		}
	})
	t.Run("the image holds the QR symbol of the URL, quiet zone included", func(t *testing.T) {
		b, err := QRPNG(badgeURL, 512)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		q, err := qrcode.New(badgeURL, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		want := q.Bitmap()
		got := modules(img, len(want))
		for y := range want {
			for x := range want {
				if got[y][x] != want[y][x] {
					t.Fatalf("module (%d,%d) is %v, want %v", x, y, got[y][x], want[y][x])
				}
			}
		}
		for i := range 4 { // quiet zone: four light modules on every side
			if got[i][len(want)/2] || got[len(want)/2][i] {
				t.Fatalf("quiet zone module %d is dark", i)
			}
		}
		// the top-left finder pattern: a dark 7x7 ring right after the quiet zone
		if !got[4][4] || !got[4][10] || !got[10][4] || got[5][5] || !got[7][7] {
			t.Fatal("no finder pattern at the top left")
		}
	})
	t.Run("another URL gives another symbol", func(t *testing.T) {
		a, _ := QRPNG(badgeURL, 256)
		b, _ := QRPNG(badgeURL+"x", 256)
		if bytes.Equal(a, b) {
			t.Fatal("two URLs drew the same image")
		}
	})
	t.Run("a size out of range is refused", func(t *testing.T) {
		for _, size := range []int{0, -4, MinQRSize - 1, MaxQRSize + 1} {
			if _, err := QRPNG(badgeURL, size); !errors.Is(err, ErrQRSize) {
				t.Errorf("size %d: got %v, want ErrQRSize", size, err)
			}
		}
	})
	t.Run("empty or overlong text is refused", func(t *testing.T) {
		for _, s := range []string{"", strings.Repeat("a", MaxQRText+1)} {
			if _, err := QRPNG(s, 256); !errors.Is(err, ErrQRContent) {
				t.Errorf("text of %d bytes: got %v, want ErrQRContent", len(s), err)
			}
		}
	})
	t.Run("a long URL still fits, in a larger image when needed", func(t *testing.T) {
		b, err := QRPNG("https://example.org/"+strings.Repeat("x", MaxQRText-20), MinQRSize)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil || cfg.Width < MinQRSize {
			t.Fatalf("got %v, %dpx", err, cfg.Width)
		}
	})
}
