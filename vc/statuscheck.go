package vc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/communs/communs/vc/status"
)

// maxListBytes bounds a fetched status list document.
const maxListBytes = 4 << 20

// checkStatus reads the credential's status entries (Bitstring, StatusList2021, 1EdTech
// revocation list) and reports revocation or suspension.
func checkStatus(ctx context.Context, rep *Report, doc map[string]any, opts *Options, depth int) {
	if doc["credentialStatus"] == nil {
		rep.add(CheckStatus, Skipped, "The badge has no status entry, so its issuer cannot revoke it.")
		return
	}
	if opts.HTTPClient == nil {
		unknownStatus(rep, opts, "The badge's status list was not consulted (no network access was given to this verification).")
		return
	}
	fetch := status.FetcherFunc(func(ctx context.Context, url string) ([]byte, error) {
		return fetchDocument(ctx, opts.HTTPClient, url)
	})
	verifyList := func(ctx context.Context, list map[string]any) (string, error) {
		return verifyStatusList(ctx, list, opts, depth)
	}
	results, err := status.Check(ctx, doc, fetch, verifyList, status.WithClock(opts.now))
	if err != nil {
		rep.add(CheckStatus, Failed, "The status entry cannot be read: %v.", err)
		return
	}
	for _, r := range results {
		where := r.Entry.StatusListCredential
		if where == "" {
			where = r.Entry.ID
		}
		switch r.State {
		case status.Valid:
			rep.add(CheckStatus, OK, "Not revoked or suspended (%s, %s).", strings.ToLower(firstNonEmpty(r.Entry.StatusPurpose, "revocation")), where)
		case status.Revoked:
			rep.add(CheckStatus, Failed, "The issuer has revoked this badge%s.", reasonSuffix(r))
		case status.Suspended:
			rep.add(CheckStatus, Failed, "The issuer has suspended this badge%s.", reasonSuffix(r))
		case status.Message:
			rep.add(CheckStatus, OK, "Status message from the issuer: %s.", firstNonEmpty(r.Message, r.Reason))
		default:
			unknownStatus(rep, opts, "The badge's status is unknown: "+strings.TrimSuffix(r.Reason, ".")+".")
		}
	}
}

func reasonSuffix(r status.Result) string {
	if r.Message != "" {
		return " (reason: " + r.Message + ")"
	}
	return ""
}

func unknownStatus(rep *Report, opts *Options, detail string) {
	o := Failed
	if opts.UnknownStatusIsWarning {
		o = Warning
	}
	rep.add(CheckStatus, o, "%s", detail)
}

// verifyStatusList checks a fetched status list credential: proof by a key of its issuer, dates.
func verifyStatusList(ctx context.Context, list map[string]any, opts *Options, depth int) (string, error) {
	if depth >= maxDepth {
		return "", errors.New("status lists nested too deeply")
	}
	sub := &Report{}
	issuer := issuerID(list)
	if !checkContexts(sub, list) {
		return "", errors.New(sub.Failures()[0].Detail)
	}
	checkProofs(ctx, sub, list, issuer, "assertionMethod", opts)
	checkDates(sub, list, opts.now())
	if f := sub.Failures(); len(f) > 0 {
		return "", fmt.Errorf("the status list credential does not verify: %s", f[0].Detail)
	}
	return issuer, nil
}

// fetchDocument GETs a remote JSON document through the given (guarded) client.
func fetchDocument(ctx context.Context, client *http.Client, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vc+ld+json, application/ld+json, application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s", url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxListBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxListBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", url, maxListBytes)
	}
	return body, nil
}
