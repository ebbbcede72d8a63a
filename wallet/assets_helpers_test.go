package wallet

import (
	"bytes"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/dataintegrity"
)

// openAssetWallet opens a wallet whose guarded client reaches 127.0.0.1, accepts bodies up to
// 64 MiB (so that the wallet's own limits are what a test meets) and caches nothing.
func openAssetWallet(t testing.TB, now *time.Time) (*Wallet, string) {
	t.Helper()
	cfg := testConfig(t, now)
	cfg.HTTPClient = httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, MaxBodyBytes: 64 << 20, CacheTTL: -1})
	w, err := Open(t.TempDir(), testPassphrase, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	holder, err := w.Init(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return w, holder
}

// richBadge is what signRich puts in a credential besides the basics.
type richBadge struct {
	ID          string
	Name        string // achievement name
	IssuerName  string
	Image       string // achievement image URL
	Evidence    []vc.Evidence
	Related     []vc.RelatedResource
	Credits     *float64
	ValidFrom   time.Time
	ValidUntil  time.Time
	SubjectDID  string
	Description string
}

// signRich signs an Open Badge with an image, evidence and related resources.
func (is *issuer) signRich(t testing.TB, r richBadge) []byte {
	t.Helper()
	if r.Name == "" {
		r.Name = "Premiers secours"
	}
	if r.IssuerName == "" {
		r.IssuerName = "Centre de test"
	}
	if r.ValidFrom.IsZero() {
		r.ValidFrom = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	}
	ach := vc.Achievement{
		ID:          "https://communs.example/achievements/secourisme",
		Name:        vc.Plain(r.Name),
		Description: vc.Plain("Sait porter secours."),
		Criteria:    &vc.Criteria{Narrative: vc.Plain("Réussir la mise en situation.")},
	}
	for i := range r.Evidence {
		if r.Evidence[i].Type.IsZero() {
			r.Evidence[i].Type = vc.Many("Evidence")
		}
	}
	if r.Image != "" {
		ach.Image = &vc.Image{ID: r.Image, Type: "Image"}
	}
	c, err := vc.NewOpenBadge(vc.Badge{
		ID: r.ID, Issuer: vc.Profile{ID: is.kp.DIDKey(), Name: vc.Plain(r.IssuerName)},
		Achievement: ach, RecipientDID: r.SubjectDID, ValidFrom: r.ValidFrom, ValidUntil: r.ValidUntil,
		Evidence: r.Evidence, CreditsEarned: r.Credits,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Related) > 0 {
		c.RelatedResource = vc.Many(r.Related...)
	}
	doc, err := c.Map()
	if err != nil {
		t.Fatal(err)
	}
	signed, err := dataintegrity.Sign(context.Background(), doc, dataintegrity.Options{
		VerificationMethod: is.kp.VerificationMethodID(), Created: r.ValidFrom,
	}, is.kp.Signer())
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(signed)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// testPNG draws a w×h PNG with a gradient and a transparent corner.
func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if x < w/8 && y < h/8 {
				a = 0
			}
			img.Set(x, y, color.NRGBA{R: uint8(x * 255 / w), G: 90, B: uint8(y * 255 / h), A: a})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const testSVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#2a6"/></svg>`

// testPDF is a small file with the magic of a PDF document.
var testPDF = []byte("%PDF-1.4\n% rapport de stage\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// assetServer serves images and evidence files on 127.0.0.1 and counts the requests per path.
type assetServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

type servedFile struct {
	body        []byte
	contentType string
	disposition string
}

func newAssetServer(t testing.TB, files map[string]servedFile) *assetServer {
	t.Helper()
	s := &assetServer{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(rw, r)
			return
		}
		if f.contentType != "" {
			rw.Header().Set("Content-Type", f.contentType)
		}
		if f.disposition != "" {
			rw.Header().Set("Content-Disposition", f.disposition)
		}
		rw.Write(f.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *assetServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func sri384(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

func skippedWith(a *Assets, kind string, n int, words string) bool {
	for _, s := range a.Skipped {
		if s.Kind == kind && s.N == n && strings.Contains(s.Reason, words) {
			return true
		}
	}
	return false
}
