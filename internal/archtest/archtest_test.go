// Package archtest fails the build when a package imports across the boundaries of DESIGN §2.
package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/communs/communs"

// imports maps each package directory (relative to the repo root) to the imports of its
// non-test files.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		rel = filepath.ToSlash(rel)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			out[rel] = append(out[rel], path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal("repo root not found")
	}
	return out
}

func under(dir, prefix string) bool { return dir == prefix || strings.HasPrefix(dir, prefix+"/") }

func TestPackagesImportOnlyAcrossAllowedBoundaries(t *testing.T) {
	roles := []string{"node", "wallet", "federation"}
	for dir, list := range imports(t) {
		for _, imp := range list {
			local, isLocal := strings.CutPrefix(imp, module+"/")
			switch {
			case under(dir, "vc") && isLocal && !under(local, "vc"):
				t.Errorf("%s imports %s: vc is a pure library and imports nothing else of the module", dir, imp)
			case (under(dir, "internal/store") || under(dir, "internal/httpx")) && isLocal && (under(local, "node") || under(local, "wallet") || under(local, "federation")):
				t.Errorf("%s imports %s: plumbing never imports a role", dir, imp)
			case strings.HasPrefix(imp, "github.com/cockroachdb/pebble") && !under(dir, "internal/store"):
				t.Errorf("%s imports pebble: only internal/store may", dir)
			case strings.HasPrefix(imp, "github.com/hyperledger/aries-framework-go"):
				t.Errorf("%s imports aries-framework-go outside tests: it must not link into the binary", dir)
			}
			for _, r := range roles {
				for _, other := range roles {
					if r != other && under(dir, r) && isLocal && under(local, other) {
						t.Errorf("%s imports %s: roles never import each other (declare a small interface and wire it in cmd/communs)", dir, imp)
					}
				}
			}
		}
	}
}
