package federation

import (
	"crypto/sha256"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/multiformats/go-multicodec"
	"github.com/multiformats/go-multihash"
)

// CIDOf returns the entry id of data: CIDv1, raw codec, sha2-256, in
// multibase base32 ("bafkrei…").
func CIDOf(data []byte) string {
	sum := sha256.Sum256(data)
	mh := make([]byte, 0, 2+len(sum))
	mh = append(mh, byte(multihash.SHA2_256), byte(len(sum))) // both < 0x80: one-byte varints
	mh = append(mh, sum[:]...)
	return cid.NewCidV1(uint64(multicodec.Raw), mh).String() // CIDv1 strings are base32
}

// checkCID checks that s is a CIDv1, raw, sha2-256, in base32.
func checkCID(s string) error {
	if len(s) == 0 || s[0] != 'b' {
		return fmt.Errorf("%q is not a base32 CID (must start with 'b')", s)
	}
	c, err := cid.Decode(s)
	if err != nil {
		return fmt.Errorf("%q is not a CID: %v", s, err)
	}
	p := c.Prefix()
	if p.Version != 1 || p.Codec != uint64(multicodec.Raw) || p.MhType != multihash.SHA2_256 {
		return fmt.Errorf("%q is not a CIDv1 with raw codec and sha2-256", s)
	}
	if c.String() != s {
		return fmt.Errorf("%q is not in canonical base32 form", s)
	}
	return nil
}
