package bake

import (
	"bytes"
	"fmt"
)

// BakePNG returns a copy of png with credential (a JSON credential or a
// compact JWS) in one uncompressed iTXt chunk with the keyword
// openbadgecredential, placed before IEND. Any credential already baked in
// (iTXt, tEXt or zTXt with that keyword) is replaced; every other chunk is
// kept as it is. White space around the credential is dropped.
//
// It returns [ErrTooLarge], or [ErrMalformed] when png is not a sound PNG
// or the credential is neither a JSON object nor a compact JWS.
func BakePNG(png, credential []byte) ([]byte, error) {
	out, err := bakePNG(png, credential)
	if err != nil {
		return nil, fmt.Errorf("bake png: %w", err)
	}
	return out, nil
}

func bakePNG(png, credential []byte) ([]byte, error) {
	cred, _, err := checkCredential(credential)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(png)+len(cred)+len(keywordCredential)+17)
	out = append(out, pngSignature...)
	err = walkPNG(png, func(c pngChunk) error {
		if kw, ok := textKeyword(c); ok && kw == keywordCredential {
			return nil // replaced below
		}
		if c.kind == "IEND" {
			out = appendChunk(out, "iTXt", itxtChunkData(keywordCredential, cred))
		}
		out = append(out, c.raw...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) > MaxImageSize {
		return nil, fmt.Errorf("%w: the baked image would be %d bytes, at most %d are accepted", ErrTooLarge, len(out), MaxImageSize)
	}
	return out, nil
}

// UnbakePNG returns the credential baked into png: the text of its
// openbadgecredential chunk, without surrounding white space. The whole
// file is checked (signature, every CRC, IEND present) before anything is
// returned. The chunk is expected to be an uncompressed iTXt, as OB 3.0
// requires; a zlib-compressed iTXt, or a tEXt or zTXt, is read too, with
// its output bounded by [MaxCredentialSize].
//
// It returns [ErrNotBaked], [ErrOpenBadges2] (only an OB 2.0 assertion is
// baked in), [ErrDuplicate], [ErrTooLarge] or [ErrMalformed].
func UnbakePNG(png []byte) ([]byte, error) {
	cred, err := unbakePNG(png)
	if err != nil {
		return nil, fmt.Errorf("unbake png: %w", err)
	}
	return cred, nil
}

func unbakePNG(png []byte) ([]byte, error) {
	var (
		found   []byte
		foundAt = -1
		ob2     bool
	)
	err := walkPNG(png, func(c pngChunk) error {
		kw, ok := textKeyword(c)
		if !ok {
			return nil
		}
		switch kw {
		case keywordCredential:
			if foundAt >= 0 {
				return fmt.Errorf("%w: openbadgecredential chunks at bytes %d and %d", ErrDuplicate, foundAt, c.offset)
			}
			text, err := chunkText(c)
			if err != nil {
				return err
			}
			if len(text) > MaxCredentialSize {
				return fmt.Errorf("%w: the openbadgecredential chunk holds %d bytes, at most %d are accepted", ErrTooLarge, len(text), MaxCredentialSize)
			}
			found, foundAt = text, c.offset
		case keywordOB2:
			ob2 = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if foundAt < 0 {
		if ob2 {
			return nil, fmt.Errorf("%w: PNG has an openbadges chunk but no openbadgecredential chunk", ErrOpenBadges2)
		}
		return nil, fmt.Errorf("%w: PNG has no openbadgecredential chunk", ErrNotBaked)
	}
	cred := bytes.TrimSpace(found)
	if len(cred) == 0 {
		return nil, fmt.Errorf("%w: the openbadgecredential chunk at byte %d is empty", ErrMalformed, foundAt)
	}
	return bytes.Clone(cred), nil
}
