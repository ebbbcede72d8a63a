package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
)

const verifyAbout = `Verifies each INPUT (a file, '-' for standard input, or an https URL): a credential or a
presentation as JSON-LD, a VC-JWT, or a badge image (PNG or SVG) with the credential baked in.
It checks format, JSON-LD contexts (held offline, never fetched), the Open Badges 3.0 schema,
each proof and that the signing key belongs to the issuer, validity dates, revocation status
and embedded endorsements, and prints what it found. Exit code 0 only if every input verified,
1 if any did not, 2 on usage errors.

Remote documents (did:web DID documents, status lists, URLs to verify) are fetched over https
through a guarded client (no private or loopback addresses, 5 s, 1 MiB). On a closed network,
answer them from local files with --resolve URL=FILE or --resolve-dir DIR (DIR/index.json maps
URL -> file name).

--report csv|pdf writes a report of every input instead of the text above: one row per badge
(holder, achievement, issuer, recognised?, status, dates, credits, activity dates, verdict and
reason) and, in the PDF, the totals per holder. The CSV goes to standard output unless --out
FILE is given; the PDF needs --out FILE, or a standard output that is not a terminal
(communs verify --report pdf a.json b.png > report.pdf). --lang fr|en picks the report's
language (default en). Exit codes are the same.`

// verifyConfig is what the verify command's flags set.
type verifyConfig struct {
	jsonOut       bool
	now           string
	allowLoopback bool
	resolve       multiFlag
	resolveDirs   multiFlag
	fragmentKeys  bool
	unknownOK     bool
	challenge     string
	domain        string
	registry      string
	report        string
	out           string
	lang          string
}

func runVerify(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var cfg verifyConfig
	fs := newFlags("verify", "verify [flags] INPUT...", verifyAbout, stderr)
	fs.BoolVar(&cfg.jsonOut, "json", false, "print one JSON object per input, one per line")
	fs.StringVar(&cfg.now, "now", "", "verify as of this time (RFC 3339) instead of now")
	fs.BoolVar(&cfg.allowLoopback, "allow-loopback", false, "allow http:// and loopback addresses (local development and tests)")
	fs.Var(&cfg.resolve, "resolve", "answer a remote document from a file: URL=FILE (repeatable)")
	fs.Var(&cfg.resolveDirs, "resolve-dir", "answer remote documents from a folder whose index.json maps URL -> file (repeatable)")
	fs.BoolVar(&cfg.fragmentKeys, "vm-fragment-key", false, "accept keys given as https://host/path#z6Mk… (the key in the fragment; nothing binds it to the issuer)")
	fs.BoolVar(&cfg.unknownOK, "unknown-status-ok", false, "accept a badge whose status list cannot be read (a warning instead of a failure)")
	fs.StringVar(&cfg.challenge, "challenge", "", "the challenge a presentation's proof must carry")
	fs.StringVar(&cfg.domain, "domain", "", "the domain a presentation's proof must carry")
	fs.StringVar(&cfg.registry, "registry", "", "ask this node (its /api/v1/issuers/{did}) whether the issuer is recognised by the federation, and who vouches for it")
	fs.StringVar(&cfg.report, "report", "", "write a report of all inputs: csv or pdf")
	fs.StringVar(&cfg.out, "out", "", "write the --report to FILE instead of standard output")
	fs.StringVar(&cfg.lang, "lang", "en", "language of the --report: fr or en")
	inputs, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	sink, err := newReportSink(cfg.report, cfg.out, cfg.lang, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "communs verify: %v\n", err)
		return exitUsage
	}
	if len(inputs) == 0 {
		fmt.Fprintln(stderr, "communs verify: name at least one INPUT (a file, '-', or an https URL); see --help")
		return exitUsage
	}
	opts, client, err := cfg.options()
	if err != nil {
		fmt.Fprintf(stderr, "communs verify: %v\n", err)
		return exitUsage
	}
	code := exitOK
	enc := json.NewEncoder(stdout)
	for _, in := range inputs {
		data, err := readInput(ctx, in, stdin, client)
		var rep *vc.Report
		if err != nil {
			rep = &vc.Report{Input: in, Kind: "credential", Checks: []vc.Check{{Name: vc.CheckFormat, Status: vc.Failed, Detail: err.Error()}}}
		} else {
			o := opts
			o.Input = in
			rep, err = vc.Verify(ctx, data, o)
			if err != nil {
				fmt.Fprintf(stderr, "communs verify: %v\n", err)
				return exitInternal
			}
		}
		if !rep.Verified {
			code = exitFailure
		}
		if sink != nil {
			sink.add(in, rep)
			continue
		}
		if cfg.jsonOut {
			if err := enc.Encode(rep); err != nil {
				return exitInternal
			}
		} else {
			printReport(stdout, rep, "")
		}
	}
	if sink != nil {
		if err := sink.write(); err != nil {
			fmt.Fprintf(stderr, "communs verify: %v\n", err)
			return exitInternal
		}
	}
	return code
}

func (cfg *verifyConfig) options() (vc.Options, *http.Client, error) {
	var opts vc.Options
	if cfg.now != "" {
		t, err := time.Parse(time.RFC3339, cfg.now)
		if err != nil {
			return opts, nil, fmt.Errorf("--now %q is not an RFC 3339 time like 2026-01-31T12:00:00Z", cfg.now)
		}
		opts.Now = t
	}
	client, err := remoteClient(cfg.allowLoopback, cfg.resolve, cfg.resolveDirs)
	if err != nil {
		return opts, nil, err
	}
	opts.HTTPClient = client
	opts.Resolver = did.NewResolver(did.Options{HTTPClient: client, AllowHTTP: cfg.allowLoopback})
	opts.FragmentKeys = cfg.fragmentKeys
	opts.UnknownStatusIsWarning = cfg.unknownOK
	opts.Challenge, opts.Domain = cfg.challenge, cfg.domain
	if cfg.registry != "" {
		rt, err := newRegistryTrust(cfg.registry, client, opts.Resolver)
		if err != nil {
			return opts, nil, err
		}
		opts.Trust = rt
	}
	return opts, client, nil
}

// remoteClient is the guarded client, answering mapped URLs from local files first.
func remoteClient(allowLoopback bool, resolve, dirs []string) (*http.Client, error) {
	files := map[string]string{}
	for _, r := range resolve {
		u, f, ok := strings.Cut(r, "=")
		if !ok || u == "" || f == "" {
			return nil, fmt.Errorf("--resolve %q must be URL=FILE", r)
		}
		files[u] = f
	}
	for _, d := range dirs {
		m, err := httpx.LoadIndex(d)
		if err != nil {
			return nil, fmt.Errorf("--resolve-dir: %w", err)
		}
		for u, f := range m {
			files[u] = f
		}
	}
	client := httpx.NewGuardedClient(httpx.GuardOptions{AllowLoopback: allowLoopback})
	if len(files) > 0 {
		client.Transport = &httpx.FileTransport{Files: files, Fallback: client.Transport}
	}
	return client, nil
}

// readInput reads a file, standard input ('-'), or an https URL (through the guarded client).
func readInput(ctx context.Context, in string, stdin io.Reader, client *http.Client) ([]byte, error) {
	const limit = vc.MaxInput
	if in == "-" {
		return readCapped(stdin, limit, "standard input")
	}
	if strings.HasPrefix(in, "https://") || strings.HasPrefix(in, "http://") {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, in, nil)
		if err != nil {
			return nil, fmt.Errorf("%s is not a usable URL: %v", in, err)
		}
		req.Header.Set("Accept", "application/vc+ld+json, application/vc+jwt, application/ld+json, application/json, image/png, image/svg+xml")
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("could not fetch %s: %v", in, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetching %s answered %s", in, resp.Status)
		}
		return readCapped(resp.Body, limit, in)
	}
	f, err := os.Open(in)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no file %s", in)
		}
		return nil, err
	}
	defer f.Close()
	return readCapped(f, limit, in)
}

func readCapped(r io.Reader, limit int64, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %v", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	}
	return data, nil
}
