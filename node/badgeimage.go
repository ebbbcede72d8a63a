package node

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
)

// DefaultBadgeSize is the side, in pixels, of the default badge image.
const DefaultBadgeSize = 256

// DefaultBadgePNG draws the image of an achievement that has none: a disc in a colour, with
// a ring and a rosette whose colour and number of petals are derived from the SHA-256 of seed
// (the achievement id), so that different badges look different and the same badge always
// looks the same. The PNG is DefaultBadgeSize pixels square with a transparent background.
func DefaultBadgePNG(seed string) []byte {
	dark, main, light, petals, phase := badgeLook(seed)

	const s = DefaultBadgeSize
	img := image.NewNRGBA(image.Rect(0, 0, s, s))
	c := float64(s) / 2
	for y := range s {
		for x := range s {
			dx, dy := float64(x)+0.5-c, float64(y)+0.5-c
			d := math.Hypot(dx, dy)
			if d > c {
				continue
			}
			theta := math.Atan2(dy, dx)
			rosette := 0.20*float64(s) + 0.07*float64(s)*math.Cos(float64(petals)*theta+phase)
			var px [4]float64 // premultiplied r, g, b, a
			over(&px, dark, cover(0.485*float64(s), d))
			over(&px, main, cover(0.44*float64(s), d))
			over(&px, light, cover(0.39*float64(s), d)-cover(0.375*float64(s), d))
			over(&px, light, cover(rosette, d))
			over(&px, dark, cover(0.07*float64(s), d))
			if px[3] == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(px[0]/px[3] + 0.5), G: uint8(px[1]/px[3] + 0.5), B: uint8(px[2]/px[3] + 0.5),
				A: uint8(px[3]*255 + 0.5),
			})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(fmt.Sprintf("encode default badge image: %v", err)) // writing to memory cannot fail
	}
	return buf.Bytes()
}

// badgeLook derives the colours, number of petals and their angle from the seed's SHA-256.
func badgeLook(seed string) (dark, main, light [3]float64, petals int, phase float64) {
	h := sha256.Sum256([]byte(seed))
	hue := float64(uint16(h[0])<<8|uint16(h[1])) / 65536 * 360
	dark = hsl(hue, 0.65, 0.28)
	main = hsl(hue, 0.60, 0.45)
	light = hsl(math.Mod(hue+30, 360), 0.70, 0.88)
	petals = 5 + int(h[2]%4)
	phase = float64(h[3]) / 256 * 2 * math.Pi / float64(petals)
	return
}

// DefaultBadgeSVG is DefaultBadgePNG drawn as SVG (the same colours and rosette), for the
// baked SVG of a badge whose achievement has no SVG image.
func DefaultBadgeSVG(seed string) []byte {
	dark, main, light, petals, phase := badgeLook(seed)
	const s = float64(DefaultBadgeSize)
	hex := func(c [3]float64) string {
		return fmt.Sprintf("#%02x%02x%02x", uint8(c[0]+0.5), uint8(c[1]+0.5), uint8(c[2]+0.5))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`, DefaultBadgeSize, DefaultBadgeSize, DefaultBadgeSize, DefaultBadgeSize)
	fmt.Fprintf(&b, `<circle cx="128" cy="128" r="%.1f" fill="%s"/>`, 0.485*s, hex(dark))
	fmt.Fprintf(&b, `<circle cx="128" cy="128" r="%.1f" fill="%s"/>`, 0.44*s, hex(main))
	fmt.Fprintf(&b, `<circle cx="128" cy="128" r="%.1f" fill="none" stroke="%s" stroke-width="%.1f"/>`, 0.3825*s, hex(light), 0.015*s)
	b.WriteString(`<path fill="` + hex(light) + `" d="`)
	const steps = 180
	for i := range steps {
		theta := float64(i) / steps * 2 * math.Pi
		r := 0.20*s + 0.07*s*math.Cos(float64(petals)*theta+phase)
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&b, "%s%.1f %.1f", cmd, s/2+r*math.Cos(theta), s/2+r*math.Sin(theta))
	}
	b.WriteString(`Z"/>`)
	fmt.Fprintf(&b, `<circle cx="128" cy="128" r="%.1f" fill="%s"/></svg>`, 0.07*s, hex(dark))
	return []byte(b.String())
}

// cover is how much of a pixel at distance d from the centre lies inside radius r
// (a one-pixel ramp smooths the edge).
func cover(r, d float64) float64 { return min(max(r-d+0.5, 0), 1) }

// over paints colour c with coverage a over the premultiplied pixel px.
func over(px *[4]float64, c [3]float64, a float64) {
	if a <= 0 {
		return
	}
	for i := range 3 {
		px[i] = c[i]*a + px[i]*(1-a)
	}
	px[3] = a + px[3]*(1-a)
}

// hsl converts a hue (degrees), saturation and lightness to 0–255 RGB.
func hsl(h, s, l float64) [3]float64 {
	c := (1 - math.Abs(2*l-1)) * s
	hp := h / 60
	x := c * (1 - math.Abs(math.Mod(hp, 2)-1))
	var r, g, b float64
	switch {
	case hp < 1:
		r, g = c, x
	case hp < 2:
		r, g = x, c
	case hp < 3:
		g, b = c, x
	case hp < 4:
		g, b = x, c
	case hp < 5:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := l - c/2
	return [3]float64{(r + m) * 255, (g + m) * 255, (b + m) * 255}
}

// BadgeImage returns the image shown and baked for achievement id (of any issuer): its stored
// PNG or SVG, or DefaultBadgePNG when it has none. Errors: ErrNotFound (no such achievement).
func (n *Node) BadgeImage(ctx context.Context, id string) ([]byte, string, error) {
	slug, err := n.achievementIssuer(id)
	if err != nil {
		return nil, "", err
	}
	return n.badgeImageOf(slug, id)
}

// badgeImageOf is BadgeImage when the issuer is known.
func (n *Node) badgeImageOf(slug, id string) ([]byte, string, error) {
	if data, mt, err := n.storedImage(slug, id); err == nil {
		return data, mt, nil
	}
	if _, err := n.Achievement(context.Background(), slug, id); err != nil {
		return nil, "", err
	}
	return n.defaultPNG(id), "image/png", nil
}

// defaultPNG returns DefaultBadgePNG(id), drawn once per achievement and kept (there are few
// achievements; the cache stops growing at maxDefaultImages).
func (n *Node) defaultPNG(id string) []byte {
	const maxDefaultImages = 1024
	n.imgMu.Lock()
	img, ok := n.images[id]
	n.imgMu.Unlock()
	if ok {
		return img
	}
	img = DefaultBadgePNG(id)
	n.imgMu.Lock()
	if len(n.images) < maxDefaultImages {
		n.images[id] = img
	}
	n.imgMu.Unlock()
	return img
}
