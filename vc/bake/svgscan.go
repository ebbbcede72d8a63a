package bake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// XML namespaces involved in SVG baking.
const (
	nsOB3 = "https://purl.imsglobal.org/ob/v3p0"
	nsOB2 = "http://openbadges.org"
	nsSVG = "http://www.w3.org/2000/svg"
	// prefixOB is the prefix OB 3.0 writes; an element whose prefix is not
	// bound keeps it as its namespace in encoding/xml.
	prefixOB = "openbadges"
)

// svgDoc is what a scan learns of an SVG document: where the root start tag
// is, how the openbadges prefix is bound there, and the credential elements.
type svgDoc struct {
	rootStart, rootEnd int    // byte range of the root start tag
	rootName           string // the root's name as written ("svg", "svg:svg")
	selfClosing        bool   // the root is <svg .../>
	boundTo            string // value of xmlns:openbadges on the root, "" if none
	declared           bool   // the root has an xmlns:openbadges attribute (even an empty one)
	creds              []svgCredential
	ob2                bool // an OB 2.0 <openbadges:assertion> is present
}

// svgCredential is one <openbadges:credential> element.
type svgCredential struct {
	start, end int // byte range of the whole element
	verify     string
	hasVerify  bool
	text       []byte // character data, collected only when asked for
}

func isCredentialElement(n xml.Name) bool {
	return n.Local == "credential" && (n.Space == nsOB3 || n.Space == prefixOB)
}

func isOB2Assertion(n xml.Name) bool {
	return n.Local == "assertion" && (n.Space == nsOB2 || n.Space == prefixOB)
}

// scanSVG reads an SVG document with a streaming decoder. It refuses
// documents that are not well-formed UTF-8 XML, whose single root is not
// <svg>, that carry a DTD internal subset or entity declaration, or whose
// credential element holds child elements. With collect, it gathers the
// text of credential elements, refusing more than MaxCredentialSize.
func scanSVG(svg []byte, collect bool) (*svgDoc, error) {
	if len(svg) > MaxImageSize {
		return nil, fmt.Errorf("%w: image is %d bytes, at most %d are accepted", ErrTooLarge, len(svg), MaxImageSize)
	}
	d := xml.NewDecoder(bytes.NewReader(svg))
	d.Strict = true
	// d.Entity stays nil: only the five predefined entities are known, and a
	// nil CharsetReader refuses encodings other than UTF-8.
	var (
		doc      svgDoc
		depth    int
		rootSeen bool
		cur      *svgCredential
		curDepth int
	)
	for {
		off := int(d.InputOffset())
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: SVG is not well-formed XML: %v", ErrMalformed, err)
		}
		switch tk := tok.(type) {
		case xml.Directive:
			if err := checkDirective(tk, rootSeen); err != nil {
				return nil, err
			}
		case xml.StartElement:
			depth++
			if depth == 1 {
				if rootSeen {
					return nil, fmt.Errorf("%w: SVG has more than one root element", ErrMalformed)
				}
				rootSeen = true
				if tk.Name.Local != "svg" || (tk.Name.Space != nsSVG && tk.Name.Space != "") {
					return nil, fmt.Errorf("%w: root element is <%s> in namespace %q, not the SVG <svg>", ErrMalformed, tk.Name.Local, tk.Name.Space)
				}
				doc.rootStart, doc.rootEnd = off, int(d.InputOffset())
				tag := svg[doc.rootStart:doc.rootEnd]
				doc.selfClosing = bytes.HasSuffix(tag, []byte("/>"))
				doc.rootName = string(tag[1:])
				if i := bytes.IndexAny(tag[1:], " \t\r\n/>"); i >= 0 {
					doc.rootName = string(tag[1 : 1+i])
				}
				for _, a := range tk.Attr {
					if a.Name.Space == "xmlns" && a.Name.Local == prefixOB {
						doc.boundTo, doc.declared = a.Value, true
					}
				}
				continue
			}
			if cur != nil {
				return nil, fmt.Errorf("%w: <openbadges:credential> contains an element <%s>; it may hold only the credential", ErrMalformed, tk.Name.Local)
			}
			switch {
			case isCredentialElement(tk.Name):
				cur, curDepth = &svgCredential{start: off}, depth
				for _, a := range tk.Attr {
					if a.Name.Space == "" && a.Name.Local == "verify" {
						cur.verify, cur.hasVerify = a.Value, true
					}
				}
			case isOB2Assertion(tk.Name):
				doc.ob2 = true
			}
		case xml.EndElement:
			if cur != nil && depth == curDepth {
				cur.end = int(d.InputOffset())
				doc.creds = append(doc.creds, *cur)
				cur = nil
			}
			depth--
		case xml.CharData:
			if cur != nil && collect {
				if len(cur.text)+len(tk) > MaxCredentialSize {
					return nil, fmt.Errorf("%w: <openbadges:credential> holds more than %d bytes", ErrTooLarge, MaxCredentialSize)
				}
				cur.text = append(cur.text, tk...)
			}
		}
	}
	if !rootSeen {
		return nil, fmt.Errorf("%w: SVG has no root element", ErrMalformed)
	}
	return &doc, nil
}

// checkDirective allows only a DOCTYPE without an internal subset before
// the root: such a DOCTYPE names an external DTD, which is never fetched.
// An internal subset or an ENTITY declaration is where XXE and entity
// expansion attacks live, so they are refused outright.
func checkDirective(dir xml.Directive, rootSeen bool) error {
	body := bytes.TrimSpace(dir)
	switch {
	case !bytes.HasPrefix(body, []byte("DOCTYPE")):
		return fmt.Errorf("%w: SVG contains a <!%s declaration; only a DOCTYPE may appear", ErrMalformed, firstWord(body))
	case rootSeen:
		return fmt.Errorf("%w: SVG has a DOCTYPE after its root element", ErrMalformed)
	case bytes.Contains(body, []byte("ENTITY")):
		return fmt.Errorf("%w: SVG declares entities in its DOCTYPE; entity declarations are refused (XXE, entity expansion)", ErrMalformed)
	case bytes.ContainsRune(body, '['):
		return fmt.Errorf("%w: SVG has a DTD internal subset ([...] in its DOCTYPE); DTDs can declare entities (XXE, entity expansion) and are refused", ErrMalformed)
	}
	return nil
}

func firstWord(b []byte) string {
	if i := bytes.IndexAny(b, " \t\r\n"); i >= 0 {
		b = b[:i]
	}
	if len(b) > 20 {
		b = b[:20]
	}
	return string(b)
}
