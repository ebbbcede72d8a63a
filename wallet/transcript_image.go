package wallet

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // GIF badge images
	_ "image/jpeg"
	"image/png"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// Bounds of an image placed in a transcript.
const (
	// maxSourcePixels refuses images whose decoding would take too much memory.
	maxSourcePixels = 4096 * 4096
	// transcriptPixels is the longest side of an image in the PDF (28 mm at about 250 dpi).
	transcriptPixels = 280
)

// printImage decodes a PNG, JPEG or GIF image and scales it down to at most transcriptPixels a
// side (averaging the source pixels). Images from strangers are decoded with a bound on their
// size.
func printImage(data []byte) (*image.NRGBA, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the image cannot be read: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxSourcePixels {
		return nil, fmt.Errorf("the image is %d×%d pixels, too large to print", cfg.Width, cfg.Height)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the image cannot be read: %w", err)
	}
	return scaleDown(src, transcriptPixels), nil
}

// imageCatalog registers the images of one PDF so that its bytes do not depend on map order:
// the PDF writer orders images by pixel width only, so two different images never get the same
// width here (a later one gets blank columns on the right up to the next free width).
type imageCatalog struct {
	used map[int]bool          // pixel widths taken
	dims map[string][2]float64 // name -> width and height before padding
}

// size returns the size of a registered image before padding.
func (c *imageCatalog) size(name string) (w, h float64, ok bool) {
	d, ok := c.dims[name]
	return d[0], d[1], ok
}

// add registers img under name as a PNG; a failure is left in the PDF writer's error state,
// which Transcript checks before writing.
func (c *imageCatalog) add(pdf *fpdf.Fpdf, name string, img image.Image) {
	if c.used == nil {
		c.used, c.dims = map[int]bool{}, map[string][2]float64{}
	}
	w := img.Bounds().Dx()
	c.dims[name] = [2]float64{float64(w), float64(img.Bounds().Dy())}
	free := w
	for c.used[free] {
		free++
	}
	c.used[free] = true
	if free > w {
		img = padRight(img, free-w)
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		pdf.SetError(fmt.Errorf("encode image %s: %w", name, err))
		return
	}
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, &buf)
}

// padRight returns img with n more columns on the right: white for a gray image (a QR code's
// quiet zone), transparent otherwise.
func padRight(img image.Image, n int) image.Image {
	b := img.Bounds()
	r := image.Rect(0, 0, b.Dx()+n, b.Dy())
	switch src := img.(type) {
	case *image.Gray:
		out := image.NewGray(r)
		for i := range out.Pix {
			out.Pix[i] = 0xff
		}
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[y*out.Stride:], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()])
		}
		return out
	case *image.NRGBA:
		out := image.NewNRGBA(r)
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[y*out.Stride:], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):][:4*b.Dx()])
		}
		return out
	}
	out := image.NewNRGBA(r)
	draw.Draw(out, b.Sub(b.Min), img, b.Min, draw.Src)
	return out
}

// scaleDown returns src as an NRGBA image whose longest side is at most side pixels, each
// destination pixel the average of the source pixels it covers (premultiplied, so transparent
// edges do not darken).
func scaleDown(src image.Image, side int) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if w > side || h > side {
		if w >= h {
			dw, dh = side, (h*side+w/2)/w
		} else {
			dw, dh = (w*side+h/2)/h, side
		}
	}
	dw, dh = max(dw, 1), max(dh, 1)
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, src, b.Min, draw.Src)
	out := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		y0, y1 := y*h/dh, max((y+1)*h/dh, y*h/dh+1)
		for x := 0; x < dw; x++ {
			x0, x1 := x*w/dw, max((x+1)*w/dw, x*w/dw+1)
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				off := rgba.PixOffset(b.Min.X+x0, b.Min.Y+sy)
				for sx := x0; sx < x1; sx++ {
					p := rgba.Pix[off : off+4 : off+4]
					r, g, bl, a = r+uint64(p[0]), g+uint64(p[1]), bl+uint64(p[2]), a+uint64(p[3])
					n++
					off += 4
				}
			}
			o := out.PixOffset(x, y)
			if a == 0 {
				continue
			}
			// Un-premultiply the average.
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(r*255/a), uint8(g*255/a), uint8(bl*255/a), uint8(a/n)
		}
	}
	return out
}

// qrImage draws link as a QR code (error correction level M, with its quiet zone) in gray
// levels, 8 pixels a module.
func qrImage(link string) (*image.Gray, error) {
	if link == "" {
		return nil, errors.New("no link to encode")
	}
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("draw the QR code: %w", err)
	}
	const scale = 8
	bm := q.Bitmap() // with its quiet zone
	side := len(bm) * scale
	out := image.NewGray(image.Rect(0, 0, side, side))
	for y, row := range bm {
		for x, dark := range row {
			v := uint8(0xff)
			if dark {
				v = 0
			}
			for dy := range scale {
				o := (y*scale+dy)*out.Stride + x*scale
				for dx := range scale {
					out.Pix[o+dx] = v
				}
			}
		}
	}
	return out, nil
}
