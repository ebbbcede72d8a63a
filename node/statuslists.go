package node

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/communs/communs/internal/store"
	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/keys"
	"github.com/communs/communs/vc/status"
)

// statusListRecord is a bitstring status list of an issuer. Revoked bits are kept encoded
// (multibase base64url of GZIP, as published); allocations are separate keys.
type statusListRecord struct {
	V         int       `json:"v"`
	ID        string    `json:"id"`
	Size      int       `json:"size"`
	Allocated int       `json:"allocated"`
	Encoded   string    `json:"encodedList"`
	Created   time.Time `json:"created"`
}

type cachedList struct {
	body []byte
	etag string
}

// errRetry tells an optimistic award to try again (its status index was taken meanwhile).
var errRetry = errors.New("status index taken concurrently")

// StatusListURL is the public URL of an issuer's bitstring list.
func (n *Node) StatusListURL(slug, list string) string {
	return n.cfg.base() + "/status/" + slug + "/" + list
}

// RevocationListURL is the public URL of an issuer's 1EdTech revocation list.
func (n *Node) RevocationListURL(slug string) string {
	return n.cfg.base() + "/status/" + slug + "/revocations"
}

func (n *Node) statusLists(get func([]byte) ([]byte, error), scan func(prefix, after []byte, fn func(k, v []byte) error) error, slug string) ([]statusListRecord, error) {
	var out []statusListRecord
	err := scan(store.PrefixStatusLists(slug), nil, func(_, v []byte) error {
		var r statusListRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("status list record is corrupt: %w", err)
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

func (n *Node) randInt(limit int) (int, error) {
	var b [8]byte
	if _, err := io.ReadFull(n.cfg.Rand, b[:]); err != nil {
		return 0, fmt.Errorf("read random bytes: %w", err)
	}
	return int(binary.BigEndian.Uint64(b[:]) % uint64(limit)), nil
}

// proposeIndex picks, from the committed state, a list with room and a random free index in it
// (a new list when every list is full). The award's transaction re-checks the choice.
func (n *Node) proposeIndex(slug string) (list string, index int, err error) {
	lists, err := n.statusLists(n.db.Get, n.db.Scan, slug)
	if err != nil {
		return "", 0, err
	}
	size := n.cfg.StatusListSize
	list = strconv.Itoa(len(lists) + 1)
	for _, l := range lists {
		if l.Allocated < l.Size {
			list, size = l.ID, l.Size
			break
		}
	}
	for range 64 {
		i, err := n.randInt(size)
		if err != nil {
			return "", 0, err
		}
		if _, err := n.db.Get(store.KeyStatusAlloc(slug, list, i)); errors.Is(err, store.ErrNotFound) {
			return list, i, nil
		}
	}
	// Nearly full: walk from a random start to the next free index.
	start, err := n.randInt(size)
	if err != nil {
		return "", 0, err
	}
	for k := range size {
		i := (start + k) % size
		if _, err := n.db.Get(store.KeyStatusAlloc(slug, list, i)); errors.Is(err, store.ErrNotFound) {
			return list, i, nil
		}
	}
	return "", 0, errRetry
}

// claimIndex records the allocation of (list, index) in t, creating the list when new.
// It returns errRetry when the list filled up or the index was taken since proposeIndex.
func (n *Node) claimIndex(t *store.Txn, slug, list string, index int, credID string) error {
	var rec statusListRecord
	err := getJSON(t.Get, store.KeyStatusList(slug, list), &rec, "status list")
	if errors.Is(err, ErrNotFound) {
		bits, err := status.New(n.cfg.StatusListSize)
		if err != nil {
			return fmt.Errorf("open status list: %w", err)
		}
		rec = statusListRecord{V: 1, ID: list, Size: n.cfg.StatusListSize, Encoded: bits.Encode(), Created: n.cfg.Now().UTC()}
	} else if err != nil {
		return err
	}
	if rec.Allocated >= rec.Size || index >= rec.Size {
		return errRetry
	}
	if ok, err := t.Has(store.KeyStatusAlloc(slug, list, index)); err != nil {
		return err
	} else if ok {
		return errRetry
	}
	rec.Allocated++
	t.Set(store.KeyStatusAlloc(slug, list, index), mustJSON(map[string]any{"v": 1, "credential": credID}))
	return t.Set(store.KeyStatusList(slug, list), mustJSON(&rec))
}

// setRevokedBit sets the bit of index in list, in t.
func (n *Node) setRevokedBit(t *store.Txn, slug, list string, index int) error {
	var rec statusListRecord
	if err := getJSON(t.Get, store.KeyStatusList(slug, list), &rec, "status list "+list); err != nil {
		return err
	}
	bits, err := status.Decode(rec.Encoded)
	if err != nil {
		return fmt.Errorf("status list %s: %w", list, err)
	}
	if err := bits.Set(index, true); err != nil {
		return fmt.Errorf("status list %s: %w", list, err)
	}
	rec.Encoded = bits.Encode()
	return t.Set(store.KeyStatusList(slug, list), mustJSON(&rec))
}

func (n *Node) invalidateLists(slug string) {
	n.listMu.Lock()
	defer n.listMu.Unlock()
	for k := range n.lists {
		if len(k) > len(slug) && k[:len(slug)+1] == slug+"/" {
			delete(n.lists, k)
		}
	}
}

// StatusListCredential returns the signed BitstringStatusListCredential of an issuer's list
// and its ETag. The signed document is cached until the list changes. Errors: ErrNotFound.
func (n *Node) StatusListCredential(ctx context.Context, slug, list string) ([]byte, string, error) {
	key := slug + "/" + list
	n.listMu.Lock()
	c, ok := n.lists[key]
	n.listMu.Unlock()
	if ok {
		return c.body, c.etag, nil
	}
	iss, err := n.Issuer(ctx, slug)
	if err != nil {
		return nil, "", err
	}
	var rec statusListRecord
	if err := getJSON(n.db.Get, store.KeyStatusList(slug, list), &rec, "status list "+list); err != nil {
		return nil, "", err
	}
	bits, err := status.Decode(rec.Encoded)
	if err != nil {
		return nil, "", fmt.Errorf("status list %s: %w", list, err)
	}
	// validFrom is when the list was opened, not when it was last re-signed: a verifier whose
	// clock is a little behind the node's must not see a list that is "not valid yet".
	from := rec.Created
	if from.IsZero() {
		from = n.cfg.Now()
	}
	doc := status.NewListCredential(n.StatusListURL(slug, list), iss.DID, status.PurposeRevocation, bits, from.UTC().Truncate(time.Second))
	body, err := n.sign(ctx, iss, doc)
	if err != nil {
		return nil, "", fmt.Errorf("sign status list %s: %w", list, err)
	}
	sum := sha256.Sum256(body)
	c = cachedList{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	n.listMu.Lock()
	n.lists[key] = c
	n.listMu.Unlock()
	return c.body, c.etag, nil
}

// RevocationList returns the issuer's 1EdTechRevocationList document.
func (n *Node) RevocationList(ctx context.Context, slug string) ([]byte, error) {
	iss, err := n.Issuer(ctx, slug)
	if err != nil {
		return nil, err
	}
	var revoked []status.RevokedCredential
	err = n.db.Scan(store.PrefixRevocations(slug), nil, func(_, v []byte) error {
		var r revocationRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("revocation record is corrupt: %w", err)
		}
		revoked = append(revoked, status.RevokedCredential{ID: r.Credential, Reason: r.Reason})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return json.Marshal(status.NewRevocationList(n.RevocationListURL(slug), iss.DID, revoked))
}

type revocationRecord struct {
	V          int       `json:"v"`
	Credential string    `json:"credential"`
	Reason     string    `json:"reason,omitempty"`
	At         time.Time `json:"at"`
}

// sign signs doc with the issuer's active key (eddsa-rdfc-2022) and returns the JSON.
func (n *Node) sign(ctx context.Context, iss *Issuer, doc map[string]any) ([]byte, error) {
	signer, err := keys.SignerFor(ctx, n.keys, iss.ActiveKey())
	if err != nil {
		return nil, err
	}
	signed, err := dataintegrity.Sign(ctx, doc, dataintegrity.Options{
		VerificationMethod: iss.ActiveKey(),
		ProofPurpose:       "assertionMethod",
		Created:            n.cfg.Now().UTC(),
	}, signer)
	if err != nil {
		return nil, err
	}
	return json.Marshal(signed)
}
