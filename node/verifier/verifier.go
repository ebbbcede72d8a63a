// Package verifier is the evaluator's side of a node: the verify page (/verify) where anyone
// checks a badge given as a link, a file, a baked image, pasted text or a QR code, the same as
// JSON (POST /api/v1/verify), batch reports for many badges at once (/verify/batch, with CSV and
// PDF downloads), and the report writers the CLI shares (rows, CSV, PDF).
//
// It fetches only through the configured (guarded) client, limits each client's rate, bounds
// input size and time, keeps no submitted badge after its report, and logs ids and counts only.
package verifier

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"sync"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
)

//go:embed templates
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Verifier serves the verify page, API and batch reports. It is safe for concurrent use.
type Verifier struct {
	cfg    Config
	pages  *web.Pages
	limit  *httpx.RateLimiter
	jobs   jobs
	ctx    context.Context // ends with Close: stops running batches
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New checks cfg and returns a verifier.
func New(cfg Config) (*Verifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	tfs, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, fmt.Errorf("verifier templates: %w", err)
	}
	pages, err := web.NewPages(tfs, catalog, "partials.tmpl", "verify", "result", "batch", "job")
	if err != nil {
		return nil, fmt.Errorf("verifier templates: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	v := &Verifier{cfg: cfg, pages: pages, jobs: jobs{byID: map[string]*job{}}, ctx: ctx, cancel: cancel}
	if !cfg.NoRateLimit {
		v.limit = httpx.NewRateLimiter(cfg.RateLimit)
	}
	return v, nil
}

// Close stops the running batch jobs and waits for them.
func (v *Verifier) Close() error {
	v.cancel()
	v.wg.Wait()
	return nil
}

// Verify checks raw (JSON, JWT, baked PNG/SVG, a presentation) with the configured options at
// the configured clock, within the configured time. input names it in the report. The error is
// an input error (with a message in each language) when the time ran out.
func (v *Verifier) Verify(ctx context.Context, raw []byte, input string) (*vc.Report, error) {
	ctx, cancel := context.WithTimeout(ctx, v.cfg.Timeout)
	defer cancel()
	o := v.cfg.Options
	o.Now = v.cfg.Now()
	o.Input = input
	rep, err := vc.Verify(ctx, raw, o)
	if err != nil {
		return nil, inErr(http.StatusGatewayTimeout, "err.timeout")
	}
	return rep, nil
}

// VerifyURL fetches the badge at rawURL through the configured client and verifies it. Errors
// say why the fetch failed, in words for the evaluator (see Message).
func (v *Verifier) VerifyURL(ctx context.Context, rawURL string) (*vc.Report, error) {
	fctx, cancel := context.WithTimeout(ctx, v.cfg.Timeout)
	data, err := v.fetch(fctx, rawURL)
	cancel()
	if err != nil {
		return nil, err
	}
	return v.Verify(ctx, data, rawURL)
}

// Message returns an error of this package in lang ("fr" or "en"): input errors are told in
// the evaluator's words; others get a generic sentence.
func Message(lang string, err error) string {
	var ie *inputError
	if errors.As(err, &ie) {
		return ie.Message(lang)
	}
	return msgs.T(lang, "err.read")
}

// Handler serves:
//
//	GET  /verify                    the form (URL, file, pasted text, QR image, camera)
//	POST /verify                    the result page (multipart or urlencoded form)
//	POST /api/v1/verify             the vc.Report as JSON (problem+json on bad input)
//	GET  /verify/batch              the batch form
//	POST /verify/batch              starts a batch (CSV of URLs or ZIP of files) -> 303
//	GET  /verify/batch/{job}        progress, then the report (also .json, .csv, .pdf)
//	GET  /verify/assets/{name}      the page's style sheet and script
//
// Mount it on the node's mux for "/verify", "/verify/" and "POST /api/v1/verify".
func (v *Verifier) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /verify", v.getForm)
	mux.HandleFunc("POST /verify", v.postForm)
	mux.HandleFunc("POST /api/v1/verify", v.postAPI)
	mux.HandleFunc("GET /verify/batch", v.getBatchForm)
	mux.HandleFunc("POST /verify/batch", v.postBatch)
	mux.HandleFunc("GET /verify/batch/{job}", v.getJob)
	mux.HandleFunc("GET /verify/assets/{name}", v.getAsset)
	return mux
}
