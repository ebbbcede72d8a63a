package verifier

import (
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/communs/communs/internal/web"
	"github.com/go-pdf/fpdf"
)

// DejaVu Sans Condensed (Bitstream Vera / DejaVu licence, free to embed), as shipped with
// fpdf: a Unicode font, so that accents and most scripts come out right.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

// PDFOptions adjusts WritePDF.
type PDFOptions struct {
	// Lang is the language of the report ("fr" or "en").
	Lang string
	// NodeName, when set, is named under the title.
	NodeName string
	// Generated is the date printed under the title; zero means now.
	Generated time.Time
}

// pdfColumn is one column of the badge table: its header key, width (mm) and cell text.
type pdfColumn struct {
	key   string
	width float64
	cell  func(lang string, r Row) string
}

var pdfColumns = []pdfColumn{
	{"#", 8, func(_ string, r Row) string { return strconv.Itoa(r.N) }},
	{"col.learner", 40, func(_ string, r Row) string { return r.Learner }},
	{"col.achievement", 45, func(_ string, r Row) string { return r.Achievement }},
	{"col.issuer", 38, func(_ string, r Row) string { return r.Issuer }},
	{"col.recognised", 18, func(l string, r Row) string { return msgs.T(l, r.Recognised) }},
	{"col.status", 20, func(l string, r Row) string { return msgs.T(l, "status."+r.Status) }},
	{"col.issued", 19, func(_ string, r Row) string { return r.IssuedOn }},
	{"col.expires", 19, func(_ string, r Row) string { return r.ExpiresOn }},
	{"col.credits", 14, func(l string, r Row) string {
		if r.CreditsEarned == nil {
			return ""
		}
		return web.FormatNumber(l, *r.CreditsEarned)
	}},
	{"col.verdict", 22, func(l string, r Row) string { return msgs.T(l, "verdict."+r.Verdict) }},
	{"col.reason", 34, func(l string, r Row) string { return r.ReasonIn(l) }},
}

const (
	pdfMargin = 10.0
	pdfLineH  = 3.6
	pdfFont   = "dejavu"
)

// WritePDF writes rows as a PDF report (A4 landscape): a title, the table of badges, then the
// totals per learner.
func WritePDF(w io.Writer, rows []Row, o PDFOptions) error {
	lang := o.Lang
	if lang != "en" {
		lang = web.DefaultLang
	}
	gen := o.Generated
	if gen.IsZero() {
		gen = time.Now()
	}
	p := fpdf.New("L", "mm", "A4", "")
	p.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	p.SetAutoPageBreak(false, pdfMargin)
	p.AddUTF8FontFromBytes(pdfFont, "", fontRegular)
	p.AddUTF8FontFromBytes(pdfFont, "B", fontBold)
	p.SetTitle(msgs.T(lang, "b.job"), true)
	p.SetCreator("Communs", true)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(func() {
		p.SetY(-8)
		p.SetFont(pdfFont, "", 7)
		p.CellFormat(0, 4, fmt.Sprintf("%d / {nb}", p.PageNo()), "", 0, "R", false, 0, "")
	})
	p.AddPage()

	p.SetFont(pdfFont, "B", 15)
	p.CellFormat(0, 8, pdfText(msgs.T(lang, "b.job")), "", 1, "L", false, 0, "")
	p.SetFont(pdfFont, "", 9)
	sub := web.FormatDate(lang, gen)
	if o.NodeName != "" {
		sub = pdfText(o.NodeName) + " · " + sub
	}
	p.CellFormat(0, 5, sub, "", 1, "L", false, 0, "")
	valid, warn, invalid := Counts(rows)
	p.CellFormat(0, 5, msgs.T(lang, "b.summary", valid, warn, invalid), "", 1, "L", false, 0, "")
	p.Ln(2)

	// The badges.
	head := func() {
		p.SetFont(pdfFont, "B", 7.5)
		p.SetFillColor(230, 233, 238)
		cells := make([]string, len(pdfColumns))
		widths := make([]float64, len(pdfColumns))
		for i, c := range pdfColumns {
			cells[i], widths[i] = headerText(lang, c.key), c.width
		}
		tableRow(p, widths, cells, true)
		p.SetFont(pdfFont, "", 7.5)
	}
	heading(p, msgs.T(lang, "b.rows"))
	head()
	for _, r := range rows {
		cells := make([]string, len(pdfColumns))
		widths := make([]float64, len(pdfColumns))
		for i, c := range pdfColumns {
			cells[i], widths[i] = c.cell(lang, r), c.width
		}
		if needPage(p, rowHeight(p, widths, cells)) {
			p.AddPage()
			head()
		}
		tableRow(p, widths, cells, false)
	}

	// The totals per learner.
	p.Ln(4)
	if needPage(p, 20) {
		p.AddPage()
	}
	heading(p, msgs.T(lang, "b.totals"))
	tw := []float64{150, 30, 30, 40}
	thead := func() {
		p.SetFont(pdfFont, "B", 7.5)
		tableRow(p, tw, []string{msgs.T(lang, "col.learner"), msgs.T(lang, "col.badges"), msgs.T(lang, "col.validBadges"), msgs.T(lang, "col.validCredits")}, true)
		p.SetFont(pdfFont, "", 7.5)
	}
	thead()
	for _, t := range Totals(rows) {
		cells := []string{t.Learner, strconv.Itoa(t.Badges), strconv.Itoa(t.Valid), web.FormatNumber(lang, t.Credits)}
		if needPage(p, rowHeight(p, tw, cells)) {
			p.AddPage()
			thead()
		}
		tableRow(p, tw, cells, false)
	}
	if err := p.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

func headerText(lang, key string) string {
	if key == "#" {
		return "#"
	}
	return msgs.T(lang, key)
}

func heading(p *fpdf.Fpdf, s string) {
	p.SetFont(pdfFont, "B", 11)
	p.CellFormat(0, 7, pdfText(s), "", 1, "L", false, 0, "")
}

// needPage reports whether a block of height h does not fit on the page any more.
func needPage(p *fpdf.Fpdf, h float64) bool {
	_, ph := p.GetPageSize()
	return p.GetY()+h > ph-pdfMargin-6
}

// rowHeight is the height of a table row whose cells wrap in their widths.
func rowHeight(p *fpdf.Fpdf, widths []float64, cells []string) float64 {
	n := 1
	for i, c := range cells {
		if l := len(p.SplitText(pdfText(c), widths[i])); l > n {
			n = l
		}
	}
	return float64(n)*pdfLineH + 1
}

// tableRow draws one row of wrapped cells with borders.
func tableRow(p *fpdf.Fpdf, widths []float64, cells []string, fill bool) {
	h := rowHeight(p, widths, cells)
	x, y := p.GetX(), p.GetY()
	for i, c := range cells {
		p.Rect(x, y, widths[i], h, map[bool]string{true: "FD", false: "D"}[fill])
		lines := p.SplitText(pdfText(c), widths[i])
		for j, l := range lines {
			p.SetXY(x, y+0.5+float64(j)*pdfLineH)
			p.CellFormat(widths[i], pdfLineH, l, "", 0, "L", false, 0, "")
		}
		x += widths[i]
	}
	p.SetXY(pdfMargin, y+h)
}

// pdfText keeps what the embedded font can draw: control characters become spaces, characters
// beyond the font's range become "?", and the text is cut at 400 characters (a cell is not a
// document).
func pdfText(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n++; n > 400 {
			b.WriteRune('…')
			break
		}
		switch {
		case r == '\n' || r == '\t' || r == '\r' || unicode.IsControl(r):
			b.WriteByte(' ')
		case r >= 0x2200 || r == unicode.ReplacementChar:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
