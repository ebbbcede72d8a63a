package did

import (
	"fmt"
	"strings"
)

// DID is a parsed Decentralized Identifier: "did:" Method ":" ID.
type DID struct {
	// Method is the method name ("key", "web", "jwk").
	Method string
	// ID is the method-specific identifier, still percent-encoded.
	ID string
}

// String returns the DID in its textual form.
func (d DID) String() string { return "did:" + d.Method + ":" + d.ID }

// URL is a parsed DID URL: a DID with an optional path, query and fragment
// (DID Core §3.2). Path includes its leading "/"; Query and Fragment exclude
// their "?" and "#".
type URL struct {
	DID      DID
	Path     string
	Query    string
	Fragment string
}

// String returns the DID URL in its textual form.
func (u URL) String() string {
	var b strings.Builder
	b.WriteString(u.DID.String())
	b.WriteString(u.Path)
	if u.Query != "" {
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	if u.Fragment != "" {
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	return b.String()
}

// Parse parses a DID (not a DID URL) and checks the DID Core §3.1 syntax:
// lowercase method name, method-specific id of idchars and well-formed
// percent-encodings, last colon-separated segment not empty.
func Parse(s string) (DID, error) {
	u, err := ParseURL(s)
	if err != nil {
		return DID{}, err
	}
	if len(u.DID.String()) != len(s) {
		return DID{}, fmt.Errorf("%w: %s is a DID URL (it has a path, query or fragment); a bare DID was expected", ErrInvalidDID, quote(s))
	}
	return u.DID, nil
}

// ParseURL parses a DID URL: a DID followed by an optional path, query and
// fragment, each checked against RFC 3986.
func ParseURL(s string) (URL, error) {
	rest, ok := strings.CutPrefix(s, "did:")
	if !ok {
		return URL{}, fmt.Errorf("%w: %s does not start with \"did:\"", ErrInvalidDID, quote(s))
	}
	method, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return URL{}, fmt.Errorf("%w: %s has no method-specific id (expected did:<method>:<id>)", ErrInvalidDID, quote(s))
	}
	if method == "" {
		return URL{}, fmt.Errorf("%w: %s has an empty method name", ErrInvalidDID, quote(s))
	}
	for i := 0; i < len(method); i++ {
		if c := method[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return URL{}, fmt.Errorf("%w: %s: method name %s may hold only lowercase letters and digits", ErrInvalidDID, quote(s), quote(method))
		}
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	id, tail := rest[:end], rest[end:]
	if err := checkMethodSpecificID(id); err != nil {
		return URL{}, fmt.Errorf("%w: %s: %s", ErrInvalidDID, quote(s), err)
	}
	u := URL{DID: DID{Method: method, ID: id}}
	if frag, ok := cutAt(&tail, '#'); ok {
		if err := checkURIPart(frag, "/?"); err != nil {
			return URL{}, fmt.Errorf("%w: %s: fragment %s", ErrInvalidDID, quote(s), err)
		}
		u.Fragment = frag
	}
	if query, ok := cutAt(&tail, '?'); ok {
		if err := checkURIPart(query, "/?"); err != nil {
			return URL{}, fmt.Errorf("%w: %s: query %s", ErrInvalidDID, quote(s), err)
		}
		u.Query = query
	}
	if err := checkURIPart(tail, "/"); err != nil {
		return URL{}, fmt.Errorf("%w: %s: path %s", ErrInvalidDID, quote(s), err)
	}
	u.Path = tail
	return u, nil
}

// SplitURL splits a DID URL of the form did#fragment into the DID and the
// fragment (without "#"). The fragment is empty when there is none. DID URLs
// with a path or query are refused: verification methods are named by
// fragment.
func SplitURL(s string) (did, fragment string, err error) {
	u, err := ParseURL(s)
	if err != nil {
		return "", "", err
	}
	if u.Path != "" || u.Query != "" {
		return "", "", fmt.Errorf("%w: %s has a path or query; only did#fragment references are supported", ErrInvalidDID, quote(s))
	}
	return u.DID.String(), u.Fragment, nil
}

// cutAt removes the part of *s after the first sep and returns it.
func cutAt(s *string, sep byte) (string, bool) {
	i := strings.IndexByte(*s, sep)
	if i < 0 {
		return "", false
	}
	part := (*s)[i+1:]
	*s = (*s)[:i]
	return part, true
}

// checkMethodSpecificID checks method-specific-id = *( *idchar ":" ) 1*idchar.
func checkMethodSpecificID(id string) error {
	if id == "" {
		return fmt.Errorf("empty method-specific id")
	}
	if strings.HasSuffix(id, ":") {
		return fmt.Errorf("method-specific id must not end with ':'")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case isAlnum(c), c == '.', c == '-', c == '_', c == ':':
		case c == '%':
			if i+2 >= len(id) || !isHex(id[i+1]) || !isHex(id[i+2]) {
				return fmt.Errorf("'%%' at offset %d of the method-specific id is not followed by two hex digits", i)
			}
			i += 2
		default:
			return fmt.Errorf("character %q at offset %d is not allowed in a method-specific id (letters, digits, '.', '-', '_', ':' and %%XX only)", c, i)
		}
	}
	return nil
}

// checkURIPart checks characters of an RFC 3986 path, query or fragment:
// pchar plus the extra characters given.
func checkURIPart(s, extra string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlnum(c), strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0, strings.IndexByte(extra, c) >= 0:
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return fmt.Errorf("has '%%' at offset %d not followed by two hex digits", i)
			}
			i += 2
		default:
			return fmt.Errorf("has character %q at offset %d, which must be percent-encoded", c, i)
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// quote quotes untrusted text for an error message, shortening long values.
func quote(s string) string {
	const max = 120
	if len(s) > max {
		return fmt.Sprintf("%q…", s[:max])
	}
	return fmt.Sprintf("%q", s)
}
