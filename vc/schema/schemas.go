package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The $id of each schema Communs validates against.
const (
	// AchievementCredentialSchema is the $id of the schema for
	// OpenBadgeCredential and AchievementCredential documents.
	AchievementCredentialSchema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
	// EndorsementCredentialSchema is the $id of the schema for
	// EndorsementCredential documents.
	EndorsementCredentialSchema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
	// ProfileSchema is the $id of the schema for Profile documents.
	ProfileSchema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json"
)

// strictAchievementCredentialSchema is the $id of the earlier, arrays-only
// AchievementCredential schema. It is embedded and registered so that a
// reference to it resolves offline, but the published schema decides.
const strictAchievementCredentialSchema = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json"

//go:embed schemas/*.json
var schemaFiles embed.FS

// compiled holds the schemas compiled from the embedded files, and the raw
// schema documents, which issue messages consult (for example to name the
// values a "contains" keyword asks for).
type compiled struct {
	byID map[string]*jsonschema.Schema
	raw  map[string]any
}

var (
	compileOnce sync.Once
	compiledSet *compiled
	compileErr  error
)

// schemas returns the compiled schema set, compiling it on first use.
func schemas() (*compiled, error) {
	compileOnce.Do(func() {
		compiledSet, compileErr = compileEmbedded(AchievementCredentialSchema, EndorsementCredentialSchema, ProfileSchema)
	})
	return compiledSet, compileErr
}

// schemaFor returns the compiled schema with the given $id.
func schemaFor(id string) (*jsonschema.Schema, *compiled, error) {
	set, err := schemas()
	if err != nil {
		return nil, nil, err
	}
	sch, ok := set.byID[id]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no schema with $id %s", ErrSchemaUnavailable, id)
	}
	return sch, set, nil
}

// compileEmbedded registers every embedded schema under its $id (as listed in
// schemas/index.json) and compiles the ones named by ids. Any reference to a
// URL that is not embedded fails: nothing is ever fetched.
func compileEmbedded(ids ...string) (*compiled, error) {
	index, err := readIndex()
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(offlineLoader{})
	c.DefaultDraft(jsonschema.Draft2019)
	c.AssertFormat()

	urls := make([]string, 0, len(index))
	for u := range index {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	raw := make(map[string]any, len(index))
	for _, u := range urls {
		doc, err := readSchemaFile(index[u])
		if err != nil {
			return nil, err
		}
		if id, _ := doc.(map[string]any)["$id"].(string); id != u {
			return nil, fmt.Errorf("%w: schemas/%s has $id %q but index.json lists it as %q", ErrSchemaUnavailable, index[u], id, u)
		}
		if err := c.AddResource(u, doc); err != nil {
			return nil, fmt.Errorf("%w: register %s: %v", ErrSchemaUnavailable, u, err)
		}
		raw[u] = doc
	}

	set := &compiled{byID: make(map[string]*jsonschema.Schema, len(ids)), raw: raw}
	for _, id := range ids {
		sch, err := c.Compile(id)
		if err != nil {
			return nil, fmt.Errorf("%w: compile %s: %v", ErrSchemaUnavailable, id, err)
		}
		set.byID[id] = sch
	}
	return set, nil
}

// readIndex reads schemas/index.json: schema URL ($id) -> file name.
func readIndex() (map[string]string, error) {
	b, err := schemaFiles.ReadFile("schemas/index.json")
	if err != nil {
		return nil, fmt.Errorf("%w: read schemas/index.json: %v", ErrSchemaUnavailable, err)
	}
	var index map[string]string
	if err := json.Unmarshal(b, &index); err != nil {
		return nil, fmt.Errorf("%w: parse schemas/index.json: %v", ErrSchemaUnavailable, err)
	}
	return index, nil
}

// readSchemaFile parses one embedded schema file, keeping numbers exact.
func readSchemaFile(name string) (any, error) {
	if path.Base(name) != name {
		return nil, fmt.Errorf("%w: index.json names %q, which is not a file in schemas/", ErrSchemaUnavailable, name)
	}
	b, err := schemaFiles.ReadFile("schemas/" + name)
	if err != nil {
		return nil, fmt.Errorf("%w: read schemas/%s: %v", ErrSchemaUnavailable, name, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: parse schemas/%s: %v", ErrSchemaUnavailable, name, err)
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, fmt.Errorf("%w: schemas/%s is not a JSON object", ErrSchemaUnavailable, name)
	}
	return doc, nil
}
