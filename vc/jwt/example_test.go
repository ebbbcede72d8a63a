package jwt_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"

	"github.com/communs/communs/vc/jwt"
)

func Example() {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	credential := map[string]any{
		"@context": []any{"https://www.w3.org/ns/credentials/v2"},
		"type":     []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":   map[string]any{"id": "did:web:badges.example:issuers:maths"},
	}
	token, err := jwt.Sign(credential, jwt.AlgEdDSA, "#key-1", jwt.TypCredential, priv)
	if err != nil {
		fmt.Println(err)
		return
	}

	tok, err := jwt.Parse(token)
	if err != nil {
		fmt.Println(err)
		return
	}
	vm, _ := tok.VerificationMethod() // resolve this to a public key
	fmt.Println(vm)
	fmt.Println(tok.Verify(pub))
	_, shape := tok.Credential()
	fmt.Println(shape)
	// Output:
	// did:web:badges.example:issuers:maths#key-1
	// <nil>
	// credential payload (VC-JOSE-COSE)
}
