package schema

import (
	"errors"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Validate checks an OB 3.0 credential against the OB 3.0 JSON schema for
// its type: OpenBadgeCredential and AchievementCredential against
// [AchievementCredentialSchema], EndorsementCredential against
// [EndorsementCredentialSchema].
//
// doc is a decoded JSON document: what encoding/json produces when decoding
// into an any (numbers as float64 or json.Number). For raw bytes use
// [ValidateJSON].
//
// The error is [ErrNotApplicable] when the document is not an OB 3.0
// credential of VC Data Model 2.0 (see the package documentation),
// [ErrNotJSON] when doc holds a value JSON cannot carry, and
// [ErrSchemaUnavailable] when the embedded schemas do not compile. A document
// that breaks the schema is not an error: the Result lists the issues.
func Validate(doc any) (Result, error) {
	if err := checkJSONValue(doc); err != nil {
		return Result{}, fmt.Errorf("validate OB 3.0 credential: %w", err)
	}
	id, err := credentialSchemaFor(doc)
	if err != nil {
		return Result{}, fmt.Errorf("validate OB 3.0 credential: %w", err)
	}
	return validateWith(id, doc)
}

// ValidateJSON parses data as one JSON document and runs [Validate] on it.
// Bytes that are not one JSON value give [ErrNotJSON].
func ValidateJSON(data []byte) (Result, error) {
	doc, err := decodeJSON(data)
	if err != nil {
		return Result{}, fmt.Errorf("validate OB 3.0 credential: %w", err)
	}
	return Validate(doc)
}

// ValidateProfile checks a Profile document (an issuer or a learner profile,
// as served by the OB 3.0 API) against [ProfileSchema]. Any JSON value is
// checked; one that is not an object is reported as an issue.
//
// The error is [ErrNotJSON] when doc holds a value JSON cannot carry and
// [ErrSchemaUnavailable] when the embedded schemas do not compile.
func ValidateProfile(doc any) (Result, error) {
	if err := checkJSONValue(doc); err != nil {
		return Result{}, fmt.Errorf("validate OB 3.0 profile: %w", err)
	}
	return validateWith(ProfileSchema, doc)
}

// validateWith validates doc against the schema with the given $id and words
// the failures for a person.
func validateWith(id string, doc any) (Result, error) {
	sch, set, err := schemaFor(id)
	if err != nil {
		return Result{}, fmt.Errorf("validate against %s: %w", id, err)
	}
	verr := sch.Validate(doc)
	if verr == nil {
		return Result{Schema: id}, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return Result{}, fmt.Errorf("validate against %s: %w", id, verr)
	}
	failures := flattener{doc: doc}.flatten(ve, nil)
	issues := make([]Issue, 0, len(failures))
	for _, f := range failures {
		issues = append(issues, describe(f, set))
	}
	return finish(id, issues), nil
}
