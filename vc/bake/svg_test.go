package bake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
)

// firstChild returns the root element and the first child element of an
// XML document, read with encoding/xml.
func firstChild(t *testing.T, doc []byte) (root, child xml.StartElement) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("baked SVG is not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			depth++
			if depth == 1 {
				root = se
				continue
			}
			return root, se
		}
	}
}

func TestBakeSVG(t *testing.T) {
	jsonCred := readVector(t, "harness-signed/complete-openbadgecredential.eddsa-rdfc-2022.didkey.json")
	jwsCred := makeJWS(t)

	t.Run("a JSON credential goes in CDATA in the first child and reads back", func(t *testing.T) {
		baked, err := BakeSVG([]byte(sampleSVG), jsonCred)
		if err != nil {
			t.Fatal(err)
		}
		root, child := firstChild(t, baked)
		if root.Name.Local != "svg" || child.Name.Space != nsOB3 || child.Name.Local != "credential" {
			t.Fatalf("root %v, first child %v", root.Name, child.Name)
		}
		if !bytes.Contains(baked, []byte(`<openbadges:credential><![CDATA[{`)) {
			t.Fatal("JSON is not in a CDATA section")
		}
		got, err := UnbakeSVG(baked)
		if err != nil || !bytes.Equal(got, bytes.TrimSpace(jsonCred)) {
			t.Fatalf("UnbakeSVG = %v", err)
		}
	})

	t.Run("a VC-JWT goes in the verify attribute and reads back", func(t *testing.T) {
		baked, err := BakeSVG([]byte(sampleSVG), jwsCred)
		if err != nil {
			t.Fatal(err)
		}
		want := `<openbadges:credential verify="` + string(jwsCred) + `"></openbadges:credential>`
		if !bytes.Contains(baked, []byte(want)) {
			t.Fatalf("baked SVG lacks %s", want)
		}
		got, err := UnbakeSVG(baked)
		if err != nil || !bytes.Equal(got, jwsCred) {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("only the root tag gains the namespace and the rest is kept byte for byte", func(t *testing.T) {
		baked, err := BakeSVG([]byte(sampleSVG), jwsCred)
		if err != nil {
			t.Fatal(err)
		}
		rootTag := `viewBox="0 0 512 512" width="512" height="512">`
		want := strings.Replace(sampleSVG, rootTag,
			`viewBox="0 0 512 512" width="512" height="512" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">`+
				`<openbadges:credential verify="`+string(jwsCred)+`"></openbadges:credential>`, 1)
		if string(baked) != want {
			t.Fatalf("baked SVG:\n%s\nwant:\n%s", baked, want)
		}
	})

	t.Run("a credential containing ]]> survives the CDATA section", func(t *testing.T) {
		cred := []byte(`{"name":"a]]>b","description":"]]]]>"}`)
		baked, err := BakeSVG([]byte(sampleSVG), cred)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := UnbakeSVG(baked); err != nil || !bytes.Equal(got, cred) {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("CR LF line ends in a JSON credential come back as LF", func(t *testing.T) {
		baked, err := BakeSVG([]byte(sampleSVG), []byte("{\r\n  \"id\": \"urn:x\"\r}"))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := UnbakeSVG(baked); err != nil || string(got) != "{\n  \"id\": \"urn:x\"\n}" {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("baking again replaces the credential and keeps one namespace binding", func(t *testing.T) {
		once, err := BakeSVG([]byte(sampleSVG), jsonCred)
		if err != nil {
			t.Fatal(err)
		}
		twice, err := BakeSVG(once, jwsCred)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(twice, []byte("<openbadges:credential")); n != 1 {
			t.Fatalf("%d credential elements after rebaking", n)
		}
		if n := bytes.Count(twice, []byte("xmlns:openbadges=")); n != 1 {
			t.Fatalf("%d namespace bindings after rebaking", n)
		}
		if got, err := UnbakeSVG(twice); err != nil || !bytes.Equal(got, jwsCred) {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("a self-closing root is opened and closed", func(t *testing.T) {
		svg := `<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="1" height="1"/>`
		baked, err := BakeSVG([]byte(svg), jwsCred)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(baked, []byte("></openbadges:credential></svg:svg>")) {
			t.Fatalf("baked SVG = %s", baked)
		}
		if got, err := UnbakeSVG(baked); err != nil || !bytes.Equal(got, jwsCred) {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("an OB 2.0 badge keeps its prefix and the new element declares its own", func(t *testing.T) {
		ob2 := `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/assertion/1"/><rect width="1" height="1"/></svg>`
		baked, err := BakeSVG([]byte(ob2), jwsCred)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(baked, []byte(`<openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0" verify=`)) {
			t.Fatalf("baked SVG = %s", baked)
		}
		if got, err := UnbakeSVG(baked); err != nil || !bytes.Equal(got, jwsCred) {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("an SVG already binding the OB 3.0 namespace is not given a second binding", func(t *testing.T) {
		svg := `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"></svg>`
		baked, err := BakeSVG([]byte(svg), jwsCred)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(baked, []byte("xmlns:openbadges")); n != 1 {
			t.Fatalf("%d bindings: %s", n, baked)
		}
	})

	refused := []struct {
		name string
		svg  string
		cred []byte
		want error
	}{
		{"a credential that is neither JSON nor JWS is refused", sampleSVG, []byte("<b>badge</b>"), ErrMalformed},
		{"a credential with characters XML cannot carry is refused", sampleSVG, []byte("{\"a\":\"\uFFFE\"}"), ErrMalformed},
		{"an SVG with an entity declaration is refused", `<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>`, jwsCred, ErrMalformed},
		{"a document whose root is not svg is refused", `<html><svg/></html>`, jwsCred, ErrMalformed},
		{"an SVG over 20 MiB is refused", sampleSVG + "<!--" + strings.Repeat("x", MaxImageSize) + "-->", jwsCred, ErrTooLarge},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			if _, err := BakeSVG([]byte(r.svg), r.cred); !errors.Is(err, r.want) {
				t.Fatalf("BakeSVG = %v, want %v", err, r.want)
			}
		})
	}
}

func TestUnbakeSVG(t *testing.T) {
	jws := string(makeJWS(t))
	wrap := func(inner string) string {
		return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">` + inner + `</svg>`
	}

	t.Run("the spec's JWT example shape is read", func(t *testing.T) {
		svg := `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg"
  xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"
  viewBox="0 0 512 512">
  <openbadges:credential verify="` + jws + `"></openbadges:credential>

  <!-- rest-of-image -->
</svg>`
		if got, err := UnbakeSVG([]byte(svg)); err != nil || string(got) != jws {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("the spec's CDATA example shape is read without its indentation", func(t *testing.T) {
		svg := wrap(`
    <openbadges:credential>
      <![CDATA[
        {"id": "http://example.edu/credentials/3732"}
      ]]>
    </openbadges:credential>`)
		if got, err := UnbakeSVG([]byte(svg)); err != nil || string(got) != `{"id": "http://example.edu/credentials/3732"}` {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("escaped text without CDATA is read", func(t *testing.T) {
		svg := wrap(`<openbadges:credential>{&quot;name&quot;:&quot;R&amp;D&quot;}</openbadges:credential>`)
		if got, err := UnbakeSVG([]byte(svg)); err != nil || string(got) != `{"name":"R&D"}` {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("the credential is found under any prefix bound to the OB 3.0 namespace", func(t *testing.T) {
		svg := `<svg xmlns="http://www.w3.org/2000/svg"><g><ob:credential xmlns:ob="https://purl.imsglobal.org/ob/v3p0" verify="` + jws + `"/></g></svg>`
		if got, err := UnbakeSVG([]byte(svg)); err != nil || string(got) != jws {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	t.Run("a DOCTYPE naming only the external SVG 1.1 DTD is accepted and not fetched", func(t *testing.T) {
		svg := `<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
` + wrap(`<openbadges:credential verify="`+jws+`"/>`)
		if got, err := UnbakeSVG([]byte(svg)); err != nil || string(got) != jws {
			t.Fatalf("UnbakeSVG = %q, %v", got, err)
		}
	})

	xxe := `<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>&xxe;</openbadges:credential></svg>`
	laughs := `<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential>&lol3;</openbadges:credential></svg>`
	cases := []struct {
		name  string
		svg   string
		want  error
		words string
	}{
		{"an external entity (XXE) is refused", xxe, ErrMalformed, "entit"},
		{"nested entities (billion laughs) are refused", laughs, ErrMalformed, "entit"},
		{"an internal subset without entities is refused", `<!DOCTYPE svg [<!ATTLIST svg a CDATA "b">]>` + wrap(""), ErrMalformed, "internal subset"},
		{"an undeclared entity reference is refused", wrap(`<openbadges:credential>&xxe;</openbadges:credential>`), ErrMalformed, "well-formed"},
		{"a stray ENTITY declaration is refused", `<!ENTITY x "y">` + wrap(""), ErrMalformed, "only a DOCTYPE"},
		{"two credential elements are refused", wrap(`<openbadges:credential verify="` + jws + `"/><g><openbadges:credential verify="` + jws + `"/></g>`), ErrDuplicate, "2 <openbadges:credential>"},
		{"an image without a credential is reported as not baked", sampleSVG, ErrNotBaked, "no <openbadges:credential>"},
		{"an OB 2.0 assertion is reported as such", `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="x"/></svg>`, ErrOpenBadges2, "not supported"},
		{"an element inside the credential is refused", wrap(`<openbadges:credential><script>alert(1)</script></openbadges:credential>`), ErrMalformed, "may hold only the credential"},
		{"a verify attribute together with text is refused", wrap(`<openbadges:credential verify="` + jws + `">{}</openbadges:credential>`), ErrMalformed, "one or the other"},
		{"an empty verify attribute is refused", wrap(`<openbadges:credential verify=" "/>`), ErrMalformed, "empty verify"},
		{"an empty credential element is refused", wrap(`<openbadges:credential>  </openbadges:credential>`), ErrMalformed, "is empty"},
		{"a root other than svg is refused", `<html xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="x"/></html>`, ErrMalformed, "not the SVG <svg>"},
		{"an svg root in a foreign namespace is refused", `<svg xmlns="urn:other"/>`, ErrMalformed, "not the SVG <svg>"},
		{"two root elements are refused", wrap("") + "<svg/>", ErrMalformed, "more than one root"},
		{"a document without elements is refused", `<?xml version="1.0"?><!-- nothing -->`, ErrMalformed, "no root"},
		{"an unclosed document is refused", `<svg xmlns="http://www.w3.org/2000/svg"><g>`, ErrMalformed, "well-formed"},
		{"a declared encoding other than UTF-8 is refused", `<?xml version="1.0" encoding="ISO-8859-1"?><svg/>`, ErrMalformed, "well-formed"},
		{"control characters are refused", wrap("\x01"), ErrMalformed, "well-formed"},
		{"an SVG over 20 MiB is refused", wrap("<!--" + strings.Repeat("x", MaxImageSize) + "-->"), ErrTooLarge, "at most"},
		{"a credential over 5 MiB is refused", wrap("<openbadges:credential><![CDATA[" + strings.Repeat("x", MaxCredentialSize+1) + "]]></openbadges:credential>"), ErrTooLarge, "more than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := UnbakeSVG([]byte(c.svg))
			if !errors.Is(err, c.want) {
				t.Fatalf("UnbakeSVG = %v, want %v", err, c.want)
			}
			if got != nil {
				t.Fatal("a credential came back with the error")
			}
			if !strings.Contains(err.Error(), c.words) {
				t.Fatalf("error %q does not say %q", err, c.words)
			}
		})
	}
}

func TestUnbake(t *testing.T) {
	plain, _ := makePNG(t, 8, 8)
	cred := makeJWS(t)
	bakedPNG, err := BakePNG(plain, cred)
	if err != nil {
		t.Fatal(err)
	}
	bakedSVG, err := BakeSVG([]byte(sampleSVG), cred)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a PNG is recognised", func(t *testing.T) {
		got, kind, err := Unbake(bakedPNG)
		if err != nil || kind != KindPNG || !bytes.Equal(got, cred) {
			t.Fatalf("Unbake = %q, %q, %v", got, kind, err)
		}
	})
	t.Run("an SVG behind a byte order mark and blank lines is recognised", func(t *testing.T) {
		got, kind, err := Unbake(append([]byte("\xef\xbb\xbf\n\n"), bakedSVG...))
		if err != nil || kind != KindSVG || !bytes.Equal(got, cred) {
			t.Fatalf("Unbake = %q, %q, %v", got, kind, err)
		}
	})
	t.Run("the kind is reported when extraction fails", func(t *testing.T) {
		_, kind, err := Unbake(plain)
		if kind != KindPNG || !errors.Is(err, ErrNotBaked) {
			t.Fatalf("Unbake = %q, %v", kind, err)
		}
	})
	for _, c := range []struct{ name, data, words string }{
		{"a JPEG is named and refused", "\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"},
		{"a GIF is named and refused", "GIF89a\x01\x00", "GIF"},
		{"a WebP is named and refused", "RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"},
		{"a gzip-compressed SVG is named and refused", "\x1f\x8b\x08\x00", "svgz"},
		{"a JSON credential is not an image", `{"type":["VerifiableCredential"]}`, "neither a PNG nor an SVG"},
		{"empty data is not an image", "", "neither"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, kind, err := Unbake([]byte(c.data))
			if !errors.Is(err, ErrNotImage) || kind != "" || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("Unbake = %q, %v", kind, err)
			}
		})
	}
}
