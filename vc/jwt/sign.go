package jwt

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// Media types for the typ header of VC-JOSE-COSE tokens.
const (
	TypCredential   = "vc+jwt"
	TypPresentation = "vp+jwt"
)

// joseHeader is the header Sign writes, in this member order.
type joseHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid,omitempty"`
	Typ string `json:"typ,omitempty"`
}

// Sign serializes claims as the payload of a compact JWS signed by signer.
// alg is EdDSA (signer holds an Ed25519 key), ES256 (ECDSA P-256; the
// signature is written as r||s, not ASN.1) or RS256 (RSA, at least 2048
// bits). kid and typ go into the header when not empty. The signer is
// used only through crypto.Signer, so a key store can hold the private key.
//
// It returns [ErrUnsupportedAlgorithm], [ErrUnsupportedKey] or
// [ErrKeyMismatch], or the signer's error.
func Sign(claims map[string]any, alg, kid, typ string, signer crypto.Signer) (string, error) {
	tok, err := sign(claims, alg, kid, typ, signer)
	if err != nil {
		return "", fmt.Errorf("sign jwt: %w", err)
	}
	return tok, nil
}

func sign(claims map[string]any, alg, kid, typ string, signer crypto.Signer) (string, error) {
	switch alg {
	case AlgEdDSA, AlgEd25519, AlgES256, AlgRS256:
	default:
		return "", fmt.Errorf("%w: cannot sign with alg %q; EdDSA, ES256 and RS256 are supported", ErrUnsupportedAlgorithm, alg)
	}
	if signer == nil {
		return "", fmt.Errorf("%w: no signer given", ErrUnsupportedKey)
	}
	if claims == nil {
		return "", errors.New("no claims given")
	}
	pub, err := normalizeKey(signer.Public())
	if err != nil {
		return "", err
	}
	if err := algMatchesKey(alg, pub); err != nil {
		return "", err
	}
	header, err := marshalJSON(joseHeader{Alg: alg, Kid: kid, Typ: typ})
	if err != nil {
		return "", fmt.Errorf("encode header: %w", err)
	}
	payload, err := marshalJSON(claims)
	if err != nil {
		return "", fmt.Errorf("encode claims: %w", err)
	}
	signed := make([]byte, 0, b64.EncodedLen(len(header))+1+b64.EncodedLen(len(payload)))
	signed = b64.AppendEncode(signed, header)
	signed = append(signed, '.')
	signed = b64.AppendEncode(signed, payload)

	var sig []byte
	switch pub.(type) {
	case ed25519.PublicKey:
		sig, err = signer.Sign(rand.Reader, signed, crypto.Hash(0))
	case *ecdsa.PublicKey:
		digest := sha256.Sum256(signed)
		var der []byte
		if der, err = signer.Sign(rand.Reader, digest[:], crypto.SHA256); err == nil {
			sig, err = rawECDSASignature(der)
		}
	case *rsa.PublicKey:
		digest := sha256.Sum256(signed)
		sig, err = signer.Sign(rand.Reader, digest[:], crypto.SHA256)
	}
	if err != nil {
		return "", fmt.Errorf("%s signature: %w", alg, err)
	}
	out := make([]byte, 0, len(signed)+1+b64.EncodedLen(len(sig)))
	out = append(out, signed...)
	out = append(out, '.')
	out = b64.AppendEncode(out, sig)
	return string(out), nil
}

// marshalJSON encodes v without HTML escaping (a JWT is not HTML, and
// "<" as "\u003c" only makes tokens longer).
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// rawECDSASignature converts the ASN.1 DER signature crypto.Signer returns
// into the fixed 64-byte r||s form JWS uses for ES256 (RFC 7518 §3.4).
func rawECDSASignature(der []byte) ([]byte, error) {
	var sig struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &sig)
	if err != nil || len(rest) != 0 {
		return nil, errors.New("signer returned an ECDSA signature that is not ASN.1 DER")
	}
	if sig.R.Sign() <= 0 || sig.S.Sign() <= 0 || sig.R.BitLen() > 256 || sig.S.BitLen() > 256 {
		return nil, errors.New("signer returned an ECDSA signature with r or s out of range for P-256")
	}
	out := make([]byte, 64)
	sig.R.FillBytes(out[:32])
	sig.S.FillBytes(out[32:])
	return out, nil
}
