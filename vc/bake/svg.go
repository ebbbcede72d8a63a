package bake

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// BakeSVG returns a copy of svg with credential baked in: the root <svg>
// gets xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" and, as its
// first child, an <openbadges:credential> element holding a JSON credential
// in CDATA or a compact JWS in its verify attribute. Existing credential
// elements are removed; the rest of the document is kept byte for byte.
// When the root already binds the openbadges prefix to another namespace
// (an OB 2.0 badge), the binding is declared on the new element instead.
// Line ends in a JSON credential are written as LF, which is how XML reads
// them back in any case.
//
// It returns [ErrTooLarge], or [ErrMalformed] when svg is not an acceptable
// SVG document (see [UnbakeSVG]) or the credential is neither a JSON object
// nor a compact JWS.
func BakeSVG(svg, credential []byte) ([]byte, error) {
	out, err := bakeSVG(svg, credential)
	if err != nil {
		return nil, fmt.Errorf("bake svg: %w", err)
	}
	return out, nil
}

func bakeSVG(svg, credential []byte) ([]byte, error) {
	cred, f, err := checkCredential(credential)
	if err != nil {
		return nil, err
	}
	if f == formJSON {
		// XML turns CR LF and lone CR into LF in text, CDATA included; do it
		// now so that the credential reads back exactly. In JSON a CR can
		// only be white space between tokens, so nothing else changes.
		cred = bytes.ReplaceAll(cred, []byte("\r\n"), []byte("\n"))
		cred = bytes.ReplaceAll(cred, []byte("\r"), []byte("\n"))
	}
	doc, err := scanSVG(svg, false)
	if err != nil {
		return nil, err
	}
	// Bind the prefix on the root unless the root already declares it (even as ""); a root
	// that binds it elsewhere gets the binding on the new element only.
	addBinding := !doc.declared
	elem, err := credentialElement(cred, f, doc.declared && doc.boundTo != nsOB3)
	if err != nil {
		return nil, err
	}

	tag := svg[doc.rootStart:doc.rootEnd]
	closing := 1 // ">"
	if doc.selfClosing {
		closing = 2 // "/>"
	}
	out := make([]byte, 0, len(svg)+len(elem)+len(nsOB3)+len(doc.rootName)+32)
	out = append(out, svg[:doc.rootStart]...)
	out = append(out, tag[:len(tag)-closing]...)
	if addBinding {
		out = append(out, ` xmlns:openbadges="`+nsOB3+`"`...)
	}
	out = append(out, '>')
	out = append(out, elem...)
	if doc.selfClosing {
		out = append(out, "</"+doc.rootName+">"...)
	}
	pos := doc.rootEnd
	for _, c := range doc.creds {
		out = append(out, svg[pos:c.start]...)
		pos = c.end
	}
	out = append(out, svg[pos:]...)
	if len(out) > MaxImageSize {
		return nil, fmt.Errorf("%w: the baked image would be %d bytes, at most %d are accepted", ErrTooLarge, len(out), MaxImageSize)
	}

	// Read the result back: baking must never produce an image that does
	// not unbake to the credential given.
	back, err := unbakeSVG(out)
	if err != nil || !bytes.Equal(back, cred) {
		return nil, fmt.Errorf("%w: the baked SVG does not read back the credential (%v)", ErrMalformed, err)
	}
	return out, nil
}

// credentialElement writes the <openbadges:credential> element for a
// credential, declaring the namespace on it when asked.
func credentialElement(cred []byte, f form, declare bool) ([]byte, error) {
	start := "<openbadges:credential"
	if declare {
		start += ` xmlns:openbadges="` + nsOB3 + `"`
	}
	const end = "</openbadges:credential>"
	if f == formJWS {
		// base64url and dots: nothing to escape in an attribute value.
		return []byte(start + ` verify="` + string(cred) + `">` + end), nil
	}
	if err := checkXMLChars(cred); err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(start)+len(cred)+len(end)+16)
	out = append(out, start+"><![CDATA["...)
	// "]]>" would end the section early: split it across two sections.
	out = append(out, bytes.ReplaceAll(cred, []byte("]]>"), []byte("]]]]><![CDATA[>"))...)
	out = append(out, "]]>"+end...)
	return out, nil
}

// checkXMLChars refuses characters XML 1.0 cannot carry, even in CDATA.
func checkXMLChars(b []byte) error {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		ok := r == 0x9 || r == 0xA || r == 0xD ||
			(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
		if !ok || (r == utf8.RuneError && n == 1) {
			return fmt.Errorf("%w: credential contains U+%04X at byte %d, which XML cannot carry", ErrMalformed, r, i)
		}
		i += n
	}
	return nil
}

// UnbakeSVG returns the credential baked into svg: the verify attribute of
// its <openbadges:credential> element, or the element's text (CDATA),
// without surrounding white space. The whole document is read with a
// streaming XML decoder first; it must be well-formed UTF-8 XML whose root
// is <svg>, and may have a DOCTYPE only without internal subset or entity
// declarations (no external DTD is ever fetched).
//
// It returns [ErrNotBaked], [ErrOpenBadges2] (only an OB 2.0 assertion is
// baked in), [ErrDuplicate], [ErrTooLarge] or [ErrMalformed].
func UnbakeSVG(svg []byte) ([]byte, error) {
	cred, err := unbakeSVG(svg)
	if err != nil {
		return nil, fmt.Errorf("unbake svg: %w", err)
	}
	return cred, nil
}

func unbakeSVG(svg []byte) ([]byte, error) {
	doc, err := scanSVG(svg, true)
	if err != nil {
		return nil, err
	}
	switch {
	case len(doc.creds) > 1:
		return nil, fmt.Errorf("%w: SVG has %d <openbadges:credential> elements", ErrDuplicate, len(doc.creds))
	case len(doc.creds) == 0 && doc.ob2:
		return nil, fmt.Errorf("%w: SVG has an <openbadges:assertion> but no <openbadges:credential>", ErrOpenBadges2)
	case len(doc.creds) == 0:
		return nil, fmt.Errorf("%w: SVG has no <openbadges:credential> element", ErrNotBaked)
	}
	c := doc.creds[0]
	text := bytes.TrimSpace(c.text)
	if c.hasVerify {
		verify := bytes.TrimSpace([]byte(c.verify))
		switch {
		case len(text) > 0:
			return nil, fmt.Errorf("%w: <openbadges:credential> has both a verify attribute and text; it must have one or the other", ErrMalformed)
		case len(verify) == 0:
			return nil, fmt.Errorf("%w: <openbadges:credential> has an empty verify attribute", ErrMalformed)
		case len(verify) > MaxCredentialSize:
			return nil, fmt.Errorf("%w: the verify attribute holds %d bytes, at most %d are accepted", ErrTooLarge, len(verify), MaxCredentialSize)
		}
		return verify, nil
	}
	if len(text) == 0 {
		return nil, fmt.Errorf("%w: <openbadges:credential> is empty", ErrMalformed)
	}
	return bytes.Clone(text), nil
}
