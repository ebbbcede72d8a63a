package bake

import "testing"

func BenchmarkBakePNG(b *testing.B) {
	plain, _ := makePNG(b, 256, 256)
	cred := readVector(b, "harness-signed/complete-openbadgecredential.eddsa-rdfc-2022.didkey.json")
	b.SetBytes(int64(len(plain)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BakePNG(plain, cred); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnbakePNG(b *testing.B) {
	plain, _ := makePNG(b, 256, 256)
	baked, err := BakePNG(plain, readVector(b, "harness-signed/complete-openbadgecredential.eddsa-rdfc-2022.didkey.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(baked)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := UnbakePNG(baked); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBakeSVG(b *testing.B) {
	cred := readVector(b, "harness-signed/complete-openbadgecredential.eddsa-rdfc-2022.didkey.json")
	b.SetBytes(int64(len(sampleSVG)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BakeSVG([]byte(sampleSVG), cred); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnbakeSVG(b *testing.B) {
	baked, err := BakeSVG([]byte(sampleSVG), readVector(b, "harness-signed/complete-openbadgecredential.eddsa-rdfc-2022.didkey.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(baked)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := UnbakeSVG(baked); err != nil {
			b.Fatal(err)
		}
	}
}
