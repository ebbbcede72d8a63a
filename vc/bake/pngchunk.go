package bake

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"unicode/utf8"
)

// pngSignature opens every PNG datastream (PNG §5.2).
const pngSignature = "\x89PNG\r\n\x1a\n"

// PNG text keywords that matter here.
const (
	keywordCredential = "openbadgecredential" // OB 3.0
	keywordOB2        = "openbadges"          // OB 2.0 (and 1.0)
)

// pngChunk is one chunk of a PNG datastream, as slices of the input.
type pngChunk struct {
	kind   string // chunk type, e.g. "IHDR", "iTXt"
	data   []byte // chunk data
	raw    []byte // the whole chunk: length, type, data and CRC
	offset int    // where the chunk starts in the file
}

// walkPNG checks the PNG signature, then every chunk up to and including
// IEND (type letters, length, CRC, IHDR first), calling fn on each. Bytes
// after IEND are ignored.
func walkPNG(png []byte, fn func(pngChunk) error) error {
	if len(png) > MaxImageSize {
		return fmt.Errorf("%w: image is %d bytes, at most %d are accepted", ErrTooLarge, len(png), MaxImageSize)
	}
	if !bytes.HasPrefix(png, []byte(pngSignature)) {
		return fmt.Errorf("%w: data does not start with the PNG signature", ErrMalformed)
	}
	pos := len(pngSignature)
	for first := true; ; first = false {
		if len(png)-pos < 12 {
			return fmt.Errorf("%w: PNG ends at byte %d before its IEND chunk (file truncated)", ErrMalformed, len(png))
		}
		length := binary.BigEndian.Uint32(png[pos:])
		kind := png[pos+4 : pos+8]
		for _, c := range kind {
			if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
				return fmt.Errorf("%w: chunk at byte %d has type %q, which is not four ASCII letters", ErrMalformed, pos, kind)
			}
		}
		if length > 1<<31-1 || uint64(length) > uint64(len(png)-pos-12) {
			return fmt.Errorf("%w: chunk %q at byte %d claims %d bytes of data but the file ends first (file truncated or damaged)", ErrMalformed, kind, pos, length)
		}
		end := pos + 12 + int(length)
		if crc32.ChecksumIEEE(png[pos+4:end-4]) != binary.BigEndian.Uint32(png[end-4:]) {
			return fmt.Errorf("%w: chunk %q at byte %d fails its CRC check (the file is damaged, or was edited without updating the CRC)", ErrMalformed, kind, pos)
		}
		c := pngChunk{kind: string(kind), data: png[pos+8 : end-4], raw: png[pos:end], offset: pos}
		if first && c.kind != "IHDR" {
			return fmt.Errorf("%w: first chunk is %q, but a PNG must start with IHDR", ErrMalformed, c.kind)
		}
		if err := fn(c); err != nil {
			return err
		}
		if c.kind == "IEND" {
			return nil
		}
		pos = end
	}
}

// appendChunk appends a chunk of the given type and data, with its CRC.
func appendChunk(dst []byte, kind string, data []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	start := len(dst)
	dst = append(dst, kind...)
	dst = append(dst, data...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// textKeyword returns the keyword of a tEXt, zTXt or iTXt chunk: the bytes
// before the first NUL.
func textKeyword(c pngChunk) (string, bool) {
	switch c.kind {
	case "tEXt", "zTXt", "iTXt":
		if i := bytes.IndexByte(c.data, 0); i > 0 {
			return string(c.data[:i]), true
		}
	}
	return "", false
}

// itxtChunkData builds the data of an uncompressed iTXt chunk with an empty
// language tag and translated keyword (PNG §11.3.4.5).
func itxtChunkData(keyword string, text []byte) []byte {
	data := make([]byte, 0, len(keyword)+5+len(text))
	data = append(data, keyword...)
	data = append(data, 0, 0, 0) // keyword terminator, compression flag, method
	data = append(data, 0, 0)    // empty language tag, empty translated keyword
	return append(data, text...)
}

// chunkText returns the text of a tEXt, zTXt or iTXt chunk as UTF-8,
// inflating compressed text with a bound of MaxCredentialSize.
func chunkText(c pngChunk) ([]byte, error) {
	rest := c.data[bytes.IndexByte(c.data, 0)+1:]
	switch c.kind {
	case "tEXt":
		return latin1ToUTF8(rest), nil
	case "zTXt":
		if len(rest) < 1 || rest[0] != 0 {
			return nil, fmt.Errorf("%w: zTXt chunk at byte %d names an unknown compression method", ErrMalformed, c.offset)
		}
		text, err := inflate(rest[1:], c.offset)
		if err != nil {
			return nil, err
		}
		return latin1ToUTF8(text), nil
	}
	// iTXt: compression flag, compression method, language tag NUL,
	// translated keyword NUL, text.
	if len(rest) < 2 {
		return nil, fmt.Errorf("%w: iTXt chunk at byte %d ends before its compression flag", ErrMalformed, c.offset)
	}
	flag, method := rest[0], rest[1]
	rest = rest[2:]
	for _, field := range []string{"language tag", "translated keyword"} {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return nil, fmt.Errorf("%w: iTXt chunk at byte %d has no end to its %s", ErrMalformed, c.offset, field)
		}
		rest = rest[i+1:]
	}
	var text []byte
	switch {
	case flag == 0:
		text = rest
	case flag == 1 && method == 0:
		var err error
		if text, err = inflate(rest, c.offset); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: iTXt chunk at byte %d has compression flag %d and method %d; only 0/0 (none) and 1/0 (zlib) exist", ErrMalformed, c.offset, flag, method)
	}
	if !utf8.Valid(text) {
		return nil, fmt.Errorf("%w: iTXt chunk at byte %d holds text that is not UTF-8", ErrMalformed, c.offset)
	}
	return text, nil
}

// inflate decompresses zlib data, refusing more than MaxCredentialSize bytes
// of output (a small chunk can expand enormously).
func inflate(data []byte, offset int) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: compressed text in the chunk at byte %d is not zlib data: %v", ErrMalformed, offset, err)
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, MaxCredentialSize+1))
	if len(out) > MaxCredentialSize {
		return nil, fmt.Errorf("%w: compressed text in the chunk at byte %d expands beyond %d bytes", ErrTooLarge, offset, MaxCredentialSize)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: compressed text in the chunk at byte %d is damaged: %v", ErrMalformed, offset, err)
	}
	return out, nil
}

// latin1ToUTF8 converts ISO 8859-1 text (tEXt, zTXt) to UTF-8.
func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}
