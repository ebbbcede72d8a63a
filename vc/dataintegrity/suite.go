package dataintegrity

import "fmt"

// Suite names, as returned by SuiteOf.
const (
	// SuiteEdDSARDFC2022 is a DataIntegrityProof with cryptosuite eddsa-rdfc-2022.
	SuiteEdDSARDFC2022 = "eddsa-rdfc-2022"
	// SuiteEd25519Signature2020 is the legacy Ed25519Signature2020 suite.
	SuiteEd25519Signature2020 = "Ed25519Signature2020"
	// SuiteEd25519Signature2018 is the legacy Ed25519Signature2018 suite (detached JWS).
	SuiteEd25519Signature2018 = "Ed25519Signature2018"
)

// Proof types.
const (
	// TypeDataIntegrityProof is the proof type of W3C Data Integrity.
	TypeDataIntegrityProof = "DataIntegrityProof"
	// TypeEd25519Signature2020 is the proof type of the Ed25519Signature2020 suite.
	TypeEd25519Signature2020 = "Ed25519Signature2020"
	// TypeEd25519Signature2018 is the proof type of the Ed25519Signature2018 suite.
	TypeEd25519Signature2018 = "Ed25519Signature2018"
)

// Context URLs that define the proof terms of each suite.
const (
	contextCredentialsV2   = "https://www.w3.org/ns/credentials/v2"
	contextDataIntegrityV2 = "https://w3id.org/security/data-integrity/v2"
	contextEd25519Sig2020  = "https://w3id.org/security/suites/ed25519-2020/v1"
)

// SuiteOf names the suite of a proof: SuiteEdDSARDFC2022, SuiteEd25519Signature2020 or
// SuiteEd25519Signature2018. Other types or cryptosuites are ErrUnsupportedSuite, naming them;
// a proof without a type (or a DataIntegrityProof without a cryptosuite) is ErrMalformedProof.
func SuiteOf(proof map[string]any) (string, error) {
	typ, ok := proof["type"].(string)
	if !ok || typ == "" {
		return "", fmt.Errorf("%w: it has no \"type\" string", ErrMalformedProof)
	}
	switch typ {
	case TypeDataIntegrityProof:
		cs, ok := proof["cryptosuite"].(string)
		if !ok || cs == "" {
			return "", fmt.Errorf("%w: a DataIntegrityProof needs a \"cryptosuite\" string", ErrMalformedProof)
		}
		if cs != SuiteEdDSARDFC2022 {
			return "", fmt.Errorf("%w: cryptosuite %q", ErrUnsupportedSuite, cs)
		}
		return SuiteEdDSARDFC2022, nil
	case TypeEd25519Signature2020:
		return SuiteEd25519Signature2020, nil
	case TypeEd25519Signature2018:
		return SuiteEd25519Signature2018, nil
	default:
		return "", fmt.Errorf("%w: proof type %q", ErrUnsupportedSuite, typ)
	}
}
