package jsonld

import "testing"

func BenchmarkCanonicalize(b *testing.B) {
	cases := []struct{ name, file string }{
		{"W3C unsigned alumni credential", "w3c-vc-di-eddsa/unsigned.json"},
		{"OB 3.0 basic credential", "ob3-spec-examples/basic-openbadgecredential.json"},
		{"OB 3.0 complete credential", "ob3-spec-examples/complete-openbadgecredential.json"},
	}
	for _, c := range cases {
		doc := withoutProof(readJSON(b, c.file))
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Canonicalize(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkExpand(b *testing.B) {
	doc := withoutProof(readJSON(b, "ob3-spec-examples/complete-openbadgecredential.json"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Expand(doc); err != nil {
			b.Fatal(err)
		}
	}
}
