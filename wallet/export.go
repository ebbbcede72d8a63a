package wallet

import (
	"archive/zip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/bake"
)

// Media types of exported credentials.
const (
	MediaTypeJSONLD = "application/vc+ld+json"
	MediaTypeJWT    = "application/vc+jwt"
)

// ExportCredential returns a badge's credential as its issuer serves it (JSON-LD, or the compact
// JWT), with its media type and a file extension (".json" or ".jwt").
func (w *Wallet) ExportCredential(ctx context.Context, ref string) (data []byte, mediaType, ext string, err error) {
	b, err := w.Get(ctx, ref)
	if err != nil {
		return nil, "", "", fmt.Errorf("export: %w", err)
	}
	if b.Format == FormatJWT {
		return b.Raw(), MediaTypeJWT, ".jwt", nil
	}
	return b.Raw(), MediaTypeJSONLD, ".json", nil
}

// ExportBaked returns a badge as an image with its credential baked in; kind is "png" or "svg".
// It is the image the badge was imported from when that was of this kind, otherwise the
// credential's (or its achievement's) image, when it is a data: URL of that kind, baked with
// the stored credential. It returns ErrNoImage when there is no such image.
func (w *Wallet) ExportBaked(ctx context.Context, ref, kind string) ([]byte, error) {
	b, err := w.Get(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("export image: %w", err)
	}
	if kind != bake.KindPNG && kind != bake.KindSVG {
		return nil, fmt.Errorf("export image: kind %q is neither png nor svg", kind)
	}
	if b.BakedKind == kind {
		raw, err := w.db.Get(w.space.Image(b.ID))
		if err == nil {
			var img imageRecord
			if err := json.Unmarshal(raw, &img); err != nil {
				return nil, fmt.Errorf("export image %s: %w: %v", b.ID, ErrCorrupt, err)
			}
			return img.Data, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("export image %s: %w", b.ID, err)
		}
	}
	want := "image/png"
	if kind == bake.KindSVG {
		want = "image/svg+xml"
	}
	for _, u := range b.imageURLs() {
		mt, data, ok := decodeDataURL(u)
		if !ok || mt != want {
			continue
		}
		var out []byte
		if kind == bake.KindPNG {
			out, err = bake.BakePNG(data, b.Raw())
		} else {
			out, err = bake.BakeSVG(data, b.Raw())
		}
		if err != nil {
			return nil, fmt.Errorf("export image %s: %w", b.ID, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("export image %s: %w", b.ID, ErrNoImage)
}

// imageURLs lists the credential's image, then its achievement's image.
func (b *Badge) imageURLs() []string {
	var urls []string
	if b.Report == nil || b.Report.Credential == nil {
		var m map[string]any
		if b.Format != FormatJSONLD || json.Unmarshal(b.Credential, &m) != nil {
			return nil
		}
		return imagesOf(m)
	}
	return append(urls, imagesOf(b.Report.Credential)...)
}

func imagesOf(cred map[string]any) []string {
	var out []string
	add := func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case map[string]any:
			if id, ok := x["id"].(string); ok {
				out = append(out, id)
			}
		}
	}
	add(cred["image"])
	subjects := []any{cred["credentialSubject"]}
	if arr, ok := cred["credentialSubject"].([]any); ok {
		subjects = arr
	}
	for _, s := range subjects {
		if m, ok := s.(map[string]any); ok {
			if a, ok := m["achievement"].(map[string]any); ok {
				add(a["image"])
			}
		}
	}
	return out
}

// decodeDataURL reads a base64 or percent-encoded data: URL.
func decodeDataURL(u string) (mediaType string, data []byte, ok bool) {
	rest, found := strings.CutPrefix(u, "data:")
	if !found {
		return "", nil, false
	}
	meta, payload, found := strings.Cut(rest, ",")
	if !found {
		return "", nil, false
	}
	params := strings.Split(meta, ";")
	mediaType = strings.ToLower(strings.TrimSpace(params[0]))
	if params[len(params)-1] == "base64" {
		d, err := base64.StdEncoding.DecodeString(payload)
		if err != nil {
			if d, err = base64.RawStdEncoding.DecodeString(payload); err != nil {
				return "", nil, false
			}
		}
		return mediaType, d, true
	}
	s, err := url.PathUnescape(payload)
	if err != nil {
		return "", nil, false
	}
	return mediaType, []byte(s), true
}

// IndexEntry describes one badge in an exported archive's index.json.
type IndexEntry struct {
	ID           string    `json:"id"`
	CredentialID string    `json:"credentialId,omitempty"`
	Name         string    `json:"name,omitempty"`
	Issuer       string    `json:"issuer,omitempty"`
	IssuerName   string    `json:"issuerName,omitempty"`
	Format       string    `json:"format"`
	File         string    `json:"file"`
	Report       string    `json:"report"`
	Image        string    `json:"image,omitempty"`
	Verified     bool      `json:"verified"`
	Reason       string    `json:"reason"`
	ImportedAt   time.Time `json:"importedAt"`
	VerifiedAt   time.Time `json:"verifiedAt"`
}

// Index is the index.json of an exported archive.
type Index struct {
	V        int          `json:"v"`
	Holder   string       `json:"holder,omitempty"`
	Exported time.Time    `json:"exported"`
	Badges   []IndexEntry `json:"badges"`
}

// ExportZIP writes every badge to out as a ZIP archive: credentials/{id}.json (or .jwt), the
// last verification report as reports/{id}.json, the baked image a badge was imported from as
// images/{id}.png|svg, and index.json (an Index) listing them.
func (w *Wallet) ExportZIP(ctx context.Context, out io.Writer) error {
	list, err := w.List(ctx)
	if err != nil {
		return fmt.Errorf("export archive: %w", err)
	}
	zw := zip.NewWriter(out)
	idx := Index{V: 1, Exported: w.cfg.Now().UTC(), Badges: []IndexEntry{}}
	if w.holder != nil {
		idx.Holder = w.holder.DID
	}
	put := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: idx.Exported})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	for _, b := range list {
		e := IndexEntry{ID: b.ID, CredentialID: b.CredentialID, Format: b.Format, Verified: b.Verified,
			Reason: b.Reason, ImportedAt: b.ImportedAt, VerifiedAt: b.VerifiedAt,
			File: "credentials/" + b.ID + ".json", Report: "reports/" + b.ID + ".json"}
		if b.Format == FormatJWT {
			e.File = "credentials/" + b.ID + ".jwt"
		}
		if s := b.Summary; s != nil {
			e.Name, e.Issuer, e.IssuerName = s.Name, s.IssuerID, s.IssuerName
		}
		if err := put(e.File, b.Raw()); err != nil {
			return fmt.Errorf("export archive: %w", err)
		}
		rep, err := json.MarshalIndent(b.Report, "", "  ")
		if err != nil {
			return fmt.Errorf("export archive: %w", err)
		}
		if err := put(e.Report, rep); err != nil {
			return fmt.Errorf("export archive: %w", err)
		}
		if b.BakedKind != "" {
			if img, err := w.ExportBaked(ctx, b.ID, b.BakedKind); err == nil {
				e.Image = "images/" + b.ID + "." + b.BakedKind
				if err := put(e.Image, img); err != nil {
					return fmt.Errorf("export archive: %w", err)
				}
			}
		}
		idx.Badges = append(idx.Badges, e)
	}
	raw, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	if err := put("index.json", raw); err != nil {
		return fmt.Errorf("export archive: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("export archive: %w", err)
	}
	return nil
}
