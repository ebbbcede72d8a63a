package schema

import "errors"

// ErrNotApplicable is returned by [Validate] when the document is not one the
// OB 3.0 credential schemas describe: it is not a JSON object, its type names
// no OB 3.0 credential type, or it is not a VC Data Model 2.0 credential (its
// first @context is not https://www.w3.org/ns/credentials/v2).
var ErrNotApplicable = errors.New("the OB 3.0 JSON schemas do not apply to this document")

// ErrNotJSON is returned when the input is not a JSON document: bytes that do
// not parse as one JSON value, or a Go value holding something other than
// what encoding/json produces when decoding into an any.
var ErrNotJSON = errors.New("document is not JSON")

// ErrSchemaUnavailable is returned when the embedded schemas cannot be
// compiled. It means the build embedded a broken schema set, never that the
// document is wrong.
var ErrSchemaUnavailable = errors.New("embedded OB 3.0 JSON schemas cannot be compiled")
