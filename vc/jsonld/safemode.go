package jsonld

import (
	"fmt"
	"strings"
)

// undefinedTermVocab is the @vocab of the context placed before the document's own contexts.
// A member name or type that no context of the document defines expands against it, so its
// presence in the expanded form reveals the undefined term. A context that sets its own @vocab
// (as the examples context does) takes precedence, as it should.
const undefinedTermVocab = "urn:communs:undefined-term:"

var sentinelContext = map[string]any{"@vocab": undefinedTermVocab}

// Problem kinds reported by TermError.
const (
	KindMember     = "member"     // a JSON member name
	KindType       = "type"       // a value of type/@type
	KindIdentifier = "identifier" // an id, or a value of a property whose values are IRIs
)

// TermError says which term or identifier safe mode rejected and where.
type TermError struct {
	// Path is the JSON Pointer (RFC 6901) of the object holding the problem in the input
	// document; "" is the document itself. It may be empty when the place is not known.
	Path string
	// Kind is KindMember, KindType or KindIdentifier.
	Kind string
	// Term is the offending member name, type or identifier as written in the document.
	Term string
	// Err is ErrUndefinedTerm or ErrRelativeIRI.
	Err error
	// Also lists further problems found in the same document (at most 10), in document
	// order; their own Also is empty.
	Also []TermError
}

// Error names the term, where it is, and what to do about it, then the other problems.
func (e *TermError) Error() string {
	msg := e.describe()
	if len(e.Also) > 0 {
		others := make([]string, len(e.Also))
		for i, o := range e.Also {
			others[i] = o.short()
		}
		msg += "; also " + strings.Join(others, ", ")
	}
	return msg
}

// short names the problem and its place in a few words.
func (e *TermError) short() string {
	if e.Path == "" {
		return fmt.Sprintf("%s %q at the top level", e.Kind, e.Term)
	}
	return fmt.Sprintf("%s %q in %s", e.Kind, e.Term, e.Path)
}

func (e *TermError) describe() string {
	where := "at the top level of the document"
	if e.Path != "" {
		where = "in " + e.Path
	}
	switch {
	case e.Err == ErrRelativeIRI:
		return fmt.Sprintf("%s %q %s is not an absolute IRI (it is relative, or contains white space); JSON-LD would drop it from the signed data (use an absolute IRI such as https://…, urn:… or did:…)", e.Kind, e.Term, where)
	case e.Kind == KindType:
		return fmt.Sprintf("type %q %s is not defined by any @context of the document; JSON-LD would not sign it (add a context that defines it, or fix its spelling)", e.Term, where)
	case e.Kind == KindIdentifier:
		return fmt.Sprintf("value %q %s is not a term defined by any @context of the document; JSON-LD would not sign it (add a context that defines it, or fix its spelling)", e.Term, where)
	default:
		return fmt.Sprintf("member %q %s is not defined by any @context of the document; JSON-LD would drop it from the signed data (add a context that defines it, or remove the member)", e.Term, where)
	}
}

// Unwrap returns ErrUndefinedTerm or ErrRelativeIRI.
func (e *TermError) Unwrap() error { return e.Err }

// findUnsafe walks an expanded JSON-LD value and returns the first term that safe mode
// rejects, or nil. Paths are not known here (see locate).
func findUnsafe(v any) *TermError {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if p := findUnsafe(e); p != nil {
				return p
			}
		}
	case map[string]any:
		if _, isValue := t["@value"]; isValue {
			// A value object: only its datatype can be undefined; @value may hold raw JSON.
			if dt, ok := t["@type"].(string); ok {
				if term, undefined := strings.CutPrefix(dt, undefinedTermVocab); undefined {
					return &TermError{Kind: KindType, Term: term, Err: ErrUndefinedTerm}
				}
			}
			return nil
		}
		for k, e := range t {
			if term, undefined := strings.CutPrefix(k, undefinedTermVocab); undefined {
				return &TermError{Kind: KindMember, Term: term, Err: ErrUndefinedTerm}
			}
			switch k {
			case "@type":
				if p := checkTypes(e); p != nil {
					return p
				}
				continue
			case "@id":
				if s, ok := e.(string); ok {
					if p := checkIdentifier(s); p != nil {
						return p
					}
				}
				continue
			}
			if p := findUnsafe(e); p != nil {
				return p
			}
		}
	}
	return nil
}

func checkTypes(v any) *TermError {
	types, ok := v.([]any)
	if !ok {
		types = []any{v}
	}
	for _, t := range types {
		s, ok := t.(string)
		if !ok {
			continue
		}
		if term, undefined := strings.CutPrefix(s, undefinedTermVocab); undefined {
			return &TermError{Kind: KindType, Term: term, Err: ErrUndefinedTerm}
		}
		if !isAbsoluteIRI(s) {
			return &TermError{Kind: KindType, Term: s, Err: ErrUndefinedTerm}
		}
	}
	return nil
}

func checkIdentifier(s string) *TermError {
	if term, undefined := strings.CutPrefix(s, undefinedTermVocab); undefined {
		return &TermError{Kind: KindIdentifier, Term: term, Err: ErrUndefinedTerm}
	}
	if !isAbsoluteIRI(s) {
		return &TermError{Kind: KindIdentifier, Term: s, Err: ErrRelativeIRI}
	}
	return nil
}

// isAbsoluteIRI reports whether s has a scheme (RFC 3987: ALPHA *( ALPHA / DIGIT / "+" /
// "-" / "." ) ":") or is a blank node identifier ("_:"), and contains no white space.
func isAbsoluteIRI(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return false
	}
	if s[:colon] != "_" {
		if !isAlpha(s[0]) {
			return false
		}
		for i := 1; i < colon; i++ {
			c := s[i]
			if !isAlpha(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
				return false
			}
		}
	}
	return !strings.ContainsAny(s, " \t\n\r\f\v")
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isMisplacedKeyword reports whether a member name has the form of a keyword ("@" followed
// by letters) without being one: JSON-LD ignores such members.
func isMisplacedKeyword(k string) bool {
	if len(k) < 2 || k[0] != '@' {
		return false
	}
	for i := 1; i < len(k); i++ {
		if !isAlpha(k[i]) {
			return false
		}
	}
	return !keywords[k]
}

var keywords = map[string]bool{
	"@base": true, "@container": true, "@context": true, "@direction": true, "@graph": true,
	"@id": true, "@import": true, "@included": true, "@index": true, "@json": true,
	"@language": true, "@list": true, "@nest": true, "@none": true, "@prefix": true,
	"@propagate": true, "@protected": true, "@reverse": true, "@set": true, "@type": true,
	"@value": true, "@version": true, "@vocab": true,
}

// findMisplacedKeyword returns the JSON Pointer and name of the first member of doc (outside
// @context) that looks like a keyword but is not one.
func findMisplacedKeyword(v any, ptr string) (string, string, bool) {
	switch t := v.(type) {
	case []any:
		for i, e := range t {
			if p, k, ok := findMisplacedKeyword(e, fmt.Sprintf("%s/%d", ptr, i)); ok {
				return p, k, true
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(t) {
			if k == "@context" {
				continue
			}
			if isMisplacedKeyword(k) {
				return ptr, k, true
			}
			if p, kk, ok := findMisplacedKeyword(t[k], ptr+"/"+escapePointer(k)); ok {
				return p, kk, true
			}
		}
	}
	return "", "", false
}

func escapePointer(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}
