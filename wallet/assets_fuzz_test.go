package wallet

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAssetBytes feeds fetched bytes and headers to what reads them: content sniffing, the kept
// file's name (evidence name, Content-Disposition), digest checks and image decoding for
// transcripts.
func FuzzAssetBytes(f *testing.F) {
	png := testPNG(f, 8, 8)
	f.Add(png, `attachment; filename="rapport-stage.pdf"`, "Rapport de stage", digestMultibaseOf(png), sri384(png))
	f.Add([]byte(testSVG), `attachment; filename*=UTF-8''photo-%C3%A9t%C3%A9.svg`, "", "", "")
	f.Add(testPDF, `inline; filename="../../etc/passwd"`, "..\\..\\x", "zQmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco", "sha256-AAAA sha512-BBBB")
	f.Add([]byte("<!doctype html><svg>"), "attachment", "\x00\u202e.pdf", "not multibase", "sha384-!!")
	f.Add([]byte("GIF89a\x01\x00\x01\x00"), "", strings.Repeat("é", 200), "uEiA", "")
	f.Fuzz(func(t *testing.T, data []byte, disposition, name, digestMB, digestSRI string) {
		mt := sniffMedia(data)
		if mt == "" || strings.Contains(mt, ";") {
			t.Fatalf("media type %q", mt)
		}
		if pt, err := pictureType(data); err == nil && pt != mt {
			t.Fatalf("picture type %q != %q", pt, mt)
		}
		et, err := evidenceType(data)
		if err == nil && (et == "text/html" || et == "text/xml") {
			t.Fatalf("a web page is kept as a file: %q", et)
		}
		fn := fileName(name, disposition, et, 3)
		if fn == "" || strings.ContainsAny(fn, "/\\\x00") || !utf8.ValidString(fn) || len(fn) > maxNameLen+5 || strings.HasPrefix(fn, ".") {
			t.Fatalf("unsafe file name %q", fn)
		}
		if ok, err := checkDigest(data, digestMB, digestSRI); ok && err != nil {
			t.Fatal("checked and failed at once")
		}
		if len(data) < 1<<16 {
			if img, err := printImage(data); err == nil {
				if r := img.Bounds(); r.Dx() > transcriptPixels || r.Dy() > transcriptPixels || r.Dx() < 1 || r.Dy() < 1 {
					t.Fatalf("printed image %v", r)
				}
			}
		}
	})
}
