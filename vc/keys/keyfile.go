package keys

import (
	"encoding/json"
	"fmt"
	"time"
)

// KeyFileVersion is the version of the key file format written by
// MarshalKeyFile.
const KeyFileVersion = 1

// keyFileType is the "type" member of our key files.
const keyFileType = "Multikey"

// keyFile is the JSON shape of a key file (see MarshalKeyFile and
// ParseKeyFile).
type keyFile struct {
	Version             *int   `json:"version,omitempty"`
	Type                string `json:"type,omitempty"`
	Created             string `json:"created,omitempty"`
	PublicKeyMultibase  string `json:"publicKeyMultibase,omitempty"`
	PrivateKeyMultibase string `json:"privateKeyMultibase,omitempty"`
	SecretKeyMultibase  string `json:"secretKeyMultibase,omitempty"`
}

// ParseKeyFile reads a key file: our own format (written by MarshalKeyFile)
// or the W3C vc-di-eddsa keyPair.json shape (publicKeyMultibase and
// privateKeyMultibase only); secretKeyMultibase, the name used by the
// Controlled Identifiers and 1EdTech documents, is read in place of
// privateKeyMultibase. A file with a "version" must be version 1 of type
// "Multikey". The private key is required;
// when publicKeyMultibase is present it must be the public key of the private
// key (ErrKeyMismatch otherwise).
func ParseKeyFile(data []byte) (*KeyPair, error) {
	var f keyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parse key file: %w: %v", ErrMalformedKeyFile, err)
	}
	if f.Version != nil && *f.Version != KeyFileVersion {
		return nil, fmt.Errorf("parse key file: %w: version %d is not supported (this program reads version %d)", ErrMalformedKeyFile, *f.Version, KeyFileVersion)
	}
	if f.Version != nil && f.Type != keyFileType {
		return nil, fmt.Errorf("parse key file: %w: type %q, expected %q", ErrMalformedKeyFile, f.Type, keyFileType)
	}
	var created time.Time
	if f.Created != "" {
		t, err := time.Parse(time.RFC3339, f.Created)
		if y := t.UTC().Year(); err == nil && (y < 1 || y > 9999) {
			err = fmt.Errorf("year %d out of range", y)
		}
		if err != nil {
			return nil, fmt.Errorf("parse key file: %w: created %q is not an RFC 3339 date-time", ErrMalformedKeyFile, f.Created)
		}
		created = t
	}
	priv := f.PrivateKeyMultibase
	switch {
	case priv == "" && f.SecretKeyMultibase == "":
		return nil, fmt.Errorf("parse key file: %w: no privateKeyMultibase member", ErrMalformedKeyFile)
	case priv == "":
		priv = f.SecretKeyMultibase
	case f.SecretKeyMultibase != "" && f.SecretKeyMultibase != priv:
		a, err := DecodeMultikeyPrivate(priv)
		if err != nil {
			return nil, fmt.Errorf("parse key file: privateKeyMultibase: %w", err)
		}
		b, err := DecodeMultikeyPrivate(f.SecretKeyMultibase)
		if err != nil {
			return nil, fmt.Errorf("parse key file: secretKeyMultibase: %w", err)
		}
		if !sameMultikey(a.Public(), b.Public()) {
			return nil, fmt.Errorf("parse key file: %w: privateKeyMultibase and secretKeyMultibase are different keys", ErrKeyMismatch)
		}
	}
	signer, err := DecodeMultikeyPrivate(priv)
	if err != nil {
		return nil, fmt.Errorf("parse key file: %w", err)
	}
	kp, err := NewKeyPair(signer)
	if err != nil {
		return nil, fmt.Errorf("parse key file: %w", err)
	}
	if f.PublicKeyMultibase != "" && f.PublicKeyMultibase != kp.multikey {
		if _, err := DecodeMultikey(f.PublicKeyMultibase); err != nil {
			return nil, fmt.Errorf("parse key file: publicKeyMultibase: %w", err)
		}
		return nil, fmt.Errorf("parse key file: %w: publicKeyMultibase is %s but the private key's public key is %s", ErrKeyMismatch, f.PublicKeyMultibase, kp.multikey)
	}
	if !created.IsZero() {
		kp = kp.WithCreated(created)
	}
	return kp, nil
}

// sameMultikey reports whether two public keys have the same Multikey form.
func sameMultikey(a, b any) bool {
	ea, errA := EncodeMultikey(a)
	eb, errB := EncodeMultikey(b)
	return errA == nil && errB == nil && ea == eb
}

// MarshalKeyFile writes the key pair as a version 1 key file (indented
// JSON, no trailing newline):
//
//	{
//	  "version": 1,
//	  "type": "Multikey",
//	  "created": "2025-01-02T03:04:05Z",
//	  "publicKeyMultibase": "z6Mk…",
//	  "privateKeyMultibase": "z3u2…"
//	}
//
// created is the pair's Created date (omitted when unknown). The private key
// is written in the privateKeyMultibase form of the W3C vc-di-eddsa test
// vectors (for Ed25519: multicodec 0x1300 and the 32-byte seed). The result
// holds the private key: write it with mode 0600.
func (kp *KeyPair) MarshalKeyFile() ([]byte, error) {
	priv, err := kp.privateKeyMultibase()
	if err != nil {
		return nil, fmt.Errorf("marshal key file: %w", err)
	}
	v := KeyFileVersion
	f := keyFile{
		Version:             &v,
		Type:                keyFileType,
		PublicKeyMultibase:  kp.multikey,
		PrivateKeyMultibase: priv,
	}
	if !kp.created.IsZero() {
		f.Created = kp.created.Format(time.RFC3339)
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("marshal key file: %w", err)
	}
	return data, nil
}
