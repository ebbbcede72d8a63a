package status

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Fetcher retrieves the document at a URL (a status list credential or a 1EdTech revocation
// list). The caller supplies it, typically over a guarded HTTP client with a cache.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// FetcherFunc adapts a function to the Fetcher interface.
type FetcherFunc func(ctx context.Context, url string) ([]byte, error)

// Fetch calls f.
func (f FetcherFunc) Fetch(ctx context.Context, url string) ([]byte, error) { return f(ctx, url) }

// ListVerifier verifies a fetched status list credential (its proof, key binding, dates) and
// returns its issuer id. The caller (the vc pipeline) supplies it.
type ListVerifier func(ctx context.Context, listCredential map[string]any) (issuer string, err error)

// State is what a status entry says about a credential.
type State int

const (
	// Unknown: the status could not be determined (list unreachable, unverifiable, mismatched
	// or malformed, or an entry this package cannot read). The caller's policy decides.
	Unknown State = iota
	// Valid: the list shows no revocation or suspension for the credential.
	Valid
	// Revoked: the issuer has revoked the credential; this is permanent.
	Revoked
	// Suspended: the issuer has suspended the credential; this can be undone.
	Suspended
	// Message: the list carries an informational status (purpose "message", "refresh" or
	// another purpose); Result.Message has the issuer's text when there is one.
	Message
)

var stateNames = [...]string{Unknown: "unknown", Valid: "valid", Revoked: "revoked", Suspended: "suspended", Message: "message"}

// String returns the lower-case name of the state ("revoked").
func (s State) String() string {
	if s < 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return stateNames[s]
}

// MarshalText writes the state's name, so reports serialise it as "revoked" rather than 2.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Result is the outcome of one credentialStatus entry.
type Result struct {
	Entry  Entry
	State  State
	Reason string // a sentence a person can act on
	Err    error  // why the state is Unknown (wraps a sentinel of this package); nil otherwise
	// Value is the status read from a bitstring list (0 when none was read).
	Value uint64
	// Message is the issuer's message for Value (statusMessage), or a 1EdTech revocation reason.
	Message string
}

// Option adjusts Check.
type Option func(*config)

type config struct {
	now        func() time.Time
	minEntries int
}

// WithClock sets the clock used for the validity dates of status list credentials
// (default time.Now).
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithMinimumEntries makes Check treat a bitstring list with fewer than n entries as unusable
// (ErrListTooShort, state Unknown), as the Bitstring Status List validation algorithm does with
// n = MinEntries. By default no minimum is enforced, because lists in use (100,000 entries for
// the Digital Credentials Consortium's) are shorter and peer verifiers accept them.
func WithMinimumEntries(n int) Option {
	return func(c *config) { c.minEntries = n }
}

// Check reads the credential's credentialStatus and checks every entry against its list,
// returning one Result per entry in order (none when the credential has no credentialStatus).
// Problems with an entry or its list never fail the call: they give a Result in state Unknown
// whose Reason says what is wrong. Check returns an error only when it cannot start: a missing
// Fetcher or ListVerifier (ErrMissingDependency), a credentialStatus that is neither an object
// nor an array (ErrMalformedEntry), or a context already done.
//
// Rules for BitstringStatusListEntry and StatusList2021Entry: the fetched document must be a
// BitstringStatusListCredential (resp. StatusList2021Credential) that verify accepts, issued by
// the credential's issuer, valid at the clock's time, listing the entry's statusPurpose, with
// the index inside the list. For 1EdTechRevocationList, the document at the entry's id must list
// the credential's id in revokedCredentials for the credential to be Revoked; its issuer, when
// it names one, must be the credential's issuer.
func Check(ctx context.Context, credential map[string]any, f Fetcher, verify ListVerifier, opts ...Option) ([]Result, error) {
	if f == nil || verify == nil {
		return nil, fmt.Errorf("check credential status: %w: both a Fetcher and a ListVerifier are required", ErrMissingDependency)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("check credential status: %w", err)
	}
	raw, err := rawEntries(credential["credentialStatus"])
	if err != nil {
		return nil, fmt.Errorf("check credential status: %w", err)
	}
	if len(raw) == 0 {
		return nil, nil
	}
	c := &checker{
		config:       config{now: time.Now},
		fetch:        f,
		verify:       verify,
		issuer:       idOf(credential["issuer"]),
		credentialID: idOf(credential["id"]),
		lists:        map[string]*fetchedList{},
	}
	for _, o := range opts {
		o(&c.config)
	}
	results := make([]Result, 0, len(raw))
	for i, r := range raw {
		e, err := ParseEntry(r)
		if err != nil {
			results = append(results, Result{
				Entry:  e,
				Reason: fmt.Sprintf("credentialStatus[%d] cannot be checked: %v; the credential's status is unknown", i, err),
				Err:    fmt.Errorf("check credentialStatus[%d]: %w", i, err),
			})
			continue
		}
		var res Result
		if e.Type == Type1EdTechRevocationList {
			res = c.checkRevocationList(ctx, e)
		} else {
			res = c.checkBitstring(ctx, e)
		}
		if res.Err != nil {
			res.Err = fmt.Errorf("check credentialStatus[%d]: %w", i, res.Err)
		}
		results = append(results, res)
	}
	return results, nil
}

// checker holds one Check call's inputs and the lists it has fetched, so that a list named by
// several entries is fetched, verified and decoded once.
type checker struct {
	config
	fetch        Fetcher
	verify       ListVerifier
	issuer       string
	credentialID string
	lists        map[string]*fetchedList
}

type fetchedList struct {
	doc      map[string]any
	err      error
	verified bool
	signer   string
	vErr     error
	bits     *Bitstring
	bitsErr  error
}

// document fetches and parses the JSON object at url, once per Check call.
func (c *checker) document(ctx context.Context, url string) *fetchedList {
	if l, ok := c.lists[url]; ok {
		return l
	}
	l := &fetchedList{}
	c.lists[url] = l
	data, err := c.fetch.Fetch(ctx, url)
	if err != nil {
		l.err = fmt.Errorf("%w: %s could not be retrieved: %v", ErrListUnavailable, url, err)
		return l
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		l.err = fmt.Errorf("%w: %s is not JSON: %v", ErrMalformedList, url, err)
		return l
	}
	doc, ok := v.(map[string]any)
	if !ok {
		l.err = fmt.Errorf("%w: %s holds a JSON %s, not an object", ErrMalformedList, url, jsonKind(v))
		return l
	}
	l.doc = doc
	return l
}

// unknown completes r as an Unknown result for err.
func unknown(r Result, err error) Result {
	r.State = Unknown
	r.Err = err
	r.Reason = fmt.Sprintf("%v; the credential's %s status is unknown", err, r.Entry.StatusPurpose)
	return r
}
