package schema

import "testing"

func benchmarkDoc(b *testing.B, file string) any {
	b.Helper()
	doc, err := decodeJSON(readVector(b, file))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := schemas(); err != nil {
		b.Fatal(err)
	}
	return doc
}

// BenchmarkValidateCompleteCredential measures Validate on the complete
// 1EdTech OpenBadgeCredential example, which conforms.
func BenchmarkValidateCompleteCredential(b *testing.B) {
	doc := benchmarkDoc(b, "ob3-spec-examples/complete-openbadgecredential.json")
	b.ReportAllocs()
	for b.Loop() {
		r, err := Validate(doc)
		if err != nil || !r.Valid() {
			b.Fatalf("want a valid result, got %v, %v", r.Issues, err)
		}
	}
}

// BenchmarkValidateJSONCompleteCredential adds parsing the bytes.
func BenchmarkValidateJSONCompleteCredential(b *testing.B) {
	data := readVector(b, "ob3-spec-examples/complete-openbadgecredential.json")
	b.ReportAllocs()
	for b.Loop() {
		r, err := ValidateJSON(data)
		if err != nil || !r.Valid() {
			b.Fatalf("want a valid result, got %v, %v", r.Issues, err)
		}
	}
}

// BenchmarkValidateInvalidCredential measures the path that words issues.
func BenchmarkValidateInvalidCredential(b *testing.B) {
	doc := benchmarkDoc(b, "1edtech-validator-fixtures/simple-err-issuer.json")
	b.ReportAllocs()
	for b.Loop() {
		r, err := Validate(doc)
		if err != nil || r.Valid() {
			b.Fatalf("want issues, got %v, %v", r.Issues, err)
		}
	}
}

// BenchmarkLibraryValidateCompleteCredential is the library's own validation
// of the same document, to show what Validate adds on top.
func BenchmarkLibraryValidateCompleteCredential(b *testing.B) {
	doc := benchmarkDoc(b, "ob3-spec-examples/complete-openbadgecredential.json")
	sch, _, err := schemaFor(AchievementCredentialSchema)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := sch.Validate(doc); err != nil {
			b.Fatal(err)
		}
	}
}
