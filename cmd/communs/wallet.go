package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc/did"
	"github.com/communs/communs/wallet"
	"golang.org/x/term"
)

const walletAbout = `A learner's local wallet: a holder did:key (its private key encrypted with a passphrase) and
the badges you keep, each verified when it comes in and stored with its verification report.

Subcommands:
  init                      make the holder key and print the holder DID
  receive OFFER_URI         claim a badge from an OpenID4VCI offer (openid-credential-offer://…)
  import FILE|URL           import a JSON or JWT credential, or a baked PNG/SVG badge
  list [--json]             list the badges (re-verifies none; see show)
  show ID                   re-verify one badge and print its report
  present ID... [--challenge C --domain D] [--out F]
                            sign a Verifiable Presentation of the badges with the holder key
  export [ID] [--format json|png|svg|zip] [--out F]
                            one badge (json, png, svg) or the whole wallet (zip)
  export [ID...] --format pdf [--lang fr|en] [--title T] [--name N] [--out F]
                            a printable transcript of the badges (all without ID)
  delete ID                 remove a badge

ID is the wallet id shown by list, or the credential's id. The wallet lives in --wallet DIR,
default $XDG_DATA_HOME/communs/wallet (~/.local/share/communs/wallet). The passphrase is read
from the environment variable COMMUNS_WALLET_PASSPHRASE, or asked for on standard input; it is
never a flag.`

// walletConfig is what the wallet command's flags set.
type walletConfig struct {
	stderr        io.Writer
	dir           string
	allowLoopback bool
	jsonOut       bool
	keepInvalid   bool
	txCode        string
	challenge     string
	domain        string
	out           string
	format        string
	lang          string
	title         string
	name          string
}

func runWallet(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var cfg walletConfig
	fs := newFlags("wallet", "wallet SUBCOMMAND [flags] [arguments]", walletAbout, stderr)
	fs.StringVar(&cfg.dir, "wallet", "", "the wallet folder (default: the XDG data folder)")
	fs.BoolVar(&cfg.allowLoopback, "allow-loopback", false, "allow http:// and loopback addresses (local development and tests)")
	fs.BoolVar(&cfg.jsonOut, "json", false, "list: print JSON")
	fs.BoolVar(&cfg.keepInvalid, "keep-invalid", false, "import: keep a badge that does not verify, marked invalid")
	fs.StringVar(&cfg.txCode, "tx-code", "", "receive: the transaction code the issuer sent separately")
	fs.StringVar(&cfg.challenge, "challenge", "", "present: the verifier's challenge")
	fs.StringVar(&cfg.domain, "domain", "", "present: the verifier's domain")
	fs.StringVar(&cfg.out, "out", "", "present, export: write to this file instead of standard output")
	fs.StringVar(&cfg.format, "format", "", "export: json, png, svg (one badge), zip (the whole wallet; the default without ID) or pdf (a transcript)")
	fs.StringVar(&cfg.lang, "lang", "fr", "export --format pdf: the transcript's language, fr or en")
	fs.StringVar(&cfg.title, "title", "", "export --format pdf: the transcript's title")
	fs.StringVar(&cfg.name, "name", "", "export --format pdf: the holder's name to print under the title")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "communs wallet: name a subcommand (init, receive, import, list, show, present, export, delete); see --help")
		return exitUsage
	}
	sub, rest := pos[0], pos[1:]
	arity := map[string][2]int{"init": {0, 0}, "receive": {1, 1}, "import": {1, 1}, "list": {0, 0},
		"show": {1, 1}, "present": {1, 1 << 20}, "export": {0, 1 << 20}, "delete": {1, 1}}
	n, ok := arity[sub]
	if !ok {
		fmt.Fprintf(stderr, "communs wallet: unknown subcommand %q; see --help\n", sub)
		return exitUsage
	}
	if len(rest) < n[0] || len(rest) > n[1] {
		fmt.Fprintf(stderr, "communs wallet %s: wrong number of arguments; see --help\n", sub)
		return exitUsage
	}
	w, err := cfg.open(stdin, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "communs wallet %s: %v\n", sub, err)
		return walletExit(err)
	}
	defer w.Close()
	cfg.stderr = stderr
	err = cfg.dispatch(ctx, w, sub, rest, stdin, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "communs wallet %s: %v\n", sub, err)
		return walletExit(err)
	}
	return exitOK
}

// errNotVerified: the command did its work but what it shows did not verify (exit 1).
var errNotVerified = errors.New("not verified")

func walletExit(err error) int {
	switch {
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return exitUsage
	case errors.Is(err, wallet.ErrNotInitialized), errors.Is(err, wallet.ErrAlreadyInitialized),
		errors.Is(err, wallet.ErrWrongPassphrase), errors.Is(err, wallet.ErrNoPassphrase),
		errors.Is(err, wallet.ErrNotFound), errors.Is(err, wallet.ErrInvalid), errors.Is(err, wallet.ErrDuplicate),
		errors.Is(err, wallet.ErrNotCredential), errors.Is(err, wallet.ErrNotBound), errors.Is(err, wallet.ErrOffer),
		errors.Is(err, wallet.ErrIssuer), errors.Is(err, wallet.ErrNoImage), errors.Is(err, errNotVerified),
		errors.Is(err, os.ErrNotExist), errors.Is(err, httpx.ErrRefused):
		return exitFailure
	}
	return exitInternal
}

func (cfg *walletConfig) open(stdin io.Reader, stderr io.Writer) (*wallet.Wallet, error) {
	dir := cfg.dir
	if dir == "" {
		d, err := wallet.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	pass := os.Getenv("COMMUNS_WALLET_PASSPHRASE")
	if pass == "" {
		fmt.Fprint(stderr, "Wallet passphrase: ")
		if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			// A terminal: read without echo.
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(stderr)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", wallet.ErrNoPassphrase, err)
			}
			pass = string(b)
		} else {
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && line == "" {
				return nil, fmt.Errorf("%w (set COMMUNS_WALLET_PASSPHRASE or type it on standard input)", wallet.ErrNoPassphrase)
			}
			pass = strings.TrimRight(line, "\r\n")
		}
	}
	wc := wallet.DefaultConfig()
	if cfg.allowLoopback {
		client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true})
		wc.HTTPClient = client
		wc.AssetClient = httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: true, MaxBodyBytes: wallet.MaxEvidenceBytes, CacheTTL: -1})
		wc.Resolver = did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: true})
	}
	return wallet.Open(dir, pass, wc)
}

func (cfg *walletConfig) dispatch(ctx context.Context, w *wallet.Wallet, sub string, args []string, stdin io.Reader, stdout io.Writer) error {
	switch sub {
	case "init":
		holder, err := w.Init(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, holder)
		return nil
	case "receive":
		b, err := w.Receive(ctx, args[0], wallet.ReceiveOptions{TxCode: cfg.txCode})
		if err != nil {
			return err
		}
		printBadgeLine(stdout, b)
		keepAssets(ctx, w, b.ID, cfg.stderr)
		return nil
	case "import":
		opts := wallet.ImportOptions{KeepInvalid: cfg.keepInvalid, Source: args[0]}
		var b *wallet.Badge
		var err error
		if strings.HasPrefix(args[0], "https://") || strings.HasPrefix(args[0], "http://") {
			b, err = w.ImportURL(ctx, args[0], opts)
		} else {
			var data []byte
			if data, err = readInput(ctx, args[0], stdin, nil); err == nil {
				b, err = w.Import(ctx, data, opts)
			}
		}
		if err != nil {
			return err
		}
		printBadgeLine(stdout, b)
		keepAssets(ctx, w, b.ID, cfg.stderr)
		return nil
	case "list":
		return cfg.list(ctx, w, stdout)
	case "show":
		b, err := w.Reverify(ctx, args[0])
		if err != nil {
			return err
		}
		if cfg.jsonOut {
			return json.NewEncoder(stdout).Encode(b)
		}
		fmt.Fprintf(stdout, "Wallet id:  %s\nSource:     %s\nImported:   %s\n", b.ID, b.Source, b.ImportedAt.Format("2006-01-02 15:04 MST"))
		printReport(stdout, b.Report, "")
		if !b.Verified {
			return errNotVerified
		}
		return nil
	case "present":
		vp, rep, err := w.Present(ctx, args, cfg.challenge, cfg.domain)
		if err != nil {
			return err
		}
		if err := writeOut(cfg.out, stdout, vp); err != nil {
			return err
		}
		if !rep.Verified {
			return fmt.Errorf("%w: the presentation was written but does not verify: %s", errNotVerified, rep.Reason())
		}
		return nil
	case "export":
		return cfg.export(ctx, w, args, stdout)
	case "delete":
		if err := w.Delete(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "deleted %s\n", args[0])
		return nil
	}
	return errUsage
}

func (cfg *walletConfig) list(ctx context.Context, w *wallet.Wallet, stdout io.Writer) error {
	list, err := w.List(ctx)
	if err != nil {
		return err
	}
	if cfg.jsonOut {
		holder, _ := w.HolderDID()
		return json.NewEncoder(stdout).Encode(map[string]any{"holder": holder, "badges": list})
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "The wallet holds no badge.")
	}
	for _, b := range list {
		printBadgeLine(stdout, b)
	}
	return nil
}

func (cfg *walletConfig) export(ctx context.Context, w *wallet.Wallet, args []string, stdout io.Writer) error {
	format := cfg.format
	if format == "" {
		format = "zip"
		if len(args) == 1 {
			format = "json"
		}
	}
	switch {
	case format == "zip" && len(args) == 0:
		return streamOut(cfg.out, stdout, func(out io.Writer) error { return w.ExportZIP(ctx, out) })
	case format == "pdf":
		if cfg.lang != "fr" && cfg.lang != "en" {
			return fmt.Errorf("%w: --lang is fr or en, not %q", errUsage, cfg.lang)
		}
		opts := wallet.TranscriptOptions{Refs: args, Lang: cfg.lang, Title: cfg.title, HolderName: cfg.name}
		return streamOut(cfg.out, stdout, func(out io.Writer) error { return w.Transcript(ctx, out, opts) })
	case len(args) == 1 && format == "json":
		data, _, _, err := w.ExportCredential(ctx, args[0])
		if err != nil {
			return err
		}
		return writeOut(cfg.out, stdout, data)
	case len(args) == 1 && (format == "png" || format == "svg"):
		data, err := w.ExportBaked(ctx, args[0], format)
		if err != nil {
			return err
		}
		return writeOut(cfg.out, stdout, data)
	}
	return fmt.Errorf("%w: export takes an ID with --format json, png or svg, no ID with --format zip, or any IDs with --format pdf", errUsage)
}

// streamOut runs write on the file path (created 0600, removed when write fails) or on stdout.
func streamOut(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(stdout)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

func writeOut(path string, stdout io.Writer, data []byte) error {
	if path == "" {
		_, err := stdout.Write(data)
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

func printBadgeLine(w io.Writer, b *wallet.Badge) {
	verdict := "verified"
	if !b.Verified {
		verdict = "NOT VERIFIED"
	}
	name, issuer := "", ""
	if s := b.Summary; s != nil {
		name, issuer = s.Name, s.IssuerName
		if issuer == "" {
			issuer = s.IssuerID
		}
	}
	fmt.Fprintf(w, "%s  %-12s %s — %s\n", b.ID, verdict, name, issuer)
}

// keepAssets copies a new badge's image and evidence files into the wallet, so that it keeps
// them if the issuer's server goes away; what could not be kept is said on stderr, and the
// badge stays either way.
func keepAssets(ctx context.Context, w *wallet.Wallet, id string, stderr io.Writer) {
	a, err := w.KeepAssets(ctx, id)
	if err != nil {
		if stderr != nil {
			fmt.Fprintf(stderr, "note: the badge is stored, but its image and evidence files were not copied: %v\n", err)
		}
		return
	}
	for _, s := range a.Skipped {
		if stderr != nil {
			fmt.Fprintf(stderr, "note: %s not kept: %s\n", s.Kind, s.Reason)
		}
	}
}
