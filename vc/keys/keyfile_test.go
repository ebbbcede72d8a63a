package keys

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseKeyFileReadsTheW3CKeyPair(t *testing.T) {
	data := readVector(t, "w3c-vc-di-eddsa/keyPair.json")
	kp, err := ParseKeyFile(data)
	if err != nil {
		t.Fatal(err)
	}
	const mk = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	t.Run("the public key is the published publicKeyMultibase", func(t *testing.T) {
		if kp.PublicKeyMultibase() != mk {
			t.Fatalf("public key %s, want %s", kp.PublicKeyMultibase(), mk)
		}
	})
	t.Run("the did:key and verification method id are the ones the W3C vectors sign with", func(t *testing.T) {
		if got, want := kp.DIDKey(), "did:key:"+mk; got != want {
			t.Fatalf("DIDKey %s, want %s", got, want)
		}
		// The signed W3C vector names this verification method.
		signed := string(readVector(t, "w3c-vc-di-eddsa/eddsa-rdfc-2022/signedDataInt.json"))
		if !strings.Contains(signed, `"`+kp.VerificationMethodID()+`"`) {
			t.Fatalf("signed vector does not name %s", kp.VerificationMethodID())
		}
	})
	t.Run("its signer produces signatures the public key verifies", func(t *testing.T) {
		msg := []byte("communs")
		sig, err := kp.Signer().Sign(nil, msg, ed25519Opts)
		if err != nil {
			t.Fatal(err)
		}
		if !ed25519.Verify(kp.Public().(ed25519.PublicKey), msg, sig) {
			t.Fatal("signature does not verify")
		}
	})
	t.Run("the W3C Ed25519 signature of the vector is reproduced from the key file", func(t *testing.T) {
		// sigHexDataInt.txt is the signature over combinedHashDataInt.txt.
		combined := hexVector(t, "w3c-vc-di-eddsa/eddsa-rdfc-2022/combinedHashDataInt.txt")
		want := hexVector(t, "w3c-vc-di-eddsa/eddsa-rdfc-2022/sigHexDataInt.txt")
		got, err := kp.Signer().Sign(nil, combined, ed25519Opts)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("signature %x, want %x", got, want)
		}
	})
}

func TestParseKeyFileReadsThe1EdTechKeyPair(t *testing.T) {
	t.Run("secretKeyMultibase is accepted and checked against publicKeyMultibase", func(t *testing.T) {
		kp, err := ParseKeyFile(readVector(t, "1edtech-ob3-ldp-vector/keyPair.json"))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := kp.PublicKeyMultibase(), "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"; got != want {
			t.Fatalf("public key %s, want %s", got, want)
		}
	})
}

func TestKeyFileRoundTrip(t *testing.T) {
	kp, err := GenerateEd25519(seedReader(7))
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 3, 4, 5, 6, 7, 890, time.FixedZone("CET", 3600))
	kp = kp.WithCreated(created)
	data, err := kp.MarshalKeyFile()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the file has the documented members and the creation time in UTC", func(t *testing.T) {
		for _, want := range []string{`"version": 1`, `"type": "Multikey"`, `"created": "2025-03-04T04:06:07Z"`, `"publicKeyMultibase": "z6Mk`, `"privateKeyMultibase": "z3u2`} {
			if !strings.Contains(string(data), want) {
				t.Errorf("key file lacks %s:\n%s", want, data)
			}
		}
	})
	t.Run("a fixed seed gives the same file every time", func(t *testing.T) {
		again, _ := GenerateEd25519(seedReader(7))
		data2, _ := again.WithCreated(created).MarshalKeyFile()
		if string(data) != string(data2) {
			t.Fatal("same seed gave different files")
		}
	})
	t.Run("reading the file back gives the same key", func(t *testing.T) {
		back, err := ParseKeyFile(data)
		if err != nil {
			t.Fatal(err)
		}
		if back.DIDKey() != kp.DIDKey() || !kp.Signer().(ed25519.PrivateKey).Equal(back.Signer()) {
			t.Fatal("round trip changed the key")
		}
		if !back.Created().Equal(created.Truncate(time.Second)) {
			t.Fatalf("created %v, want %v", back.Created(), created)
		}
	})
	t.Run("a generated key is stamped with the current time", func(t *testing.T) {
		before := time.Now().Add(-time.Second)
		fresh, _ := GenerateEd25519(nil)
		if fresh.Created().Before(before) || fresh.Created().After(time.Now()) {
			t.Fatalf("created %v", fresh.Created())
		}
	})
	t.Run("a key of unknown age is written without created", func(t *testing.T) {
		kp, _ := ParseKeyFile(readVector(t, "w3c-vc-di-eddsa/keyPair.json"))
		data, _ := kp.MarshalKeyFile()
		if strings.Contains(string(data), "created") || strings.HasSuffix(string(data), "\n") {
			t.Fatalf("key file:\n%s", data)
		}
	})
}

func TestParseKeyFileRefusals(t *testing.T) {
	w3c := `"publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "privateKeyMultibase": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"`
	other := `"publicKeyMultibase": "z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7", "privateKeyMultibase": "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"`
	cases := []struct {
		name     string
		file     string
		sentinel error
		message  string
	}{
		{"a file that is not JSON is refused", `not json`, ErrMalformedKeyFile, "malformed key file"},
		{"a file without a private key is refused", `{"publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}`, ErrMalformedKeyFile, "no privateKeyMultibase"},
		{"a public key of another pair is refused with both keys named", `{` + other + `}`, ErrKeyMismatch, "z6MktgKTsu1QhX6QPbyqG6geXdw6FQCZBPq7uQpieWbiQiG7"},
		{"a future version is refused", `{"version": 2, "type": "Multikey", ` + w3c + `}`, ErrMalformedKeyFile, "version 2"},
		{"a versioned file of another type is refused", `{"version": 1, "type": "JsonWebKey", ` + w3c + `}`, ErrMalformedKeyFile, `type "JsonWebKey"`},
		{"a created date that is not RFC 3339 is refused", `{"created": "yesterday", ` + w3c + `}`, ErrMalformedKeyFile, "RFC 3339"},
		{"a public key where the private key belongs is refused", `{"privateKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}`, ErrMalformedKey, "public key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKeyFile([]byte(tc.file))
			if !errors.Is(err, tc.sentinel) {
				t.Fatalf("error %v, want %v", err, tc.sentinel)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %q does not mention %q", err, tc.message)
			}
		})
	}
}
