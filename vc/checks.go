package vc

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/vc/jsonld"
	"github.com/communs/communs/vc/keys"
	"github.com/communs/communs/vc/schema"
)

// checkContexts requires the VC base context first and every context URL to be one we hold
// offline (never fetched). It returns false when nothing further can be checked.
func checkContexts(rep *Report, doc map[string]any) bool {
	raw := doc["@context"]
	var list []any
	switch t := raw.(type) {
	case []any:
		list = t
	case string:
		list = []any{t}
	case nil:
		rep.add(CheckContexts, Failed, "The credential has no \"@context\"; it must start with %s.", ContextV2)
		return false
	default:
		list = []any{t}
	}
	if len(list) == 0 {
		rep.add(CheckContexts, Failed, "The credential's \"@context\" is empty; it must start with %s.", ContextV2)
		return false
	}
	first, _ := list[0].(string)
	if first != ContextV2 && first != ContextV1 {
		rep.add(CheckContexts, Failed, "The first @context must be %s (or %s for VC 1.1), not %v.", ContextV2, ContextV1, list[0])
		return false
	}
	for _, c := range list {
		switch u := c.(type) {
		case string:
			if !jsonld.IsEmbedded(u) {
				rep.add(CheckContexts, Failed, "The credential uses the JSON-LD context %s, which this verifier does not hold; contexts are never fetched from the network, so its terms cannot be checked.", u)
				return false
			}
		case map[string]any:
			// An inline context: processed as it is.
		default:
			rep.add(CheckContexts, Failed, "An @context entry is neither a URL nor an object: %v.", c)
			return false
		}
	}
	rep.add(CheckContexts, OK, "All %d JSON-LD contexts are known and held offline.", len(list))
	return true
}

func checkSchema(rep *Report, doc map[string]any) {
	res, err := schema.Validate(doc)
	switch {
	case errors.Is(err, schema.ErrNotApplicable):
		rep.add(CheckSchema, Skipped, "No Open Badges 3.0 JSON Schema applies to this credential (%v).", err)
	case err != nil:
		rep.add(CheckSchema, Failed, "The Open Badges 3.0 JSON Schema could not be applied: %v.", err)
	case !res.Valid():
		msgs := make([]string, 0, len(res.Issues))
		for _, is := range res.Issues {
			msgs = append(msgs, is.String())
		}
		more := ""
		if res.Truncated() {
			more = fmt.Sprintf(" (and %d more)", res.Total-len(res.Issues))
		}
		rep.add(CheckSchema, Failed, "The credential does not follow the Open Badges 3.0 JSON Schema: %s%s.", strings.Join(msgs, "; "), more)
	default:
		rep.add(CheckSchema, OK, "The credential follows the Open Badges 3.0 JSON Schema.")
	}
}

// checkProofs verifies every proof of doc: its purpose, that its key belongs to controller
// (the issuer, or a presentation's holder) and is listed for that purpose, and the signature.
// It returns the id of the verification method of the last proof that verified.
func checkProofs(ctx context.Context, rep *Report, doc map[string]any, controller, purpose string, opts *Options) string {
	unsecured, proofs, err := dataintegrity.Split(doc)
	if err != nil {
		rep.add(CheckProof, Failed, "The proof cannot be read: %v.", err)
		return ""
	}
	if len(proofs) == 0 {
		rep.add(CheckProof, Failed, "There is no proof: nothing shows who issued this or that it was not changed.")
		return ""
	}
	var keyID string
	verified := 0
	for i, p := range proofs {
		label := "The proof"
		if len(proofs) > 1 {
			label = fmt.Sprintf("Proof %d of %d", i+1, len(proofs))
		}
		suite, err := dataintegrity.SuiteOf(p)
		if err != nil && len(proofs) > 1 {
			// A proof set may carry proofs for other verifiers; those are not checked here, but
			// at least one proof must be checked and every checked proof must verify.
			rep.add(CheckProof, Warning, "%s was not checked: %v.", label, err)
			continue
		}
		id, err := checkOneProof(ctx, unsecured, proofs, i, controller, purpose, opts)
		if err != nil {
			rep.add(CheckProof, Failed, "%s does not verify: %v.", label, err)
			continue
		}
		when := ""
		if created, _ := p["created"].(string); created != "" {
			when = " on " + created
		}
		rep.add(CheckProof, OK, "%s is valid: signed%s with %s by key %s, which %s lists for %s.", label, when, suite, id, controller, purpose)
		keyID = id
		verified++
	}
	if verified == 0 && len(rep.Failures()) == 0 {
		rep.add(CheckProof, Failed, "None of the %d proofs uses a suite this verifier knows, so nothing shows who issued this.", len(proofs))
	}
	return keyID
}

func checkOneProof(ctx context.Context, unsecured map[string]any, proofs []map[string]any, i int, controller, purpose string, opts *Options) (string, error) {
	proof := proofs[i]
	suite, err := dataintegrity.SuiteOf(proof)
	if err != nil {
		return "", err
	}
	if pp, _ := proof["proofPurpose"].(string); pp != purpose {
		return "", fmt.Errorf("its purpose is %q, but it must be %q", pp, purpose)
	}
	if purpose == "authentication" {
		if opts.Challenge != "" && proof["challenge"] != opts.Challenge {
			return "", fmt.Errorf("its challenge is %v, expected %q (a replayed presentation?)", proof["challenge"], opts.Challenge)
		}
		if opts.Domain != "" && proof["domain"] != opts.Domain {
			return "", fmt.Errorf("its domain is %v, expected %q", proof["domain"], opts.Domain)
		}
	}
	vmID, _ := proof["verificationMethod"].(string)
	pub, err := boundKey(ctx, vmID, controller, purpose, opts)
	if err != nil {
		return "", err
	}
	ed, ok := pub.(ed25519.PublicKey)
	if !ok {
		return "", fmt.Errorf("key %s is not an Ed25519 key, which %s needs", vmID, suite)
	}
	if err := dataintegrity.VerifyInSet(ctx, unsecured, proofs, i, ed); err != nil {
		return "", err
	}
	return vmID, nil
}

// boundKey resolves a verification method and checks that it belongs to controller and is
// listed under the relationship (assertionMethod, authentication) — exact ids, never substrings.
func boundKey(ctx context.Context, vmID, controller, relationship string, opts *Options) (crypto.PublicKey, error) {
	if vmID == "" {
		return nil, errors.New("it names no verification method")
	}
	if controller == "" {
		return nil, errors.New("the credential names no issuer, so no key can be bound to it")
	}
	if !strings.HasPrefix(vmID, "did:") {
		return fragmentKey(vmID, controller, opts)
	}
	if !strings.Contains(vmID, "#") {
		return nil, fmt.Errorf("its verification method %s is a DID, not one of its keys (a key is named did…#fragment)", vmID)
	}
	vm, doc, err := did.ResolveVerificationMethod(ctx, opts.resolver(), vmID)
	if err != nil {
		return nil, fmt.Errorf("its key %s cannot be resolved: %w", vmID, err)
	}
	if vm.Controller != controller {
		return nil, fmt.Errorf("it is signed by a key of %s, but the credential is from %s", vm.Controller, controller)
	}
	if doc.ID != controller || !doc.HasVerificationRelationship(vm.ID, relationship) {
		return nil, fmt.Errorf("it is signed by key %s, which is not listed as an %s of %s", vm.ID, relationship, controller)
	}
	pub, err := vm.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("key %s cannot be read: %w", vm.ID, err)
	}
	return pub, nil
}

// fragmentKey reads the key of a verification method https://host/path#z6Mk… (see
// Options.FragmentKeys).
func fragmentKey(vmID, controller string, opts *Options) (crypto.PublicKey, error) {
	base, frag, ok := strings.Cut(vmID, "#")
	if !ok || !opts.FragmentKeys || !strings.HasPrefix(frag, "z") || !strings.Contains(base, "://") {
		return nil, fmt.Errorf("its verification method %q is not a DID URL, so its key cannot be resolved", vmID)
	}
	if base != controller {
		return nil, fmt.Errorf("it is signed by a key of %s, but the credential is from %s", base, controller)
	}
	pub, err := keys.DecodeMultikey(frag)
	if err != nil {
		return nil, fmt.Errorf("the key in %s cannot be read: %w", vmID, err)
	}
	return pub, nil
}

// checkDates compares the validity period with now (VC DM 2.0 validFrom/validUntil, 1.1
// issuanceDate/expirationDate).
func checkDates(rep *Report, doc map[string]any, now time.Time) {
	fromKey, untilKey := "validFrom", "validUntil"
	if dataModelVersion(doc) == "1.1" {
		fromKey, untilKey = "issuanceDate", "expirationDate"
	}
	var from, until time.Time
	for _, d := range []struct {
		key string
		t   *time.Time
	}{{fromKey, &from}, {untilKey, &until}} {
		v, present := doc[d.key]
		if !present {
			continue
		}
		s, _ := v.(string)
		t, err := ParseDateTime(s)
		if err != nil {
			rep.add(CheckDates, Failed, "%s cannot be read: %v.", d.key, err)
			return
		}
		*d.t = t
	}
	stamp := now.UTC().Format(time.RFC3339)
	switch {
	case !from.IsZero() && now.Before(from):
		rep.add(CheckDates, Failed, "The badge is not valid yet: it is valid from %s (it is now %s).", from.UTC().Format(time.RFC3339), stamp)
	case !until.IsZero() && now.After(until):
		rep.add(CheckDates, Failed, "The badge expired on %s.", until.UTC().Format(time.RFC3339))
	case from.IsZero() && until.IsZero():
		rep.add(CheckDates, OK, "The badge states no validity period.")
	case until.IsZero():
		rep.add(CheckDates, OK, "Valid since %s, with no expiry date.", from.UTC().Format(time.RFC3339))
	default:
		rep.add(CheckDates, OK, "Valid until %s.", until.UTC().Format(time.RFC3339))
	}
}

func checkIssuer(ctx context.Context, rep *Report, issuer, keyID string, opts *Options) {
	if opts.Trust == nil {
		rep.add(CheckIssuer, Skipped, "No federation registry was consulted about %s.", issuer)
		return
	}
	rec, err := opts.Trust.Recognize(ctx, issuer, keyID)
	if err != nil {
		rep.add(CheckIssuer, Warning, "The federation registry could not be consulted about %s: %v.", issuer, err)
		return
	}
	rep.Recognition = &rec
	unknown := Warning
	if opts.RequireRecognizedIssuer {
		unknown = Failed
	}
	switch {
	case !rec.Recognized:
		rep.add(CheckIssuer, unknown, "%s is not found in the registries this node trusts (status: %s).", issuer, firstNonEmpty(rec.Status, "unknown"))
	case rec.KeyListed != nil && !*rec.KeyListed:
		rep.add(CheckIssuer, Failed, "%s is recognised, but the key %s that signed the badge is not among the keys its registry entry lists.", issuer, keyID)
	default:
		var by []string
		for _, v := range rec.VouchedBy {
			by = append(by, fmt.Sprintf("%s since %s", firstNonEmpty(v.Name, v.EntityID), v.Since.UTC().Format("2006-01-02")))
		}
		rep.add(CheckIssuer, OK, "Recognised issuer, vouched for by %s.", strings.Join(by, ", "))
	}
}

// checkEndorsements verifies each embedded endorsement on its own. An endorsement that does not
// verify is a warning: it does not make the badge itself invalid.
func checkEndorsements(ctx context.Context, rep *Report, doc map[string]any, opts *Options, depth int) {
	var found []map[string]any
	collectEndorsements(doc, &found, 0)
	if len(found) == 0 {
		return
	}
	if depth >= maxDepth {
		rep.add(CheckEndorsements, Skipped, "Endorsements nested deeper than %d levels are not verified.", maxDepth)
		return
	}
	bad := 0
	for _, e := range found {
		sub := &Report{Kind: "credential", Format: "json-ld"}
		verifyDocument(ctx, sub, e, opts, depth+1)
		sub.settle()
		rep.Endorsements = append(rep.Endorsements, sub)
		if !sub.Verified {
			bad++
		}
	}
	if bad > 0 {
		rep.add(CheckEndorsements, Warning, "%d of %d endorsements do not verify (see each endorsement's report).", bad, len(found))
	} else {
		rep.add(CheckEndorsements, OK, "All %d endorsements verify.", len(found))
	}
}

// collectEndorsements finds embedded EndorsementCredentials under the credential, its issuer,
// its achievement and the achievement's creator.
func collectEndorsements(v any, out *[]map[string]any, level int) {
	m, ok := v.(map[string]any)
	if !ok || level > 3 {
		return
	}
	if list, ok := m["endorsement"].([]any); ok {
		for _, e := range list {
			if em, ok := e.(map[string]any); ok {
				*out = append(*out, em)
			}
		}
	}
	for _, k := range []string{"issuer", "credentialSubject", "achievement", "creator"} {
		collectEndorsements(m[k], out, level+1)
	}
}
