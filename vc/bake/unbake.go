package bake

import (
	"bytes"
	"fmt"
)

// Image kinds reported by [Unbake].
const (
	KindPNG = "png"
	KindSVG = "svg"
)

// Unbake recognises a PNG (by its signature) or an SVG (XML text, after an
// optional byte order mark and white space) and returns the credential
// baked into it, with the kind of image ([KindPNG] or [KindSVG]); the kind
// is set even when extraction fails. Data that is neither gives
// [ErrNotImage]; otherwise the errors are those of [UnbakePNG] and
// [UnbakeSVG].
func Unbake(data []byte) (credential []byte, kind string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte(pngSignature)):
		cred, err := UnbakePNG(data)
		return cred, KindPNG, err
	case looksLikeXML(data):
		cred, err := UnbakeSVG(data)
		return cred, KindSVG, err
	}
	return nil, "", fmt.Errorf("unbake: %w%s", ErrNotImage, formatHint(data))
}

// looksLikeXML reports whether data starts, after an optional UTF-8 byte
// order mark and white space, with '<'.
func looksLikeXML(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '<'
}

// formatHint names common formats that cannot carry a baked badge.
func formatHint(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return " (it is a JPEG image; only PNG and SVG images can carry a baked badge)"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return " (it is a GIF image; only PNG and SVG images can carry a baked badge)"
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WEBP")):
		return " (it is a WebP image; only PNG and SVG images can carry a baked badge)"
	case bytes.HasPrefix(data, []byte("\x1f\x8b")):
		return " (it is gzip-compressed, perhaps an .svgz; decompress it to an .svg first)"
	}
	return ""
}
