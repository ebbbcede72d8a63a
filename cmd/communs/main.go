// Command communs awards, keeps and verifies Open Badges 3.0 credentials.
//
// Each subcommand lives in its own file; this one dispatches and defines exit codes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Exit codes: they mean the same for every subcommand.
const (
	exitOK       = 0 // done; for verify: every input verified
	exitFailure  = 1 // the work failed; for verify: some input did not verify
	exitUsage    = 2 // the command line is wrong
	exitInternal = 3 // an unexpected error (I/O, …)
)

// errUsage marks command-line mistakes (exit code 2).
var errUsage = errors.New("usage")

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

func commands() map[string]command {
	list := []command{
		{"verify", "verify credentials and presentations (JSON, JWT, baked PNG/SVG, URL)", runVerify},
		{"sign", "sign a credential with a key file (offline signing, vectors)", runSign},
		{"keys", "make and inspect keys", runKeys},
		{"serve", "run a node: issuers, badge pages, admin API, VC-API", runServe},
		{"issue", "award badges through a node's admin API (one recipient or a CSV)", runIssue},
		{"revoke", "revoke an awarded badge through a node's admin API", runRevoke},
		{"wallet", "a learner's local wallet: receive, import, list, present and export badges", runWallet},
		{"federation", "run a federation of issuer registries: anchor, partners, vouch, status", runFederation},
		{"version", "print the version", runVersion},
	}
	m := make(map[string]command, len(list))
	for _, c := range list {
		m[c.name] = c
	}
	return m
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			if c, ok := cmds[args[1]]; ok {
				return c.run(ctx, []string{"--help"}, stdin, stdout, stderr)
			}
		}
		usage(stdout, cmds)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "communs: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return exitUsage
	}
	return c.run(ctx, args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "communs: award, keep and verify Open Badges 3.0 credentials.")
	fmt.Fprintln(w, "\nUsage: communs COMMAND [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'communs COMMAND --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 success, 1 failure (or not verified), 2 usage error, 3 unexpected error.")
}

// newFlags makes a flag set whose --help prints the usage line, the description and the flags.
func newFlags(name, usageLine, about string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: communs %s\n\n%s\n\nFlags:\n", usageLine, about)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses flags anywhere among the arguments (flags may follow file names) and
// returns the positional arguments. It returns flag.ErrHelp for --help.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	for i, a := range args {
		if a == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return append(pos, tail...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagExit turns a flag parsing error into an exit code (help is a success).
func flagExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
