package verifier

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/communs/communs/internal/httpx"
	"github.com/communs/communs/internal/web"
)

func (v *Verifier) batchPage(r *http.Request, errMsg string) batchPage {
	p := v.page(r, "b.title")
	keep := v.cfg.JobTTL.Round(time.Minute).String()
	keep = strings.TrimSuffix(strings.TrimSuffix(keep, "0s"), "0m")
	return batchPage{Page: p, Error: errMsg, MaxBatch: v.cfg.MaxBatch, Keep: keep}
}

func (v *Verifier) getBatchForm(w http.ResponseWriter, r *http.Request) {
	v.render(w, r, http.StatusOK, "batch", v.batchPage(r, ""))
}

// postBatch starts a batch from a multipart form (its "file" part) or a raw text/csv or
// application/zip body, then sends the browser to the job's page (303), or answers 202 with
// the job's JSON when the client asks for JSON.
func (v *Verifier) postBatch(w http.ResponseWriter, r *http.Request) {
	lang := web.PickLang(r)
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	fail := func(status int, msg string) {
		if wantJSON {
			httpx.WriteProblem(w, r, httpx.Problem{Status: status, Detail: msg})
			return
		}
		v.render(w, r, status, "batch", v.batchPage(r, msg))
	}
	if ok, wait := v.allow(r); !ok {
		s := httpx.RetryAfterSeconds(wait)
		w.Header().Set("Retry-After", fmt.Sprint(s))
		fail(http.StatusTooManyRequests, msgs.T(lang, "err.rate", s))
		return
	}
	limitBody(w, r, v.cfg.MaxBatchBytes+formOverhead)
	data, err := v.readBatchUpload(r)
	if err != nil {
		fail(statusOf(err), Message(lang, err))
		return
	}
	items, err := ReadBatch(data, v.cfg.MaxBatch, v.cfg.MaxInputBytes, v.cfg.MaxBatchBytes)
	data = nil
	if err != nil {
		fail(statusOf(err), Message(lang, err))
		return
	}
	j, err := v.startBatch(items)
	if err != nil {
		fail(http.StatusServiceUnavailable, msgs.T(lang, "b.err.busy"))
		return
	}
	v.cfg.Logger.Info("batch verification started", "request", httpx.RequestIDFrom(r.Context()), "job", j.id, "badges", len(items))
	loc := web.LangURL("/verify/batch/"+j.id, lang)
	if wantJSON {
		w.Header().Set("Location", loc)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		json.NewEncoder(w).Encode(j.status(v.cfg.JobTTL))
		return
	}
	http.Redirect(w, r, loc, http.StatusSeeOther)
}

// readBatchUpload returns the uploaded CSV or ZIP bytes.
func (v *Verifier) readBatchUpload(r *http.Request) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return readLimited(r.Body, v.cfg.MaxBatchBytes)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, inErr(http.StatusBadRequest, "err.form")
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return nil, errTooLarge(v.cfg.MaxBatchBytes)
			}
			return nil, inErr(http.StatusBadRequest, "b.err.none")
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		b, err := readLimited(part, v.cfg.MaxBatchBytes)
		part.Close()
		if err != nil {
			return nil, err
		}
		if len(b) == 0 {
			return nil, inErr(http.StatusBadRequest, "b.err.none")
		}
		return b, nil
	}
}

// validJobID reports whether s has the form of a job id (26 lowercase base32 characters).
func validJobID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

func (v *Verifier) getJob(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("job")
	id, ext, _ := strings.Cut(name, ".")
	lang := web.PickLang(r)
	j, ok := (*job)(nil), false
	if validJobID(id) {
		j, ok = v.job(id)
	}
	if !ok {
		if ext == "" {
			w.Header().Set("Content-Type", web.ContentType)
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusNotFound)
			web.RenderError(w, web.ErrorView{Page: v.page(r, "b.job"), Status: http.StatusNotFound, Message: msgs.T(lang, "b.err.gone")})
			return
		}
		httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusNotFound, Detail: msgs.T("en", "b.err.gone")})
		return
	}
	st := j.status(v.cfg.JobTTL)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	switch ext {
	case "":
		p := v.page(r, "b.job")
		base := "/verify/batch/" + id
		v.render(w, r, http.StatusOK, "job", jobPage{Page: p, JobStatus: st,
			CSVURL: web.LangURL(base+".csv", p.Lang), PDFURL: web.LangURL(base+".pdf", p.Lang)})
	case "json":
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(st)
	case "csv", "pdf":
		if !st.Done {
			httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusConflict, Detail: "the verification is still running: download the report when it is done"})
			return
		}
		var buf bytes.Buffer
		var err error
		ctype := "text/csv; charset=utf-8"
		if ext == "csv" {
			err = WriteCSV(&buf, st.Rows, CSVOptions{Lang: lang, BOM: true})
		} else {
			ctype = "application/pdf"
			err = WritePDF(&buf, st.Rows, PDFOptions{Lang: lang, NodeName: v.cfg.NodeName, Generated: v.cfg.Now()})
		}
		if err != nil {
			v.cfg.Logger.Error("write batch report", "job", id, "format", ext, "err", err)
			httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusInternalServerError})
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="verification-%s.%s"`, v.cfg.Now().UTC().Format("2006-01-02"), ext))
		w.Header().Set("Vary", "Accept-Language")
		w.Write(buf.Bytes())
	default:
		httpx.WriteProblem(w, r, httpx.Problem{Status: http.StatusNotFound, Detail: "the report is served as .json, .csv or .pdf"})
	}
}

// getAsset serves the pages' style sheet and script.
func (v *Verifier) getAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	var ctype string
	switch {
	case strings.HasSuffix(name, ".css"):
		ctype = "text/css; charset=utf-8"
	case strings.HasSuffix(name, ".js"):
		ctype = "text/javascript; charset=utf-8"
	}
	b, err := assetFS.ReadFile("assets/" + name)
	if err != nil || ctype == "" || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(b)
}
