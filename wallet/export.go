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
// It is the image the badge was imported from when that was of this kind; otherwise an image of
// this kind baked with the stored credential: the picture KeepAssets kept, else the credential's
// (or its achievement's) image given as a data: URL, else one fetched from its http(s) URL
// through the wallet's HTTP client. It returns ErrNoImage when there is no such image.
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
	want := mediaPNG
	if kind == bake.KindSVG {
		want = mediaSVG
	}
	img, err := w.imageOfType(ctx, b, want)
	if err != nil {
		return nil, fmt.Errorf("export image %s: %w", b.ID, err)
	}
	var out []byte
	if kind == bake.KindPNG {
		out, err = bake.BakePNG(img, b.Raw())
	} else {
		out, err = bake.BakeSVG(img, b.Raw())
	}
	if err != nil {
		return nil, fmt.Errorf("export image %s: %w", b.ID, err)
	}
	return out, nil
}

// imageOfType finds an image of media type want for b: the kept picture, a data: URL, or one
// fetched from an http(s) URL. It returns ErrNoImage (with what was tried) when there is none.
func (w *Wallet) imageOfType(ctx context.Context, b *Badge, want string) ([]byte, error) {
	raw, err := w.db.Get(w.space.Picture(b.ID))
	switch {
	case err == nil:
		var p pictureRecord
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("%w: picture record: %v", ErrCorrupt, err)
		}
		if p.MediaType == want {
			return p.Data, nil
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	urls := b.imageURLs()
	for _, u := range urls {
		mt, data, ok := decodeDataURL(u)
		if ok && mt == want {
			return data, nil
		}
	}
	var tried []string
	for _, u := range urls {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			continue
		}
		f, err := w.fetchAsset(ctx, u, MaxPictureBytes, want)
		if err != nil {
			var ae *errAsset
			if !errors.As(err, &ae) {
				return nil, err
			}
			tried = append(tried, ae.msg)
			continue
		}
		if mt := sniffMedia(f.data); mt != want {
			tried = append(tried, fmt.Sprintf("%s is %s, not %s", u, mt, want))
			continue
		}
		return f.data, nil
	}
	if len(tried) > 0 {
		return nil, fmt.Errorf("%w (%s)", ErrNoImage, strings.Join(tried, "; "))
	}
	return nil, ErrNoImage
}

// imageURLs lists the credential's image, then its achievement's image.
func (b *Badge) imageURLs() []string {
	if b.Report != nil && b.Report.Credential != nil {
		return imagesOf(b.Report.Credential)
	}
	cred, err := b.credential()
	if err != nil {
		return nil
	}
	m, err := cred.Map()
	if err != nil {
		return nil
	}
	return imagesOf(m)
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
	ID           string `json:"id"`
	CredentialID string `json:"credentialId,omitempty"`
	Name         string `json:"name,omitempty"`
	Issuer       string `json:"issuer,omitempty"`
	IssuerName   string `json:"issuerName,omitempty"`
	Format       string `json:"format"`
	File         string `json:"file"`
	Report       string `json:"report"`
	Image        string `json:"image,omitempty"`
	// Picture is the badge's image as KeepAssets kept it (pictures/{id}.png|jpg|gif|webp|svg).
	Picture    string          `json:"picture,omitempty"`
	Evidence   []IndexEvidence `json:"evidence,omitempty"`
	Verified   bool            `json:"verified"`
	Reason     string          `json:"reason"`
	ImportedAt time.Time       `json:"importedAt"`
	VerifiedAt time.Time       `json:"verifiedAt"`
}

// IndexEvidence describes one kept evidence file in an exported archive's index.json.
type IndexEvidence struct {
	// N is the evidence's position in the credential's evidence list (0 for the first).
	N int `json:"n"`
	// File is the file in the archive: evidence/{id}/{n}-{name}.
	File      string `json:"file"`
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	// Digest is the sha2-256 multihash of the file in base58btc (a digestMultibase).
	Digest string `json:"digest"`
	// URL is where the wallet fetched it from.
	URL string `json:"url"`
	// Checked says that the credential binds the file by a digest and the file matches it.
	Checked bool `json:"checked"`
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
// images/{id}.png|svg, the image KeepAssets kept as pictures/{id}.{ext}, the kept evidence files
// as evidence/{id}/{n}-{name}, and index.json (an Index) listing them (docs/formats.md).
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
		if err := w.zipAssets(b.ID, &e, put); err != nil {
			return fmt.Errorf("export archive: %w", err)
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

// zipAssets writes a badge's kept picture and evidence files with put and lists them in e.
func (w *Wallet) zipAssets(id string, e *IndexEntry, put func(name string, data []byte) error) error {
	raw, err := w.db.Get(w.space.Picture(id))
	switch {
	case err == nil:
		var p pictureRecord
		if err := json.Unmarshal(raw, &p); err != nil {
			return fmt.Errorf("%w: picture record of %s: %v", ErrCorrupt, id, err)
		}
		ext := strings.TrimPrefix(extensions[p.MediaType], ".")
		if ext == "" {
			ext = "bin"
		}
		e.Picture = "pictures/" + id + "." + ext
		if err := put(e.Picture, p.Data); err != nil {
			return err
		}
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	return w.db.Scan(w.space.EvidenceOf(id), nil, func(_, v []byte) error {
		var rec evidenceRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("%w: evidence record of %s: %v", ErrCorrupt, id, err)
		}
		f := rec.EvidenceFile
		ie := IndexEvidence{N: f.N, File: fmt.Sprintf("evidence/%s/%d-%s", id, f.N, cleanName(f.Name)),
			Name: f.Name, MediaType: f.MediaType, Size: f.Size, Digest: f.Digest, URL: f.URL, Checked: f.Checked}
		e.Evidence = append(e.Evidence, ie)
		return put(ie.File, rec.Data)
	})
}
