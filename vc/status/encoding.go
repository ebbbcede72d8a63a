package status

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
)

// maxEncodedLen bounds the encoded text Decode accepts: base64 of MaxListBytes of incompressible
// data plus GZIP framing. Anything longer cannot be a list within the limit.
const maxEncodedLen = (MaxListBytes+1024)/3*4 + 8

// maxDeflateRatio is DEFLATE's largest expansion (about 1032:1); the size a GZIP trailer claims is
// trusted as an allocation hint only below it.
const maxDeflateRatio = 1032

// Encode compresses the list with GZIP and encodes it as multibase base64url without padding
// (a 'u' followed by RFC 4648 §5 text), the encodedList form of Bitstring Status List v1.0.
// The output is deterministic: the GZIP header carries no time or name.
func (b *Bitstring) Encode() string {
	var buf bytes.Buffer
	// The default level: BestCompression saves about a tenth of the size of a list with 1% of
	// its bits set, at twenty times the time.
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression) // a valid level never fails
	if b != nil {
		_, _ = zw.Write(b.bits) // writes to a bytes.Buffer never fail
	}
	_ = zw.Close()
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// Decode reads an encodedList: multibase base64url ('u' prefix) of a GZIP-compressed bitstring,
// or the StatusList2021 form, the same text without the multibase prefix. Padding and the
// standard base64 alphabet are tolerated. Decode refuses a list that decompresses to more than
// MaxListBytes (ErrListTooLarge) and anything else it cannot read (ErrMalformedList). It does
// not enforce a minimum length; Check does when asked (WithMinimumEntries).
func Decode(encodedList string) (*Bitstring, error) {
	raw, err := decodeBase64(encodedList)
	if err != nil {
		return nil, fmt.Errorf("decode status list: %w", err)
	}
	bits, err := inflate(raw, MaxListBytes)
	if err != nil {
		return nil, fmt.Errorf("decode status list: %w", err)
	}
	return &Bitstring{bits: bits}, nil
}

func decodeBase64(s string) ([]byte, error) {
	if s == "" {
		return nil, fmt.Errorf("%w: the encoded list is empty", ErrMalformedList)
	}
	if len(s) > maxEncodedLen {
		return nil, fmt.Errorf("%w: the encoded list is %d characters long, more than a list of %d bytes can take", ErrListTooLarge, len(s), MaxListBytes)
	}
	text := s
	if s[0] == 'u' {
		text = s[1:] // multibase base64url; a bare StatusList2021 list starts with "H4sI"
	}
	text = strings.TrimRight(text, "=")
	enc := base64.RawURLEncoding
	if strings.ContainsAny(text, "+/") {
		enc = base64.RawStdEncoding
	}
	raw, err := enc.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("%w: the encoded list is not base64url text (multibase 'u' prefix optional): %v", ErrMalformedList, err)
	}
	return raw, nil
}

// inflate decompresses GZIP data, refusing output above limit bytes.
func inflate(raw []byte, limit int) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: the list is not GZIP-compressed data: %v", ErrMalformedList, err)
	}
	defer zr.Close()
	hint, err := sizeHint(raw, limit)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, hint+1)
	for {
		if len(out) == cap(out) {
			// Grow fourfold: few copies, and cumulative allocation stays near the limit.
			grown := make([]byte, len(out), min(max(4*cap(out), 4096), limit+1))
			copy(grown, out)
			out = grown
		}
		n, err := zr.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if len(out) > limit {
			return nil, fmt.Errorf("%w: the list decompresses to more than %d bytes", ErrListTooLarge, limit)
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: the GZIP data is corrupt: %v", ErrMalformedList, err)
		}
	}
}

// sizeHint reads the uncompressed size a GZIP trailer claims (RFC 1952 ISIZE, the size of the
// last member modulo 2^32), trusted only as far as DEFLATE can expand the input. A plausible
// claim above limit is refused at once: the data either decompresses to more than limit or is
// corrupt. An implausible claim is ignored; the bounded read catches any lie.
func sizeHint(raw []byte, limit int) (int, error) {
	if len(raw) < 18 {
		return 0, nil
	}
	n := int(binary.LittleEndian.Uint32(raw[len(raw)-4:]))
	if n > len(raw)*maxDeflateRatio {
		return 0, nil
	}
	if n > limit {
		return 0, fmt.Errorf("%w: the list decompresses to %d bytes, more than %d", ErrListTooLarge, n, limit)
	}
	return n, nil
}
