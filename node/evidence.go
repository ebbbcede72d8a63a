package node

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multihash"
)

// EvidenceFile is a file uploaded with an award (the learner's work).
type EvidenceFile struct {
	Name        string // shown as the evidence name when the request gives none
	Description string
	Genre       string
	Data        []byte
}

// StoredEvidence describes a stored evidence file.
type StoredEvidence struct {
	CID             string
	MediaType       string
	Size            int
	DigestMultibase string // sha2-256 multihash, base58btc
}

type evidenceMeta struct {
	V         int       `json:"v"`
	MediaType string    `json:"mediaType"`
	Size      int       `json:"size"`
	Created   time.Time `json:"created"`
}

// sniffEvidence returns the media type of an evidence file from its bytes (never from the
// client): PDF, PNG, JPEG or SVG.
func sniffEvidence(data []byte) (string, error) {
	switch ct := http.DetectContentType(data); {
	case ct == "application/pdf", ct == "image/png", ct == "image/jpeg":
		return ct, nil
	}
	if head := bytes.ToLower(data[:min(len(data), 1024)]); bytes.Contains(head, []byte("<svg")) {
		return "image/svg+xml", nil
	}
	return "", fmt.Errorf("%w: evidence files must be PDF, PNG, JPEG or SVG", ErrUnsupported)
}

// EvidenceCID returns the CIDv1 (raw codec, sha2-256, base32 lower, 'b…') of data and its
// digestMultibase (the sha2-256 multihash in base58btc, 'z…'). The CID is built by hand from
// its three parts — version 1, multicodec raw (0x55), multihash sha2-256 (0x12, 32 bytes) — all
// single-byte varints; it is byte-identical to go-cid's cid.NewCidV1(cid.Raw, mh).
func EvidenceCID(data []byte) (cidStr, digest string, err error) {
	mh, err := multihash.Sum(data, multihash.SHA2_256, -1)
	if err != nil {
		return "", "", fmt.Errorf("hash evidence: %w", err)
	}
	digest, err = multibase.Encode(multibase.Base58BTC, mh)
	if err != nil {
		return "", "", fmt.Errorf("hash evidence: %w", err)
	}
	return cid.NewCidV1(cid.Raw, mh).String(), digest, nil
}

// prepareEvidence checks and hashes a file (no I/O).
func (n *Node) prepareEvidence(f EvidenceFile) (StoredEvidence, error) {
	if int64(len(f.Data)) > n.cfg.MaxEvidenceBytes {
		return StoredEvidence{}, fmt.Errorf("%w: evidence file %q is larger than %d bytes", ErrTooLarge, f.Name, n.cfg.MaxEvidenceBytes)
	}
	if len(f.Data) == 0 {
		return StoredEvidence{}, fmt.Errorf("%w: evidence file %q is empty", ErrInvalid, f.Name)
	}
	mt, err := sniffEvidence(f.Data)
	if err != nil {
		return StoredEvidence{}, fmt.Errorf("evidence file %q: %w", f.Name, err)
	}
	c, d, err := EvidenceCID(f.Data)
	if err != nil {
		return StoredEvidence{}, err
	}
	return StoredEvidence{CID: c, MediaType: mt, Size: len(f.Data), DigestMultibase: d}, nil
}

// putEvidence writes the file in t unless a file with the same CID is already stored.
func (n *Node) putEvidence(t *store.Txn, ev StoredEvidence, data []byte) error {
	if ok, err := t.Has(store.KeyEvidenceMeta(ev.CID)); err != nil || ok {
		return err
	}
	t.Set(store.KeyEvidenceBlob(ev.CID), data)
	return t.Set(store.KeyEvidenceMeta(ev.CID), mustJSON(evidenceMeta{V: 1, MediaType: ev.MediaType, Size: ev.Size, Created: n.cfg.Now().UTC()}))
}

// Evidence returns a stored evidence file and its media type. Errors: ErrNotFound.
func (n *Node) Evidence(ctx context.Context, cidStr string) ([]byte, string, error) {
	c, err := cid.Decode(cidStr)
	if err != nil || c.Version() != 1 || c.Type() != cid.Raw || c.String() != cidStr {
		return nil, "", fmt.Errorf("evidence %q is not a CIDv1 of raw bytes in base32: %w", cidStr, ErrNotFound)
	}
	var meta evidenceMeta
	if err := getJSON(n.db.Get, store.KeyEvidenceMeta(cidStr), &meta, "evidence "+cidStr); err != nil {
		return nil, "", err
	}
	data, err := n.db.Get(store.KeyEvidenceBlob(cidStr))
	if err != nil {
		return nil, "", fmt.Errorf("evidence %s: %w", cidStr, err)
	}
	return data, meta.MediaType, nil
}
