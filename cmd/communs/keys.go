package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"

	"github.com/communs/communs/vc/keys"
)

const keysAbout = `Makes and inspects Ed25519 keys for offline signing.

  communs keys new [--out FILE]   make a key; write it to FILE (mode 0600) and print its did:key
  communs keys show FILE          print the did:key and verification method of a key file

A key file holds the private key: keep it out of version control. Partner nodes keep their
issuing keys encrypted in their own key store instead.`

func runKeys(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("keys", "keys new [--out FILE] | keys show FILE", keysAbout, stderr)
	out := fs.String("out", "", "with new: the file to write (default: print the key file to standard output)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	fail := func(code int, f string, a ...any) int {
		fmt.Fprintf(stderr, "communs keys: "+f+"\n", a...)
		return code
	}
	if len(pos) == 0 {
		return fail(exitUsage, "say new or show (see --help)")
	}
	switch pos[0] {
	case "new":
		kp, err := keys.GenerateEd25519(rand.Reader)
		if err != nil {
			return fail(exitInternal, "%v", err)
		}
		data, err := kp.MarshalKeyFile()
		if err != nil {
			return fail(exitInternal, "%v", err)
		}
		if *out == "" {
			fmt.Fprintf(stdout, "%s\n", data)
			return exitOK
		}
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fail(exitFailure, "%v (an existing key file is never overwritten)", err)
		}
		if _, err := f.Write(append(data, '\n')); err != nil {
			f.Close()
			return fail(exitFailure, "%v", err)
		}
		if err := f.Close(); err != nil {
			return fail(exitFailure, "%v", err)
		}
		fmt.Fprintln(stdout, kp.DIDKey())
		return exitOK
	case "show":
		if len(pos) != 2 {
			return fail(exitUsage, "keys show needs one FILE")
		}
		data, err := os.ReadFile(pos[1])
		if err != nil {
			return fail(exitFailure, "%v", err)
		}
		kp, err := keys.ParseKeyFile(data)
		if err != nil {
			return fail(exitFailure, "%s: %v", pos[1], err)
		}
		fmt.Fprintf(stdout, "did: %s\nverification method: %s\n", kp.DIDKey(), kp.VerificationMethodID())
		return exitOK
	}
	return fail(exitUsage, "unknown keys subcommand %q (new or show)", pos[0])
}
