package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func BenchmarkRenderBadge(b *testing.B) {
	v := fullBadge("fr")
	b.ReportAllocs()
	for b.Loop() {
		if err := RenderBadge(io.Discard, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	src := strings.Repeat("Le candidat doit **présenter** son projet devant un *jury* ([grille](https://example.org/grille)).\n- point un\n- point deux\n\n", 20)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Markdown(src)
	}
}

func BenchmarkPickLang(b *testing.B) {
	r := httptest.NewRequest("GET", "/credentials/abc", nil)
	r.Header.Set("Accept-Language", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7,fr;q=0.6")
	b.ReportAllocs()
	for b.Loop() {
		PickLang(r)
	}
}

func BenchmarkQRPNG(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := QRPNG(badgeURL, 256); err != nil {
			b.Fatal(err)
		}
	}
}
