package web

import (
	"errors"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// QR code limits.
const (
	MinQRSize = 64   // smallest QRPNG image side, in pixels
	MaxQRSize = 2048 // largest QRPNG image side, in pixels
	MaxQRText = 1024 // longest text QRPNG encodes, in bytes (a badge URL is far shorter)
)

// Errors of QRPNG.
var (
	ErrQRSize    = errors.New("QR code size out of range")
	ErrQRContent = errors.New("QR code content cannot be encoded")
)

// QRPNG draws url as a QR code (medium error correction, quiet zone included) in a square PNG
// of size pixels. size must lie between MinQRSize and MaxQRSize; when the code needs more
// pixels than size allows, the image is the smallest one that fits.
func QRPNG(url string, size int) ([]byte, error) {
	if size < MinQRSize || size > MaxQRSize {
		return nil, fmt.Errorf("draw QR code: %w: %d pixels (must be between %d and %d)", ErrQRSize, size, MinQRSize, MaxQRSize)
	}
	if url == "" {
		return nil, fmt.Errorf("draw QR code: %w: the text is empty", ErrQRContent)
	}
	if len(url) > MaxQRText {
		return nil, fmt.Errorf("draw QR code: %w: the text is %d bytes long (at most %d)", ErrQRContent, len(url), MaxQRText)
	}
	png, err := qrcode.Encode(url, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w: %v", ErrQRContent, err)
	}
	return png, nil
}
