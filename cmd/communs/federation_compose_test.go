package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// composeService is what the test reads of one service of compose.yaml.
type composeService struct {
	name     string
	commands [][]string // command and healthcheck test arrays
}

// readCompose reads the services of ../../compose.yaml with a line-based parser: service names
// are the two-space-indented keys under "services:", command and healthcheck arrays are
// one-line JSON arrays (the file's stated convention).
func readCompose(t *testing.T) (map[string]*composeService, string) {
	t.Helper()
	raw, err := os.ReadFile("../../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	services := map[string]*composeService{}
	var cur *composeService
	inServices := false
	key := regexp.MustCompile(`^  ([a-z0-9-]+):\s*$`)
	array := regexp.MustCompile(`^\s+(?:command|test):\s*(\[.*\])\s*$`)
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case strings.HasPrefix(line, "services:"):
			inServices = true
			continue
		case line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "#"):
			inServices = false
		}
		if !inServices {
			if m := array.FindStringSubmatch(line); m != nil {
				t.Fatalf("command outside services: %s", line)
			}
			continue
		}
		if m := key.FindStringSubmatch(line); m != nil {
			cur = &composeService{name: m[1]}
			services[cur.name] = cur
			continue
		}
		if m := array.FindStringSubmatch(line); m != nil && cur != nil {
			var args []string
			if err := json.Unmarshal([]byte(m[1]), &args); err != nil {
				t.Fatalf("service %s: %q is not a one-line JSON array of strings: %v", cur.name, m[1], err)
			}
			if len(args) > 0 && args[0] == "CMD" {
				args = args[1:]
			}
			if len(args) > 0 && args[0] == "/communs" {
				args = args[1:]
			}
			cur.commands = append(cur.commands, args)
		}
	}
	return services, string(raw)
}

// cliFlags returns the flags `communs PATH... --help` lists.
func cliFlags(t *testing.T, path []string) map[string]bool {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append(append([]string{}, path...), "--help"), nil, &out, &errb); code != exitOK {
		t.Fatalf("communs %s --help: exit %d\n%s", strings.Join(path, " "), code, errb.String())
	}
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(out.String()+errb.String(), -1) {
		flags[m[1]] = true
	}
	return flags
}

// commandPath is the subcommand a compose command runs: its leading words before any flag.
func commandPath(args []string) []string {
	var path []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") || len(path) == 3 {
			break
		}
		path = append(path, a)
		if a != "federation" && a != "anchor" {
			break
		}
	}
	return path
}

func TestFederationComposeFileMatchesTheCLI(t *testing.T) {
	services, raw := readCompose(t)
	t.Run("it runs a trust anchor and three partners, each enrolled and health-checked", func(t *testing.T) {
		for _, name := range []string{"anchor-init", "anchor", "partner-1", "partner-2", "partner-3", "enroll-partner-1", "enroll-partner-2", "enroll-partner-3"} {
			if services[name] == nil || len(services[name].commands) == 0 {
				t.Errorf("service %s missing or without a command", name)
			}
		}
		for _, name := range []string{"anchor", "partner-1", "partner-2", "partner-3"} {
			if s := services[name]; s != nil && len(s.commands) != 2 {
				t.Errorf("service %s has %d command/healthcheck arrays, want a command and a healthcheck", name, len(s.commands))
			}
		}
	})
	t.Run("every flag it uses exists in the real command", func(t *testing.T) {
		cache := map[string]map[string]bool{}
		for _, s := range services {
			for _, args := range s.commands {
				path := commandPath(args)
				k := strings.Join(path, " ")
				if cache[k] == nil {
					cache[k] = cliFlags(t, path)
				}
				for _, a := range args[len(path):] {
					if name, ok := strings.CutPrefix(a, "--"); ok {
						name, _, _ = strings.Cut(name, "=")
						if !cache[k][name] {
							t.Errorf("service %s: communs %s has no flag --%s", s.name, k, name)
						}
					}
				}
			}
		}
	})
	arg := func(args []string, flag string) string {
		for i, a := range args {
			if a == flag && i+1 < len(args) {
				return args[i+1]
			}
		}
		return ""
	}
	t.Run("partners pin the anchor's JWKS and name the anchor's URL; enrollments name each partner and its scope", func(t *testing.T) {
		anchorURL := arg(services["anchor"].commands[0], "--base-url")
		jwks := arg(services["anchor-init"].commands[0], "--out")
		if anchorURL == "" || jwks == "" {
			t.Fatalf("anchor --base-url %q, anchor-init --out %q", anchorURL, jwks)
		}
		for i, p := range []string{"partner-1", "partner-2", "partner-3"} {
			cmd := services[p].commands[0]
			if arg(cmd, "--federation-role") != "partner" || arg(cmd, "--federation-anchor") != anchorURL || arg(cmd, "--federation-anchor-jwks") != jwks {
				t.Errorf("%s: %q", p, cmd)
			}
			base := arg(cmd, "--base-url")
			if !strings.Contains(strings.Join(services[p].commands[1], " "), base) {
				t.Errorf("%s's healthcheck does not ask %s", p, base)
			}
			enroll := services["enroll-partner-"+string(rune('1'+i))].commands[0]
			scope := "did:web:" + strings.ReplaceAll(strings.TrimPrefix(base, "http://"), ":", "%3A") + ":*"
			if !strings.Contains(strings.Join(enroll, " "), " "+base+" ") || arg(enroll, "--scope") != scope || arg(enroll, "--node") != anchorURL {
				t.Errorf("enrollment of %s: %q (want entity %s, scope %s)", p, enroll, base, scope)
			}
			if !strings.Contains(raw, `"127.0.0.1:`+strings.TrimPrefix(base, "http://127.0.0.1:")+`:`) {
				t.Errorf("%s's port is not published on 127.0.0.1", p)
			}
		}
	})
	t.Run("the Dockerfile builds a static binary and runs it as a non-root user", func(t *testing.T) {
		df, err := os.ReadFile("../../Dockerfile")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"CGO_ENABLED=0", "GOTOOLCHAIN=local", "./cmd/communs", "distroless/static", "USER 65532", "ENTRYPOINT [\"/communs\"]"} {
			if !strings.Contains(string(df), want) {
				t.Errorf("Dockerfile lacks %q", want)
			}
		}
	})
}
