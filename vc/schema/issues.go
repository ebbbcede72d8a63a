package schema

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// failure is one failed schema keyword at one place in the document, after
// the alternatives of every oneOf/anyOf have been resolved to the one that
// best explains what is wrong.
type failure struct {
	loc       []string
	kind      jsonschema.ErrorKind
	schemaURL string
}

// failureOf takes a validation error as a failure of its own keyword,
// ignoring its causes.
func failureOf(e *jsonschema.ValidationError) failure {
	return failure{loc: e.InstanceLocation, kind: e.ErrorKind, schemaURL: e.SchemaURL}
}

// flattener turns the library's tree of errors for one document into the
// list of keyword failures a person should fix.
type flattener struct {
	doc any
}

// flatten lists the failures under e, whose parent in the error tree is
// parent (nil for the root).
//
// Wrappers (the schema, groups of errors, $ref, allOf) contribute their
// causes. A oneOf/anyOf contributes the causes of a single alternative,
// chosen by chooseAlternative. Every other keyword is a failure of its own;
// its causes (why each array item missed a "contains", why a property name
// missed a pattern) are summed up by the keyword's message instead.
func (fl flattener) flatten(e, parent *jsonschema.ValidationError) []failure {
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		if len(e.Causes) == 0 {
			return []failure{failureOf(e)}
		}
		var out []failure
		for _, c := range e.Causes {
			out = append(out, fl.flatten(c, e)...)
		}
		return out
	case *kind.AnyOf:
		return fl.chooseAlternative(e)
	case *kind.OneOf:
		if len(k.Subschemas) == 0 {
			return fl.chooseAlternative(e)
		}
		return []failure{failureOf(e)}
	case *kind.PropertyNames:
		f := failureOf(e)
		f.loc = fl.propertyNamesLocation(e, parent, k.Property)
		return []failure{f}
	default:
		return []failure{failureOf(e)}
	}
}

// chooseAlternative resolves a oneOf/anyOf that no alternative matched.
//
// The OB 3.0 schemas offer alternatives mostly by shape: a single value or an
// array, a string or a language map, a Profile or a URI. An alternative that
// fails only because the value is of another JSON type says nothing useful
// on its own; when every alternative fails that way, the issue is the type
// ("must be a string or an object, not an array"). Otherwise the issue is
// that of the alternative that comes closest: fewest failures that reject the
// value's shape (wrong type, unexpected property names) at this very place,
// then fewest failures overall, then the first one listed in the schema.
func (fl flattener) chooseAlternative(e *jsonschema.ValidationError) []failure {
	var (
		typeOnly *kind.Type
		best     []failure
		bestRank [2]int
	)
	for _, c := range e.Causes {
		fs := fl.flatten(c, e)
		if t, ok := onlyTypeFailures(fs, e.InstanceLocation); ok {
			typeOnly = mergeTypes(typeOnly, t)
			continue
		}
		rank := [2]int{shapeFailures(fs, e.InstanceLocation), len(fs)}
		if best == nil || rank[0] < bestRank[0] || (rank[0] == bestRank[0] && rank[1] < bestRank[1]) {
			best, bestRank = fs, rank
		}
	}
	switch {
	case best != nil:
		return best
	case typeOnly != nil:
		return []failure{{loc: e.InstanceLocation, kind: typeOnly, schemaURL: e.SchemaURL}}
	default:
		return []failure{failureOf(e)}
	}
}

// onlyTypeFailures reports whether every failure is a type mismatch at loc,
// and if so returns them merged into one.
func onlyTypeFailures(fs []failure, loc []string) (*kind.Type, bool) {
	if len(fs) == 0 {
		return nil, false
	}
	var merged *kind.Type
	for _, f := range fs {
		t, ok := f.kind.(*kind.Type)
		if !ok || !slices.Equal(f.loc, loc) {
			return nil, false
		}
		merged = mergeTypes(merged, t)
	}
	return merged, true
}

// mergeTypes joins the wanted types of two type mismatches on one value.
func mergeTypes(a, b *kind.Type) *kind.Type {
	if a == nil {
		return &kind.Type{Got: b.Got, Want: slices.Clone(b.Want)}
	}
	for _, w := range b.Want {
		if !slices.Contains(a.Want, w) {
			a.Want = append(a.Want, w)
		}
	}
	return a
}

// shapeFailures counts the failures at loc that reject the value's shape
// rather than its content.
func shapeFailures(fs []failure, loc []string) int {
	n := 0
	for _, f := range fs {
		if !slices.Equal(f.loc, loc) {
			continue
		}
		switch f.kind.(type) {
		case *kind.Type, *kind.PropertyNames, *kind.AdditionalProperties, *kind.FalseSchema:
			n++
		}
	}
	return n
}

// propertyNamesLocation finds where a "propertyNames" failure happened.
//
// The library (v6.0.3) records that location without copying it, so a later
// sibling validation can overwrite it (upstream santhosh-tekuri/jsonschema
// pull request #269). It is rebuilt here from the parent error, whose
// location is sound: the object is at the parent's location when the
// propertyNames schema belongs to the parent's own schema (directly, through
// $ref, or as one oneOf/anyOf/allOf alternative), and one property further
// down when it belongs to one of the parent's "properties". Otherwise the
// child of the parent's value that has the property is looked up in the
// document, falling back on the parent's location.
func (fl flattener) propertyNamesLocation(e, parent *jsonschema.ValidationError, property string) []string {
	if parent == nil {
		return nil
	}
	owner := strings.TrimSuffix(e.SchemaURL, "/propertyNames")
	if ref, ok := parent.ErrorKind.(*kind.Reference); ok && ref.URL == owner {
		return parent.InstanceLocation
	}
	rest, ok := strings.CutPrefix(owner, parent.SchemaURL)
	switch {
	case ok && rest == "":
		return parent.InstanceLocation
	case ok && isApplicatorHop(rest):
		return parent.InstanceLocation
	}
	if name, found := strings.CutPrefix(rest, "/properties/"); ok && found && !strings.Contains(name, "/") {
		return append(slices.Clone(parent.InstanceLocation), unescapeToken(name))
	}
	return fl.childWithProperty(parent.InstanceLocation, property)
}

// isApplicatorHop reports whether a schema path step is one alternative of
// oneOf, anyOf or allOf ("/oneOf/1").
func isApplicatorHop(rest string) bool {
	for _, kw := range []string{"/oneOf/", "/anyOf/", "/allOf/"} {
		if idx, ok := strings.CutPrefix(rest, kw); ok {
			return indexOf(idx, 1<<30) >= 0
		}
	}
	return false
}

// unescapeToken decodes one JSON pointer token of a schema location.
func unescapeToken(tok string) string {
	if t, err := url.PathUnescape(tok); err == nil {
		tok = t
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

// childWithProperty returns the location of the only object directly under
// the value at loc that has the property, or loc itself.
func (fl flattener) childWithProperty(loc []string, property string) []string {
	v := valueAt(fl.doc, loc)
	var found []string
	matches := 0
	consider := func(tok string, child any) {
		if obj, ok := child.(map[string]any); ok {
			if _, has := obj[property]; has {
				matches++
				found = append(slices.Clone(loc), tok)
			}
		}
	}
	switch c := v.(type) {
	case map[string]any:
		for k, child := range c {
			consider(k, child)
		}
	case []any:
		for i, child := range c {
			consider(strconv.Itoa(i), child)
		}
	}
	if matches == 1 {
		return found
	}
	return loc
}

// valueAt returns the value at an instance location, or nil.
func valueAt(doc any, loc []string) any {
	for _, tok := range loc {
		switch d := doc.(type) {
		case map[string]any:
			doc = d[tok]
		case []any:
			i := indexOf(tok, len(d))
			if i < 0 {
				return nil
			}
			doc = d[i]
		default:
			return nil
		}
	}
	return doc
}
