package wallet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/communs/communs/vc"
)

// TranscriptOptions say what a transcript shows.
type TranscriptOptions struct {
	// Refs are the badges to list (wallet ids or credential ids), in this order; empty lists
	// every badge, oldest import first.
	Refs []string
	// Lang is "fr" (the default) or "en".
	Lang string
	// Title replaces the default title ("Relevé de badges", "Badge transcript").
	Title string
	// HolderName is printed under the title when it is given (the wallet does not know it).
	HolderName string
	// LinkFor returns the public URL a badge's QR code points to ("" for no QR code). The default
	// is the credential's id when it is an http(s) URL.
	LinkFor func(*Badge) string
	// Now is the date of the transcript and of the PDF's metadata; zero means the wallet's clock.
	// The same badges, options and Now give the same bytes.
	Now time.Time
	// Paper is "A4" (the default) or "Letter".
	Paper string
}

// Page geometry of a transcript, in millimetres.
const (
	tMargin    = 15.0
	tImage     = 28.0 // side of the badge image and of the QR code
	tGap       = 5.0
	tLineH     = 5.0
	tFooter    = 15.0 // space kept for the page number
	tLinkFont  = 7.0
	tBlockGapY = 6.0
)

// Transcript writes a printable PDF transcript of badges to out: a header (title, holder name
// when given, date), then one block per badge with its image (a kept PNG, JPEG or GIF picture),
// achievement name, issuer, dates of issue and expiry, the status found by its last
// verification, its credits when it states them, and a QR code of its public link with the link
// printed under it; pages are numbered. It returns ErrNotFound when a ref names no badge, and
// never fetches anything.
func (w *Wallet) Transcript(ctx context.Context, out io.Writer, opts TranscriptOptions) error {
	lang := opts.Lang
	if lang == "" {
		lang = "fr"
	}
	tt, ok := transcriptTexts[lang]
	if !ok {
		return fmt.Errorf("transcript: language %q is neither fr nor en", opts.Lang)
	}
	paper := opts.Paper
	switch strings.ToLower(paper) {
	case "", "a4":
		paper = "A4"
	case "letter":
		paper = "Letter"
	default:
		return fmt.Errorf("transcript: paper %q is neither A4 nor Letter", opts.Paper)
	}
	badges, err := w.transcriptBadges(ctx, opts.Refs)
	if err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	now := opts.Now
	if now.IsZero() {
		now = w.cfg.Now()
	}
	linkFor := opts.LinkFor
	if linkFor == nil {
		linkFor = defaultLink
	}
	title := printable(opts.Title)
	if title == "" {
		title = tt.title
	}

	pdf := fpdf.New("P", "mm", paper, "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252, the encoding of the core fonts
	text := func(s string) string { return tr(printable(s)) }
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(now.UTC())
	pdf.SetModificationDate(now.UTC())
	pdf.SetTitle(title, true)
	pdf.SetCreator("Communs", false)
	pdf.SetLang(lang)
	pdf.SetMargins(tMargin, tMargin, tMargin)
	pdf.SetAutoPageBreak(true, tFooter)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-tFooter + 3)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(0, 5, text(fmt.Sprintf(tt.page, pdf.PageNo(), "{nb}")), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pageW, pageH := pdf.GetPageSize()

	pdf.SetFont("Helvetica", "B", 18)
	pdf.SetTextColor(20, 20, 20)
	for _, l := range splitLines(pdf, text(title), pageW-2*tMargin) {
		pdf.CellFormat(0, 8, l, "", 1, "L", false, 0, "")
	}
	pdf.SetFont("Helvetica", "", 11)
	if name := printable(opts.HolderName); name != "" {
		pdf.CellFormat(0, 6, text(fmt.Sprintf(tt.holder, name)), "", 1, "L", false, 0, "")
	}
	pdf.SetTextColor(90, 90, 90)
	pdf.CellFormat(0, 6, text(fmt.Sprintf(tt.prepared, tt.date(now.UTC()))), "", 1, "L", false, 0, "")
	pdf.Ln(2)
	rule := func() {
		pdf.SetDrawColor(200, 200, 200)
		pdf.Line(tMargin, pdf.GetY(), pageW-tMargin, pdf.GetY())
	}
	rule()
	pdf.Ln(tBlockGapY)
	if len(badges) == 0 {
		pdf.SetFont("Helvetica", "I", 11)
		pdf.CellFormat(0, 6, text(tt.none), "", 1, "L", false, 0, "")
	}

	var images imageCatalog
	textX := tMargin + tImage + tGap
	textW := pageW - tMargin - tImage - tGap - textX
	for _, b := range badges {
		if err := ctx.Err(); err != nil {
			return err
		}
		link := linkFor(b)
		pdf.SetFont("Helvetica", "", tLinkFont)
		linkLines := 0
		if link != "" {
			linkLines = len(splitLines(pdf, text(link), pageW-2*tMargin))
		}
		height := tImage + 2 + float64(linkLines)*3.5 + tBlockGapY
		if pdf.GetY()+height > pageH-tFooter {
			pdf.AddPage()
		}
		y0 := pdf.GetY()
		w.printPicture(ctx, pdf, &images, b, y0)
		if link != "" {
			sum := sha256.Sum256([]byte(link))
			name := "qr-" + hex.EncodeToString(sum[:12])
			_, _, ok := images.size(name)
			if !ok {
				if qr, err := qrImage(link); err == nil {
					images.add(pdf, name, qr)
					ok = true
				}
			}
			if ok {
				pdf.ImageOptions(name, pageW-tMargin-tImage, y0, tImage, tImage, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, link)
			}
		}

		s := b.Summary
		if s == nil {
			s = &vc.Summary{}
		}
		name := firstNonBlank(s.Achievement, s.Name, b.CredentialID, b.ID)
		issuer := firstNonBlank(s.IssuerName, s.IssuerID)
		pdf.SetXY(textX, y0)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.SetTextColor(20, 20, 20)
		lines := splitLines(pdf, text(name), textW)
		if len(lines) > 2 {
			lines = []string{lines[0], lines[1] + "\x85"} // an ellipsis in cp1252
		}
		for _, l := range lines {
			pdf.SetX(textX)
			pdf.CellFormat(textW, 5.5, l, "", 1, "L", false, 0, "")
		}
		pdf.SetFont("Helvetica", "", 9.5)
		pdf.SetTextColor(50, 50, 50)
		line := func(s string) {
			pdf.SetX(textX)
			pdf.CellFormat(textW, tLineH, text(s), "", 1, "L", false, 0, "")
		}
		if issuer != "" {
			line(fmt.Sprintf(tt.issuer, issuer))
		}
		dates := ""
		if d := tt.dateOf(s.ValidFrom); d != "" {
			dates = fmt.Sprintf(tt.issued, d)
		}
		if d := tt.dateOf(s.ValidUntil); d != "" {
			if dates != "" {
				dates += " · "
			}
			dates += fmt.Sprintf(tt.expires, d)
		}
		if dates != "" {
			line(dates)
		}
		state := stateOf(b)
		status := tt.statuses[state]
		if !b.VerifiedAt.IsZero() {
			status += " (" + fmt.Sprintf(tt.checked, tt.date(b.VerifiedAt.UTC())) + ")"
		}
		if state == stateValid {
			pdf.SetTextColor(20, 110, 50)
		} else {
			pdf.SetTextColor(170, 30, 30)
		}
		line(fmt.Sprintf(tt.status, status))
		pdf.SetTextColor(50, 50, 50)
		if s.CreditsEarned != nil {
			line(fmt.Sprintf(tt.credits, tt.number(*s.CreditsEarned)))
		}

		pdf.SetXY(tMargin, y0+tImage+1)
		if link != "" {
			pdf.SetFont("Helvetica", "", tLinkFont)
			pdf.SetTextColor(40, 70, 160)
			for _, l := range splitLines(pdf, text(link), pageW-2*tMargin) {
				pdf.SetX(tMargin)
				pdf.CellFormat(pageW-2*tMargin, 3.5, l, "", 1, "R", false, 0, link)
			}
		}
		pdf.SetY(max(pdf.GetY(), y0+tImage+1) + tBlockGapY/2)
		rule()
		pdf.Ln(tBlockGapY / 2)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	if err := pdf.Output(out); err != nil {
		return fmt.Errorf("transcript: %w", err)
	}
	return nil
}

// transcriptBadges returns the badges refs name, or every badge.
func (w *Wallet) transcriptBadges(ctx context.Context, refs []string) ([]*Badge, error) {
	if len(refs) == 0 {
		return w.List(ctx)
	}
	out := make([]*Badge, 0, len(refs))
	for _, r := range refs {
		b, err := w.Get(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// printPicture places the badge's image at the left of its block when the wallet holds it as a
// PNG, JPEG or GIF image that can be read; otherwise the place stays empty. The same image is
// stored once in the PDF however many badges show it.
func (w *Wallet) printPicture(ctx context.Context, pdf *fpdf.Fpdf, images *imageCatalog, b *Badge, y float64) {
	mt, data, err := w.Picture(ctx, b.ID)
	if err != nil || (mt != mediaPNG && mt != mediaJPEG && mt != mediaGIF) {
		return
	}
	sum := sha256.Sum256(data)
	name := "picture-" + hex.EncodeToString(sum[:12])
	iw, ih, ok := images.size(name)
	if !ok {
		img, err := printImage(data)
		if err != nil {
			return
		}
		images.add(pdf, name, img)
		iw, ih = float64(img.Rect.Dx()), float64(img.Rect.Dy())
	}
	if pdf.Error() != nil {
		return
	}
	dw, dh := tImage, tImage
	if iw > ih {
		dh = tImage * ih / iw
	} else if ih > iw {
		dw = tImage * iw / ih
	}
	pdf.ImageOptions(name, tMargin+(tImage-dw)/2, y+(tImage-dh)/2, dw, dh, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
}

// defaultLink is the credential's id when it is an http(s) URL.
func defaultLink(b *Badge) string {
	if strings.HasPrefix(b.CredentialID, "https://") || strings.HasPrefix(b.CredentialID, "http://") {
		return b.CredentialID
	}
	return ""
}

func firstNonBlank(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// splitLines breaks s, already in the font's single-byte encoding, into lines no wider than
// width in the current font: at spaces, and inside a word (a URL) longer than a line.
// (fpdf's SplitText and MultiCell read their text as UTF-8, which translated text is not.)
func splitLines(pdf *fpdf.Fpdf, s string, width float64) []string {
	var lines []string
	width -= 2 // the cell margins
	line := ""
	for _, word := range strings.Split(s, " ") {
		cand := word
		if line != "" {
			cand = line + " " + word
		}
		if pdf.GetStringWidth(cand) <= width {
			line = cand
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for len(word) > 1 && pdf.GetStringWidth(word) > width {
			n := len(word) - 1
			for n > 1 && pdf.GetStringWidth(word[:n]) > width {
				n--
			}
			lines = append(lines, word[:n])
			word = word[n:]
		}
		line = word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
