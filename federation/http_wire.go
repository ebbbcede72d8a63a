package federation

import (
	"encoding/json"
	"fmt"
)

// Paths of the sync endpoints of docs/federation.md.
const (
	PathHeads   = "/federation/heads"
	PathLog     = "/federation/log"
	PathObjects = "/federation/objects/"
)

// MaxLogLimit is the most entries one GET /federation/log answer carries.
const MaxLogLimit = 500

// LogPage is the answer of GET /federation/log: an origin's entries after
// a seq, in seq order.
type LogPage struct {
	// Origin is the entity id whose log this is.
	Origin string `json:"origin"`
	// After is the seq the page starts after.
	After uint64 `json:"after"`
	// Entries are entry JWS (compact serialization), seq After+1, After+2, ….
	Entries []string `json:"entries"`
	// More is set when the server holds entries past the last one given.
	More bool `json:"more,omitempty"`
}

// ParseHeads decodes the answer of GET /federation/heads: a JSON array of
// head JWS. It checks the shape and each head's size only; heads are
// verified by [Registry.ApplyHead]. It returns [ErrMalformed] or
// [ErrTooLarge].
func ParseHeads(data []byte, limits Limits) ([]string, error) {
	var heads []string
	if err := json.Unmarshal(data, &heads); err != nil {
		return nil, fmt.Errorf("%w: heads answer is not a JSON array of strings: %v", ErrMalformed, err)
	}
	for i, h := range heads {
		if len(h) > limits.MaxHeadBytes {
			return nil, fmt.Errorf("%w: head %d is %d bytes, at most %d", ErrTooLarge, i, len(h), limits.MaxHeadBytes)
		}
	}
	return heads, nil
}

// ParseLogPage decodes the answer of GET /federation/log and checks that it
// is the page asked for: the origin and after match, at most limit entries,
// each within the entry size limit. Entries are verified by
// [Registry.Apply]. It returns [ErrMalformed] or [ErrTooLarge].
func ParseLogPage(data []byte, origin string, after uint64, limit int, limits Limits) (*LogPage, error) {
	var p LogPage
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%w: log answer is not a JSON log page: %v", ErrMalformed, err)
	}
	switch {
	case p.Origin != origin:
		return nil, fmt.Errorf("%w: log answer is about origin %q, asked for %q", ErrMalformed, p.Origin, origin)
	case p.After != after:
		return nil, fmt.Errorf("%w: log answer starts after seq %d, asked after %d", ErrMalformed, p.After, after)
	case len(p.Entries) > limit:
		return nil, fmt.Errorf("%w: log answer carries %d entries, asked for at most %d", ErrTooLarge, len(p.Entries), limit)
	}
	for i, e := range p.Entries {
		if len(e) > limits.MaxEntryBytes {
			return nil, fmt.Errorf("%w: log entry %d is %d bytes, at most %d", ErrTooLarge, i, len(e), limits.MaxEntryBytes)
		}
	}
	return &p, nil
}
