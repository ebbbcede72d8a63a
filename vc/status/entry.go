package status

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Status entry and list types this package reads.
const (
	TypeBitstringStatusListEntry      = "BitstringStatusListEntry"
	TypeStatusList2021Entry           = "StatusList2021Entry"
	Type1EdTechRevocationList         = "1EdTechRevocationList"
	TypeBitstringStatusListCredential = "BitstringStatusListCredential"
	TypeStatusList2021Credential      = "StatusList2021Credential"
	TypeBitstringStatusList           = "BitstringStatusList"
	TypeStatusList2021                = "StatusList2021"
)

// Status purposes with a meaning defined by Bitstring Status List v1.0.
const (
	PurposeRevocation = "revocation"
	PurposeSuspension = "suspension"
	PurposeRefresh    = "refresh"
	PurposeMessage    = "message"
)

// StatusMessage pairs a status value with the issuer's message for it (an element of an entry's
// statusMessage array; the value is written "0x…" there).
type StatusMessage struct {
	Status  uint64
	Message string
}

// Entry is one credentialStatus entry, read from a BitstringStatusListEntry, a
// StatusList2021Entry or a 1EdTechRevocationList. For a 1EdTechRevocationList, ID and
// StatusListCredential are both the URL of the revocation list and StatusPurpose is
// "revocation".
type Entry struct {
	ID                   string
	Type                 string
	StatusPurpose        string
	StatusListIndex      int
	StatusListCredential string
	// StatusSize is the width of the status in bits (1 when the entry does not say).
	StatusSize int
	// StatusMessages is the entry's statusMessage array, when it has one.
	StatusMessages []StatusMessage
}

// MessageFor returns the issuer's message for status value v, if the entry defines one.
func (e Entry) MessageFor(v uint64) (string, bool) {
	for _, m := range e.StatusMessages {
		if m.Status == v {
			return m.Message, true
		}
	}
	return "", false
}

// ParseEntries reads a credential's credentialStatus member (one object or an array of them).
// It returns nil for a missing member and stops at the first entry that cannot be read.
func ParseEntries(credentialStatus any) ([]Entry, error) {
	raw, err := rawEntries(credentialStatus)
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	entries := make([]Entry, 0, len(raw))
	for i, r := range raw {
		e, err := ParseEntry(r)
		if err != nil {
			return nil, fmt.Errorf("parse credentialStatus[%d]: %w", i, err)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// rawEntries splits credentialStatus into its entries.
func rawEntries(credentialStatus any) ([]any, error) {
	switch x := credentialStatus.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return []any{x}, nil
	case []any:
		return x, nil
	}
	return nil, fmt.Errorf("parse credentialStatus: %w: it is a %s; it must be an object or an array of objects", ErrMalformedEntry, jsonKind(credentialStatus))
}

// ParseEntry reads one credentialStatus entry. An entry of another type gives
// ErrUnsupportedType; an entry that breaks its specification gives ErrMalformedEntry. On error,
// the returned Entry still carries what could be read (ID, Type), to say which entry failed.
func ParseEntry(v any) (Entry, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Entry{}, fmt.Errorf("%w: the entry is a %s, not an object", ErrMalformedEntry, jsonKind(v))
	}
	e := Entry{StatusSize: 1}
	e.ID, _ = m["id"].(string)
	types := stringsOf(m["type"])
	for _, t := range types {
		switch t {
		case TypeBitstringStatusListEntry, TypeStatusList2021Entry, Type1EdTechRevocationList:
			e.Type = t
		}
	}
	switch e.Type {
	case Type1EdTechRevocationList:
		return parseRevocationListEntry(e)
	case TypeBitstringStatusListEntry, TypeStatusList2021Entry:
		return parseListEntry(e, m)
	}
	if len(types) == 0 {
		return e, fmt.Errorf("%w: the entry has no type", ErrMalformedEntry)
	}
	e.Type = types[0]
	return e, fmt.Errorf("%w: %q (this verifier checks %s, %s and %s)", ErrUnsupportedType, strings.Join(types, ", "),
		TypeBitstringStatusListEntry, TypeStatusList2021Entry, Type1EdTechRevocationList)
}

func parseRevocationListEntry(e Entry) (Entry, error) {
	if err := checkURL(e.ID); err != nil {
		return e, fmt.Errorf("%w: a %s entry's id must be the URL of the revocation list: %v", ErrMalformedEntry, e.Type, err)
	}
	e.StatusListCredential = e.ID
	e.StatusPurpose = PurposeRevocation
	return e, nil
}

func parseListEntry(e Entry, m map[string]any) (Entry, error) {
	purpose, ok := m["statusPurpose"].(string)
	if !ok || purpose == "" {
		return e, fmt.Errorf("%w: statusPurpose must be a non-empty string (such as %q)", ErrMalformedEntry, PurposeRevocation)
	}
	e.StatusPurpose = purpose
	list, _ := m["statusListCredential"].(string)
	if err := checkURL(list); err != nil {
		return e, fmt.Errorf("%w: statusListCredential must be the URL of the status list credential: %v", ErrMalformedEntry, err)
	}
	e.StatusListCredential = list
	index, err := nonNegativeInt(m["statusListIndex"])
	if err != nil {
		return e, fmt.Errorf("%w: statusListIndex must be a base-10 integer string such as \"94567\": %v", ErrMalformedEntry, err)
	}
	e.StatusListIndex = index
	if raw, present := m["statusSize"]; present {
		size, err := nonNegativeInt(raw)
		if err != nil {
			return e, fmt.Errorf("%w: statusSize must be a positive integer: %v", ErrMalformedEntry, err)
		}
		if size < 1 || size > MaxStatusSize {
			return e, fmt.Errorf("%w: %w: statusSize %d is outside 1 to %d bits", ErrMalformedEntry, ErrInvalidStatusSize, size, MaxStatusSize)
		}
		e.StatusSize = size
	}
	messages, err := parseStatusMessages(m["statusMessage"], e.StatusSize)
	if err != nil {
		return e, err
	}
	e.StatusMessages = messages
	return e, nil
}

// parseStatusMessages reads a statusMessage array: one {status: "0x…", message} per possible
// value, required when the status is wider than one bit.
func parseStatusMessages(v any, size int) ([]StatusMessage, error) {
	if v == nil {
		if size > 1 {
			return nil, fmt.Errorf("%w: statusMessage is required when statusSize is %d", ErrMalformedEntry, size)
		}
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%w: statusMessage must be an array, not a %s", ErrMalformedEntry, jsonKind(v))
	}
	if want := 1 << size; len(arr) != want {
		return nil, fmt.Errorf("%w: statusMessage has %d elements; a statusSize of %d needs exactly %d", ErrMalformedEntry, len(arr), size, want)
	}
	out := make([]StatusMessage, 0, len(arr))
	seen := make(map[uint64]bool, len(arr))
	for i, el := range arr {
		obj, ok := el.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: statusMessage[%d] must be an object with status and message", ErrMalformedEntry, i)
		}
		s, _ := obj["status"].(string)
		hex, found := strings.CutPrefix(s, "0x")
		value, err := strconv.ParseUint(hex, 16, 64)
		if !found || err != nil {
			return nil, fmt.Errorf("%w: statusMessage[%d].status %q must be a hexadecimal value such as \"0x1\"", ErrMalformedEntry, i, s)
		}
		if value>>size != 0 || seen[value] {
			return nil, fmt.Errorf("%w: statusMessage[%d].status %s is repeated or does not fit in %d bits", ErrMalformedEntry, i, s, size)
		}
		seen[value] = true
		msg, ok := obj["message"].(string)
		if !ok {
			return nil, fmt.Errorf("%w: statusMessage[%d].message must be a string", ErrMalformedEntry, i)
		}
		out = append(out, StatusMessage{Status: value, Message: msg})
	}
	return out, nil
}

// checkURL accepts an absolute URL.
func checkURL(s string) error {
	if s == "" {
		return fmt.Errorf("it is missing")
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "") {
		return fmt.Errorf("%q is not an absolute URL", s)
	}
	return nil
}
