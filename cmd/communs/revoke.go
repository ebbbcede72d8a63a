package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

const revokeAbout = `Revokes an awarded badge through a node's admin API: the node sets the badge's bit in its
status list, so every verifier sees it as revoked from then on, and the badge's public page
shows the reason. Revocation cannot be undone.

ID is the badge's id (the 26 characters at the end of its address) or its address
(https://badges.example.org/credentials/ID). The token (admin, or staff of the badge's
issuer) is read from --token-file or the COMMUNS_TOKEN environment variable, never from a flag.

Exit codes: 0 revoked, 1 the node refused (unknown badge, already revoked, token not allowed),
2 usage error, 3 the node could not be reached or answered something unexpected.`

// maxReasonRunes bounds the revocation reason (it is shown on the badge's public page).
const maxReasonRunes = 500

func runRevoke(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var node, tokenFile, reason string
	fs := newFlags("revoke", "revoke --node URL [--token-file FILE] --reason TEXT ID", revokeAbout, stderr)
	fs.StringVar(&node, "node", "", "the node's base URL, e.g. https://badges.example.org")
	fs.StringVar(&tokenFile, "token-file", "", "file holding the admin or staff token (default: $COMMUNS_TOKEN)")
	fs.StringVar(&reason, "reason", "", "why the badge is revoked (shown on its public page)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "communs revoke: "+format+"\n", a...)
		return code
	}
	usageErr := func(format string, a ...any) int { return fail(exitUsage, format+"; see --help", a...) }
	switch {
	case len(rest) == 0:
		return usageErr("give the ID (or address) of the badge to revoke")
	case len(rest) > 1:
		return usageErr("give one badge at a time (got %d arguments)", len(rest))
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return usageErr("--reason is required: it is shown on the badge's public page")
	case utf8.RuneCountInString(reason) > maxReasonRunes:
		return usageErr("--reason is longer than %d characters", maxReasonRunes)
	case !utf8.ValidString(reason) || strings.ContainsFunc(reason, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return usageErr("--reason must be one line of text")
	}
	id, err := badgeID(rest[0])
	if err != nil {
		return usageErr("%v", err)
	}
	client, err := newIssueClient(node, tokenFile)
	if err != nil {
		return fail(exitUsage, "%v", err)
	}
	body, _ := json.Marshal(map[string]string{"reason": reason})
	resp, err := client.post(ctx, client.endpoint("api", "v1", "awards", id, "revoke"), "application/json", "application/json", strings.NewReader(string(body)), int64(len(body)))
	if err != nil {
		return fail(exitInternal, "%v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		ne := answerError(resp)
		return fail(ne.exitCode(), "%v", ne)
	}
	var got struct {
		ID        string    `json:"id"`
		Revoked   bool      `json:"revoked"`
		RevokedAt time.Time `json:"revokedAt"`
		Reason    string    `json:"revocationReason"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&got); err != nil || !got.Revoked || got.ID != id {
		return fail(exitInternal, "the node's answer does not confirm the revocation of %s; check the badge's page", id)
	}
	fmt.Fprintf(stdout, "revoked: %s\n", client.endpoint("credentials", id))
	fmt.Fprintf(stdout, "at:      %s\n", got.RevokedAt.UTC().Format(time.RFC3339))
	fmt.Fprintf(stdout, "reason:  %s\n", oneLine(got.Reason, maxReasonRunes*4))
	return exitOK
}

// badgeID returns the id of a badge given by id or by its address (…/credentials/ID).
func badgeID(arg string) (string, error) {
	id := arg
	if strings.Contains(arg, "/") {
		u, err := url.Parse(arg)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("%q is neither a badge id nor a badge address (https://…/credentials/ID)", arg)
		}
		i := strings.LastIndex(u.Path, "/credentials/")
		last := ""
		if i >= 0 {
			last = u.Path[i+len("/credentials/"):]
		}
		if last == "" || strings.Contains(last, "/") {
			return "", fmt.Errorf("the address %q is not a badge address (https://…/credentials/ID)", arg)
		}
		id = strings.TrimSuffix(last, ".json")
	}
	if len(id) != 26 || strings.IndexFunc(id, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '2' || r > '7') }) >= 0 {
		return "", fmt.Errorf("%q is not a badge id (26 characters a-z and 2-7, the end of the badge's address)", id)
	}
	return id, nil
}
