package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/dataintegrity"
	"github.com/communs/communs/vc/jwt"
	"github.com/communs/communs/vc/keys"
)

const signAbout = `Signs the credential in FILE ('-' for standard input) and writes the signed credential to
standard output. KEYFILE is a key made by 'communs keys new' or a W3C vc-di-eddsa keyPair.json
(publicKeyMultibase, privateKeyMultibase).

Without --vm the key's did:key signs and becomes the credential's issuer (issuer, or issuer.id,
is set to it). With --vm the document is signed as it is, naming that verification method.
--format jwt writes a VC-JWT (EdDSA, typ vc+jwt) instead of a Data Integrity proof.`

func runSign(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("sign", "sign --key KEYFILE [flags] FILE", signAbout, stderr)
	keyFile := fs.String("key", "", "the key file (required)")
	suite := fs.String("cryptosuite", "eddsa-rdfc-2022", "eddsa-rdfc-2022 or Ed25519Signature2020")
	vm := fs.String("vm", "", "the verification method id to name in the proof (default: the key's did:key)")
	created := fs.String("created", "", "the proof's creation time, RFC 3339 (default: now)")
	format := fs.String("format", "ldp", "ldp (Data Integrity proof) or jwt (VC-JWT)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	fail := func(code int, f string, a ...any) int {
		fmt.Fprintf(stderr, "communs sign: "+f+"\n", a...)
		return code
	}
	if *keyFile == "" || len(pos) != 1 {
		return fail(exitUsage, "give --key KEYFILE and exactly one FILE (see --help)")
	}
	when := time.Now().UTC().Truncate(time.Second)
	if *created != "" {
		if when, err = time.Parse(time.RFC3339, *created); err != nil {
			return fail(exitUsage, "--created %q is not an RFC 3339 time", *created)
		}
	}
	var proofType string
	switch *suite {
	case "eddsa-rdfc-2022":
		proofType = "DataIntegrityProof"
	case "Ed25519Signature2020":
		proofType = "Ed25519Signature2020"
	default:
		return fail(exitUsage, "--cryptosuite must be eddsa-rdfc-2022 or Ed25519Signature2020, not %q", *suite)
	}
	if *format != "ldp" && *format != "jwt" {
		return fail(exitUsage, "--format must be ldp or jwt")
	}
	rawKey, err := os.ReadFile(*keyFile)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	kp, err := keys.ParseKeyFile(rawKey)
	if err != nil {
		return fail(exitFailure, "key file %s: %v", *keyFile, err)
	}
	var input []byte
	if pos[0] == "-" {
		input, err = readCapped(stdin, vc.MaxInput, "standard input")
	} else {
		input, err = os.ReadFile(pos[0])
	}
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(input, &doc); err != nil {
		return fail(exitFailure, "%s is not a JSON object: %v", pos[0], err)
	}
	method := *vm
	if method == "" {
		method = kp.VerificationMethodID()
		setIssuer(doc, kp.DIDKey())
	}
	if *format == "jwt" {
		token, err := jwt.Sign(doc, "EdDSA", method, "vc+jwt", kp.Signer())
		if err != nil {
			return fail(exitFailure, "%v", err)
		}
		fmt.Fprintln(stdout, token)
		return exitOK
	}
	signed, err := dataintegrity.Sign(ctx, doc, dataintegrity.Options{
		Type:               proofType,
		Cryptosuite:        map[string]string{"DataIntegrityProof": *suite}[proofType],
		VerificationMethod: method,
		ProofPurpose:       "assertionMethod",
		Created:            when,
	}, kp.Signer())
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	out, err := json.MarshalIndent(signed, "", "  ")
	if err != nil {
		return fail(exitInternal, "%v", err)
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return exitOK
}

// setIssuer makes did the credential's issuer, keeping an issuer Profile's other members.
func setIssuer(doc map[string]any, did string) {
	if m, ok := doc["issuer"].(map[string]any); ok {
		m["id"] = did
		return
	}
	doc["issuer"] = did
}
