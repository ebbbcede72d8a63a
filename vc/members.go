package vc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Extra holds the JSON members a type does not model (extensions, other vocabularies), so that
// a parse/serialize cycle never loses them.
type Extra map[string]json.RawMessage

// knownMembers caches, per struct type, the JSON names of its modelled fields.
var knownMembers sync.Map // reflect.Type -> map[string]bool

func membersOf(t reflect.Type) map[string]bool {
	if m, ok := knownMembers.Load(t); ok {
		return m.(map[string]bool)
	}
	m := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = true
	}
	knownMembers.Store(t, m)
	return m
}

// decodeMembers decodes data into the struct pointed to by plain (a pointer to a type with the
// same fields as the caller but no methods) and returns the members that no field models.
func decodeMembers(data []byte, plain any) (Extra, error) {
	if err := json.Unmarshal(data, plain); err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	known := membersOf(reflect.TypeOf(plain).Elem())
	var extra Extra
	for k, v := range all {
		if known[k] {
			continue
		}
		if extra == nil {
			extra = Extra{}
		}
		extra[k] = v
	}
	return extra, nil
}

// encodeMembers writes the modelled fields of plain followed by the extra members in name order.
// A modelled member wins over an extra of the same name.
func encodeMembers(plain any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(plain)
	if err != nil {
		return nil, err
	}
	if len(extra) == 0 {
		return b, nil
	}
	known := membersOf(reflect.TypeOf(plain).Elem())
	names := make([]string, 0, len(extra))
	for k := range extra {
		if !known[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1]) // drop the closing brace
	first := len(b) == 2    // "{}"
	for _, k := range names {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(extra[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// OneOrMany is a member that JSON-LD allows as a single value or an array. It remembers which
// form it was read in so that a round trip writes the same shape.
type OneOrMany[T any] struct {
	Items  []T
	Single bool // written as a single value when it holds exactly one item
}

// One returns a member holding a single value, written without an array.
func One[T any](v T) OneOrMany[T] { return OneOrMany[T]{Items: []T{v}, Single: true} }

// Many returns a member written as an array.
func Many[T any](vs ...T) OneOrMany[T] { return OneOrMany[T]{Items: vs} }

// IsZero reports whether the member holds nothing (so `omitzero` leaves it out).
func (o OneOrMany[T]) IsZero() bool { return o.Items == nil }

// First returns the first item, or the zero value.
func (o OneOrMany[T]) First() T {
	var zero T
	if len(o.Items) == 0 {
		return zero
	}
	return o.Items[0]
}

// MarshalJSON writes a single value or an array.
func (o OneOrMany[T]) MarshalJSON() ([]byte, error) {
	if o.Single && len(o.Items) == 1 {
		return json.Marshal(o.Items[0])
	}
	if o.Items == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(o.Items)
}

// UnmarshalJSON reads a single value or an array.
func (o *OneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		o.Single = false
		return json.Unmarshal(b, &o.Items)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Items, o.Single = []T{v}, true
	return nil
}

// Contains reports whether a OneOrMany of strings holds s.
func Contains(o OneOrMany[string], s string) bool {
	for _, v := range o.Items {
		if v == s {
			return true
		}
	}
	return false
}

// Text is a human-readable string: plain, or a language map ({"fr": "…", "en": "…"}) as the
// published OB 3.0 JSON Schema allows. Language maps are read from others' credentials, but the
// OB 3.0 context does not define them, so a signed credential must not carry one (JSON-LD would
// drop it; canonicalization refuses it): Communs issues one edition per language and links the
// editions of an achievement with Related.
type Text struct {
	Value string            // the plain form
	Langs map[string]string // the language-map form
}

// Plain returns a Text written as a plain string.
func Plain(s string) Text { return Text{Value: s} }

// In returns the text in lang, falling back to the plain value, then to any language.
func (t Text) In(lang string) string {
	if v, ok := t.Langs[lang]; ok {
		return v
	}
	if t.Value != "" || len(t.Langs) == 0 {
		return t.Value
	}
	keys := make([]string, 0, len(t.Langs))
	for k := range t.Langs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return t.Langs[keys[0]]
}

// String returns the plain value or the first language's value.
func (t Text) String() string { return t.In("") }

// IsZero reports an empty text.
func (t Text) IsZero() bool { return t.Value == "" && len(t.Langs) == 0 }

// MarshalJSON writes the plain string or the language map.
func (t Text) MarshalJSON() ([]byte, error) {
	if len(t.Langs) > 0 {
		return json.Marshal(t.Langs)
	}
	return json.Marshal(t.Value)
}

// UnmarshalJSON reads a string or a language map.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		t.Value = ""
		if err := json.Unmarshal(b, &t.Langs); err != nil {
			return fmt.Errorf("text: a language map must map language tags to strings: %w", err)
		}
		return nil
	}
	t.Langs = nil
	return json.Unmarshal(b, &t.Value)
}

// IndexString is a status list index: a base-10 string per the Bitstring Status List spec. A
// JSON number is accepted on input (some issuers write one) and written back as a string.
type IndexString string

// UnmarshalJSON accepts a string or an integer.
func (s *IndexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '"' {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("statusListIndex must be a string of digits: %w", err)
		}
		*s = IndexString(n.String())
		return nil
	}
	return json.Unmarshal(b, (*string)(s))
}
