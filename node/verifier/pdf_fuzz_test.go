package verifier

import (
	"io"
	"testing"

	"github.com/go-pdf/fpdf"
)

// FuzzPDFCells draws fuzzed cell texts (names and titles come from anyone's credentials) with
// the embedded font: nothing may panic, and the document must still be written. The fonts are
// loaded once; each input adds a table row.
func FuzzPDFCells(f *testing.F) {
	f.Add("Zoë Ouellet-Côté", "Sécurité «\u00a0informatique\u00a0»", "\x00\u202e😀\ufffd\U0010ffff")
	f.Add("", "\n\n\n", "a-very-long-word-without-any-space-that-must-be-split-somewhere-in-the-cell-0123456789")
	p := fpdf.New("L", "mm", "A4", "")
	p.AddUTF8FontFromBytes(pdfFont, "", fontRegular)
	p.SetFont(pdfFont, "", 7.5)
	p.AddPage()
	widths := []float64{8, 40, 45}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		cells := []string{a, b, c}
		if needPage(p, rowHeight(p, widths, cells)) {
			p.AddPage()
		}
		tableRow(p, widths, cells, false)
		if p.Err() {
			t.Fatal(p.Error())
		}
	})
	if err := p.Output(io.Discard); err != nil {
		f.Fatal(err)
	}
}
