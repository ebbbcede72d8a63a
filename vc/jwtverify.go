package vc

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/communs/communs/vc/jwt"
)

// looksLikeJWT reports whether b has the shape of a compact JWS: three base64url segments.
func looksLikeJWT(b []byte) bool {
	if bytes.Count(b, []byte{'.'}) != 2 {
		return false
	}
	for _, c := range b {
		if !(c == '.' || c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// verifyJWT checks a VC-JWT: both the VC DM 2.0 payload shape and the 1.1 "vc" claim shape.
func verifyJWT(ctx context.Context, rep *Report, token string, opts *Options, depth int) {
	tok, err := jwt.Parse(token)
	if err != nil {
		rep.add(CheckFormat, Failed, "The VC-JWT cannot be read: %v.", err)
		return
	}
	doc, shape := tok.Credential()
	if doc == nil {
		rep.add(CheckFormat, Failed, "The JWT carries neither a credential nor a presentation.")
		return
	}
	if shape.IsPresentation() {
		rep.Kind = "presentation"
		rep.add(CheckFormat, Failed, "Presentations secured as JWTs are not supported yet; send the presentation as JSON-LD with a Data Integrity proof.")
		return
	}
	rep.Credential = doc
	rep.Version = dataModelVersion(doc)
	rep.add(CheckFormat, OK, "A VC-JWT signed with %s, %s (VC Data Model %s).", tok.Alg(), shape, rep.Version)
	rep.Summary = summarize(doc)
	if !checkContexts(rep, doc) {
		return
	}
	checkSchema(rep, doc)
	issuer := issuerID(doc)
	keyID := checkJWTSignature(ctx, rep, tok, issuer, opts)
	checkDates(rep, doc, opts.now())
	checkJWTDates(rep, tok, opts.now())
	checkStatus(ctx, rep, doc, opts, depth)
	checkIssuer(ctx, rep, issuer, keyID, opts)
	checkEndorsements(ctx, rep, doc, opts, depth)
}

func checkJWTSignature(ctx context.Context, rep *Report, tok *jwt.Token, issuer string, opts *Options) string {
	if err := tok.CheckClaims(); err != nil {
		rep.add(CheckProof, Failed, "The JWT's claims disagree with the credential: %v.", err)
		return ""
	}
	vmID, err := tok.VerificationMethod()
	if err != nil && (strings.HasPrefix(issuer, "did:key:") || strings.HasPrefix(issuer, "did:jwk:")) {
		// No kid: a did:key or did:jwk issuer has exactly one key.
		vmID, err = onlyAssertionMethod(ctx, issuer, opts)
	}
	if err != nil {
		rep.add(CheckProof, Failed, "The JWT does not say which key signed it: %v.", err)
		return ""
	}
	pub, err := boundKey(ctx, vmID, issuer, "assertionMethod", opts)
	if err != nil {
		rep.add(CheckProof, Failed, "The JWT signature cannot be checked: %v.", err)
		return ""
	}
	if err := tok.Verify(pub); err != nil {
		rep.add(CheckProof, Failed, "The JWT signature does not verify: %v.", err)
		return ""
	}
	rep.add(CheckProof, OK, "The JWT signature (%s) is valid: signed by key %s, which %s lists for assertionMethod.", tok.Alg(), vmID, issuer)
	return vmID
}

func onlyAssertionMethod(ctx context.Context, issuer string, opts *Options) (string, error) {
	doc, err := opts.resolver().Resolve(ctx, issuer)
	if err != nil {
		return "", err
	}
	refs := doc.Relationship("assertionMethod")
	if len(refs) != 1 {
		return "", fmt.Errorf("%s lists %d assertion keys; the JWT must name one with kid", issuer, len(refs))
	}
	if refs[0].Embedded != nil {
		return doc.Absolute(refs[0].Embedded.ID), nil
	}
	return doc.Absolute(refs[0].Ref), nil
}

// checkJWTDates applies the JWT's own exp and nbf claims (VC-JOSE-COSE allows them beside the
// credential's dates).
func checkJWTDates(rep *Report, tok *jwt.Token, now time.Time) {
	if exp, ok := tok.Expiry(); ok && now.After(exp) {
		rep.add(CheckDates, Failed, "The JWT expired on %s (exp claim).", exp.UTC().Format(time.RFC3339))
	}
	if nbf, ok := tok.NotBefore(); ok && now.Before(nbf) {
		rep.add(CheckDates, Failed, "The JWT is not valid before %s (nbf claim).", nbf.UTC().Format(time.RFC3339))
	}
}
