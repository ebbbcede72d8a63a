package verifier

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
)

// APIRequest is the JSON body of POST /api/v1/verify: exactly one of its members says what to
// verify. A body that is itself a credential or presentation (it has "@context") is verified as
// it is.
type APIRequest struct {
	// Credential is a credential as a JSON object, or a string (a VC-JWT or the JSON text).
	Credential json.RawMessage `json:"credential,omitempty"`
	// VerifiableCredential is the VC-API's name for Credential.
	VerifiableCredential json.RawMessage `json:"verifiableCredential,omitempty"`
	// Presentation is a presentation as a JSON object or a string.
	Presentation json.RawMessage `json:"presentation,omitempty"`
	// VerifiablePresentation is the VC-API's name for Presentation.
	VerifiablePresentation json.RawMessage `json:"verifiablePresentation,omitempty"`
	// URL is fetched through the guarded client.
	URL string `json:"url,omitempty"`
	// Image is a baked PNG or SVG, base64 (standard or URL alphabet) or a data: URI.
	Image string `json:"image,omitempty"`
	// JWT is a compact VC-JWT or VP-JWT.
	JWT string `json:"jwt,omitempty"`
}

// ParseAPIBody reads a verify API body of the given Content-Type: the bytes to verify, or the
// URL to fetch. A JSON body is an APIRequest or a raw credential/presentation; image/png,
// image/svg+xml, application/vc+jwt and text/plain bodies are verified as they are. The error
// says what is wrong (an *inputError with the HTTP status to answer).
func ParseAPIBody(contentType string, body []byte) (raw []byte, fetchURL string, err error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, "", inErr(http.StatusBadRequest, "err.api.empty")
	}
	isJSON := mt == "" || mt == "application/json" || strings.HasSuffix(mt, "+json")
	if !isJSON || body[0] != '{' {
		switch {
		case isJSON && body[0] != '{':
			return nil, "", inErr(http.StatusBadRequest, "err.api.notObject")
		case mt == "image/png", mt == "image/svg+xml", mt == "application/vc+jwt", mt == "application/vp+jwt",
			mt == "application/jwt", mt == "text/plain", mt == "application/octet-stream":
			return body, "", nil
		}
		return nil, "", inErr(http.StatusUnsupportedMediaType, "err.api.mediaType", mt)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, "", inErr(http.StatusBadRequest, "err.api.json")
	}
	if _, ok := probe["@context"]; ok {
		return body, "", nil
	}
	var req APIRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, "", inErr(http.StatusBadRequest, "err.api.fields")
	}
	var got [][]byte
	var url string
	for _, m := range []json.RawMessage{req.Credential, req.VerifiableCredential, req.Presentation, req.VerifiablePresentation} {
		if len(m) == 0 || string(m) == "null" {
			continue
		}
		b, err := jsonOrString(m)
		if err != nil {
			return nil, "", err
		}
		got = append(got, b)
	}
	if s := strings.TrimSpace(req.JWT); s != "" {
		got = append(got, []byte(s))
	}
	if s := strings.TrimSpace(req.Image); s != "" {
		b, err := decodeImage(s)
		if err != nil {
			return nil, "", err
		}
		got = append(got, b)
	}
	if s := strings.TrimSpace(req.URL); s != "" {
		url = s
		got = append(got, nil)
	}
	switch len(got) {
	case 0:
		return nil, "", inErr(http.StatusBadRequest, "err.api.none")
	case 1:
		return got[0], url, nil
	}
	return nil, "", inErr(http.StatusBadRequest, "err.api.many")
}

// jsonOrString returns an object member as its JSON text, or a string member's value.
func jsonOrString(m json.RawMessage) ([]byte, error) {
	switch m[0] {
	case '{':
		return m, nil
	case '"':
		var s string
		if err := json.Unmarshal(m, &s); err != nil || strings.TrimSpace(s) == "" {
			return nil, inErr(http.StatusBadRequest, "err.api.fields")
		}
		return []byte(strings.TrimSpace(s)), nil
	}
	return nil, inErr(http.StatusBadRequest, "err.api.fields")
}

// decodeImage reads base64 image bytes, with or without a data: URI prefix.
func decodeImage(s string) ([]byte, error) {
	if strings.HasPrefix(s, "data:") {
		_, after, ok := strings.Cut(s, ",")
		if !ok || !strings.Contains(s[:len(s)-len(after)], ";base64") {
			return nil, inErr(http.StatusBadRequest, "err.api.image")
		}
		s = after
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) > 0 {
			return b, nil
		}
	}
	return nil, inErr(http.StatusBadRequest, "err.api.image")
}
