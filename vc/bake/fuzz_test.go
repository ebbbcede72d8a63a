package bake

import (
	"bytes"
	"testing"
)

// FuzzUnbakePNG feeds UnbakePNG arbitrary bytes, seeded with real baked
// images. Nothing may panic; a credential comes back only without error and
// never larger than the limit; and any image that reads as a sound PNG must
// take a new credential and give it back.
func FuzzUnbakePNG(f *testing.F) {
	plain, _ := makePNG(f, 16, 16)
	jws := makeJWS(f)
	json := readVector(f, "harness-signed/basic-openbadgecredential.eddsa-rdfc-2022.didkey.json")
	for _, cred := range [][]byte{jws, json} {
		baked, err := BakePNG(plain, cred)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(baked)
	}
	f.Add(plain)
	f.Add(insertChunk(f, plain, "iTXt", itxtChunkData(keywordOB2, []byte("{}"))))
	f.Add(insertChunk(f, plain, "tEXt", append([]byte("openbadgecredential\x00"), jws...)))
	f.Add([]byte(pngSignature))
	f.Fuzz(func(t *testing.T, data []byte) {
		cred, err := UnbakePNG(data)
		if (cred == nil) == (err == nil) {
			t.Fatalf("UnbakePNG returned credential %v with error %v", cred != nil, err)
		}
		if len(cred) > MaxCredentialSize {
			t.Fatalf("credential of %d bytes", len(cred))
		}
		if walkPNG(data, func(pngChunk) error { return nil }) != nil {
			return
		}
		baked, err := BakePNG(data, jws)
		if err != nil {
			t.Fatalf("a sound PNG could not be baked: %v", err)
		}
		back, err := UnbakePNG(baked)
		if err != nil || !bytes.Equal(back, jws) {
			t.Fatalf("baked PNG reads back %q, %v", back, err)
		}
	})
}

// FuzzUnbakeSVG feeds UnbakeSVG arbitrary documents, seeded with real baked
// images and hostile XML. Nothing may panic, and any document that reads as
// an acceptable SVG must take a JSON and a JWS credential and give them back.
func FuzzUnbakeSVG(f *testing.F) {
	jws := makeJWS(f)
	json := readVector(f, "harness-signed/basic-openbadgecredential.eddsa-rdfc-2022.didkey.json")
	for _, cred := range [][]byte{jws, json} {
		baked, err := BakeSVG([]byte(sampleSVG), cred)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(baked)
	}
	for _, s := range []string{
		sampleSVG,
		`<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>`,
		`<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="x"/></svg>`,
		`<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg>&xxe;</svg>`,
		`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>`,
		`<svg><ob:credential xmlns:ob="https://purl.imsglobal.org/ob/v3p0"><![CDATA[{"a":"]]]]><![CDATA[>"}]]></ob:credential></svg>`,
	} {
		f.Add([]byte(s))
	}
	fixedJSON := []byte(`{"name":"x]]>y"}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		cred, err := UnbakeSVG(data)
		if (cred == nil) == (err == nil) {
			t.Fatalf("UnbakeSVG returned credential %v with error %v", cred != nil, err)
		}
		if len(cred) > MaxCredentialSize {
			t.Fatalf("credential of %d bytes", len(cred))
		}
		if _, err := scanSVG(data, false); err != nil {
			return
		}
		for _, c := range [][]byte{jws, fixedJSON} {
			// BakeSVG reads its own output back and fails if it differs.
			if _, err := BakeSVG(data, c); err != nil {
				t.Fatalf("an acceptable SVG could not be baked: %v", err)
			}
		}
	})
}
