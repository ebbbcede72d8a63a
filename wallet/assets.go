package wallet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/jwt"
)

// Limits on what KeepAssets copies into the wallet. The wallet's HTTP client has its own body
// limit (the guarded client's default is 1 MiB), which applies first.
const (
	// MaxPictureBytes bounds a badge's kept image.
	MaxPictureBytes = 2 << 20
	// MaxEvidenceBytes bounds one kept evidence file.
	MaxEvidenceBytes = 20 << 20
	// MaxEvidencePerBadge bounds the evidence files kept for one badge, together.
	MaxEvidencePerBadge = 50 << 20
	// MaxEvidenceFiles bounds how many evidence files of one badge are kept.
	MaxEvidenceFiles = 64
)

// ErrNoEvidence: the wallet keeps no evidence file at that position for the badge.
var ErrNoEvidence = errors.New("the wallet keeps no evidence file at that position for this badge")

// Assets says what KeepAssets holds for a badge after it ran: what it kept (now or before) and
// what it could not keep, and why.
type Assets struct {
	// Badge is the badge's wallet id.
	Badge string `json:"badge"`
	// Picture describes the kept image, nil when none is kept.
	Picture *PictureInfo `json:"picture,omitempty"`
	// Evidence are the kept evidence files, in the credential's order.
	Evidence []EvidenceFile `json:"evidence"`
	// Skipped are the files that are not kept, each with the reason.
	Skipped []SkippedAsset `json:"skipped,omitempty"`
}

// PictureInfo describes a badge's kept image.
type PictureInfo struct {
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	// Source is "baked" (the image the badge was imported from), "data" (the credential's
	// data: URL) or the URL it was fetched from.
	Source string    `json:"source"`
	KeptAt time.Time `json:"keptAt"`
}

// EvidenceFile describes one kept evidence file.
//
// The bytes come from a stranger's server: whoever serves them must send them as an attachment
// with their media type, "X-Content-Type-Options: nosniff" and a sandboxing
// Content-Security-Policy ("sandbox; default-src 'none'"), SVG images above all.
type EvidenceFile struct {
	// N is the evidence's position in the credential's evidence list (0 for the first).
	N int `json:"n"`
	// Name is a file name: the evidence's name, or the server's, with an extension of its type.
	Name string `json:"name"`
	// MediaType is sniffed from the bytes, never taken from the server.
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	// Digest is the file's sha2-256 multihash in base58btc (a digestMultibase).
	Digest string `json:"digest"`
	// URL is where it was fetched from (the evidence's id).
	URL string `json:"url"`
	// Checked is true when the credential binds the file by a relatedResource digest and the
	// file matches it.
	Checked bool      `json:"checked"`
	KeptAt  time.Time `json:"keptAt"`
}

// SkippedAsset is a file KeepAssets did not keep.
type SkippedAsset struct {
	// Kind is "picture" or "evidence".
	Kind string `json:"kind"`
	// N is the evidence's position (-1 for the picture).
	N   int    `json:"n"`
	URL string `json:"url,omitempty"`
	// Reason is a sentence a person can act on.
	Reason string `json:"reason"`
}

// pictureRecord is the value of WalletSpace.Picture.
type pictureRecord struct {
	V int `json:"v"`
	PictureInfo
	Data []byte `json:"data"`
}

// evidenceRecord is the value of WalletSpace.Evidence.
type evidenceRecord struct {
	V int `json:"v"`
	EvidenceFile
	Data []byte `json:"data,omitempty"`
}

// KeepAssets copies into the wallet the files a badge points to, so that they outlive the
// servers that host them:
//
//   - its image: the baked image it was imported from, else the first credential or achievement
//     image that is a data: URL, else the first one fetched from its http(s) URL; PNG, JPEG,
//     GIF, WebP or SVG (sniffed from the bytes), at most MaxPictureBytes. An SVG image is kept as
//     it is: it must be served with a sandboxing Content-Security-Policy.
//   - each evidence file the credential's evidence[] names by an http(s) id, at most
//     MaxEvidenceBytes each and MaxEvidencePerBadge together; when the credential's
//     relatedResource has a digest for that URL, a file that does not match it is not kept.
//
// Everything goes through the wallet's HTTP client (the guarded client). Files kept before are
// not fetched again, so running KeepAssets again fetches only what is missing. One file that
// cannot be kept never fails the others or the badge: Assets reports it with the reason. The
// files are stored in one write. It returns ErrNotFound for an unknown badge and the context's
// error when it is cancelled (nothing is stored then).
func (w *Wallet) KeepAssets(ctx context.Context, ref string) (*Assets, error) {
	b, err := w.Get(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("keep files: %w", err)
	}
	held, err := w.heldAssets(b.ID)
	if err != nil {
		return nil, fmt.Errorf("keep files of %s: %w", b.ID, err)
	}
	out := &Assets{Badge: b.ID, Evidence: []EvidenceFile{}}
	now := w.cfg.Now().UTC()
	cred, credErr := b.credential()
	related := relatedDigests(cred)

	var newPicture *pictureRecord
	if held.picture != nil {
		out.Picture = &held.picture.PictureInfo
	} else {
		newPicture, out.Skipped, err = w.findPicture(ctx, b, related, now)
		if err != nil {
			return nil, fmt.Errorf("keep files of %s: %w", b.ID, err)
		}
		if newPicture != nil {
			out.Picture = &newPicture.PictureInfo
		}
	}

	var newEvidence []*evidenceRecord
	if credErr != nil {
		out.Skipped = append(out.Skipped, SkippedAsset{Kind: "evidence", N: -1,
			Reason: fmt.Sprintf("the credential cannot be read to find its evidence: %v", credErr)})
	} else {
		var skipped []SkippedAsset
		newEvidence, skipped, err = w.fetchEvidence(ctx, cred, held.evidence, related, now)
		if err != nil {
			return nil, fmt.Errorf("keep files of %s: %w", b.ID, err)
		}
		out.Skipped = append(out.Skipped, skipped...)
	}
	for _, e := range held.evidence {
		out.Evidence = append(out.Evidence, e)
	}
	for _, r := range newEvidence {
		out.Evidence = append(out.Evidence, r.EvidenceFile)
	}
	sort.Slice(out.Evidence, func(i, j int) bool { return out.Evidence[i].N < out.Evidence[j].N })

	if newPicture == nil && len(newEvidence) == 0 {
		return out, nil
	}
	err = w.db.Update(func(t *store.Txn) error {
		// The badge may have been deleted while the files were fetched.
		if ok, err := t.Has(w.space.Badge(b.ID)); err != nil || !ok {
			if err == nil {
				err = ErrNotFound
			}
			return err
		}
		if newPicture != nil {
			raw, err := json.Marshal(newPicture)
			if err != nil {
				return err
			}
			if err := t.Set(w.space.Picture(b.ID), raw); err != nil {
				return err
			}
		}
		for _, r := range newEvidence {
			raw, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if err := t.Set(w.space.Evidence(b.ID, r.N), raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("keep files of %s: %w", b.ID, err)
	}
	return out, nil
}

// held is what the wallet already keeps for a badge.
type held struct {
	picture  *pictureRecord // without its data
	evidence map[int]EvidenceFile
}

func (w *Wallet) heldAssets(id string) (*held, error) {
	h := &held{evidence: map[int]EvidenceFile{}}
	raw, err := w.db.Get(w.space.Picture(id))
	switch {
	case err == nil:
		var p pictureRecord
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("%w: picture record: %v", ErrCorrupt, err)
		}
		p.Data = nil
		h.picture = &p
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	list, err := w.evidenceList(id)
	if err != nil {
		return nil, err
	}
	for _, e := range list {
		h.evidence[e.N] = e
	}
	return h, nil
}

// findPicture finds the badge's image: baked, data: URL, or fetched. A nil record with no
// error means none could be kept; skipped says why.
func (w *Wallet) findPicture(ctx context.Context, b *Badge, related map[string]vc.RelatedResource, now time.Time) (*pictureRecord, []SkippedAsset, error) {
	raw, err := w.db.Get(w.space.Image(b.ID))
	switch {
	case err == nil:
		var img imageRecord
		if err := json.Unmarshal(raw, &img); err != nil {
			return nil, nil, fmt.Errorf("%w: image record: %v", ErrCorrupt, err)
		}
		return &pictureRecord{V: 1, Data: img.Data, PictureInfo: PictureInfo{
			MediaType: img.MediaType, Size: int64(len(img.Data)), Source: "baked", KeptAt: now}}, nil, nil
	case !errors.Is(err, store.ErrNotFound):
		return nil, nil, err
	}
	var skipped []SkippedAsset
	skip := func(u, format string, a ...any) {
		skipped = append(skipped, SkippedAsset{Kind: "picture", N: -1, URL: u, Reason: fmt.Sprintf(format, a...)})
	}
	urls := b.imageURLs()
	for _, u := range urls {
		if !strings.HasPrefix(u, "data:") {
			continue
		}
		_, data, ok := decodeDataURL(u)
		shown := u[:min(len(u), 40)] + "…"
		switch {
		case !ok:
			skip(shown, "the image's data: URL cannot be decoded")
		case len(data) > MaxPictureBytes:
			skip(shown, "the image in the data: URL is %d bytes, more than the %d the wallet keeps", len(data), MaxPictureBytes)
		default:
			mt, err := pictureType(data)
			if err != nil {
				skip(shown, "the image in the data: URL is not kept: %v", err)
				continue
			}
			return &pictureRecord{V: 1, Data: data, PictureInfo: PictureInfo{
				MediaType: mt, Size: int64(len(data)), Source: "data", KeptAt: now}}, skipped, nil
		}
	}
	for _, u := range urls {
		if strings.HasPrefix(u, "data:") {
			continue
		}
		f, err := w.fetchAsset(ctx, u, MaxPictureBytes, "image/png, image/svg+xml, image/jpeg, image/gif, image/webp")
		if err != nil {
			var ae *errAsset
			if !errors.As(err, &ae) {
				return nil, nil, err
			}
			skip(u, "the image is not kept: %s", ae.msg)
			continue
		}
		mt, err := pictureType(f.data)
		if err != nil {
			skip(u, "the image at %s is not kept: %v", u, err)
			continue
		}
		if rr, ok := related[u]; ok {
			if _, err := checkDigest(f.data, rr.DigestMultibase, rr.DigestSRI); err != nil {
				skip(u, "the image at %s is not kept: %v", u, err)
				continue
			}
		}
		return &pictureRecord{V: 1, Data: f.data, PictureInfo: PictureInfo{
			MediaType: mt, Size: int64(len(f.data)), Source: u, KeptAt: now}}, skipped, nil
	}
	if len(urls) == 0 {
		skip("", "the badge names no image")
	}
	return nil, skipped, nil
}

// fetchEvidence fetches the evidence files not held yet.
func (w *Wallet) fetchEvidence(ctx context.Context, cred *vc.Credential, have map[int]EvidenceFile, related map[string]vc.RelatedResource, now time.Time) ([]*evidenceRecord, []SkippedAsset, error) {
	var total int64
	for _, e := range have {
		total += e.Size
	}
	var out []*evidenceRecord
	var skipped []SkippedAsset
	for n, ev := range cred.Evidence.Items {
		if _, ok := have[n]; ok {
			continue
		}
		skip := func(format string, a ...any) {
			skipped = append(skipped, SkippedAsset{Kind: "evidence", N: n, URL: ev.ID, Reason: fmt.Sprintf(format, a...)})
		}
		switch {
		case ev.ID == "":
			continue // narrative evidence: nothing to fetch
		case !strings.HasPrefix(ev.ID, "https://") && !strings.HasPrefix(ev.ID, "http://"):
			skip("evidence %d (%s) is not an http(s) address, so the wallet cannot fetch it", n+1, ev.ID)
			continue
		case n >= MaxEvidenceFiles:
			skip("evidence %d is not kept: the wallet keeps at most %d evidence files of a badge", n+1, MaxEvidenceFiles)
			continue
		}
		left := int64(MaxEvidencePerBadge) - total
		if left <= 0 {
			skip("evidence %d is not kept: the badge's files already take the %d bytes the wallet keeps per badge", n+1, MaxEvidencePerBadge)
			continue
		}
		max := min(int64(MaxEvidenceBytes), left)
		f, err := w.fetchAsset(ctx, ev.ID, max, "*/*")
		if err != nil {
			var ae *errAsset
			if !errors.As(err, &ae) {
				return nil, nil, err
			}
			skip("evidence %d is not kept: %s", n+1, ae.msg)
			continue
		}
		mt, err := evidenceType(f.data)
		if err != nil {
			skip("evidence %d at %s is not kept: %v", n+1, ev.ID, err)
			continue
		}
		checked := false
		if rr, ok := related[ev.ID]; ok {
			if checked, err = checkDigest(f.data, rr.DigestMultibase, rr.DigestSRI); err != nil {
				skip("evidence %d at %s is not kept: %v", n+1, ev.ID, err)
				continue
			}
		}
		total += int64(len(f.data))
		out = append(out, &evidenceRecord{V: 1, Data: f.data, EvidenceFile: EvidenceFile{
			N: n, Name: fileName(ev.Name.String(), f.disposition, mt, n+1), MediaType: mt,
			Size: int64(len(f.data)), Digest: digestMultibaseOf(f.data), URL: ev.ID, Checked: checked, KeptAt: now,
		}})
	}
	return out, skipped, nil
}

// relatedDigests indexes a credential's relatedResource by URL.
func relatedDigests(cred *vc.Credential) map[string]vc.RelatedResource {
	m := map[string]vc.RelatedResource{}
	if cred == nil {
		return m
	}
	for _, rr := range cred.RelatedResource.Items {
		if rr.ID != "" && (rr.DigestMultibase != "" || rr.DigestSRI != "") {
			m[rr.ID] = rr
		}
	}
	return m
}

// credential returns the badge's credential as a model: the JSON-LD document, or the
// credential a VC-JWT carries (decoded, not verified again).
func (b *Badge) credential() (*vc.Credential, error) {
	if b.Format != FormatJWT {
		return vc.ParseCredential(b.Credential)
	}
	tok, err := jwt.Parse(b.JWT())
	if err != nil {
		return nil, err
	}
	m, _ := tok.Credential()
	if m == nil {
		return nil, errors.New("the JWT carries no credential")
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return vc.ParseCredential(raw)
}

// Picture returns a badge's image as the wallet holds it, without any network access: the copy
// KeepAssets kept, else the baked image it was imported from, else a PNG, JPEG, GIF, WebP or SVG
// data: URL of the credential. It returns ErrNotFound for an unknown badge and ErrNoImage when
// the wallet holds no image of it. An SVG image must be served with a sandboxing
// Content-Security-Policy.
func (w *Wallet) Picture(ctx context.Context, ref string) (mediaType string, data []byte, err error) {
	b, err := w.Get(ctx, ref)
	if err != nil {
		return "", nil, fmt.Errorf("picture: %w", err)
	}
	for _, key := range [][]byte{w.space.Picture(b.ID), w.space.Image(b.ID)} {
		raw, err := w.db.Get(key)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return "", nil, fmt.Errorf("picture of %s: %w", b.ID, err)
		}
		var rec struct {
			MediaType string `json:"mediaType"`
			Data      []byte `json:"data"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return "", nil, fmt.Errorf("picture of %s: %w: %v", b.ID, ErrCorrupt, err)
		}
		return rec.MediaType, rec.Data, nil
	}
	for _, u := range b.imageURLs() {
		if _, data, ok := decodeDataURL(u); ok && len(data) <= MaxPictureBytes {
			if mt, err := pictureType(data); err == nil {
				return mt, data, nil
			}
		}
	}
	return "", nil, fmt.Errorf("picture of %s: %w (keep the badge's files to copy an image from its URL)", b.ID, ErrNoImage)
}

// Evidence lists the evidence files the wallet keeps for a badge (metadata only), in the
// credential's order. It returns ErrNotFound for an unknown badge.
func (w *Wallet) Evidence(ctx context.Context, ref string) ([]EvidenceFile, error) {
	b, err := w.Get(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	list, err := w.evidenceList(b.ID)
	if err != nil {
		return nil, fmt.Errorf("evidence of %s: %w", b.ID, err)
	}
	return list, nil
}

func (w *Wallet) evidenceList(id string) ([]EvidenceFile, error) {
	list := []EvidenceFile{}
	err := w.db.Scan(w.space.EvidenceOf(id), nil, func(_, v []byte) error {
		var rec struct {
			EvidenceFile
			Data json.RawMessage `json:"data"` // skipped, not decoded
		}
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("%w: evidence record: %v", ErrCorrupt, err)
		}
		list = append(list, rec.EvidenceFile)
		return nil
	})
	return list, err
}

// EvidenceFile returns the kept evidence file at position n of a badge's evidence list, with its
// bytes. It returns ErrNotFound for an unknown badge and ErrNoEvidence when no file is kept at n.
func (w *Wallet) EvidenceFile(ctx context.Context, ref string, n int) (EvidenceFile, []byte, error) {
	b, err := w.Get(ctx, ref)
	if err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("evidence file: %w", err)
	}
	if n < 0 {
		return EvidenceFile{}, nil, fmt.Errorf("evidence file %d of %s: %w", n, b.ID, ErrNoEvidence)
	}
	raw, err := w.db.Get(w.space.Evidence(b.ID, n))
	if errors.Is(err, store.ErrNotFound) {
		return EvidenceFile{}, nil, fmt.Errorf("evidence file %d of %s: %w", n, b.ID, ErrNoEvidence)
	}
	if err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("evidence file %d of %s: %w", n, b.ID, err)
	}
	var rec evidenceRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return EvidenceFile{}, nil, fmt.Errorf("evidence file %d of %s: %w: %v", n, b.ID, ErrCorrupt, err)
	}
	return rec.EvidenceFile, rec.Data, nil
}
