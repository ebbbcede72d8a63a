package node

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/communs/communs/vc"
	"github.com/communs/communs/vc/did"
	"github.com/multiformats/go-multibase"
	"github.com/multiformats/go-multicodec"
)

// Resolver resolves this node's issuer DIDs from the store, and other DIDs through the
// configured HTTP client (did:key and did:jwk need none).
func (n *Node) Resolver() did.Resolver {
	var remote did.Resolver
	if n.cfg.HTTPClient != nil {
		remote = did.NewResolver(did.Options{HTTPClient: n.cfg.HTTPClient, AllowHTTP: n.cfg.AllowHTTPDIDs})
	} else {
		remote = did.NewResolver(did.Options{})
	}
	return did.ResolverFunc(func(ctx context.Context, id string) (*did.Document, error) {
		iss, err := n.issuerForDID(ctx, id)
		if err == nil {
			doc, err := n.DIDDocument(ctx, iss.Slug)
			if err != nil {
				return nil, err
			}
			raw, err := json.Marshal(doc)
			if err != nil {
				return nil, err
			}
			return did.ParseDocument(raw) // a parsed document resolves relative ids
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return remote.Resolve(ctx, id)
	})
}

// localTransport answers requests for the node's own URLs from its handler, without a network
// round trip, and passes the others to next (nil: refused).
type localTransport struct {
	n    *Node
	next http.RoundTripper
}

func (t localTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasPrefix(req.URL.String(), t.n.cfg.base()+"/") {
		rec := &memoryResponse{header: http.Header{}, code: http.StatusOK}
		t.n.Handler().ServeHTTP(rec, req)
		return rec.response(req), nil
	}
	if t.next == nil {
		return nil, fmt.Errorf("fetch %s: this node fetches only its own documents (no outbound client configured)", req.URL.Redacted())
	}
	return t.next.RoundTrip(req)
}

// Client returns an HTTP client that reads the node's own documents in-process and the others
// through the configured (guarded) client.
func (n *Node) Client() *http.Client {
	c := &http.Client{}
	var next http.RoundTripper
	if n.cfg.HTTPClient != nil {
		// Keep the guarded client's redirect checks and time limit; only its transport is wrapped.
		*c = *n.cfg.HTTPClient
		next = n.cfg.HTTPClient.Transport
	}
	c.Transport = localTransport{n: n, next: next}
	return c
}

// memoryResponse records a response of the node's own handler for an in-process request.
type memoryResponse struct {
	header http.Header
	code   int
	wrote  bool
	body   bytes.Buffer
}

func (m *memoryResponse) Header() http.Header { return m.header }

func (m *memoryResponse) WriteHeader(code int) {
	if !m.wrote {
		m.code, m.wrote = code, true
	}
}

func (m *memoryResponse) Write(b []byte) (int, error) {
	m.wrote = true
	return m.body.Write(b)
}

func (m *memoryResponse) response(req *http.Request) *http.Response {
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", m.code, http.StatusText(m.code)),
		StatusCode:    m.code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        m.header,
		Body:          io.NopCloser(bytes.NewReader(m.body.Bytes())),
		ContentLength: int64(m.body.Len()),
		Request:       req,
	}
}

// Verify runs the vc verification pipeline on raw with this node's resolver and client.
func (n *Node) Verify(ctx context.Context, raw []byte) (*vc.Report, error) {
	return vc.Verify(ctx, raw, vc.Options{Now: n.cfg.Now(), Resolver: n.Resolver(), HTTPClient: n.Client(), Trust: n.cfg.Trust})
}

// EvidenceCheck is the outcome of checking one relatedResource's digest.
type EvidenceCheck struct {
	URL    string `json:"url"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// CheckEvidence fetches every relatedResource of a credential (this node's files in-process,
// others through the configured client) and compares each with its digestMultibase.
func (n *Node) CheckEvidence(ctx context.Context, credential []byte) ([]EvidenceCheck, error) {
	c, err := vc.ParseCredential(credential)
	if err != nil {
		return nil, fmt.Errorf("check evidence: %w", err)
	}
	client := n.Client()
	var out []EvidenceCheck
	for _, rr := range c.RelatedResource.Items {
		out = append(out, n.checkResource(ctx, client, rr))
	}
	return out, nil
}

func (n *Node) checkResource(ctx context.Context, client *http.Client, rr vc.RelatedResource) EvidenceCheck {
	fail := func(f string, a ...any) EvidenceCheck {
		return EvidenceCheck{URL: rr.ID, Detail: fmt.Sprintf(f, a...)}
	}
	if rr.DigestMultibase == "" {
		return fail("the resource has no digestMultibase to check")
	}
	_, want, err := multibase.Decode(rr.DigestMultibase)
	if err != nil || len(want) != 2+sha256.Size || want[0] != byte(multicodec.Sha2_256) || want[1] != sha256.Size {
		return fail("digestMultibase is not a multibase sha2-256 multihash")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rr.ID, nil)
	if err != nil {
		return fail("the resource URL cannot be fetched: %v", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fail("the resource could not be fetched: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail("the resource could not be fetched: HTTP %d", resp.StatusCode)
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(resp.Body, n.cfg.MaxEvidenceBytes+1)); err != nil {
		return fail("the resource could not be read: %v", err)
	}
	if !bytes.Equal(h.Sum(nil), want[2:]) {
		return fail("the file does not match its digest: it was changed after the badge was issued")
	}
	return EvidenceCheck{URL: rr.ID, OK: true, Detail: "the file matches its digest"}
}
