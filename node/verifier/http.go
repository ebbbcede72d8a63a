package verifier

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/web"
	"github.com/communs/communs/vc"
)

// pageCSP lets the pages load their own style sheets and script (the camera scanner), badge
// images from anywhere over https (and data: URIs), and the camera stream.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data: https:; script-src 'self'; " +
	"connect-src 'self'; media-src 'self' blob: mediastream:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// formOverhead is what a form adds around the badge it carries (boundaries, headers, fields).
const formOverhead = 64 << 10

type formPage struct {
	web.Page
	Error, URL string
}

type resultPage struct {
	web.Page
	Result *resultView
}

type batchPage struct {
	web.Page
	Error    string
	MaxBatch int
	Keep     string
}

type jobPage struct {
	web.Page
	JobStatus
	CSVURL, PDFURL string
}

// page fills the shared page data for r.
func (v *Verifier) page(r *http.Request, titleKey string) web.Page {
	lang := web.PickLang(r)
	p := web.Page{Lang: lang, Path: r.URL.RequestURI(), NodeName: v.cfg.NodeName, Title: msgs.T(lang, titleKey)}
	web.FixPage(&p, "")
	return p
}

// render writes an HTML page with the verifier's headers.
func (v *Verifier) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := v.pages.Render(&buf, name, data); err != nil {
		v.cfg.Logger.Error("render verify page", "page", name, "request", httpx.RequestIDFrom(r.Context()), "err", err)
		httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusInternalServerError})
		return
	}
	h := w.Header()
	h.Set("Content-Type", web.ContentType)
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Language")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// allow takes one token of r's client; when over budget it returns the wait.
func (v *Verifier) allow(r *http.Request) (bool, time.Duration) {
	if v.limit == nil {
		return true, 0
	}
	return v.limit.Allow(v.limit.ClientKey(r))
}

// limitBody caps r's body at max bytes (raising the node's general cap when it set one).
func limitBody(w http.ResponseWriter, r *http.Request, max int64) {
	if err := httpx.SetBodyLimit(r, max); err != nil && !errors.Is(err, httpx.ErrNoBodyLimit) {
		// The body was already read from: keep the stricter cap.
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, max)
}

func (v *Verifier) getForm(w http.ResponseWriter, r *http.Request) {
	v.render(w, r, http.StatusOK, "verify", formPage{Page: v.page(r, "v.title")})
}

func (v *Verifier) postForm(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, msg, url string) {
		v.render(w, r, status, "verify", formPage{Page: v.page(r, "v.title"), Error: msg, URL: url})
	}
	lang := web.PickLang(r)
	if ok, wait := v.allow(r); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(httpx.RetryAfterSeconds(wait)))
		fail(http.StatusTooManyRequests, msgs.T(lang, "err.rate", httpx.RetryAfterSeconds(wait)), "")
		return
	}
	limitBody(w, r, v.cfg.MaxInputBytes+formOverhead)
	in, err := v.readForm(r)
	if err != nil {
		fail(statusOf(err), Message(lang, err), in.url)
		return
	}
	ctx := r.Context()
	raw, name := in.data, in.name
	if in.url != "" {
		fctx, cancel := context.WithTimeout(ctx, v.cfg.Timeout)
		raw, err = v.fetch(fctx, in.url)
		cancel()
		if err != nil {
			fail(statusOf(err), Message(lang, err), in.url)
			return
		}
		name = in.url
	}
	rep, err := v.Verify(ctx, raw, name)
	if err != nil {
		fail(statusOf(err), Message(lang, err), in.url)
		return
	}
	v.cfg.Logger.Info("badge verified", "request", httpx.RequestIDFrom(ctx), "source", in.source, "kind", rep.Kind, "verdict", Verdict(rep))
	p := v.page(r, "v.result.title")
	v.render(w, r, http.StatusOK, "result", resultPage{Page: p, Result: newResultView(p.Lang, rep)})
}

// formInput is what the verify form carried: bytes to verify or a URL to fetch. source says
// which input it came from (for the log: "url", "file", "text", "qr").
type formInput struct {
	data       []byte
	name, url  string
	source     string
	fileName   string
	qrData     []byte
	text, file []byte
}

// readForm reads the verify form (multipart or urlencoded) without writing anything to disk,
// and picks the input: a file, else a QR image, else pasted text, else a URL.
func (v *Verifier) readForm(r *http.Request) (formInput, error) {
	var in formInput
	var urlField string
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return in, inErr(http.StatusBadRequest, "err.form")
		}
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				var mb *http.MaxBytesError
				if errors.As(err, &mb) {
					return in, errTooLarge(v.cfg.MaxInputBytes)
				}
				return in, inErr(http.StatusBadRequest, "err.form")
			}
			name := part.FormName()
			switch name {
			case "url", "text", "file", "qr":
			default:
				part.Close()
				continue
			}
			b, err := readLimited(part, v.cfg.MaxInputBytes)
			part.Close()
			if err != nil {
				return in, err
			}
			switch name {
			case "url":
				urlField = strings.TrimSpace(string(b))
			case "text":
				in.text = b
			case "file":
				if len(b) > 0 {
					in.file, in.fileName = b, path.Base(part.FileName())
				}
			case "qr":
				in.qrData = b
			}
		}
	case "application/x-www-form-urlencoded", "":
		if err := r.ParseForm(); err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return in, errTooLarge(v.cfg.MaxInputBytes)
			}
			return in, inErr(http.StatusBadRequest, "err.form")
		}
		urlField = strings.TrimSpace(r.PostForm.Get("url"))
		in.text = []byte(r.PostForm.Get("text"))
		if int64(len(in.text)) > v.cfg.MaxInputBytes {
			return in, errTooLarge(v.cfg.MaxInputBytes)
		}
	default:
		return in, inErr(http.StatusUnsupportedMediaType, "err.form")
	}
	switch {
	case len(in.file) > 0:
		in.data, in.name, in.source = in.file, in.fileName, "file"
	case len(in.qrData) > 0:
		text, err := DecodeQR(in.qrData)
		if err != nil {
			return in, err
		}
		in.source = "qr"
		if looksLikeURL(text) {
			in.url = text
		} else {
			in.data, in.name = []byte(text), "QR"
		}
	case len(bytes.TrimSpace(in.text)) > 0:
		in.data, in.source = bytes.TrimSpace(in.text), "text"
	case urlField != "":
		in.url, in.source = urlField, "url"
	default:
		return in, inErr(http.StatusBadRequest, "err.empty")
	}
	in.file, in.qrData, in.text = nil, nil, nil
	return in, nil
}

// statusOf is the HTTP status of an error of this package.
func statusOf(err error) int {
	var ie *inputError
	if errors.As(err, &ie) && ie.Status != 0 {
		return ie.Status
	}
	return http.StatusBadRequest
}

func (v *Verifier) postAPI(w http.ResponseWriter, r *http.Request) {
	problem := func(err error) {
		httpx.WriteProblem(w, r, httpx.Problem{Status: statusOf(err), Detail: Message("en", err)})
	}
	if ok, wait := v.allow(r); !ok {
		httpx.WriteTooManyRequests(w, r, wait)
		return
	}
	limitBody(w, r, v.cfg.MaxInputBytes+formOverhead)
	body, err := readLimited(r.Body, v.cfg.MaxInputBytes+formOverhead)
	if err != nil {
		problem(errTooLarge(v.cfg.MaxInputBytes))
		return
	}
	raw, url, err := ParseAPIBody(r.Header.Get("Content-Type"), body)
	if err != nil {
		problem(err)
		return
	}
	if int64(len(raw)) > v.cfg.MaxInputBytes {
		problem(errTooLarge(v.cfg.MaxInputBytes))
		return
	}
	var rep *vc.Report
	if url != "" {
		rep, err = v.VerifyURL(r.Context(), url)
	} else {
		rep, err = v.Verify(r.Context(), raw, "")
	}
	if err != nil {
		problem(err)
		return
	}
	v.cfg.Logger.Info("badge verified", "request", httpx.RequestIDFrom(r.Context()), "source", "api", "kind", rep.Kind, "verdict", Verdict(rep))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(rep)
}
