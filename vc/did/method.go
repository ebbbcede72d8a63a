package did

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/communs/communs/vc/keys"
)

// Verification method types understood by (*VerificationMethod).PublicKey.
const (
	TypeMultikey                   = "Multikey"
	TypeEd25519VerificationKey2020 = "Ed25519VerificationKey2020"
	TypeEd25519VerificationKey2018 = "Ed25519VerificationKey2018"
	TypeJSONWebKey                 = "JsonWebKey"
	TypeJSONWebKey2020             = "JsonWebKey2020"
	TypeEcdsaSecp256r1Key2019      = "EcdsaSecp256r1VerificationKey2019"
)

// VerificationMethod is a verification method of a DID document (DID Core
// §5.2). Members it does not model are kept in Extra.
type VerificationMethod struct {
	ID                 string
	Type               string
	Controller         string
	PublicKeyMultibase string
	PublicKeyJWK       json.RawMessage // "publicKeyJwk", as found
	PublicKeyBase58    string
	Extra              map[string]json.RawMessage
}

// PublicKey returns the public key of the method (ed25519.PublicKey,
// *ecdsa.PublicKey or, for JWK types, *rsa.PublicKey):
//
//   - Multikey: publicKeyMultibase (Ed25519, P-256, P-384);
//   - Ed25519VerificationKey2020: publicKeyMultibase, Ed25519 only;
//   - Ed25519VerificationKey2018: publicKeyBase58;
//   - JsonWebKey, JsonWebKey2020: publicKeyJwk (private members refused);
//   - EcdsaSecp256r1VerificationKey2019: publicKeyMultibase, P-256 only.
//
// The method must carry exactly the one key property its type uses.
func (vm *VerificationMethod) PublicKey() (crypto.PublicKey, error) {
	var want string
	switch vm.Type {
	case TypeMultikey, TypeEd25519VerificationKey2020, TypeEcdsaSecp256r1Key2019:
		want = "publicKeyMultibase"
	case TypeEd25519VerificationKey2018:
		want = "publicKeyBase58"
	case TypeJSONWebKey, TypeJSONWebKey2020:
		want = "publicKeyJwk"
	default:
		return nil, fmt.Errorf("verification method %s: %w: %s (supported: Multikey, Ed25519VerificationKey2020, Ed25519VerificationKey2018, JsonWebKey, JsonWebKey2020, EcdsaSecp256r1VerificationKey2019)", quote(vm.ID), ErrUnsupportedKeyType, quote(vm.Type))
	}
	present := vm.keyProperties()
	if len(present) != 1 || present[0] != want {
		if len(present) == 0 {
			return nil, fmt.Errorf("verification method %s: %w: type %s needs %s, which is missing", quote(vm.ID), ErrInvalidDocument, vm.Type, want)
		}
		return nil, fmt.Errorf("verification method %s: %w: type %s must carry only %s, found %s", quote(vm.ID), ErrInvalidDocument, vm.Type, want, strings.Join(present, ", "))
	}
	var (
		pub crypto.PublicKey
		err error
	)
	switch want {
	case "publicKeyMultibase":
		pub, err = keys.DecodeMultikey(vm.PublicKeyMultibase)
	case "publicKeyBase58":
		pub, err = keys.Ed25519FromBase58(vm.PublicKeyBase58)
	case "publicKeyJwk":
		pub, err = keys.PublicKeyFromJWK(vm.PublicKeyJWK)
	}
	if err != nil {
		return nil, fmt.Errorf("verification method %s: %w", quote(vm.ID), err)
	}
	switch vm.Type {
	case TypeEd25519VerificationKey2020:
		if _, ok := pub.(ed25519.PublicKey); !ok {
			return nil, fmt.Errorf("verification method %s: %w: type Ed25519VerificationKey2020 holds a %s key", quote(vm.ID), ErrInvalidDocument, keyKind(pub))
		}
	case TypeEcdsaSecp256r1Key2019:
		if ec, ok := pub.(*ecdsa.PublicKey); !ok || ec.Curve.Params().Name != "P-256" {
			return nil, fmt.Errorf("verification method %s: %w: type EcdsaSecp256r1VerificationKey2019 holds a %s key", quote(vm.ID), ErrInvalidDocument, keyKind(pub))
		}
	}
	return pub, nil
}

// keyProperties lists the key material properties present.
func (vm *VerificationMethod) keyProperties() []string {
	var present []string
	if vm.PublicKeyMultibase != "" {
		present = append(present, "publicKeyMultibase")
	}
	if len(vm.PublicKeyJWK) > 0 && string(vm.PublicKeyJWK) != "null" {
		present = append(present, "publicKeyJwk")
	}
	if vm.PublicKeyBase58 != "" {
		present = append(present, "publicKeyBase58")
	}
	return present
}

// keyKind names the type of a public key for messages.
func keyKind(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		return "Ed25519"
	case *ecdsa.PublicKey:
		return k.Curve.Params().Name
	}
	return fmt.Sprintf("%T", pub)
}

// UnmarshalJSON decodes a verification method, keeping unknown members.
func (vm *VerificationMethod) UnmarshalJSON(data []byte) error {
	members, err := objectMembers(data, "verification method")
	if err != nil {
		return err
	}
	var out VerificationMethod
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"id", &out.ID},
		{"type", &out.Type},
		{"controller", &out.Controller},
		{"publicKeyMultibase", &out.PublicKeyMultibase},
		{"publicKeyBase58", &out.PublicKeyBase58},
	} {
		if *f.dst, err = stringMember(members, f.name, "verification method"); err != nil {
			return err
		}
	}
	if raw, ok := take(members, "publicKeyJwk"); ok {
		out.PublicKeyJWK = raw
	}
	if len(members) > 0 {
		out.Extra = members
	}
	*vm = out
	return nil
}

// MarshalJSON encodes the verification method with its Extra members.
func (vm VerificationMethod) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(vm.Extra)+6)
	for k, v := range vm.Extra {
		m[k] = v
	}
	for name, v := range map[string]string{
		"id":                 vm.ID,
		"type":               vm.Type,
		"controller":         vm.Controller,
		"publicKeyMultibase": vm.PublicKeyMultibase,
		"publicKeyBase58":    vm.PublicKeyBase58,
	} {
		if v != "" {
			m[name] = v
		}
	}
	if len(vm.PublicKeyJWK) > 0 {
		m["publicKeyJwk"] = vm.PublicKeyJWK
	}
	return json.Marshal(m)
}

// sameAs reports whether two definitions of a verification method in doc say
// the same thing (same absolute id, type, controller, key material and other
// members).
func (vm *VerificationMethod) sameAs(other *VerificationMethod, doc *Document) bool {
	a, b := *vm, *other
	a.ID, b.ID = doc.Absolute(a.ID), doc.Absolute(b.ID)
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
