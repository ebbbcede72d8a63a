package httpx

import (
	"encoding/json"
	"net/http"
)

// ProblemContentType is the media type of RFC 9457 problem details.
const ProblemContentType = "application/problem+json"

// internalDetail replaces the detail of every 5xx problem: the cause of a
// server error stays in the server's logs, the client gets the request id.
const internalDetail = "internal error"

// Problem is an RFC 9457 problem details object, the body of every error
// answer of the admin API and the VC-API.
type Problem struct {
	// Type is a URI naming the kind of problem; empty means "about:blank"
	// (the problem is just the HTTP status).
	Type string `json:"type,omitempty"`
	// Title is a short summary of the kind of problem; empty means the
	// status text ("Not Found").
	Title string `json:"title,omitempty"`
	// Status is the HTTP status code; zero, or anything that is not a
	// 4xx or 5xx status, means 500.
	Status int `json:"status"`
	// Detail says what went wrong with this request, in words a person can
	// act on. For 5xx answers it is replaced by "internal error".
	Detail string `json:"detail,omitempty"`
	// Instance is a URI naming this occurrence of the problem (optional).
	Instance string `json:"instance,omitempty"`
	// RequestID is the X-Request-Id of the request, filled in by
	// WriteProblem when the RequestID middleware ran.
	RequestID string `json:"requestId,omitempty"`
	// Errors lists what is wrong with individual fields of the request.
	// Dropped from 5xx answers.
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError says what is wrong with one field of a request.
type FieldError struct {
	// Field names the field ("email", "recipient.did", a CSV column).
	Field string `json:"field,omitempty"`
	// Pointer is a JSON Pointer to the field in a JSON request body, as a
	// URI fragment ("#/recipient/email"), per RFC 9457 section 3.
	Pointer string `json:"pointer,omitempty"`
	// Detail says what is wrong and how to fix it.
	Detail string `json:"detail"`
}

// WriteProblem writes p as an application/problem+json answer with status
// p.Status (500 when zero). It fills in the title from the status when
// empty and the request id from r's context. For 5xx statuses it replaces
// the title with the status text, the detail with "internal error" and
// drops field errors, so that no internal error text reaches a client.
// Answers are never cached. A HEAD request gets the headers only.
func WriteProblem(w http.ResponseWriter, r *http.Request, p Problem) {
	p = sanitizeProblem(p)
	if p.RequestID == "" && r != nil {
		p.RequestID = RequestIDFrom(r.Context())
	}
	if p.RequestID == "" {
		p.RequestID = w.Header().Get(RequestIDHeader)
	}
	body, err := json.Marshal(p)
	if err != nil {
		// Unreachable: Problem holds strings and ints only.
		body = []byte(`{"title":"Internal Server Error","status":500,"detail":"internal error"}`)
		p.Status = http.StatusInternalServerError
	}
	body = append(body, '\n')
	h := w.Header()
	h.Set("Content-Type", ProblemContentType)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Del("Content-Length")
	h.Del("ETag")
	h.Del("Last-Modified")
	w.WriteHeader(p.Status)
	if r != nil && r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

// sanitizeProblem applies the defaults and the 5xx rule.
func sanitizeProblem(p Problem) Problem {
	if p.Status < 400 || p.Status > 599 {
		p.Status = http.StatusInternalServerError
	}
	if p.Status >= 500 {
		p.Title = http.StatusText(p.Status)
		p.Detail = internalDetail
		p.Errors = nil
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if p.Title == "" {
		p.Title = "Error"
	}
	return p
}
