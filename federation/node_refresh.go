package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// MaxListBytes bounds a list endpoint answer read from the anchor.
const MaxListBytes = 1 << 20

// Refresh learns the origins from the anchor (partners; on the anchor it
// only updates the peers): the anchor's Entity Configuration verified
// with the pinned keys, its list of partners (intermediate=true), and each
// partner's statement, verified and followed. Origins whose last
// statement has expired are dropped, the peers updated and pending
// EnsureVouched requests retried. Errors of single partners are joined;
// what could be learnt is kept.
func (n *Node) Refresh(ctx context.Context) error {
	if n.cfg.Role == RoleAnchor {
		return n.updatePeers()
	}
	err := n.pullFromAnchor(ctx)
	err = errors.Join(err, n.expireStatements(ctx), n.updatePeers())
	n.catchUpOwn(ctx)
	n.refreshOwnHead(ctx)
	if n.attested() {
		err = errors.Join(err, n.reconcile(ctx))
	}
	n.mu.Lock()
	n.lastRefresh, n.refreshErr = n.cfg.Now(), err
	n.mu.Unlock()
	if err != nil {
		return fmt.Errorf("refresh origins from %s: %w", n.cfg.AnchorID, err)
	}
	return nil
}

func (n *Node) pullFromAnchor(ctx context.Context) error {
	raw, err := n.fetch(ctx, n.cfg.AnchorID+PathEntityConfiguration, MaxStatementBytes)
	if err != nil {
		return err
	}
	ec, err := ParseEntityConfiguration(raw, n.cfg.AnchorID, &n.cfg.AnchorKeys, n.cfg.Now())
	if err != nil {
		return err
	}
	fe := ec.Claims.Metadata.FederationEntity
	listURL, err := withQuery(fe.FederationListEndpoint, "intermediate", "true")
	if err != nil {
		return fmt.Errorf("anchor list endpoint: %w", err)
	}
	body, err := n.fetch(ctx, listURL, MaxListBytes)
	if err != nil {
		return err
	}
	ids, err := ParseEntityList(body)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		u, err := withQuery(fe.FederationFetchEndpoint, "sub", id)
		if err != nil {
			return fmt.Errorf("anchor fetch endpoint: %w", err)
		}
		raw, err := n.fetch(ctx, u, MaxStatementBytes)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ps, err := ParseSubordinateStatement(raw, n.cfg.AnchorID, n.cfg.AnchorKeys, n.cfg.Now())
		if err == nil && ps.Origin.EntityID != id {
			err = fmt.Errorf("%w: asked for the statement about %s, got one about %s", ErrMalformed, id, ps.Origin.EntityID)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("statement about %s: %w", id, err))
			continue
		}
		if err := n.adoptStatement(ctx, ps, true); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ParseEntityList decodes a list endpoint answer: a JSON array of
// strings (entity ids or DIDs), each at most 1024 bytes. It returns
// [ErrMalformed].
func ParseEntityList(data []byte) ([]string, error) {
	var ids []string
	if err := json.Unmarshal(data, &ids); err != nil {
		return nil, fmt.Errorf("%w: list answer is not a JSON array of strings: %v", ErrMalformed, err)
	}
	for i, id := range ids {
		if id == "" || len(id) > DefaultLimits().MaxStringBytes {
			return nil, fmt.Errorf("%w: list member %d is empty or over %d bytes", ErrMalformed, i, DefaultLimits().MaxStringBytes)
		}
	}
	return ids, nil
}

// withQuery returns endpoint with one more query parameter; endpoint must
// be an http(s) URL.
func withQuery(endpoint, name, value string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%w: %q is not an http(s) URL", ErrMalformed, endpoint)
	}
	q := u.Query()
	q.Set(name, value)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// fetch GETs u with the node's client and reads at most max bytes of a 200
// answer.
func (n *Node) fetch(ctx context.Context, u string, max int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	resp, err := n.cfg.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: the anchor answered %s", u, resp.Status)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("fetch %s: %w: the answer is over %d bytes", u, ErrTooLarge, max)
	}
	return body, nil
}
