package backpack

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/wallet"
)

// keepAssets copies a new badge's image and evidence into the wallet; a failure is logged
// (ids only) and never loses the badge. When the account was deleted while the badge was
// being received, what this request wrote is deleted too.
func (b *Backpack) keepAssets(r *http.Request, q *req, id string) {
	if _, err := q.wallet.KeepAssets(r.Context(), id); err != nil {
		b.log.LogAttrs(r.Context(), slog.LevelWarn, "backpack could not keep a badge's image or evidence",
			slog.String("account", q.acct.ID), slog.String("badge", id), slog.String("error", err.Error()))
	}
	if _, err := b.Account(q.acct.ID); errors.Is(err, ErrNoAccount) {
		_ = b.db.Update(func(t *store.Txn) error { return t.DeletePrefix(store.HostedWallet(q.acct.ID).Prefix()) })
	}
}

func (b *Backpack) getBadgeImage(w http.ResponseWriter, r *http.Request, q *req) {
	b.serveImage(w, r, q.wallet, r.PathValue("id"))
}

// serveImage serves a badge's kept picture, or a neutral placeholder.
func (b *Backpack) serveImage(w http.ResponseWriter, r *http.Request, wal *wallet.Wallet, id string) {
	mt, data, err := wal.Picture(r.Context(), id)
	if err != nil {
		if !errors.Is(err, wallet.ErrNoImage) && !errors.Is(err, wallet.ErrNotFound) {
			b.log.LogAttrs(r.Context(), slog.LevelWarn, "backpack image", slog.String("badge", id), slog.String("error", err.Error()))
		}
		if errors.Is(err, wallet.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		mt, data = "image/svg+xml", placeholderSVG
	}
	w.Header().Set("Content-Type", mt)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(data)
}

var placeholderSVG = []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">` +
	`<circle cx="128" cy="128" r="120" fill="#e8eef6" stroke="#1f4e8c" stroke-width="8"/>` +
	`<path d="M128 60l20 42 46 6-34 32 9 46-41-23-41 23 9-46-34-32 46-6z" fill="#1f4e8c"/></svg>`)

// evidenceItems lists a badge's evidence: the backpack's copies (PDFs shown inline) and the
// links of those it could not keep.
func (b *Backpack) evidenceItems(r *http.Request, q *req, bd *wallet.Badge) []evidenceItem {
	var out []evidenceItem
	kept := map[string]bool{}
	files, err := q.wallet.Evidence(r.Context(), bd.ID)
	if err == nil {
		for _, f := range files {
			it := evidenceItem{N: f.N, Name: f.Name, URL: f.URL, MediaType: f.MediaType, Size: f.Size,
				LocalURL: fmt.Sprintf("/backpack/badges/%s/evidence/%d", bd.ID, f.N)}
			it.PDF = f.MediaType == "application/pdf"
			it.Image = strings.HasPrefix(f.MediaType, "image/") && f.MediaType != "image/svg+xml"
			kept[f.URL] = true
			out = append(out, it)
		}
	}
	if c, err := credentialOf(bd); err == nil {
		for i, e := range c.Evidence.Items {
			if e.ID != "" && kept[e.ID] {
				for j := range out {
					if out[j].URL == e.ID {
						out[j].Description, out[j].Genre = e.Description.String(), e.Genre
						if out[j].Name == "" {
							out[j].Name = e.Name.String()
						}
					}
				}
				continue
			}
			out = append(out, evidenceItem{N: -1 - i, Name: e.Name.String(), Description: e.Description.String(), URL: e.ID, Genre: e.Genre})
		}
	}
	return out
}

// getEvidence serves the backpack's copy of an evidence file, framable by the badge page.
func (b *Backpack) getEvidence(w http.ResponseWriter, r *http.Request, q *req) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		b.fail(w, r, q.lang, ErrNotFound)
		return
	}
	f, data, err := q.wallet.EvidenceFile(r.Context(), r.PathValue("id"), n)
	if err != nil {
		b.fail(w, r, q.lang, ErrNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.MediaType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	if f.MediaType == "application/pdf" {
		// The browser's PDF viewer does not run in a sandboxed document.
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'")
	} else {
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox")
	}
	name := f.Name
	if name == "" {
		name = fmt.Sprintf("evidence-%d", n)
	}
	h.Set("Content-Disposition", "inline; filename*=UTF-8''"+urlPathEscape(name))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

func urlPathEscape(s string) string {
	var sb strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, "%%%02X", c)
		}
	}
	return sb.String()
}

func (b *Backpack) getExportZIP(w http.ResponseWriter, r *http.Request, q *req) {
	var buf bytes.Buffer
	if err := q.wallet.ExportZIP(r.Context(), &buf); err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="backpack-`+b.cfg.Now().UTC().Format("2006-01-02")+`.zip"`)
	w.Write(buf.Bytes())
}

// postTranscript makes the printable PDF transcript of the chosen badges (all when none is
// chosen); each badge's QR code leads to its share link (made when missing).
func (b *Backpack) postTranscript(w http.ResponseWriter, r *http.Request, q *req) {
	ids := r.PostForm["badge"]
	if len(ids) == 0 {
		list, err := q.wallet.List(r.Context())
		if err != nil {
			b.fail(w, r, q.lang, err)
			return
		}
		for _, bd := range list {
			ids = append(ids, bd.ID)
		}
	}
	links := map[string]string{}
	for _, id := range ids {
		tok, err := b.ShareLink(r.Context(), q.acct.ID, ShareBadge, id)
		if err != nil {
			b.fail(w, r, q.lang, err)
			return
		}
		links[id] = b.cfg.base() + "/s/" + tok
	}
	var buf bytes.Buffer
	err := q.wallet.Transcript(r.Context(), &buf, wallet.TranscriptOptions{
		Refs: ids, Lang: q.lang, Title: b.pages.T(q.lang, "transcript.title"), HolderName: q.acct.Portfolio.DisplayName,
		LinkFor: func(bd *wallet.Badge) string { return links[bd.ID] }, Now: b.cfg.Now(),
	})
	if err != nil {
		b.fail(w, r, q.lang, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="releve-badges-`+b.cfg.Now().UTC().Format("2006-01-02")+`.pdf"`)
	w.Write(buf.Bytes())
}
