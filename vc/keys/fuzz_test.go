package keys

import (
	"encoding/json"
	"testing"
)

// multikeySeeds returns every publicKeyMultibase and private key value found
// in the key vectors.
func multikeySeeds(t *testing.F) []string {
	seeds := []string{
		"z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q",
		"zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
		"zDnaekGZTbQBerwcehBSXLqAg6s55hVEBms1zFy89VHXtJSa9",
		"z5bDnmSgDczXwZGya6ZjxKaxkdKxzsCMiVSsgEVWxnaWK7ZqbKnzcCd7mUKE9DQaAL2QMXP5AquPeW6W2CWrZ7jNC",
		"", "z", "u", "z1", "zzzz",
	}
	for _, name := range []string{"w3c-vc-di-eddsa/keyPair.json", "1edtech-ob3-ldp-vector/keyPair.json"} {
		var m map[string]any
		if err := json.Unmarshal(readVector(t, name), &m); err != nil {
			t.Fatal(err)
		}
		for _, v := range m {
			if s, ok := v.(string); ok {
				seeds = append(seeds, s)
			}
		}
	}
	return seeds
}

func FuzzDecodeMultikey(f *testing.F) {
	for _, s := range multikeySeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := DecodeMultikey(s)
		if err != nil {
			return
		}
		// A key that decodes must encode back to the same text.
		back, err := EncodeMultikey(pub)
		if err != nil {
			t.Fatalf("decoded key does not encode: %v", err)
		}
		if back != s {
			t.Fatalf("round trip %q -> %q", s, back)
		}
	})
}

func FuzzDecodeMultikeyPrivate(f *testing.F) {
	for _, s := range multikeySeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		priv, err := DecodeMultikeyPrivate(s)
		if err != nil {
			return
		}
		if _, err := EncodeMultikey(priv.Public()); err != nil {
			t.Fatalf("public half of a decoded private key does not encode: %v", err)
		}
	})
}

func FuzzEd25519FromBase58(f *testing.F) {
	f.Add("DqS5F3GVe3rCxucgi4JBNagjv4dKoHc8TDLDw9kR58Pz")
	f.Add("")
	f.Add("0OIl")
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := Ed25519FromBase58(s)
		if err != nil {
			return
		}
		if len(pub) != 32 {
			t.Fatalf("accepted a %d-byte key", len(pub))
		}
	})
}

func FuzzParseJWK(f *testing.F) {
	f.Add([]byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`))
	f.Add([]byte(`{"kty":"EC","crv":"P-256","x":"igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns","y":"efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM"}`))
	f.Add([]byte(`{"kty":"RSA","n":"` + rfc7638N + `","e":"AQAB"}`))
	f.Add([]byte(`{"kty":"oct","k":"AAAA"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := ParseJWK(data)
		if err != nil {
			return
		}
		pub, err := j.PublicKey()
		if err != nil {
			t.Fatalf("parsed JWK has no key: %v", err)
		}
		if _, err := j.Thumbprint(); err != nil {
			t.Fatalf("parsed JWK has no thumbprint: %v", err)
		}
		if _, err := JWKFromPublicKey(pub); err != nil {
			t.Fatalf("key of a parsed JWK does not encode: %v", err)
		}
	})
}

func FuzzParseKeyFile(f *testing.F) {
	f.Add(readVector(f, "w3c-vc-di-eddsa/keyPair.json"))
	f.Add(readVector(f, "1edtech-ob3-ldp-vector/keyPair.json"))
	kp, _ := GenerateEd25519(seedReader(3))
	ours, _ := kp.WithCreated(fixedTime).MarshalKeyFile()
	f.Add(ours)
	f.Add([]byte(`{"version":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		kp, err := ParseKeyFile(data)
		if err != nil {
			return
		}
		out, err := kp.MarshalKeyFile()
		if err != nil {
			t.Fatalf("parsed key does not marshal: %v", err)
		}
		back, err := ParseKeyFile(out)
		if err != nil || back.DIDKey() != kp.DIDKey() || !back.Created().Equal(kp.Created()) {
			t.Fatalf("marshalled key file does not read back: %v", err)
		}
	})
}
