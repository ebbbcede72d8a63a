package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/communs/communs/node/bulk"
	"github.com/communs/communs/vc/did"
)

const issueAbout = `Awards a badge (an achievement of an issuer) through a node's admin API, either to one
recipient (--email and/or --did) or to every row of a CSV file (--csv).

The admin token is read from --token-file or the COMMUNS_TOKEN environment variable, never from
a flag; it is sent only to --node, which must be https:// (plain http only to a loopback
address such as 127.0.0.1).

CSV mode checks the whole file locally first and prints each wrong row with its line number
(exit 1 unless --skip-invalid, which lets the node refuse those rows). It then streams the file
to the node, shows progress on standard error (a bar on a terminal, plain lines otherwise) and
writes one result per row as CSV (line,row_key,status,url,claim_url,error) to --out (default:
standard output). Uploading the same file again never awards twice: rows already awarded come
back as "existing". Columns (first line, case-insensitive, ',' or ';'): email, did, name,
show_name, narrative, evidence_url, evidence_name, credits_earned, activity_start,
activity_end, valid_until, row_key; email or did is required.

Exit codes: 0 every row awarded or existing, 1 some row failed or the node refused the request,
2 usage error, 3 the node could not be reached or answered something unexpected.`

// issueConfig is what the issue command's flags set.
type issueConfig struct {
	node, tokenFile, issuer, achievement string
	csvPath, out, progress               string
	skipInvalid                          bool
	email, name, did, narrative          string
	showName                             bool
	evidence                             multiFlag
}

// issueClient talks to one node's admin API with a token.
type issueClient struct {
	base  *url.URL
	token string
	http  *http.Client
}

func runIssue(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	var cfg issueConfig
	fs := newFlags("issue", "issue --node URL --issuer SLUG --achievement ID (--csv FILE [--out FILE] | --email E [--did D] [--name N] [--evidence FILE]...)", issueAbout, stderr)
	fs.StringVar(&cfg.node, "node", "", "the node's base URL, e.g. https://badges.example.org")
	fs.StringVar(&cfg.tokenFile, "token-file", "", "file holding the admin or staff token (default: $COMMUNS_TOKEN)")
	fs.StringVar(&cfg.issuer, "issuer", "", "the issuer's slug on the node")
	fs.StringVar(&cfg.achievement, "achievement", "", "the id of the achievement to award")
	fs.StringVar(&cfg.csvPath, "csv", "", "award every row of this CSV file")
	fs.StringVar(&cfg.out, "out", "-", "CSV mode: write the results to this file ('-': standard output)")
	fs.BoolVar(&cfg.skipInvalid, "skip-invalid", false, "CSV mode: upload even when some rows are invalid (the node refuses those rows; they do not change the exit code)")
	fs.StringVar(&cfg.progress, "progress", "auto", "CSV mode: progress display: auto, bar, plain or none")
	fs.StringVar(&cfg.email, "email", "", "one recipient: their e-mail address")
	fs.StringVar(&cfg.did, "did", "", "one recipient: their DID")
	fs.StringVar(&cfg.name, "name", "", "one recipient: their name")
	fs.BoolVar(&cfg.showName, "show-name", false, "one recipient: show the name on the badge")
	fs.StringVar(&cfg.narrative, "narrative", "", "one recipient: how they earned the badge")
	fs.Var(&cfg.evidence, "evidence", "one recipient: a file of evidence to attach (repeatable)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return flagExit(err)
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "communs issue: "+format+"; see --help\n", a...)
		return exitUsage
	}
	if len(rest) > 0 {
		return usageErr("unexpected argument %q", rest[0])
	}
	if cfg.issuer == "" || cfg.achievement == "" {
		return usageErr("--issuer and --achievement are required")
	}
	single := cfg.email != "" || cfg.did != "" || cfg.name != "" || cfg.narrative != "" || cfg.showName || len(cfg.evidence) > 0
	switch {
	case cfg.csvPath != "" && single:
		return usageErr("give either --csv or one recipient (--email, --did, …), not both")
	case cfg.csvPath == "" && cfg.email == "" && cfg.did == "":
		return usageErr("give --csv FILE, or --email and/or --did for one recipient")
	}
	client, err := newIssueClient(cfg.node, cfg.tokenFile)
	if err != nil {
		fmt.Fprintf(stderr, "communs issue: %v\n", err)
		return exitUsage
	}
	if cfg.csvPath != "" {
		mode, err := parseProgressMode(cfg.progress, stderr)
		if err != nil {
			return usageErr("%v", err)
		}
		job := csvJob{
			client: client, issuer: cfg.issuer, achievement: cfg.achievement,
			name: cfg.csvPath, skipInvalid: cfg.skipInvalid, mode: mode,
			open: func() (io.ReadCloser, error) { return os.Open(cfg.csvPath) },
		}
		return job.run(ctx, cfg.out, stdout, stderr)
	}
	return issueOne(ctx, client, &cfg, stdout, stderr)
}

// newIssueClient checks the node URL and reads the token.
func newIssueClient(node, tokenFile string) (*issueClient, error) {
	if node == "" {
		return nil, errors.New("--node is required (the node's base URL, e.g. https://badges.example.org)")
	}
	u, err := url.Parse(node)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("--node %q must be a base URL like https://badges.example.org", node)
	}
	if u.Scheme == "http" && !did.IsLoopbackHost(u.Host) {
		return nil, fmt.Errorf("--node %q must use https:// so that the token is not sent in clear (plain http only to localhost or a loopback address)", node)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	token, err := readToken(tokenFile)
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	return &issueClient{base: u, token: token, http: &http.Client{
		Transport: transport,
		// A redirect would re-send the request elsewhere; say where instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}, nil
}

// readToken reads the token from a file or $COMMUNS_TOKEN. Errors never show the token.
func readToken(file string) (string, error) {
	var token, from string
	if file != "" {
		from = "--token-file " + file
		fi, err := os.Stat(file)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return "", fmt.Errorf("%s: no such file", from)
		case err != nil || !fi.Mode().IsRegular():
			return "", fmt.Errorf("%s: not a readable file", from)
		case fi.Size() > 4096:
			return "", fmt.Errorf("%s is larger than 4096 bytes: it must hold the token alone (cmt_…)", from)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s: not a readable file", from)
		}
		token = strings.TrimSpace(string(data))
	} else {
		token, from = strings.TrimSpace(os.Getenv("COMMUNS_TOKEN")), "COMMUNS_TOKEN"
		if token == "" {
			return "", errors.New("no token: give --token-file FILE or set COMMUNS_TOKEN (a token is never a flag)")
		}
	}
	if token == "" {
		return "", fmt.Errorf("%s is empty: it must hold the token (cmt_…)", from)
	}
	if len(token) > 1024 || strings.IndexFunc(token, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' }) >= 0 {
		return "", fmt.Errorf("%s must hold the token alone, on one line (cmt_…)", from)
	}
	return token, nil
}

// endpoint is the node URL of an admin API path made of escaped segments.
func (c *issueClient) endpoint(segments ...string) string {
	u := *c.base
	var b strings.Builder
	b.WriteString(c.base.Path)
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	u.Path, u.RawPath = "", ""
	return u.String() + b.String()
}

// post sends an authenticated POST; size is the body's length, or -1 when unknown (streamed
// in chunks).
func (c *issueClient) post(ctx context.Context, endpoint, contentType, accept string, body io.Reader, size int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, body)
	if err != nil {
		return nil, err
	}
	if size >= 0 {
		req.ContentLength = size
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", accept+", application/problem+json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("could not reach the node: %w", err)
	}
	return resp, nil
}

// nodeError is a refusal by the node (exit 1), or an unexpected answer (exit 3).
type nodeError struct {
	msg        string
	unexpected bool
}

func (e *nodeError) Error() string { return e.msg }

func (e *nodeError) exitCode() int {
	if e.unexpected {
		return exitInternal
	}
	return exitFailure
}

// answerError reads a non-success answer: a problem+json's detail (or title), a redirect's
// target, or the HTTP status.
func answerError(resp *http.Response) *nodeError {
	status := fmt.Sprintf("HTTP %d", resp.StatusCode)
	if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return &nodeError{msg: fmt.Sprintf("the node answered a redirect (%s) to %q: use that address as --node", status, loc)}
	}
	var problem struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	msg := http.StatusText(resp.StatusCode)
	if mt == "application/problem+json" || mt == "application/json" {
		if json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&problem) == nil {
			switch {
			case problem.Detail != "":
				msg = problem.Detail
			case problem.Title != "":
				msg = problem.Title
			}
		}
	}
	if resp.StatusCode >= 500 {
		return &nodeError{msg: fmt.Sprintf("the node failed: %s (%s); try again later", oneLine(msg, 500), status), unexpected: true}
	}
	return &nodeError{msg: fmt.Sprintf("the node refused: %s (%s)", oneLine(msg, 500), status)}
}

// oneLine keeps a message from a node short and on one line.
func oneLine(s string, n int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}

// awardResponse is the node's answer to one award.
type awardResponse struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	ClaimURL string `json:"claimUrl"`
}

// awardRequest is the JSON AwardRequest of the admin API (the part one recipient needs).
type awardRequest struct {
	AchievementID string         `json:"achievementId"`
	Recipient     awardRecipient `json:"recipient"`
	Narrative     string         `json:"narrative,omitempty"`
}

type awardRecipient struct {
	Email    string `json:"email,omitempty"`
	DID      string `json:"did,omitempty"`
	Name     string `json:"name,omitempty"`
	ShowName bool   `json:"showName,omitempty"`
}

// issueOne awards the badge to one recipient: JSON, or multipart when evidence files go along.
func issueOne(ctx context.Context, c *issueClient, cfg *issueConfig, stdout, stderr io.Writer) int {
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "communs issue: "+format+"\n", a...)
		return code
	}
	if cfg.email != "" {
		if a, err := mail.ParseAddress(cfg.email); err != nil || a.Address != cfg.email {
			return fail(exitUsage, "--email is not an e-mail address like name@example.org")
		}
	}
	if cfg.did != "" {
		if _, err := did.Parse(cfg.did); err != nil {
			return fail(exitUsage, "--did is not a DID: %v", err)
		}
	}
	for _, f := range cfg.evidence {
		if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() {
			return fail(exitUsage, "--evidence %s is not a readable file", f)
		}
	}
	award, err := json.Marshal(awardRequest{
		AchievementID: cfg.achievement,
		Recipient:     awardRecipient{Email: cfg.email, DID: cfg.did, Name: cfg.name, ShowName: cfg.showName},
		Narrative:     cfg.narrative,
	})
	if err != nil {
		return fail(exitInternal, "%v", err)
	}
	endpoint := c.endpoint("api", "v1", "issuers", cfg.issuer, "awards")
	var body io.Reader = strings.NewReader(string(award))
	contentType := "application/json"
	if len(cfg.evidence) > 0 {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() { pw.CloseWithError(writeAwardParts(mw, award, cfg.evidence)) }()
		defer pr.Close()
		body, contentType = pr, mw.FormDataContentType()
	}
	resp, err := c.post(ctx, endpoint, contentType, "application/json", body, -1)
	if err != nil {
		return fail(exitInternal, "%v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		ne := answerError(resp)
		return fail(ne.exitCode(), "%v", ne)
	}
	var got awardResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&got); err != nil || got.URL == "" {
		return fail(exitInternal, "the node's answer is not an award (no url): %v", err)
	}
	fmt.Fprintf(stdout, "credential: %s\n", got.URL)
	if got.ClaimURL != "" {
		fmt.Fprintf(stdout, "claim:      %s\n", got.ClaimURL)
	}
	return exitOK
}

// writeAwardParts writes the multipart body: the award JSON part, then one evidence part per file.
func writeAwardParts(mw *multipart.Writer, award []byte, files []string) error {
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="award"`)
	h.Set("Content-Type", "application/json")
	p, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := p.Write(award); err != nil {
		return err
	}
	for _, name := range files {
		if err := writeEvidencePart(mw, name); err != nil {
			return err
		}
	}
	return mw.Close()
}

func writeEvidencePart(mw *multipart.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("evidence %s: %w", name, err)
	}
	defer f.Close()
	sniff := make([]byte, 512)
	n, _ := io.ReadFull(f, sniff)
	ct := mime.TypeByExtension(strings.ToLower(filepath.Ext(name)))
	if ct == "" {
		ct = http.DetectContentType(sniff[:n])
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("evidence %s: %w", name, err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "evidence", "filename": filepath.Base(name)}))
	h.Set("Content-Type", ct)
	p, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(p, f)
	return err
}

// csvJob is one CSV upload: checked locally, then streamed to the bulk endpoint.
type csvJob struct {
	client              *issueClient
	issuer, achievement string
	name                string // the file's name, for messages
	open                func() (io.ReadCloser, error)
	skipInvalid         bool
	mode                progressMode
}

// bulkLine is one line of the bulk endpoint's NDJSON answer.
type bulkLine struct {
	Line     int    `json:"line"`
	RowKey   string `json:"rowKey"`
	Status   string `json:"status"`
	ID       string `json:"id"`
	URL      string `json:"url"`
	ClaimURL string `json:"claimUrl"`
	Error    string `json:"error"`
	Done     bool   `json:"done"`
	Awarded  int    `json:"awarded"`
	Existing int    `json:"existing"`
	Errors   int    `json:"errors"`
}

func (j *csvJob) run(ctx context.Context, out string, stdout, stderr io.Writer) int {
	say := func(format string, a ...any) { fmt.Fprintf(stderr, "communs issue: "+format+"\n", a...) }

	total, invalid, err := j.check(stderr)
	if err != nil {
		say("%v", err)
		if errors.Is(err, os.ErrNotExist) {
			return exitUsage
		}
		return exitFailure
	}
	if total == 0 {
		say("%s has no data rows", j.name)
		return exitFailure
	}
	if len(invalid) > 0 && !j.skipInvalid {
		say("%d of %d rows of %s are invalid (above); fix them, or pass --skip-invalid to award the others", len(invalid), total, j.name)
		return exitFailure
	}

	results, closeResults, err := openResults(out, stdout)
	if err != nil {
		say("--out: %v", err)
		return exitUsage
	}
	defer closeResults()

	body, err := j.open()
	if err != nil {
		say("%v", err)
		return exitFailure
	}
	defer body.Close()
	var upload io.Reader = body
	size := int64(-1)
	if f, ok := body.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			// A regular file goes with its length; anything else (a pipe) in chunks.
			upload, size = io.NewSectionReader(f, 0, fi.Size()), fi.Size()
		}
	}
	endpoint := j.client.endpoint("api", "v1", "issuers", j.issuer, "achievements", j.achievement, "awards", "bulk")
	resp, err := j.client.post(ctx, endpoint, "text/csv; charset=utf-8", "application/x-ndjson", upload, size)
	if err != nil {
		say("%v", err)
		return exitInternal
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		ne := answerError(resp)
		say("%v", ne)
		return ne.exitCode()
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/x-ndjson" {
		say("the node answered %q instead of application/x-ndjson; is --node the node's base URL?", mt)
		return exitInternal
	}

	p := newProgress(stderr, j.mode, total)
	failed, err := j.readResults(resp.Body, p, results, invalid)
	p.finish()
	if ferr := results.flush(); ferr != nil && err == nil {
		say("--out: %v", ferr)
		return exitInternal
	}
	if err != nil {
		if ctx.Err() != nil {
			say("interrupted after %d of %d rows; run the same command again: rows already awarded come back as existing", p.done, total)
		} else {
			say("%v after %d of %d rows; run the same command again: rows already awarded come back as existing", err, p.done, total)
		}
		return exitInternal
	}
	msg := fmt.Sprintf("%d rows: awarded %d, existing %d, errors %d", p.done, p.awarded, p.existing, p.errors)
	if n := len(invalid); n > 0 {
		msg += fmt.Sprintf(" (%d invalid rows skipped)", n)
	}
	say("%s", msg)
	if failed > 0 {
		return exitFailure
	}
	return exitOK
}

// check reads the file with the same rules as the node, prints each wrong row and returns
// the number of data rows and the lines of the invalid ones.
func (j *csvJob) check(stderr io.Writer) (int, map[int]bool, error) {
	f, err := j.open()
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, nil, fmt.Errorf("no file %s: %w", j.name, os.ErrNotExist)
		}
		return 0, nil, err
	}
	defer f.Close()
	r, err := bulk.NewReader(f)
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", j.name, err)
	}
	total, invalid := 0, map[int]bool{}
	for {
		_, err := r.Next()
		if err == io.EOF {
			return total, invalid, nil
		}
		var re *bulk.RowError
		if errors.As(err, &re) {
			total++
			invalid[re.Line] = true
			fmt.Fprintf(stderr, "%s: %v\n", j.name, re)
			continue
		}
		if err != nil {
			return 0, nil, fmt.Errorf("%s: %w", j.name, err)
		}
		total++
	}
}

// readResults reads the NDJSON answer line by line until the summary line. It returns the
// number of rows that failed, not counting rows found invalid locally.
func (j *csvJob) readResults(body io.Reader, p *progress, results *resultsWriter, invalid map[int]bool) (int, error) {
	dec := json.NewDecoder(body)
	failed := 0
	for {
		var l bulkLine
		if err := dec.Decode(&l); err != nil {
			if err == io.EOF {
				return failed, errors.New("the node's answer ended without its summary line")
			}
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return failed, fmt.Errorf("the node's answer is not NDJSON (%v)", err)
			}
			return failed, fmt.Errorf("reading the node's answer: %w", err)
		}
		if l.Done {
			return failed, nil
		}
		switch l.Status {
		case "awarded", "existing":
		default:
			if l.Status != "error" {
				l.Error = strings.TrimSpace(l.Error + " (unknown status " + strconv.Quote(oneLine(l.Status, 40)) + ")")
			}
			l.Status = "error"
			if !invalid[l.Line] {
				failed++
				p.note(fmt.Sprintf("%s: line %d: %s", j.name, l.Line, oneLine(l.Error, 500)))
			}
		}
		p.add(l.Status)
		if err := results.write(l); err != nil {
			return failed, fmt.Errorf("--out: %w", err)
		}
	}
}

// resultsWriter writes the results CSV.
type resultsWriter struct{ w *csv.Writer }

var resultsHeader = []string{"line", "row_key", "status", "url", "claim_url", "error"}

// openResults opens the results CSV ('-': stdout; a file is created 0600: it holds claim links).
func openResults(out string, stdout io.Writer) (*resultsWriter, func(), error) {
	w, closer := stdout, func() {}
	if out != "-" && out != "" {
		f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return nil, nil, err
		}
		w, closer = f, func() { f.Close() }
	}
	rw := &resultsWriter{w: csv.NewWriter(w)}
	if err := rw.w.Write(resultsHeader); err != nil {
		closer()
		return nil, nil, err
	}
	return rw, closer, nil
}

func (r *resultsWriter) write(l bulkLine) error {
	return r.w.Write([]string{strconv.Itoa(l.Line), l.RowKey, l.Status, l.URL, l.ClaimURL, oneLine(l.Error, 2000)})
}

func (r *resultsWriter) flush() error {
	r.w.Flush()
	return r.w.Error()
}
