// Package schema checks Open Badges 3.0 documents against the 1EdTech OB 3.0
// JSON Schemas (draft 2019-09).
//
// The schemas are embedded and compiled once; every schema reference is
// resolved from the embedded set, so validation never touches the network or
// the file system. [Validate] picks the schema from the credential's type
// (OpenBadgeCredential and AchievementCredential use the AchievementCredential
// schema, EndorsementCredential the EndorsementCredential schema) and reports
// what is wrong as a short list of [Issue] values, each a JSON pointer into the
// document and a sentence a person can act on.
//
// The schemas are the published "JSON-LD adaptation" ones: they accept a
// single value or an array wherever JSON-LD does, and a language map
// ({"en": "..."}) wherever a string is expected. They describe VC Data Model
// 2.0 credentials only; a VC Data Model 1.1 credential is reported as
// [ErrNotApplicable].
package schema
