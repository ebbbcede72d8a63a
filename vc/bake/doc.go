// Package bake embeds Open Badges 3.0 credentials in PNG and SVG images
// ("baking") and extracts them again, as the OB 3.0 "Baked Badge" section
// describes.
//
// A PNG carries the credential in one uncompressed iTXt chunk with the
// keyword "openbadgecredential". An SVG carries it in an
// <openbadges:credential> element, the first child of the root <svg>, with
// the openbadges prefix bound to https://purl.imsglobal.org/ob/v3p0: a JSON
// credential as the element's CDATA text, a VC-JWT as its verify attribute.
//
// Images come from strangers, so extraction is defensive: PNG signatures and
// chunk CRCs are checked, sizes are bounded ([MaxImageSize],
// [MaxCredentialSize]), a second credential is refused rather than one of
// the two picked, and SVG is read with a streaming XML decoder that refuses
// DTD internal subsets and entity declarations (no XXE, no entity
// expansion). An image that holds an Open Badges 2.0 assertion instead is
// reported as such ([ErrOpenBadges2]).
//
// The credential itself is returned as bytes, not verified: that is the
// verification pipeline's work.
package bake
