package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
)

// multicodecName names a multicodec for error messages ("p256-pub (0x1200)").
func multicodecName(c multicodec.Code) string {
	name := c.String()
	if strings.HasPrefix(name, "Code(") {
		return fmt.Sprintf("0x%x", uint64(c))
	}
	return fmt.Sprintf("%s (0x%x)", name, uint64(c))
}

// EncodeMultikey encodes a public key as a Multikey publicKeyMultibase value:
// base58btc multibase ('z') of the multicodec header followed by the key
// bytes. Ed25519 keys give "z6Mk…" (ed25519-pub, 0xed), P-256 keys give
// "zDn…" (p256-pub, 0x1200, compressed point), P-384 keys give "z82…"
// (p384-pub, 0x1201).
func EncodeMultikey(pub crypto.PublicKey) (string, error) {
	code, raw, err := publicKeyBytes(pub)
	if err != nil {
		return "", fmt.Errorf("encode multikey: %w", err)
	}
	return encodeMultibase(code, raw), nil
}

// DecodeMultikey decodes a Multikey publicKeyMultibase value. It returns an
// ed25519.PublicKey or an *ecdsa.PublicKey (P-256 or P-384). The value must be
// base58btc ('z'), carry a supported multicodec header and the exact key
// length; EC points must be compressed and on the curve.
func DecodeMultikey(s string) (crypto.PublicKey, error) {
	code, raw, err := decodeMultibase(s)
	if err != nil {
		return nil, fmt.Errorf("decode multikey: %w", err)
	}
	pub, err := publicKeyFromCode(code, raw)
	if err != nil {
		return nil, fmt.Errorf("decode multikey: %w", err)
	}
	return pub, nil
}

// publicKeyFromCode builds a public key from its multicodec and raw bytes.
func publicKeyFromCode(code multicodec.Code, raw []byte) (crypto.PublicKey, error) {
	switch code {
	case multicodec.Ed25519Pub:
		if len(raw) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: ed25519-pub key must be %d bytes, got %d", ErrMalformedKey, ed25519.PublicKeySize, len(raw))
		}
		return ed25519.PublicKey(append([]byte(nil), raw...)), nil
	case multicodec.P256Pub:
		return decompressPoint(curveP256, raw)
	case multicodec.P384Pub:
		return decompressPoint(curveP384, raw)
	case multicodec.Ed25519Priv, multicodec.P256Priv, multicodec.P384Priv:
		return nil, fmt.Errorf("%w: the value is a private key (%s); a public key was expected", ErrPrivateKeyMaterial, multicodecName(code))
	}
	return nil, fmt.Errorf("%w: multicodec %s (supported public keys: ed25519-pub 0xed, p256-pub 0x1200, p384-pub 0x1201)", ErrUnsupportedKey, multicodecName(code))
}

// publicKeyBytes returns the multicodec and raw Multikey bytes of pub.
func publicKeyBytes(pub crypto.PublicKey) (multicodec.Code, []byte, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return 0, nil, fmt.Errorf("%w: Ed25519 public key must be %d bytes, got %d", ErrMalformedKey, ed25519.PublicKeySize, len(k))
		}
		return multicodec.Ed25519Pub, k, nil
	case *ecdsa.PublicKey:
		if k == nil {
			return 0, nil, fmt.Errorf("%w: nil ECDSA public key", ErrMalformedKey)
		}
		ci, err := curveOf(k.Curve)
		if err != nil {
			return 0, nil, err
		}
		raw, err := compressPoint(k)
		if err != nil {
			return 0, nil, err
		}
		if ci.size == curveP256.size {
			return multicodec.P256Pub, raw, nil
		}
		return multicodec.P384Pub, raw, nil
	}
	return 0, nil, fmt.Errorf("%w: %T (supported: ed25519.PublicKey, *ecdsa.PublicKey on P-256 or P-384)", ErrUnsupportedKey, pub)
}

// EncodeMultikeyPrivate encodes a private key in the privateKeyMultibase form
// of the W3C Data Integrity EdDSA test vectors: base58btc multibase of the
// multicodec header and the raw private key. Ed25519 keys are written as their
// 32-byte seed (ed25519-priv, 0x1300, "z3u2…"); ECDSA keys as their scalar
// (p256-priv 0x1306, p384-priv 0x1307).
func EncodeMultikeyPrivate(priv crypto.PrivateKey) (string, error) {
	switch k := priv.(type) {
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return "", fmt.Errorf("encode private multikey: %w: Ed25519 private key must be %d bytes, got %d", ErrMalformedKey, ed25519.PrivateKeySize, len(k))
		}
		return encodeMultibase(multicodec.Ed25519Priv, k.Seed()), nil
	case *ecdsa.PrivateKey:
		if k == nil {
			return "", fmt.Errorf("encode private multikey: %w: nil ECDSA private key", ErrMalformedKey)
		}
		ci, err := curveOf(k.Curve)
		if err != nil {
			return "", fmt.Errorf("encode private multikey: %w", err)
		}
		raw, err := k.Bytes()
		if err != nil {
			return "", fmt.Errorf("encode private multikey: %w: %v", ErrMalformedKey, err)
		}
		code := multicodec.P256Priv
		if ci.size == curveP384.size {
			code = multicodec.P384Priv
		}
		return encodeMultibase(code, raw), nil
	}
	return "", fmt.Errorf("encode private multikey: %w: %T (supported: ed25519.PrivateKey, *ecdsa.PrivateKey)", ErrUnsupportedKey, priv)
}

// DecodeMultikeyPrivate decodes a privateKeyMultibase (or secretKeyMultibase)
// value. It returns an ed25519.PrivateKey or an *ecdsa.PrivateKey; both are
// crypto.Signer. Ed25519 values may hold the 32-byte seed or the 64-byte
// seed||public form; in the latter the public half must match the seed.
func DecodeMultikeyPrivate(s string) (crypto.Signer, error) {
	code, raw, err := decodeMultibase(s)
	if err != nil {
		return nil, fmt.Errorf("decode private multikey: %w", err)
	}
	switch code {
	case multicodec.Ed25519Priv:
		switch len(raw) {
		case ed25519.SeedSize:
			return ed25519.NewKeyFromSeed(raw), nil
		case ed25519.PrivateKeySize:
			k := ed25519.NewKeyFromSeed(raw[:ed25519.SeedSize])
			if subtle.ConstantTimeCompare(k[ed25519.SeedSize:], raw[ed25519.SeedSize:]) != 1 {
				return nil, fmt.Errorf("decode private multikey: %w: the public half of the 64-byte Ed25519 key does not derive from its seed", ErrKeyMismatch)
			}
			return k, nil
		}
		return nil, fmt.Errorf("decode private multikey: %w: ed25519-priv key must be 32 bytes (seed) or 64 bytes (seed and public key), got %d", ErrMalformedKey, len(raw))
	case multicodec.P256Priv, multicodec.P384Priv:
		ci := curveP256
		if code == multicodec.P384Priv {
			ci = curveP384
		}
		if len(raw) != ci.size {
			return nil, fmt.Errorf("decode private multikey: %w: %s private key must be %d bytes, got %d", ErrMalformedKey, ci.jwkName, ci.size, len(raw))
		}
		k, err := ecdsa.ParseRawPrivateKey(ci.curve, raw)
		if err != nil {
			return nil, fmt.Errorf("decode private multikey: %w: %s private key is not valid: %v", ErrMalformedKey, ci.jwkName, err)
		}
		return k, nil
	case multicodec.Ed25519Pub, multicodec.P256Pub, multicodec.P384Pub:
		return nil, fmt.Errorf("decode private multikey: %w: the value is a public key (%s), a private key was expected", ErrMalformedKey, multicodecName(code))
	}
	return nil, fmt.Errorf("decode private multikey: %w: multicodec %s (supported: ed25519-priv 0x1300, p256-priv 0x1306, p384-priv 0x1307)", ErrUnsupportedKey, multicodecName(code))
}

// encodeMultibase returns base58btc(varint(code) || raw).
func encodeMultibase(code multicodec.Code, raw []byte) string {
	buf := make([]byte, binary.MaxVarintLen64+len(raw))
	n := binary.PutUvarint(buf, uint64(code))
	n += copy(buf[n:], raw)
	s, err := multibase.Encode(multibase.Base58BTC, buf[:n])
	if err != nil {
		// Base58BTC is always a known encoding; Encode fails only for
		// unknown ones.
		return ""
	}
	return s
}

// decodeMultibase decodes a base58btc multibase value and splits off its
// multicodec varint header.
func decodeMultibase(s string) (multicodec.Code, []byte, error) {
	if s == "" {
		return 0, nil, fmt.Errorf("%w: empty value (a base58btc multibase value starts with 'z')", ErrMalformedKey)
	}
	if s[0] != 'z' {
		return 0, nil, fmt.Errorf("%w: value is not base58btc multibase (must start with 'z', starts with %q)", ErrMalformedKey, s[:1])
	}
	enc, data, err := multibase.Decode(s)
	if err != nil || enc != multibase.Base58BTC {
		return 0, nil, fmt.Errorf("%w: value is not valid base58btc after the 'z' prefix", ErrMalformedKey)
	}
	code, n := binary.Uvarint(data)
	if n <= 0 {
		return 0, nil, fmt.Errorf("%w: value does not start with a multicodec varint header", ErrMalformedKey)
	}
	if n != uvarintLen(code) {
		return 0, nil, fmt.Errorf("%w: multicodec header is not minimally encoded", ErrMalformedKey)
	}
	return multicodec.Code(code), data[n:], nil
}

// uvarintLen returns the length of the minimal unsigned varint encoding of v.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
