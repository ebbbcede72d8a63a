package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// federationKeyFile is the name of the federation key in a node's data folder.
const federationKeyFile = "federation.key"

// loadFederationKey returns the node's federation key (ECDSA P-256): from fromEnv (PEM, or the
// base64 of a PEM or of a PKCS#8 / SEC 1 DER key) when set, else from DATA/federation.key,
// created with mode 0600 when create is set and the file does not exist. created tells whether
// a new key was made.
func loadFederationKey(dataDir, fromEnv string, create bool) (key *ecdsa.PrivateKey, created bool, err error) {
	if strings.TrimSpace(fromEnv) != "" {
		k, err := parseFederationKey([]byte(fromEnv))
		if err != nil {
			return nil, false, fmt.Errorf("COMMUNS_FEDERATION_KEY: %w", err)
		}
		return k, false, nil
	}
	path := filepath.Join(dataDir, federationKeyFile)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		k, err := parseFederationKey(data)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, false, err
	case !create:
		return nil, false, fmt.Errorf("no federation key at %s (run 'communs federation anchor init --data %s', or start the node with a federation role once)", path, dataDir)
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, false, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("create %s: %w", path, err)
	}
	if err := pem.Encode(f, &pem.Block{Type: "PRIVATE KEY", Bytes: der}); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, false, err
	}
	return k, true, f.Close()
}

// parseFederationKey reads an ECDSA P-256 private key: PEM (PRIVATE KEY or EC PRIVATE KEY), or
// the base64 of a PEM or of DER bytes.
func parseFederationKey(data []byte) (*ecdsa.PrivateKey, error) {
	text := strings.TrimSpace(string(data))
	if !strings.HasPrefix(text, "-----BEGIN") {
		raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
		if err != nil {
			return nil, errors.New("the federation key is neither PEM nor base64")
		}
		if strings.HasPrefix(strings.TrimSpace(string(raw)), "-----BEGIN") {
			return parseFederationKey(raw)
		}
		return derFederationKey(raw)
	}
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("the federation key is not a well-formed PEM block")
	}
	return derFederationKey(block.Bytes)
}

func derFederationKey(der []byte) (*ecdsa.PrivateKey, error) {
	var key any
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		key = k
	} else if k, err := x509.ParseECPrivateKey(der); err == nil {
		key = k
	} else {
		return nil, errors.New("the federation key is not a PKCS#8 or SEC 1 private key")
	}
	k, ok := key.(*ecdsa.PrivateKey)
	if !ok || k.Curve != elliptic.P256() {
		return nil, errors.New("the federation key must be an ECDSA P-256 (ES256) private key")
	}
	return k, nil
}
