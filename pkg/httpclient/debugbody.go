package httpclient

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// maxTracedBody bounds how much of an error body the trace reads and shows.
const maxTracedBody = 16 << 10

// publicFields are the members of an OAuth or Graph error body that are safe
// and useful to show: Entra's words, its codes, and the IDs that support
// engineers ask for. Every other string value is redacted.
var publicFields = map[string]bool{
	"error": true, "error_description": true, "error_codes": true, "error_uri": true,
	"timestamp": true, "trace_id": true, "correlation_id": true, "suberror": true,
	"message": true, "innerError": true, "innererror": true, "date": true, "request-id": true,
	"client-request-id": true, "claims": true, "status": true, "title": true,
}

// jwtLike matches a JWT (or JWE) anywhere in text; compiled on first use,
// as every command links this package and most never trace a body.
var jwtLike = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_.-]*`)
})

// traceErrorBody writes the body of an error response (status 400 and up) to
// w, redacted, and gives the caller back a body that reads the same bytes.
func traceErrorBody(w io.Writer, resp *http.Response) {
	if resp.StatusCode < 400 || resp.Body == nil || resp.Body == http.NoBody {
		return
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, maxTracedBody))
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if err != nil || len(head) == 0 {
		return
	}
	shown := RedactBody(head)
	if len(head) == maxTracedBody {
		shown += " …"
	}
	io.WriteString(w, "< body: "+shown+"\n")
}

type readCloser struct {
	io.Reader
	io.Closer
}

// RedactBody turns a response body into one line safe to print: for JSON,
// only the members an error body uses to explain itself keep their values
// (error, error_description, error_codes, trace and correlation IDs, Graph's
// code and message); every other string is "[redacted]". Other text keeps its
// words but loses anything shaped like a JWT. Control characters are escaped.
func RedactBody(body []byte) string {
	var v any
	if json.Unmarshal(body, &v) == nil {
		out, err := json.Marshal(redactValue(v, "", 0))
		if err == nil {
			return string(out)
		}
	}
	s := jwtLike().ReplaceAllString(string(body), "[redacted]")
	s = strings.Join(strings.Fields(s), " ")
	return strings.ToValidUTF8(escapeControls(s), "\ufffd")
}

// redactValue keeps the values of public members; key is the member v is the
// value of, and depth the nesting (Graph's {"error":{"code":…}} nests codes).
func redactValue(v any, key string, depth int) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[jwtLike().ReplaceAllString(k, "[redacted]")] = redactValue(e, k, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactValue(e, key, depth)
		}
		return out
	case string:
		// Graph's {"error":{"code":…}} is public; a top-level "code" may be
		// an authorization code.
		public := publicFields[key] || (key == "code" && depth > 1)
		if !public {
			return "[redacted]"
		}
		return jwtLike().ReplaceAllString(x, "[redacted]")
	default:
		return v // numbers, booleans and null carry no secret
	}
}

func escapeControls(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
