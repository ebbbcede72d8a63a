package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
)

// setting is one configuration value that may come from a default, the config file, the
// environment or a flag (in that order of precedence, the last wins).
type setting struct {
	name   string // flag name and config-file key
	env    string // environment variable
	usage  string
	value  *string
	secret bool // never a flag: file path or environment only
}

// settings binds named string settings to a flag set and resolves them.
type settings struct {
	list []setting
	fs   *flag.FlagSet
}

func newSettings(fs *flag.FlagSet) *settings { return &settings{fs: fs} }

// String declares a setting with a default; it is also a flag unless secret.
func (s *settings) String(dst *string, name, env, def, usage string) {
	*dst = def
	s.list = append(s.list, setting{name: name, env: env, usage: usage, value: dst})
	s.fs.StringVar(dst, name, def, fmt.Sprintf("%s (env %s)", usage, env))
}

// Secret declares a setting read only from the config file's sibling env variable: secrets are
// refused as flags so they never show in process lists or shell history.
func (s *settings) Secret(dst *string, name, env, usage string) {
	s.list = append(s.list, setting{name: name, env: env, usage: usage, value: dst, secret: true})
}

// Resolve applies the config file (JSON object of name -> string), then the environment, then
// the flags given explicitly on the command line.
func (s *settings) Resolve(configFile string) error {
	explicit := map[string]string{}
	s.fs.Visit(func(f *flag.Flag) { explicit[f.Name] = f.Value.String() })
	if configFile != "" {
		raw, err := os.ReadFile(configFile)
		if err != nil {
			return fmt.Errorf("config file: %w", err)
		}
		var file map[string]any
		if err := json.Unmarshal(raw, &file); err != nil {
			return fmt.Errorf("config file %s is not a JSON object: %w", configFile, err)
		}
		known := map[string]*setting{}
		for i := range s.list {
			known[s.list[i].name] = &s.list[i]
		}
		for k, v := range file {
			st, ok := known[k]
			if !ok {
				return fmt.Errorf("config file %s: unknown setting %q", configFile, k)
			}
			if st.secret {
				return fmt.Errorf("config file %s: %q is a secret; give it in the environment (%s)", configFile, k, st.env)
			}
			*st.value = strings.TrimSpace(fmt.Sprint(v))
		}
	}
	for _, st := range s.list {
		if v, ok := os.LookupEnv(st.env); ok {
			*st.value = v
		}
		if v, ok := explicit[st.name]; ok && !st.secret {
			*st.value = v
		}
	}
	return nil
}
