package vc

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// verifyPresentation checks the holder's proof (purpose authentication, key of the holder,
// challenge and domain when expected) and every credential inside.
func verifyPresentation(ctx context.Context, rep *Report, doc map[string]any, opts *Options, depth int) {
	rep.Version = dataModelVersion(doc)
	holder, _ := doc["holder"].(string)
	if m, ok := doc["holder"].(map[string]any); ok {
		holder, _ = m["id"].(string)
	}
	rep.add(CheckFormat, OK, "A JSON-LD verifiable presentation (VC Data Model %s) from holder %s.", rep.Version, firstNonEmpty(holder, "(not named)"))
	if !checkContexts(rep, doc) {
		return
	}
	if doc["proof"] == nil {
		rep.add(CheckProof, Failed, "The presentation is not signed by its holder, so nothing shows that the holder presented it.")
	} else {
		checkProofs(ctx, rep, doc, holder, "authentication", opts)
	}
	items := asList(doc["verifiableCredential"])
	if len(items) == 0 {
		rep.add(CheckCredentials, Failed, "The presentation holds no credential.")
		return
	}
	if depth >= maxDepth {
		rep.add(CheckCredentials, Failed, "The presentation is nested too deeply.")
		return
	}
	bad := 0
	for i, item := range items {
		sub := verifyEmbedded(ctx, item, opts, depth+1)
		sub.Input = fmt.Sprintf("verifiableCredential[%d]", i)
		rep.Credentials = append(rep.Credentials, sub)
		if !sub.Verified {
			bad++
		}
	}
	if bad > 0 {
		rep.add(CheckCredentials, Failed, "%d of the %d credentials in the presentation do not verify (see each credential's report).", bad, len(items))
	} else {
		rep.add(CheckCredentials, OK, "All %d credentials in the presentation verify.", len(items))
	}
}

// verifyEmbedded verifies a credential inside a presentation: an object, a JWT string, or an
// EnvelopedVerifiableCredential whose id is a data: URL.
func verifyEmbedded(ctx context.Context, item any, opts *Options, depth int) *Report {
	switch t := item.(type) {
	case map[string]any:
		if id, _ := t["id"].(string); strings.HasPrefix(id, "data:") && containsStr(stringsOf(t["type"]), "EnvelopedVerifiableCredential") {
			if body, err := dataURL(id); err == nil {
				return verifyInput(ctx, body, opts, depth)
			}
		}
		rep := &Report{Kind: "credential", Format: "json-ld"}
		verifyDocument(ctx, rep, t, opts, depth)
		rep.settle()
		return rep
	case string:
		return verifyInput(ctx, []byte(t), opts, depth)
	}
	rep := &Report{Kind: "credential"}
	rep.add(CheckFormat, Failed, "A presentation entry is neither a credential object nor a VC-JWT.")
	rep.settle()
	return rep
}

func asList(v any) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	default:
		return []any{t}
	}
}

// dataURL returns the body of a data: URL (base64 or percent-encoded).
func dataURL(u string) ([]byte, error) {
	meta, data, ok := strings.Cut(strings.TrimPrefix(u, "data:"), ",")
	if !ok {
		return nil, fmt.Errorf("data URL without a comma")
	}
	if strings.HasSuffix(meta, ";base64") {
		return base64.StdEncoding.DecodeString(data)
	}
	s, err := url.PathUnescape(data)
	return []byte(s), err
}
