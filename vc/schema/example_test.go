package schema_test

import (
	"errors"
	"fmt"

	"github.com/communs/communs/vc/schema"
)

func ExampleValidateJSON() {
	credential := []byte(`{
	  "@context": ["https://www.w3.org/ns/credentials/v2",
	               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
	  "id": "https://example.org/credentials/1",
	  "type": ["VerifiableCredential", "OpenBadgeCredential"],
	  "issuer": {"id": "did:web:example.org", "type": ["Profile"]},
	  "validFrom": "2024-05-01T12:00:00Z",
	  "credentialSubject": {
	    "type": ["Person"],
	    "achievement": {"id": "https://example.org/achievements/1", "type": ["Achievement"],
	                    "name": "Teamwork", "description": "Works well in a team.",
	                    "criteria": {"narrative": "Nominated by peers."}}
	  }
	}`)
	result, err := schema.ValidateJSON(credential)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("valid:", result.Valid())
	for _, issue := range result.Issues {
		fmt.Println(issue)
	}
	// Output:
	// valid: false
	// /credentialSubject/type: must contain "AchievementSubject"
}

func ExampleValidate_notApplicable() {
	vc11 := map[string]any{
		"@context": []any{"https://www.w3.org/2018/credentials/v1"},
		"type":     []any{"VerifiableCredential", "OpenBadgeCredential"},
	}
	_, err := schema.Validate(vc11)
	fmt.Println(errors.Is(err, schema.ErrNotApplicable))
	// Output: true
}
