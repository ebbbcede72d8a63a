package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/communs/communs/federation"
	"github.com/communs/communs/vc/did"
	jose "github.com/go-jose/go-jose/v4"
)

const federationAbout = `Runs a federation of issuer registries (docs/federation.md) through nodes' admin APIs.

Trust anchor (the ecosystem's governance):
  anchor init [--data DIR] [--out FILE]   make (or reuse) the anchor's ES256 key DIR/federation.key
                                          and write the JWKS partners pin (--federation-anchor-jwks)
  anchor add-partner ENTITY_ID --scope PATTERN... [--jwks FILE|URL] [--name NAME]
                                          attest a partner node: its keys (default: read from its
                                          ENTITY_ID/.well-known/openid-federation) and the issuer
                                          DIDs it may vouch for (a DID, or a prefix ending in ':*')
  anchor expel ENTITY_ID                  stop attesting a partner (its issuers leave every
                                          registry once its last statement expires)
  anchor partners [--json]                list the partner records

Partner node:
  vouch DID [--key MULTIKEY]... [--name NAME] [--homepage URL] [--reason TEXT]
                                          vouch for an issuer (keys default to its DID document's)
  suspend DID [--reason TEXT]             suspend an issuer this node vouches for
  revoke DID [--reason TEXT]              withdraw the vouch (a tombstone)

Any node:
  status [--json]                         per-origin seq, head age, last sync, equivocation alarms
  peers [--json]                          the peers pulled from, last sync, last error
  health --node URL                       exit 0 when the node's /healthz answers ok (containers)

Admin commands take --node URL and the node's admin token from --token-file FILE or
COMMUNS_TOKEN (never a flag); --node must be https:// except on a loopback address.

Exit codes: 0 done, 1 the node refused (or is not healthy), 2 usage error, 3 the node could not
be reached or answered something unexpected.`

func runFederation(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: communs federation SUBCOMMAND [flags] [arguments]\n\n%s\n", federationAbout)
	}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	sub, rest := args[0], args[1:]
	if sub == "anchor" {
		if len(rest) == 0 {
			usage(stderr)
			return exitUsage
		}
		sub, rest = "anchor "+rest[0], rest[1:]
	}
	switch sub {
	case "-h", "--help", "help", "anchor -h", "anchor --help", "anchor help":
		usage(stderr)
		return exitOK
	case "anchor init":
		return fedAnchorInit(rest, stdout, stderr)
	case "anchor add-partner":
		return fedAddPartner(ctx, rest, stdout, stderr)
	case "anchor expel":
		return fedExpel(ctx, rest, stdout, stderr)
	case "anchor partners":
		return fedPartners(ctx, rest, stdout, stderr)
	case "vouch":
		return fedVouch(ctx, rest, stdout, stderr)
	case "suspend", "revoke":
		return fedSetStatus(ctx, sub, rest, stdout, stderr)
	case "status":
		return fedStatus(ctx, rest, stdout, stderr)
	case "peers":
		return fedPeers(ctx, rest, stdout, stderr)
	case "health":
		return fedHealth(ctx, rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "communs federation: unknown subcommand %q\n\n", sub)
	usage(stderr)
	return exitUsage
}

// fedCmd is the shared part of the federation subcommands: flags, --node and --token-file.
type fedCmd struct {
	name            string
	node, tokenFile string
	stderr          io.Writer
}

func (c *fedCmd) flags(usageLine, about string, admin bool) *flag.FlagSet {
	fs := newFlags("federation "+c.name, "federation "+usageLine, about, c.stderr)
	if admin {
		fs.StringVar(&c.node, "node", "", "the node's base URL, e.g. https://badges.example.org")
		fs.StringVar(&c.tokenFile, "token-file", "", "file holding the node's admin token (default: $COMMUNS_TOKEN)")
	}
	return fs
}

func (c *fedCmd) fail(code int, format string, a ...any) int {
	fmt.Fprintf(c.stderr, "communs federation "+c.name+": "+format+"\n", a...)
	return code
}

func (c *fedCmd) usageErr(format string, a ...any) int {
	return c.fail(exitUsage, format+"; see --help", a...)
}

// call sends an authenticated request to the node's federation admin API and decodes a 200
// JSON answer into out. It returns an exit code (exitOK on success) after reporting errors.
func (c *fedCmd) call(ctx context.Context, method, path string, body, out any) int {
	client, err := newIssueClient(c.node, c.tokenFile)
	if err != nil {
		return c.fail(exitUsage, "%v", err)
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return c.fail(exitInternal, "%v", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, client.endpoint()+path, rd)
	if err != nil {
		return c.fail(exitInternal, "%v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json, application/problem+json")
	req.Header.Set("Authorization", "Bearer "+client.token)
	resp, err := client.http.Do(req)
	if err != nil {
		return c.fail(exitInternal, "could not reach the node: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		ne := answerError(resp)
		return c.fail(ne.exitCode(), "%v", ne)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(out); err != nil {
		return c.fail(exitInternal, "the node's answer is not the expected JSON: %v", err)
	}
	return exitOK
}

func fedAnchorInit(args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: "anchor init", stderr: stderr}
	var data, out string
	fs := c.flags("anchor init [--data DIR] [--out FILE]", `Makes the trust anchor's federation key (ECDSA P-256, ES256) as DIR/federation.key (mode 0600),
or reuses the one there (or COMMUNS_FEDERATION_KEY), and writes its public JWKS: the file every
partner pins with --federation-anchor-jwks. Start the anchor with the same --data and
--federation-role anchor.`, false)
	fs.StringVar(&data, "data", "communs-data", "the anchor node's data folder")
	fs.StringVar(&out, "out", "-", "write the JWKS to FILE ('-': standard output)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) > 0 {
		return c.usageErr("unexpected argument %q", rest[0])
	}
	key, created, err := loadFederationKey(data, os.Getenv("COMMUNS_FEDERATION_KEY"), true)
	if err != nil {
		return c.fail(exitFailure, "%v", err)
	}
	jwks, err := federation.MarshalJWKS(key.Public())
	if err != nil {
		return c.fail(exitInternal, "%v", err)
	}
	jwks = append(jwks, '\n')
	if out == "-" {
		stdout.Write(jwks)
	} else if err := os.WriteFile(out, jwks, 0o644); err != nil {
		return c.fail(exitFailure, "write %s: %v", out, err)
	}
	if created {
		fmt.Fprintf(stderr, "created %s%c%s\n", data, os.PathSeparator, federationKeyFile)
	}
	if out != "-" {
		fmt.Fprintf(stderr, "wrote the anchor's JWKS to %s: give it to every partner (--federation-anchor-jwks)\n", out)
	}
	return exitOK
}

func fedAddPartner(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: "anchor add-partner", stderr: stderr}
	var jwksFrom, name string
	var scope multiFlag
	fs := c.flags("anchor add-partner --node URL ENTITY_ID --scope PATTERN... [--jwks FILE|URL] [--name NAME]", `Attests a partner node on the trust anchor (or updates its keys, scope or name): the anchor
then serves a subordinate statement about it, and every partner follows its registry.
ENTITY_ID is the partner's base URL. Its keys come from --jwks: a JWKS file, or a URL answering a
JWKS or an Entity Configuration (default: ENTITY_ID/.well-known/openid-federation, whose own
signature is checked; compare its keys with the partner's operator out of band).`, true)
	fs.StringVar(&jwksFrom, "jwks", "", "the partner's federation public keys: a JWKS file or a URL")
	fs.Var(&scope, "scope", "issuer DIDs the partner may vouch for: a DID, or a prefix ending in ':*' (repeatable)")
	fs.StringVar(&name, "name", "", "the partner's organization name")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	switch {
	case len(rest) != 1:
		return c.usageErr("give one ENTITY_ID (the partner's base URL)")
	case len(scope) == 0:
		return c.usageErr("give at least one --scope PATTERN, e.g. 'did:web:badges.example.org:*'")
	}
	entity := strings.TrimSuffix(rest[0], "/")
	if u, err := url.Parse(entity); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return c.usageErr("ENTITY_ID %q is not a base URL like https://badges.example.org", rest[0])
	}
	if jwksFrom == "" {
		jwksFrom = entity + federation.PathEntityConfiguration
	}
	jwks, err := readPartnerJWKS(ctx, jwksFrom, entity)
	if err != nil {
		return c.fail(exitFailure, "--jwks %s: %v", jwksFrom, err)
	}
	var p federation.Partner
	body := partnerBody{EntityID: entity, JWKS: jwks, Scope: scope, OrganizationName: name}
	if code := c.call(ctx, "POST", "/api/v1/federation/partners", body, &p); code != exitOK {
		return code
	}
	fmt.Fprintf(stdout, "partner:  %s\nscope:    %s\nkeys:     %s\n", p.EntityID, strings.Join(p.Scope, " "), keyIDs(p.Keys))
	if p.OrganizationName != "" {
		fmt.Fprintf(stdout, "name:     %s\n", oneLine(p.OrganizationName, 200))
	}
	return exitOK
}

func keyIDs(set jose.JSONWebKeySet) string {
	ids := make([]string, 0, len(set.Keys))
	for _, k := range set.Keys {
		ids = append(ids, k.KeyID)
	}
	return strings.Join(ids, " ")
}

// readPartnerJWKS reads a partner's keys from a JWKS file, or from a URL answering a JWKS or an
// Entity Configuration (self-signed: verified with its own keys; sub must be entity).
func readPartnerJWKS(ctx context.Context, from, entity string) ([]byte, error) {
	var data []byte
	if strings.HasPrefix(from, "https://") || strings.HasPrefix(from, "http://") {
		u, err := url.Parse(from)
		if err != nil || u.Host == "" {
			return nil, errors.New("not a URL")
		}
		if u.Scheme == "http" && !did.IsLoopbackHost(u.Host) {
			return nil, errors.New("use https:// (plain http only on a loopback address)")
		}
		req, err := http.NewRequestWithContext(ctx, "GET", from, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/entity-statement+jwt, application/json")
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		if data, err = io.ReadAll(io.LimitReader(resp.Body, federation.MaxStatementBytes+1)); err != nil {
			return nil, err
		}
	} else {
		var err error
		if data, err = os.ReadFile(from); err != nil {
			return nil, err
		}
	}
	if len(data) > federation.MaxStatementBytes {
		return nil, fmt.Errorf("larger than %d bytes", federation.MaxStatementBytes)
	}
	text := strings.TrimSpace(string(data))
	if !strings.HasPrefix(text, "{") {
		return jwksOfEntityConfiguration(text, entity)
	}
	if _, err := federation.ParseJWKS([]byte(text)); err != nil {
		return nil, err
	}
	return []byte(text), nil
}

// jwksOfEntityConfiguration checks a self-signed Entity Configuration about entity and returns
// its jwks member.
func jwksOfEntityConfiguration(jws, entity string) ([]byte, error) {
	parts := strings.Split(jws, ".")
	if len(parts) != 3 {
		return nil, errors.New("neither a JWKS nor an Entity Configuration (compact JWS)")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, errors.New("the Entity Configuration's payload is not base64url")
	}
	var ec struct {
		Iss  string          `json:"iss"`
		Sub  string          `json:"sub"`
		JWKS json.RawMessage `json:"jwks"`
	}
	if err := json.Unmarshal(payload, &ec); err != nil {
		return nil, fmt.Errorf("the Entity Configuration's payload is not JSON: %v", err)
	}
	if ec.Sub != entity || ec.Iss != entity {
		return nil, fmt.Errorf("the Entity Configuration is about %q, not %q", ec.Sub, entity)
	}
	keys, err := federation.ParseJWKS(ec.JWKS)
	if err != nil {
		return nil, err
	}
	sig, err := jose.ParseSigned(jws, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return nil, fmt.Errorf("the Entity Configuration is not an ES256 JWS: %v", err)
	}
	for _, k := range keys.Keys {
		if _, err := sig.Verify(k.Key); err == nil {
			return ec.JWKS, nil
		}
	}
	return nil, errors.New("the Entity Configuration is not signed by any of its own keys")
}

func fedExpel(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: "anchor expel", stderr: stderr}
	fs := c.flags("anchor expel --node URL ENTITY_ID", `Expels a partner: the trust anchor stops serving its statement at once, and every partner
stops recognising its issuers when the last statement it holds expires (--federation-statement-ttl).
The record is kept as history.`, true)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) != 1 {
		return c.usageErr("give one ENTITY_ID (the partner's base URL)")
	}
	var p federation.Partner
	if code := c.call(ctx, "POST", "/api/v1/federation/partners/expel", map[string]string{"entity_id": strings.TrimSuffix(rest[0], "/")}, &p); code != exitOK {
		return code
	}
	fmt.Fprintf(stdout, "expelled: %s\nat:       %s\n", p.EntityID, p.ExpelledAt.UTC().Format(time.RFC3339))
	return exitOK
}

func fedPartners(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: "anchor partners", stderr: stderr}
	var out struct {
		Partners []federation.Partner `json:"partners"`
	}
	return c.show(ctx, args, "anchor partners --node URL [--json]", "Lists the trust anchor's partner records, expelled ones included.",
		"/api/v1/federation/partners", &out, stdout, func() {
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PARTNER\tNAME\tSCOPE\tADDED\tEXPELLED")
			for _, p := range out.Partners {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.EntityID, oneLine(p.OrganizationName, 60), strings.Join(p.Scope, " "), stamp(p.AddedAt), stamp(p.ExpelledAt))
			}
			tw.Flush()
		})
}

// show runs a read-only command: GET path from the node into out, then prints it as JSON
// (--json) or with print.
func (c *fedCmd) show(ctx context.Context, args []string, usage, about, path string, out any, stdout io.Writer, print func()) int {
	var asJSON bool
	fs := c.flags(usage, about, true)
	fs.BoolVar(&asJSON, "json", false, "print the JSON answer")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) > 0 {
		return c.usageErr("unexpected argument %q", rest[0])
	}
	if code := c.call(ctx, "GET", path, nil, out); code != exitOK {
		return code
	}
	if asJSON {
		return printJSON(stdout, out)
	}
	print()
	return exitOK
}

func fedVouch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: "vouch", stderr: stderr}
	var b vouchBody
	var keys multiFlag
	fs := c.flags("vouch --node URL DID [--key MULTIKEY]... [--name NAME] [--homepage URL] [--reason TEXT]", `Makes a partner node vouch for an issuer DID (within the scope the trust anchor attests): a new
entry in its registry log, replicated by every node. Vouching again updates the keys or metadata,
or reinstates a suspended issuer. Without --key, the issuer's keys are read from its DID document.`, true)
	fs.Var(&keys, "key", "an issuer public key as a Multikey (z6Mk…, zDn…), repeatable")
	fs.StringVar(&b.OrganizationName, "name", "", "the issuer's organization name")
	fs.StringVar(&b.HomepageURI, "homepage", "", "the issuer's homepage URL")
	fs.StringVar(&b.LogoURI, "logo", "", "the issuer's logo URL")
	fs.StringVar(&b.Reason, "reason", "", "why (kept in the entry)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) != 1 {
		return c.usageErr("give one issuer DID")
	}
	if _, err := did.Parse(rest[0]); err != nil {
		return c.usageErr("%q is not a DID: %v", rest[0], err)
	}
	b.DID, b.IssuerKeys = rest[0], keys
	var e entryAnswer
	if code := c.call(ctx, "POST", "/api/v1/federation/vouch", b, &e); code != exitOK {
		return code
	}
	printEntry(stdout, e)
	return exitOK
}

func fedSetStatus(ctx context.Context, sub string, args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: sub, stderr: stderr}
	var reason string
	about := "Suspends an issuer this partner node vouches for: a new entry (status suspended) replicated by\nevery node; 'vouch' reinstates it."
	if sub == "revoke" {
		about = "Withdraws this partner node's vouch for an issuer: a new entry (status revoked, a tombstone)\nreplicated by every node."
	}
	fs := c.flags(sub+" --node URL DID [--reason TEXT]", about, true)
	fs.StringVar(&reason, "reason", "", "why (kept in the entry)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) != 1 {
		return c.usageErr("give one issuer DID")
	}
	var e entryAnswer
	if code := c.call(ctx, "POST", "/api/v1/federation/"+sub, vouchBody{DID: rest[0], Reason: reason}, &e); code != exitOK {
		return code
	}
	printEntry(stdout, e)
	return exitOK
}

func printEntry(w io.Writer, e entryAnswer) {
	fmt.Fprintf(w, "did:      %s\nstatus:   %s\nseq:      %d\nentry:    %s\n", e.DID, e.Status, e.Seq, e.EntryCID)
	if len(e.IssuerKeys) > 0 {
		fmt.Fprintf(w, "keys:     %s\n", strings.Join(e.IssuerKeys, " "))
	}
	if e.Reason != "" {
		fmt.Fprintf(w, "reason:   %s\n", oneLine(e.Reason, 500))
	}
}

func fedStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: "status", stderr: stderr}
	var st federation.NodeStatus
	return c.show(ctx, args, "status --node URL [--json]", "Shows a node's federation state: attestation, its own log, per origin the replica's seq, the\nhead's seq and age, the last sync and the statement's expiry, its peers and the equivocation alarms.",
		"/api/v1/federation/status", &st, stdout, func() { printStatus(stdout, st) })
}

func printStatus(w io.Writer, st federation.NodeStatus) {
	fmt.Fprintf(w, "node:          %s (%s)\ntrust anchor:  %s\n", st.EntityID, st.Role, st.TrustAnchor)
	if st.Role == federation.RolePartner {
		att := "no"
		if st.Attested {
			att = "yes, until " + stamp(st.AttestedUntil)
		}
		fmt.Fprintf(w, "attested:      %s\nown log seq:   %d\nlast refresh:  %s\n", att, st.Seq, stamp(st.LastRefresh))
		if st.RefreshError != "" {
			fmt.Fprintf(w, "refresh error: %s\n", oneLine(st.RefreshError, 300))
		}
	}
	if len(st.Equivocations) == 0 {
		fmt.Fprintln(w, "equivocations: none")
	} else {
		for _, e := range st.Equivocations {
			fmt.Fprintf(w, "EQUIVOCATION:  %s at seq %d (frozen)\n", e.Origin, e.Seq)
		}
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORIGIN\tNAME\tSEQ\tHEAD\tHEAD AGE\tLAST SYNC\tSTATEMENT UNTIL\tSTATE")
	for _, o := range st.Origins {
		state := "fresh"
		switch {
		case o.Frozen:
			state = fmt.Sprintf("FROZEN (equivocation at seq %d)", o.EquivocationSeq)
		case o.Stale:
			state = "stale"
		}
		age := "-"
		if o.HeadAge > 0 {
			age = o.HeadAge.Round(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", o.EntityID, oneLine(o.OrganizationName, 40), o.Seq, o.HeadSeq, age, stamp(o.LastHeard), stamp(o.StatementExpires), state)
	}
	tw.Flush()
	fmt.Fprintln(w)
	printPeers(w, st.Peers)
}

func printPeers(w io.Writer, peers []federation.PeerStatus) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PEER\tLAST SYNC\tLAST ERROR")
	for _, p := range peers {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.URL, stamp(p.LastSync), oneLine(p.LastError, 200))
	}
	tw.Flush()
}

func fedPeers(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: "peers", stderr: stderr}
	var out struct {
		Peers []federation.PeerStatus `json:"peers"`
	}
	return c.show(ctx, args, "peers --node URL [--json]", "Lists the peers a node pulls registries from: the attested partners, the anchor and configured peers.",
		"/api/v1/federation/peers", &out, stdout, func() { printPeers(stdout, out.Peers) })
}

func fedHealth(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &fedCmd{name: "health", stderr: stderr}
	var node string
	fs := c.flags("health --node URL", "Exits 0 when the node's /healthz answers ok (for container health checks, where no curl exists).", false)
	fs.StringVar(&node, "node", "http://127.0.0.1:8080", "the node's base URL")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) > 0 {
		return c.usageErr("unexpected argument %q", rest[0])
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", strings.TrimSuffix(node, "/")+"/healthz", nil)
	if err != nil {
		return c.usageErr("--node %q is not a URL", node)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return c.fail(exitFailure, "%v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "ok" {
		return c.fail(exitFailure, "not healthy: HTTP %d", resp.StatusCode)
	}
	fmt.Fprintln(stdout, "ok")
	return exitOK
}

func printJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return exitInternal
	}
	return exitOK
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}
