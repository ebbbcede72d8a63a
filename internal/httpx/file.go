package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// FileTransport is an http.RoundTripper that answers GET and HEAD requests
// for known URLs from local files, so that credentials can be verified
// offline (the CLI's --resolve URL=FILE). A URL it does not know fails with
// ErrNotMapped, unless Fallback is set. It never touches the network itself.
// Set its fields before first use; it is then safe for concurrent use.
type FileTransport struct {
	// Files maps absolute http(s) URLs to file paths. Fragments, in keys
	// and in requests, are ignored.
	Files map[string]string
	// Fallback answers the URLs that have no file (for example the guarded
	// client's transport). Nil means unknown URLs fail with ErrNotMapped.
	Fallback http.RoundTripper

	once  sync.Once
	index map[string]string // normalised URL -> path
}

// NewFileTransport checks that every key of files is an absolute http or
// https URL with a file name, and returns a transport serving them.
func NewFileTransport(files map[string]string) (*FileTransport, error) {
	for raw, path := range files {
		if _, err := fileKey(raw); err != nil {
			return nil, fmt.Errorf("file transport: %w", err)
		}
		if path == "" {
			return nil, fmt.Errorf("file transport: no file given for %s", raw)
		}
	}
	return &FileTransport{Files: files}, nil
}

// LoadIndex reads dir/index.json, a JSON object mapping URLs to file names
// relative to dir (members whose name starts with "_" are comments), and
// returns the URL -> file path map for FileTransport.Files. File names must
// stay inside dir.
func LoadIndex(dir string) (map[string]string, error) {
	indexPath := filepath.Join(dir, "index.json")
	data, err := os.ReadFile(indexPath)
	if err != nil {
		return nil, fmt.Errorf("load URL index: %w", err)
	}
	files, err := parseIndex(dir, data)
	if err != nil {
		return nil, fmt.Errorf("load URL index %s: %w", indexPath, err)
	}
	return files, nil
}

// parseIndex decodes the bytes of an index.json found in dir.
func parseIndex(dir string, data []byte) (map[string]string, error) {
	var index map[string]json.RawMessage
	if err := json.Unmarshal(data, &index); err != nil {
		return nil, fmt.Errorf("not a JSON object of URL -> file: %v", err)
	}
	files := make(map[string]string, len(index))
	for u, raw := range index {
		if strings.HasPrefix(u, "_") {
			continue
		}
		if _, err := fileKey(u); err != nil {
			return nil, err
		}
		var name string
		if err := json.Unmarshal(raw, &name); err != nil || name == "" {
			return nil, fmt.Errorf("the file for %s must be a non-empty string", u)
		}
		local := filepath.Clean(filepath.FromSlash(name))
		if !filepath.IsLocal(local) {
			return nil, fmt.Errorf("file %q for %s is outside %s", name, u, dir)
		}
		if local == "." {
			return nil, fmt.Errorf("file %q for %s names the folder itself, not a file in it", name, u)
		}
		files[u] = filepath.Join(dir, local)
	}
	return files, nil
}

// lookup returns the file mapped to a normalised URL.
func (t *FileTransport) lookup(key string) (string, bool) {
	t.once.Do(func() {
		t.index = make(map[string]string, len(t.Files))
		for raw, path := range t.Files {
			if k, err := fileKey(raw); err == nil {
				t.index[k] = path
			}
		}
	})
	path, ok := t.index[key]
	return path, ok
}

// URLs lists the URLs the transport has files for, sorted.
func (t *FileTransport) URLs() []string {
	out := make([]string, 0, len(t.Files))
	for u := range t.Files {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// RoundTrip answers from the mapped file, the fallback, or fails.
func (t *FileTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	key, err := fileKey(req.URL.String())
	if err != nil {
		closeRequestBody(req)
		return nil, err
	}
	path, ok := t.lookup(key)
	if !ok {
		if t.Fallback != nil {
			return t.Fallback.RoundTrip(req)
		}
		closeRequestBody(req)
		return nil, fmt.Errorf("%w: %s (offline: no file is mapped to this URL and the network is not used)", ErrNotMapped, key)
	}
	closeRequestBody(req)
	if req.Method != http.MethodGet && req.Method != http.MethodHead && req.Method != "" {
		return nil, fmt.Errorf("file transport: %s %s: only GET and HEAD are answered from files", req.Method, key)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("file transport: %s: reading %s: %w", key, path, err)
	}
	header := http.Header{}
	header.Set("Content-Type", contentTypeOf(path, data))
	var body io.ReadCloser = io.NopCloser(bytes.NewReader(data))
	if req.Method == http.MethodHead {
		body = http.NoBody
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          body,
		ContentLength: int64(len(data)),
		Request:       req,
	}, nil
}

// fileKey normalises a URL for lookup: absolute http(s), no fragment.
func fileKey(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL: %v", raw, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http or https URL", raw)
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), nil
}

// contentTypeOf guesses a media type from the file extension, then the
// content.
func contentTypeOf(path string, data []byte) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "application/json"
	case ".jsonld":
		return "application/ld+json"
	case ".jwt":
		return "application/jwt"
	}
	return http.DetectContentType(data)
}
