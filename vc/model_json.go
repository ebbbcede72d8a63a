package vc

// JSON methods that keep unmodelled members (Extra) through a parse/serialize cycle.

import "encoding/json"

// MarshalJSON writes the modelled members, then the extra ones.
func (v Credential) MarshalJSON() ([]byte, error) {
	type plain Credential
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Credential) UnmarshalJSON(b []byte) error {
	type plain Credential
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Credential(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Subject) MarshalJSON() ([]byte, error) {
	type plain Subject
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Subject) UnmarshalJSON(b []byte) error {
	type plain Subject
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Subject(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Achievement) MarshalJSON() ([]byte, error) {
	type plain Achievement
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Achievement) UnmarshalJSON(b []byte) error {
	type plain Achievement
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Achievement(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Criteria) MarshalJSON() ([]byte, error) {
	type plain Criteria
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Criteria) UnmarshalJSON(b []byte) error {
	type plain Criteria
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Criteria(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Evidence) MarshalJSON() ([]byte, error) {
	type plain Evidence
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Evidence) UnmarshalJSON(b []byte) error {
	type plain Evidence
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Evidence(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Alignment) MarshalJSON() ([]byte, error) {
	type plain Alignment
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Alignment) UnmarshalJSON(b []byte) error {
	type plain Alignment
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Alignment(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v IdentityObject) MarshalJSON() ([]byte, error) {
	type plain IdentityObject
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *IdentityObject) UnmarshalJSON(b []byte) error {
	type plain IdentityObject
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = IdentityObject(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v IdentifierEntry) MarshalJSON() ([]byte, error) {
	type plain IdentifierEntry
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *IdentifierEntry) UnmarshalJSON(b []byte) error {
	type plain IdentifierEntry
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = IdentifierEntry(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Related) MarshalJSON() ([]byte, error) {
	type plain Related
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Related) UnmarshalJSON(b []byte) error {
	type plain Related
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Related(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Result) MarshalJSON() ([]byte, error) {
	type plain Result
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Result) UnmarshalJSON(b []byte) error {
	type plain Result
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Result(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v ResultDescription) MarshalJSON() ([]byte, error) {
	type plain ResultDescription
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *ResultDescription) UnmarshalJSON(b []byte) error {
	type plain ResultDescription
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = ResultDescription(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Address) MarshalJSON() ([]byte, error) {
	type plain Address
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Address) UnmarshalJSON(b []byte) error {
	type plain Address
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Address(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v CredentialSchema) MarshalJSON() ([]byte, error) {
	type plain CredentialSchema
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *CredentialSchema) UnmarshalJSON(b []byte) error {
	type plain CredentialSchema
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = CredentialSchema(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Status) MarshalJSON() ([]byte, error) {
	type plain Status
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Status) UnmarshalJSON(b []byte) error {
	type plain Status
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Status(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v RelatedResource) MarshalJSON() ([]byte, error) {
	type plain RelatedResource
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *RelatedResource) UnmarshalJSON(b []byte) error {
	type plain RelatedResource
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = RelatedResource(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Proof) MarshalJSON() ([]byte, error) {
	type plain Proof
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Proof) UnmarshalJSON(b []byte) error {
	type plain Proof
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Proof(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes the modelled members, then the extra ones.
func (v Presentation) MarshalJSON() ([]byte, error) {
	type plain Presentation
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads the modelled members and keeps the others in Extra.
func (v *Presentation) UnmarshalJSON(b []byte) error {
	type plain Presentation
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Presentation(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes a bare URI when URIOnly is set, otherwise the object.
func (v Profile) MarshalJSON() ([]byte, error) {
	if v.URIOnly {
		return json.Marshal(v.ID)
	}
	type plain Profile
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads a bare URI or an object (keeping unmodelled members in Extra).
func (v *Profile) UnmarshalJSON(b []byte) error {
	if isJSONString(b) {
		*v = Profile{URIOnly: true}
		return json.Unmarshal(b, &v.ID)
	}
	type plain Profile
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Profile(p)
	v.Extra = extra
	return nil
}

// MarshalJSON writes a bare URI when URIOnly is set, otherwise the object.
func (v Image) MarshalJSON() ([]byte, error) {
	if v.URIOnly {
		return json.Marshal(v.ID)
	}
	type plain Image
	p := plain(v)
	return encodeMembers(&p, v.Extra)
}

// UnmarshalJSON reads a bare URI or an object (keeping unmodelled members in Extra).
func (v *Image) UnmarshalJSON(b []byte) error {
	if isJSONString(b) {
		*v = Image{URIOnly: true}
		return json.Unmarshal(b, &v.ID)
	}
	type plain Image
	var p plain
	extra, err := decodeMembers(b, &p)
	if err != nil {
		return err
	}
	*v = Image(p)
	v.Extra = extra
	return nil
}
