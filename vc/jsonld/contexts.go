package jsonld

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// contextFiles holds every embedded context and contexts/index.json, which maps each
// context URL to its file.
//
//go:embed contexts/index.json contexts/*.json contexts/*.jsonld
var contextFiles embed.FS

// embeddedSet is the parsed form of contextFiles, built once.
type embeddedSet struct {
	docs map[string]any // context URL -> parsed JSON document; never handed out, only copies
	urls []string       // sorted
	err  error
}

var (
	embeddedOnce sync.Once
	embedded     embeddedSet
)

// contextSet parses the embedded contexts on first use.
func contextSet() *embeddedSet {
	embeddedOnce.Do(func() { embedded = parseEmbedded() })
	return &embedded
}

func parseEmbedded() embeddedSet {
	raw, err := contextFiles.ReadFile("contexts/index.json")
	if err != nil {
		return embeddedSet{err: fmt.Errorf("read embedded context index: %w", err)}
	}
	var index map[string]string
	if err := json.Unmarshal(raw, &index); err != nil {
		return embeddedSet{err: fmt.Errorf("parse embedded context index: %w", err)}
	}
	set := embeddedSet{docs: make(map[string]any, len(index)), urls: make([]string, 0, len(index))}
	for url, file := range index {
		b, err := contextFiles.ReadFile(path.Join("contexts", file))
		if err != nil {
			return embeddedSet{err: fmt.Errorf("read embedded context %s (%s): %w", url, file, err)}
		}
		var doc any
		if err := json.Unmarshal(b, &doc); err != nil {
			return embeddedSet{err: fmt.Errorf("parse embedded context %s (%s): %w", url, file, err)}
		}
		set.docs[url] = doc
		set.urls = append(set.urls, url)
	}
	slices.Sort(set.urls)
	return set
}

// IsEmbedded reports whether url is the exact URL of an embedded context. URLs are compared
// byte for byte: no scheme, host-case or trailing-slash variants are accepted.
func IsEmbedded(url string) bool {
	_, ok := contextSet().docs[url]
	return ok
}

// EmbeddedContexts returns the URLs of every embedded context, sorted.
func EmbeddedContexts() []string {
	return slices.Clone(contextSet().urls)
}

// ContextError names a context URL that could not be served.
type ContextError struct {
	URL string
}

// Error says which context is missing and why it was not fetched.
func (e *ContextError) Error() string {
	return fmt.Sprintf("JSON-LD context %q is not one of the embedded contexts (contexts are never fetched from the network)", e.URL)
}

// Unwrap makes errors.Is(err, ErrUnknownContext) true.
func (e *ContextError) Unwrap() error { return ErrUnknownContext }

// DocumentLoader returns a json-gold document loader that serves the embedded contexts and
// refuses every other URL with a *ContextError (errors.Is ErrUnknownContext). It never uses
// the network. Each load returns a fresh copy, so processing cannot alter the embedded data.
func DocumentLoader() ld.DocumentLoader { return offlineLoader{} }

type offlineLoader struct{}

// LoadDocument serves url from the embedded contexts.
func (offlineLoader) LoadDocument(url string) (*ld.RemoteDocument, error) {
	set := contextSet()
	if set.err != nil {
		return nil, set.err
	}
	doc, ok := set.docs[url]
	if !ok {
		return nil, &ContextError{URL: url}
	}
	return &ld.RemoteDocument{DocumentURL: url, Document: copyJSON(doc)}, nil
}

// copyJSON deep-copies a value decoded by encoding/json.
func copyJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = copyJSON(e)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, e := range t {
			s[i] = copyJSON(e)
		}
		return s
	default:
		return v
	}
}
