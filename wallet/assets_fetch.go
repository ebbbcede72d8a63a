package wallet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multihash"

	"github.com/communs/communs/internal/httpx"
)

// fetched is a response body read through the wallet's client.
type fetched struct {
	data        []byte
	disposition string // the Content-Disposition header, if any
}

// errAsset is an asset that cannot be kept; its text is the sentence Assets reports.
type errAsset struct{ msg string }

func (e *errAsset) Error() string { return e.msg }

func assetErrorf(format string, a ...any) error { return &errAsset{msg: fmt.Sprintf(format, a...)} }

// fetchAsset GETs u through the wallet's HTTP client and reads at most max bytes. Every failure
// but a cancelled context is an *errAsset saying what went wrong in words a person can act on.
func (w *Wallet) fetchAsset(ctx context.Context, u string, max int64, accept string) (*fetched, error) {
	client := w.cfg.AssetClient
	if client == nil {
		client = w.cfg.HTTPClient
	}
	if client == nil {
		return nil, assetErrorf("the wallet has no HTTP client to fetch %s", u)
	}
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" {
		return nil, assetErrorf("%s is not an http(s) address, so the wallet cannot fetch it", u)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, assetErrorf("%s is not a usable address: %v", u, err)
	}
	req.Header.Set("Accept", accept)
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fetchFailure(u, max, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, assetErrorf("%s answered %s; ask the issuer whether the file moved, then keep the badge's files again", u, resp.Status)
	}
	if resp.ContentLength > max {
		return nil, assetErrorf("%s is %d bytes, more than the %d bytes the wallet keeps", u, resp.ContentLength, max)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fetchFailure(u, max, err)
	}
	if int64(len(data)) > max {
		return nil, assetErrorf("%s is larger than the %d bytes the wallet keeps", u, max)
	}
	return &fetched{data: data, disposition: resp.Header.Get("Content-Disposition")}, nil
}

// fetchFailure turns a transport error into a sentence.
func fetchFailure(u string, max int64, err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, httpx.ErrTooLarge):
		return assetErrorf("%s is larger than the wallet's HTTP client accepts (%v); the wallet keeps files up to %d bytes", u, err, max)
	case errors.Is(err, httpx.ErrRefused):
		return assetErrorf("the wallet may not fetch %s (%v): only https addresses of public servers are fetched", u, err)
	case errors.As(err, &ne) && ne.Timeout():
		return assetErrorf("%s did not answer in time; try keeping the badge's files again later", u)
	}
	return assetErrorf("%s could not be fetched (%v); try keeping the badge's files again later", u, err)
}

// Media types of the images a wallet keeps.
const (
	mediaPNG  = "image/png"
	mediaJPEG = "image/jpeg"
	mediaGIF  = "image/gif"
	mediaWebP = "image/webp"
	mediaSVG  = "image/svg+xml"
)

// sniffMedia returns the media type of data from its bytes (never from what a server declares):
// the type http.DetectContentType finds without its parameters, or image/svg+xml for an SVG
// document (XML or not, whose first kilobyte opens an <svg element).
func sniffMedia(data []byte) string {
	ct := http.DetectContentType(data)
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		ct = mt
	}
	switch ct {
	case "text/xml", "text/plain", "text/html":
		if looksLikeSVG(data) {
			return mediaSVG
		}
	}
	return ct
}

// looksLikeSVG reports whether the first kilobyte of data, after an XML declaration, comments
// and a doctype, opens an <svg root element.
func looksLikeSVG(data []byte) bool {
	head := bytes.ToLower(data[:min(len(data), 1024)])
	i := bytes.Index(head, []byte("<svg"))
	if i < 0 || i+4 >= len(head) {
		return false
	}
	if c := head[i+4]; c != ' ' && c != '>' && c != '\t' && c != '\n' && c != '\r' && c != '/' {
		return false
	}
	// Nothing but prologue may come before the root: no other element.
	before := head[:i]
	for {
		j := bytes.IndexByte(before, '<')
		if j < 0 {
			return true
		}
		rest := before[j:]
		if !bytes.HasPrefix(rest, []byte("<?")) && !bytes.HasPrefix(rest, []byte("<!")) {
			return false
		}
		k := bytes.IndexByte(rest, '>')
		if k < 0 {
			return false
		}
		before = rest[k+1:]
	}
}

// pictureType returns the media type of an image the wallet keeps as a badge's picture, or an
// error when data is none of PNG, JPEG, GIF, WebP or SVG.
func pictureType(data []byte) (string, error) {
	switch mt := sniffMedia(data); mt {
	case mediaPNG, mediaJPEG, mediaGIF, mediaWebP, mediaSVG:
		return mt, nil
	case "application/octet-stream":
		return "", errors.New("its bytes are not a PNG, JPEG, GIF, WebP or SVG image")
	default:
		return "", fmt.Errorf("it is %s, not a PNG, JPEG, GIF, WebP or SVG image", mt)
	}
}

// evidenceType returns the media type of an evidence file, or an error for what the wallet does
// not keep as a file: a web page (HTML, or XML that is not SVG) is evidence to visit, not a file.
func evidenceType(data []byte) (string, error) {
	if len(data) == 0 {
		return "", errors.New("the server sent an empty file")
	}
	switch mt := sniffMedia(data); mt {
	case "text/html", "text/xml", "application/xml":
		return "", fmt.Errorf("it is a web page (%s), not a file; the badge keeps its link", mt)
	default:
		return mt, nil
	}
}

// extensions for file names of kept evidence, by media type.
var extensions = map[string]string{
	"application/pdf": ".pdf", mediaPNG: ".png", mediaJPEG: ".jpg", mediaGIF: ".gif", mediaWebP: ".webp",
	mediaSVG: ".svg", "text/plain": ".txt", "application/zip": ".zip", "audio/mpeg": ".mp3",
	"video/mp4": ".mp4", "video/webm": ".webm", "audio/wave": ".wav", "application/ogg": ".ogg",
	"image/bmp": ".bmp",
}

// maxNameLen bounds a kept file name (in bytes).
const maxNameLen = 120

// fileName chooses the name of a kept evidence file: the evidence's name, else the file name of
// the Content-Disposition header, else "evidence-{n}"; reduced to a base name without control
// characters, separators or leading dots, and ending with the extension of its media type when
// it has no extension of that type.
func fileName(evidenceName, disposition, mediaType string, n int) string {
	name := cleanName(evidenceName)
	if name == "" && disposition != "" {
		if _, params, err := mime.ParseMediaType(disposition); err == nil {
			name = cleanName(params["filename"])
		}
	}
	if name == "" {
		name = fmt.Sprintf("evidence-%d", n)
	}
	if ext := extensions[mediaType]; ext != "" && !strings.EqualFold(path.Ext(name), ext) &&
		!(ext == ".jpg" && strings.EqualFold(path.Ext(name), ".jpeg")) {
		name = truncateUTF8(name, maxNameLen-len(ext)) + ext
	}
	return name
}

// cleanName reduces s to a safe base name: path separators and control or format characters
// become '_' or disappear, leading dots and spaces are dropped, and it is cut to maxNameLen bytes.
func cleanName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		case r == ':' || r == '*' || r == '?' || r == '"' || r == '<' || r == '>' || r == '|':
			b.WriteByte('_')
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.TrimLeft(strings.TrimSpace(b.String()), ". ")
	return strings.TrimSpace(truncateUTF8(out, maxNameLen))
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// digestMultibaseOf returns the sha2-256 multihash of data in base58btc: the digestMultibase an
// issuer writes in relatedResource.
func digestMultibaseOf(data []byte) string {
	mh, err := multihash.Sum(data, multihash.SHA2_256, -1)
	if err != nil {
		return ""
	}
	s, err := multibase.Encode(multibase.Base58BTC, mh)
	if err != nil {
		return ""
	}
	return s
}

// checkDigest compares data with a relatedResource's digestMultibase and digestSRI (each checked
// when present). checked is false when neither is present.
func checkDigest(data []byte, digestMB, digestSRI string) (checked bool, err error) {
	if digestMB != "" {
		_, mh, err := multibase.Decode(digestMB)
		if err != nil {
			return false, errors.New("its digestMultibase in the credential is not multibase")
		}
		dec, err := multihash.Decode(mh)
		if err != nil {
			return false, errors.New("its digestMultibase in the credential is not a multihash")
		}
		h := hasherFor(dec.Code)
		if h == nil {
			return false, fmt.Errorf("its digestMultibase uses hash 0x%x, which the wallet cannot check (sha2-256, sha2-384, sha2-512 only)", dec.Code)
		}
		h.Write(data)
		if !bytes.Equal(h.Sum(nil), dec.Digest) {
			return false, errors.New("the file does not match the digest in the credential: it changed after the badge was issued")
		}
		checked = true
	}
	if digestSRI != "" {
		if err := checkSRI(data, digestSRI); err != nil {
			return false, err
		}
		checked = true
	}
	return checked, nil
}

// sha2_384 is the multicodec code of sha2-384 (go-multihash names no constant for it).
const sha2_384 = 0x20

func hasherFor(code uint64) hash.Hash {
	switch code {
	case multihash.SHA2_256:
		return sha256.New()
	case sha2_384:
		return sha512.New384()
	case multihash.SHA2_512:
		return sha512.New()
	}
	return nil
}

// checkSRI checks a Subresource Integrity value ("sha384-BASE64 …"): as in SRI, the strongest
// algorithm present must have a matching digest.
func checkSRI(data []byte, sri string) error {
	rank := map[string]int{"sha256": 1, "sha384": 2, "sha512": 3}
	best, matched := 0, false
	for _, tok := range strings.Fields(sri) {
		alg, val, ok := strings.Cut(tok, "-")
		if !ok || rank[alg] == 0 {
			continue
		}
		val, _, _ = strings.Cut(val, "?")
		want, err := base64.StdEncoding.DecodeString(val)
		if err != nil {
			return errors.New("its digestSRI in the credential is not base64")
		}
		var got []byte
		switch alg {
		case "sha256":
			s := sha256.Sum256(data)
			got = s[:]
		case "sha384":
			s := sha512.Sum384(data)
			got = s[:]
		default:
			s := sha512.Sum512(data)
			got = s[:]
		}
		r := rank[alg]
		switch {
		case r > best:
			best, matched = r, bytes.Equal(got, want)
		case r == best:
			matched = matched || bytes.Equal(got, want)
		}
	}
	if best == 0 {
		return errors.New("its digestSRI in the credential names no sha256, sha384 or sha512 digest")
	}
	if !matched {
		return errors.New("the file does not match the digestSRI in the credential: it changed after the badge was issued")
	}
	return nil
}
