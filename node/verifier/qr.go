package verifier

import (
	"bytes"
	"image"
	_ "image/gif"  // QR photos may come as GIF
	_ "image/jpeg" // phone photos
	_ "image/png"
	"net/http"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// maxQRPixels bounds the size of an image decoded for a QR code (a 24-megapixel photo is
// ~100 MB of pixels once decoded; we stop well before).
const maxQRPixels = 4096 * 4096

// DecodeQR reads the text of the QR code in an image (PNG, JPEG or GIF). The errors say, in
// the catalog's words, whether the file is not a readable image or holds no QR code.
func DecodeQR(data []byte) (text string, err error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", inErr(http.StatusBadRequest, "err.qr.image")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxQRPixels {
		return "", inErr(http.StatusBadRequest, "err.qr.tooBig")
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return "", inErr(http.StatusBadRequest, "err.qr.image")
	}
	defer func() {
		// The decoder is a port of ZXing; a malformed image must never take the server down.
		if recover() != nil {
			text, err = "", inErr(http.StatusBadRequest, "err.qr.none")
		}
	}()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", inErr(http.StatusBadRequest, "err.qr.none")
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		// A QR code printed light on dark: try the inverted image once.
		inv := gozxing.NewInvertedLuminanceSource(gozxing.NewLuminanceSourceFromImage(img))
		bmp2, err2 := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(inv))
		if err2 != nil {
			return "", inErr(http.StatusBadRequest, "err.qr.none")
		}
		if res, err2 = qrcode.NewQRCodeReader().Decode(bmp2, hints); err2 != nil {
			return "", inErr(http.StatusBadRequest, "err.qr.none")
		}
	}
	text = strings.TrimSpace(res.GetText())
	if text == "" {
		return "", inErr(http.StatusBadRequest, "err.qr.none")
	}
	return text, nil
}
