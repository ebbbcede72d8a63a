package did

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Verification relationship names (DID Core §5.3).
const (
	Authentication       = "authentication"
	AssertionMethod      = "assertionMethod"
	KeyAgreement         = "keyAgreement"
	CapabilityInvocation = "capabilityInvocation"
	CapabilityDelegation = "capabilityDelegation"
)

// Document is a DID document (DID Core §5). Members it does not model are
// kept in Extra and written back by MarshalJSON. Ids may be relative
// ("#key-1"); lookups resolve them against the document id.
type Document struct {
	// Context is "@context" as found (nil when absent).
	Context              json.RawMessage
	ID                   string
	Controller           []string // a string or a set of strings in JSON
	AlsoKnownAs          []string
	VerificationMethod   []VerificationMethod
	Authentication       []MethodRef
	AssertionMethod      []MethodRef
	KeyAgreement         []MethodRef
	CapabilityInvocation []MethodRef
	CapabilityDelegation []MethodRef
	Service              []Service
	// Extra holds every other member, as found.
	Extra map[string]json.RawMessage

	controllerIsSet bool // controller was written as an array
}

// MethodRef is one entry of a verification relationship: a reference to a
// verification method (Ref, possibly relative) or an embedded one.
type MethodRef struct {
	Ref      string
	Embedded *VerificationMethod
}

// Service is a service endpoint entry (DID Core §5.4).
type Service struct {
	ID              string
	Type            []string // a string or a set of strings in JSON
	ServiceEndpoint json.RawMessage
	Extra           map[string]json.RawMessage

	typeIsSet bool // type was written as an array
}

// ParseDocument decodes a DID document and checks it: id is a DID, every
// verification method has an id that resolves to a DID URL with a fragment,
// a type and a DID controller, ids are unique, and relationship references
// are DID URLs.
func ParseDocument(data []byte) (*Document, error) {
	var d Document
	if err := json.Unmarshal(data, &d); err != nil {
		if !errors.Is(err, ErrInvalidDocument) {
			err = fmt.Errorf("%w: not valid JSON: %v", ErrInvalidDocument, err)
		}
		return nil, fmt.Errorf("parse DID document: %w", err)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("parse DID document: %w", err)
	}
	return &d, nil
}

// Validate checks the rules listed at ParseDocument.
func (d *Document) Validate() error {
	if d.ID == "" {
		return fmt.Errorf("%w: no \"id\" member", ErrInvalidDocument)
	}
	if _, err := Parse(d.ID); err != nil {
		return fmt.Errorf("%w: id: %w", ErrInvalidDocument, err)
	}
	for i, c := range d.Controller {
		if _, err := Parse(c); err != nil {
			return fmt.Errorf("%w: controller[%d]: %w", ErrInvalidDocument, i, err)
		}
	}
	type definition struct {
		where string
		vm    *VerificationMethod
	}
	seen := make(map[string]definition)
	checkVM := func(where string, vm *VerificationMethod) error {
		if err := d.checkMethod(vm); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrInvalidDocument, where, err)
		}
		id := d.Absolute(vm.ID)
		if prev, dup := seen[id]; dup {
			if !prev.vm.sameAs(vm, d) {
				return fmt.Errorf("%w: %s redefines verification method %s, already defined differently by %s", ErrInvalidDocument, where, quote(id), prev.where)
			}
			return nil
		}
		seen[id] = definition{where, vm}
		return nil
	}
	for i := range d.VerificationMethod {
		if err := checkVM(fmt.Sprintf("verificationMethod[%d]", i), &d.VerificationMethod[i]); err != nil {
			return err
		}
	}
	for _, rel := range relationshipNames {
		for i, ref := range d.Relationship(rel) {
			where := fmt.Sprintf("%s[%d]", rel, i)
			if ref.Embedded != nil {
				if err := checkVM(where, ref.Embedded); err != nil {
					return err
				}
				continue
			}
			if _, _, err := SplitURL(d.Absolute(ref.Ref)); err != nil {
				return fmt.Errorf("%w: %s: %w", ErrInvalidDocument, where, err)
			}
		}
	}
	return nil
}

// checkMethod checks the shape of one verification method.
func (d *Document) checkMethod(vm *VerificationMethod) error {
	if vm.ID == "" {
		return fmt.Errorf("verification method has no \"id\"")
	}
	_, frag, err := SplitURL(d.Absolute(vm.ID))
	if err != nil {
		return fmt.Errorf("verification method id: %w", err)
	}
	if frag == "" {
		return fmt.Errorf("verification method id %s has no #fragment", quote(vm.ID))
	}
	if vm.Type == "" {
		return fmt.Errorf("verification method %s has no \"type\"", quote(vm.ID))
	}
	if vm.Controller == "" {
		return fmt.Errorf("verification method %s has no \"controller\"", quote(vm.ID))
	}
	if _, err := Parse(vm.Controller); err != nil {
		return fmt.Errorf("verification method %s controller: %w", quote(vm.ID), err)
	}
	return nil
}

// relationshipNames lists the verification relationships in document order.
var relationshipNames = []string{Authentication, AssertionMethod, KeyAgreement, CapabilityInvocation, CapabilityDelegation}

// Relationship returns the entries of a verification relationship by name
// ("assertionMethod", …); nil for an unknown name.
func (d *Document) Relationship(name string) []MethodRef {
	switch name {
	case Authentication:
		return d.Authentication
	case AssertionMethod:
		return d.AssertionMethod
	case KeyAgreement:
		return d.KeyAgreement
	case CapabilityInvocation:
		return d.CapabilityInvocation
	case CapabilityDelegation:
		return d.CapabilityDelegation
	}
	return nil
}

// Absolute resolves a reference relative to the document id: "#key-1"
// becomes "did:web:example.com#key-1". Other values are returned unchanged.
func (d *Document) Absolute(ref string) string {
	if strings.HasPrefix(ref, "#") {
		return d.ID + ref
	}
	return ref
}

// VerificationMethodByID finds a verification method by id (absolute or
// relative to the document), in verificationMethod or embedded in a
// relationship. The returned copy has an absolute id. The error wraps
// ErrNotFound.
func (d *Document) VerificationMethodByID(id string) (*VerificationMethod, error) {
	want := d.Absolute(id)
	found := func(vm VerificationMethod) *VerificationMethod {
		vm.ID = d.Absolute(vm.ID)
		return &vm
	}
	for _, vm := range d.VerificationMethod {
		if d.Absolute(vm.ID) == want {
			return found(vm), nil
		}
	}
	for _, rel := range relationshipNames {
		for _, ref := range d.Relationship(rel) {
			if ref.Embedded != nil && d.Absolute(ref.Embedded.ID) == want {
				return found(*ref.Embedded), nil
			}
		}
	}
	return nil, fmt.Errorf("%w: verification method %s is not in DID document %s", ErrNotFound, quote(want), quote(d.ID))
}

// HasVerificationRelationship reports whether the verification method vmID
// is listed under relationship (for example AssertionMethod), by reference
// or embedded. Ids are compared exactly after resolving relative ones
// against the document id; there is no prefix or substring matching.
func (d *Document) HasVerificationRelationship(vmID, relationship string) bool {
	want := d.Absolute(vmID)
	for _, ref := range d.Relationship(relationship) {
		id := ref.Ref
		if ref.Embedded != nil {
			id = ref.Embedded.ID
		}
		if d.Absolute(id) == want {
			return true
		}
	}
	return false
}

// UnmarshalJSON decodes a DID document, keeping unknown members in Extra.
func (d *Document) UnmarshalJSON(data []byte) error {
	members, err := objectMembers(data, "DID document")
	if err != nil {
		return err
	}
	var out Document
	if raw, ok := take(members, "@context"); ok {
		out.Context = raw
	}
	if out.ID, err = stringMember(members, "id", "DID document"); err != nil {
		return err
	}
	if out.Controller, out.controllerIsSet, err = stringOrSet(members, "controller", "DID document"); err != nil {
		return err
	}
	if raw, ok := take(members, "alsoKnownAs"); ok {
		if err := json.Unmarshal(raw, &out.AlsoKnownAs); err != nil {
			return fmt.Errorf("%w: alsoKnownAs must be an array of strings", ErrInvalidDocument)
		}
	}
	if raw, ok := take(members, "verificationMethod"); ok {
		if err := json.Unmarshal(raw, &out.VerificationMethod); err != nil {
			return fmt.Errorf("%w: verificationMethod: %w", ErrInvalidDocument, err)
		}
	}
	for _, rel := range []struct {
		name string
		dst  *[]MethodRef
	}{
		{Authentication, &out.Authentication},
		{AssertionMethod, &out.AssertionMethod},
		{KeyAgreement, &out.KeyAgreement},
		{CapabilityInvocation, &out.CapabilityInvocation},
		{CapabilityDelegation, &out.CapabilityDelegation},
	} {
		if raw, ok := take(members, rel.name); ok {
			if err := json.Unmarshal(raw, rel.dst); err != nil {
				return fmt.Errorf("%w: %s: %w", ErrInvalidDocument, rel.name, err)
			}
		}
	}
	if raw, ok := take(members, "service"); ok {
		if err := json.Unmarshal(raw, &out.Service); err != nil {
			return fmt.Errorf("%w: service: %w", ErrInvalidDocument, err)
		}
	}
	if len(members) > 0 {
		out.Extra = members
	}
	*d = out
	return nil
}

// MarshalJSON encodes the document with its Extra members; members are
// written in lexicographic order.
func (d Document) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(d.Extra)+12)
	for k, v := range d.Extra {
		m[k] = v
	}
	if d.Context != nil {
		m["@context"] = d.Context
	}
	m["id"] = d.ID
	if v := stringOrSetValue(d.Controller, d.controllerIsSet); v != nil {
		m["controller"] = v
	}
	if d.AlsoKnownAs != nil {
		m["alsoKnownAs"] = d.AlsoKnownAs
	}
	if d.VerificationMethod != nil {
		m["verificationMethod"] = d.VerificationMethod
	}
	for _, rel := range relationshipNames {
		if refs := d.Relationship(rel); refs != nil {
			m[rel] = refs
		}
	}
	if d.Service != nil {
		m["service"] = d.Service
	}
	return json.Marshal(m)
}

// UnmarshalJSON decodes a reference string or an embedded verification
// method.
func (r *MethodRef) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("%w: verification method reference is not a valid string", ErrInvalidDocument)
		}
		*r = MethodRef{Ref: s}
		return nil
	}
	if len(data) == 0 || data[0] != '{' {
		return fmt.Errorf("%w: a verification relationship entry must be a string or an object", ErrInvalidDocument)
	}
	var vm VerificationMethod
	if err := json.Unmarshal(data, &vm); err != nil {
		return err
	}
	*r = MethodRef{Embedded: &vm}
	return nil
}

// MarshalJSON encodes the reference or the embedded method.
func (r MethodRef) MarshalJSON() ([]byte, error) {
	if r.Embedded != nil {
		return json.Marshal(r.Embedded)
	}
	return json.Marshal(r.Ref)
}

// UnmarshalJSON decodes a service entry, keeping unknown members.
func (s *Service) UnmarshalJSON(data []byte) error {
	members, err := objectMembers(data, "service")
	if err != nil {
		return err
	}
	var out Service
	if out.ID, err = stringMember(members, "id", "service"); err != nil {
		return err
	}
	if out.Type, out.typeIsSet, err = stringOrSet(members, "type", "service"); err != nil {
		return err
	}
	if raw, ok := take(members, "serviceEndpoint"); ok {
		out.ServiceEndpoint = raw
	}
	if len(members) > 0 {
		out.Extra = members
	}
	*s = out
	return nil
}

// MarshalJSON encodes the service entry with its Extra members.
func (s Service) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(s.Extra)+3)
	for k, v := range s.Extra {
		m[k] = v
	}
	if s.ID != "" {
		m["id"] = s.ID
	}
	if v := stringOrSetValue(s.Type, s.typeIsSet); v != nil {
		m["type"] = v
	}
	if s.ServiceEndpoint != nil {
		m["serviceEndpoint"] = s.ServiceEndpoint
	}
	return json.Marshal(m)
}

// objectMembers decodes a JSON object into its raw members.
func objectMembers(data []byte, what string) (map[string]json.RawMessage, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil || members == nil {
		return nil, fmt.Errorf("%w: %s must be a JSON object", ErrInvalidDocument, what)
	}
	return members, nil
}

// take removes and returns a member.
func take(members map[string]json.RawMessage, name string) (json.RawMessage, bool) {
	raw, ok := members[name]
	if ok {
		delete(members, name)
	}
	return raw, ok
}

// stringMember removes and decodes a string member ("" when absent).
func stringMember(members map[string]json.RawMessage, name, what string) (string, error) {
	raw, ok := take(members, name)
	if !ok {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%w: %s %q must be a string", ErrInvalidDocument, what, name)
	}
	return s, nil
}

// stringOrSet removes and decodes a member holding a string or an array of
// strings; isSet reports the array form.
func stringOrSet(members map[string]json.RawMessage, name, what string) (values []string, isSet bool, err error) {
	raw, ok := take(members, name)
	if !ok {
		return nil, false, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, false, nil
	}
	var set []string
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, false, fmt.Errorf("%w: %s %q must be a string or an array of strings", ErrInvalidDocument, what, name)
	}
	return set, true, nil
}

// stringOrSetValue returns the JSON value for a string-or-set member: nil
// when empty, a string when single and not written as an array.
func stringOrSetValue(values []string, isSet bool) any {
	switch {
	case len(values) == 0 && !isSet:
		return nil
	case len(values) == 1 && !isSet:
		return values[0]
	}
	return values
}
